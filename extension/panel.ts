/**
 * The one live "Async Trace" panel: created on demand, revealed when it exists,
 * revived after a reload by a WebviewPanelSerializer (view state lives in the webview's
 * own getState/setState; the host replays the last trace file it recorded or opened).
 *
 * Where it opens: in the editor column the user last moved it to (remembered per
 * workspace), else beside the active editor; opened beside, it takes the wider share
 * of the window, since the chart's resource lanes and table need the width.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { TraceView, webviewOptions, type TraceViewHost } from './trace-view';

export const panelViewType = 'asyncTrace.panel';
export const panelTitle = 'Async Trace';
/** The panel's share of the width when it opens as a new group beside one editor. */
export const panelShare = 0.62;

/** Where the user last put the panel (workspaceState in the extension). */
export interface ColumnMemory {
  get(): vscode.ViewColumn | undefined;
  set(column: vscode.ViewColumn): void;
}

export class PanelHost implements vscode.Disposable {
  private view: TraceView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly host: TraceViewHost,
    /** Loads a saved trace into a view (used when a panel is revived). */
    private readonly replayFile: (view: TraceView, file: string) => Promise<void>,
    private readonly lastTrace: () => string | undefined,
    private readonly column?: ColumnMemory,
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
    // Where the user put it last, else beside the editor being traced, so source and chart are both in view.
    const remembered = this.column?.get();
    const groupsBefore = vscode.window.tabGroups.all.length;
    const viewColumn = remembered ?? (vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
    const panel = vscode.window.createWebviewPanel(panelViewType, panelTitle,
      { viewColumn, preserveFocus }, webviewOptions(this.host.extensionUri));
    const view = this.adopt(panel);
    if (remembered === undefined && groupsBefore === 1) {
      // The new group exists once the panel reports its column; then give it the wider share.
      const once = panel.onDidChangeViewState(() => {
        once.dispose();
        if (vscode.window.tabGroups.all.length === 2 && panel.viewColumn === vscode.ViewColumn.Two) {
          void vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{ size: 1 - panelShare }, { size: panelShare }] });
        }
      });
    }
    return view;
  }

  private adopt(panel: vscode.WebviewPanel): TraceView {
    const view = new TraceView(panel, this.host);
    this.view = view;
    panel.onDidChangeViewState((e) => {
      const c = e.webviewPanel.viewColumn;
      if (c !== undefined && this.view === view) this.column?.set(c);
    });
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
