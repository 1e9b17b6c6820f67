/**
 * The one live "Async Trace" panel: created on demand, revealed when it exists,
 * revived after a reload by a WebviewPanelSerializer (view state lives in the webview's
 * own getState/setState; the host replays the last trace file it recorded or opened).
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { TraceView, webviewOptions, type TraceViewHost } from './trace-view';

export const panelViewType = 'asyncTrace.panel';
export const panelTitle = 'Async Trace';

export class PanelHost implements vscode.Disposable {
  private view: TraceView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly host: TraceViewHost,
    /** Loads a saved trace into a view (used when a panel is revived). */
    private readonly replayFile: (view: TraceView, file: string) => Promise<void>,
    private readonly lastTrace: () => string | undefined,
  ) {
    this.disposables.push(vscode.window.registerWebviewPanelSerializer(panelViewType, {
      deserializeWebviewPanel: async (panel) => {
        const view = this.adopt(panel);
        const file = this.lastTrace();
        if (file && existsSync(file)) await this.replayFile(view, file);
      },
    }));
  }

  /** The live view, if the panel is open. */
  get current(): TraceView | undefined {
    return this.view;
  }

  /** Shows the panel (creating it in its empty state) and returns its view. */
  show(preserveFocus = false): TraceView {
    if (this.view) {
      this.view.panel.reveal(undefined, preserveFocus);
      return this.view;
    }
    // Beside the editor being traced, so source and chart are both in view.
    const viewColumn = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(panelViewType, panelTitle,
      { viewColumn, preserveFocus }, webviewOptions(this.host.extensionUri));
    return this.adopt(panel);
  }

  private adopt(panel: vscode.WebviewPanel): TraceView {
    const view = new TraceView(panel, this.host);
    this.view = view;
    panel.onDidDispose(() => {
      view.dispose();
      if (this.view === view) this.view = undefined;
    });
    return view;
  }

  dispose(): void {
    this.view?.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
