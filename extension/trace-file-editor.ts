/**
 * Saved traces: a read-only custom editor for *.atrace (opening one from the explorer
 * shows it in the trace view), and the loader the live panel uses when it is revived.
 * A trace file is streamed to the view exactly as a live run is: reset, chunk, end.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { readTrace, unreadableVersion } from './live-trace';
import { TraceView, webviewOptions, type TraceViewHost } from './trace-view';

export const traceEditorViewType = 'asyncTrace.traceFile';

/** Reads a whole trace file's findings for the editor (in a worker; extension.ts). */
export type Analysed = (file: string, root: string) => Promise<void>;

/** Streams a saved file into `view` and returns how it decoded (counted here without a model: live-trace.ts). */
export async function loadTraceFile(
  view: TraceView, file: vscode.Uri, analysed?: Analysed,
): Promise<{ events: number; tasks: number; complete: boolean }> {
  const bytes = await vscode.workspace.fs.readFile(file);
  const foreign = unreadableVersion(bytes);
  if (foreign) {
    view.showEmpty(`Cannot read ${path.basename(file.fsPath)}`, foreign);
    return { events: 0, tasks: 0, complete: false };
  }
  const trace = readTrace(bytes);
  const summary = trace.summary();
  const root = summary.root ?? vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? path.dirname(file.fsPath);
  view.startTrace(path.basename(file.fsPath), root, file.fsPath);
  view.chunk(bytes);
  const message = summary.complete
    ? `${summary.events} events, ${summary.tasks} tasks`
    : `incomplete trace (${summary.error ?? 'cut short'}): showing ${summary.events} events`;
  view.end(summary.complete, message);
  // Not awaited: the view is drawn meanwhile; the findings arrive when the worker is done.
  void analysed?.(file.fsPath, root);
  return { events: summary.events, tasks: summary.tasks, complete: summary.complete };
}

export class TraceFileEditor implements vscode.CustomReadonlyEditorProvider {
  /** Open views by file, so tests and commands can find the one for a file. */
  readonly views = new Map<string, TraceView>();

  constructor(private readonly host: TraceViewHost, private readonly analysed?: Analysed) {}

  static register(host: TraceViewHost, analysed?: Analysed): { provider: TraceFileEditor; registration: vscode.Disposable } {
    const provider = new TraceFileEditor(host, analysed);
    const registration = vscode.window.registerCustomEditorProvider(traceEditorViewType, provider, {
      supportsMultipleEditorsPerDocument: true,
    });
    return { provider, registration };
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => {} };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = webviewOptions(this.host.extensionUri);
    const view = new TraceView(panel, this.host);
    const key = document.uri.toString();
    this.views.set(key, view);
    panel.onDidDispose(() => {
      view.dispose();
      if (this.views.get(key) === view) this.views.delete(key);
    });
    await loadTraceFile(view, document.uri, this.analysed);
  }
}
