/**
 * Entry point loaded by the extension host: wires the commands (commands.ts), the live
 * panel (panel.ts), the .atrace editor, Trace Async Run and the compare commands
 * (compare-runs.ts) to the VS Code API.
 * Everything registered here goes to `context.subscriptions`. The returned object is the
 * extension's API, used by the integration suite (test/vscode/suite) to observe runs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { AsyncTasksView, openSiteCommand } from './async-tasks-view';
import { registerCommand } from './commands';
import { DebugWatch } from './debug-watch';
import { compareInto, compareTraceFiles, compareWithPrevious, type CompareResult } from './compare-runs';
import { exportTrace, type ExportFormat } from './export-trace';
import { saveRecentTrace } from './recent-trace';
import { PanelHost } from './panel';
import { revealSite, siteUri } from './reveal';
import { loadTraceFile, TraceFileEditor, traceEditorViewType } from './trace-file-editor';
import { TraceInsights } from './trace-insights';
import { traceRun } from './trace-run';
import { insightsInWorker } from './model-jobs';
import { TraceView, type TraceViewHost } from './trace-view';
import type { TraceInsightsResult } from './trace-jobs';
import { readTrace, type TraceSummary } from './live-trace';
import { RunHistory } from './run-history';
import type { Site } from '../webview/protocol';

export interface AsyncTraceApi {
  panel: PanelHost;
  traceFiles: TraceFileEditor;
  /** The last few traces of each program (Compare with Previous Run). */
  history: RunHistory;
  diagnostics: vscode.DiagnosticCollection;
  /** The last trace's findings (Problems view) and await figures (CodeLens). */
  insights: TraceInsights;
  /** The last trace recorded or opened in this workspace. */
  lastTrace(): string | undefined;
  /** Decodes a saved trace the way the status bar and summaries do. */
  summarize(file: string): Promise<TraceSummary>;
  /** What a `reveal` message from the live panel's webview does. */
  reveal(site: Site): Promise<void>;
  /** The Async Tasks view in Run and Debug. */
  asyncTasks: AsyncTasksView;
}

const lastTraceKey = 'asyncTrace.lastTrace';
const panelColumnKey = 'asyncTrace.panelColumn';
/** The button on the export message: the OS file manager on desktop, the explorer in a browser. */
const inBrowser = vscode.env.uiKind === vscode.UIKind.Web;
const revealLabel = inBrowser ? 'Reveal in Explorer' : 'Reveal in File Manager';
const revealCommand = inBrowser ? 'revealInExplorer' : 'revealFileInOS';
const lastCompareKey = 'asyncTrace.lastCompare';

export function activate(context: vscode.ExtensionContext): AsyncTraceApi {
  const output = vscode.window.createOutputChannel('Async Trace');
  const diagnostics = vscode.languages.createDiagnosticCollection('asyncTrace');
  const lastTrace = (): string | undefined => context.workspaceState.get<string>(lastTraceKey);
  // What the panel showed last, for its revival after a reload: a trace, or the pair compared.
  const lastCompare = (): CompareResult | undefined => context.workspaceState.get<CompareResult>(lastCompareKey);
  const remember = (file: string): void => {
    void context.workspaceState.update(lastTraceKey, file);
    void context.workspaceState.update(lastCompareKey, undefined);
  };
  const compared = (r: CompareResult | undefined): CompareResult | undefined => {
    if (r) void context.workspaceState.update(lastCompareKey, r);
    return r;
  };
  const history = new RunHistory(context.workspaceState);

  const host: TraceViewHost = {
    extensionUri: context.extensionUri,
    reveal: async (site, root, from) => {
      try {
        await revealSite(site, root, from.viewColumn);
      } catch (e) {
        void vscode.window.showWarningMessage(`Cannot open ${site.file}:${site.line}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    report: (message) => output.appendLine(`webview: ${message}`),
  };
  const insights = new TraceInsights();
  // Findings and await figures come from the webview that shows the trace (it holds the one
  // model), else from the trace file read in a job of its own (the host keeps no model,
  // issue 18); a job that fails says so in the output, nothing is guessed. One trace at a
  // time: a slower answer for an older trace does not overwrite a newer one.
  let analysing = 0;
  const fromView = async (file: string): Promise<TraceInsightsResult | undefined> => {
    const asked = TraceView.insightsFor(file);
    if (!asked) return undefined;
    try {
      return await asked;
    } catch (e) {
      output.appendLine(`findings of ${path.basename(file)}: ${e instanceof Error ? e.message : String(e)}; reading the file instead`);
      return undefined;
    }
  };
  const analysed = async (file: string, root: string): Promise<void> => {
    const mine = ++analysing;
    try {
      const result = await fromView(file) ?? await insightsInWorker(file);
      if (mine === analysing) insights.show(result, root);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      output.appendLine(`could not read the findings of ${file}: ${why}`);
      void vscode.window.showWarningMessage(`Async Trace: no findings for ${path.basename(file)}: ${why}`);
    }
  };
  const panel = new PanelHost(host, async (view, file) => {
    const pair = lastCompare();
    if (pair && existsSync(pair.a) && existsSync(pair.b)) await compareInto(() => view, pair.a, pair.b);
    else await loadTraceFile(view, vscode.Uri.file(file), analysed);
  }, lastTrace, {
    get: () => context.workspaceState.get<vscode.ViewColumn>(panelColumnKey),
    set: (column) => { void context.workspaceState.update(panelColumnKey, column); },
  });
  const { provider: traceFiles, registration } = TraceFileEditor.register(host, analysed);
  const debugWatch = new DebugWatch();
  const asyncTasks = new AsyncTasksView();
  context.subscriptions.push(output, diagnostics, insights, panel, registration, debugWatch, asyncTasks);

  const pickTraceFile = async (given: vscode.Uri | undefined, title: string): Promise<vscode.Uri | undefined> => {
    if (given) return given;
    const last = lastTrace();
    const picked = await vscode.window.showOpenDialog({
      title, canSelectMany: false, filters: { 'Async Trace': ['atrace'] },
      defaultUri: last && existsSync(last) ? vscode.Uri.file(last) : vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    return picked?.[0];
  };

  context.subscriptions.push(
    registerCommand('asyncTrace.traceRun', (program) =>
      traceRun({ context, panel, diagnostics, output, recorded: (file, prog) => { remember(file); void history.add(prog, file); }, debugWatch, tasksView: asyncTasks, analysed }, program)),
    // The Async Tasks view's frames, holders and waiters open their line (not in the palette).
    vscode.commands.registerCommand(openSiteCommand, async (site: Site, root: string | undefined) => {
      const doc = await vscode.workspace.openTextDocument(siteUri(site, root));
      const pos = new vscode.Position(Math.max(site.line - 1, 0), Math.max(site.col - 1, 0));
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
    }),
    registerCommand('asyncTrace.compareWithPrevious', async (program) => compared(await compareWithPrevious(panel, history, program))),
    registerCommand('asyncTrace.compareTraceFiles', async (a, b) => {
      const last = lastTrace();
      return compared(await compareTraceFiles(panel, a, b, last && existsSync(last) ? vscode.Uri.file(path.dirname(last)) : vscode.workspace.workspaceFolders?.[0]?.uri));
    }),
    registerCommand('asyncTrace.openTrace', async (file) => {
      const uri = await pickTraceFile(file, 'Open Trace File');
      if (!uri) return false;
      remember(uri.fsPath);
      await vscode.commands.executeCommand('vscode.openWith', uri, traceEditorViewType);
      return true;
    }),
    registerCommand('asyncTrace.exportTrace', async (file, format) => {
      const uri = await pickTraceFile(file, 'Export Trace');
      if (!uri) return undefined;
      const chosen: ExportFormat | undefined = format ?? (await vscode.window.showQuickPick(
        [{ label: 'chrome' as const, description: 'Chrome trace events (Perfetto, chrome://tracing)' },
          { label: 'speedscope' as const, description: 'speedscope JSON' }],
        { placeHolder: 'Export format' }))?.label;
      if (!chosen) return undefined;
      const out = await exportTrace(uri, chosen);
      const message = `Exported the trace as ${chosen === 'chrome' ? 'Chrome trace events' : 'speedscope JSON'} to ${vscode.workspace.asRelativePath(out)}`;
      output.appendLine(message);
      void vscode.window.showInformationMessage(message, revealLabel).then((pick) => {
        if (pick === revealLabel) void vscode.commands.executeCommand(revealCommand, out);
      });
      return out.fsPath;
    }),
    registerCommand('asyncTrace.saveRecentTrace', () => saveRecentTrace()),
  );
  return {
    panel, traceFiles, history, diagnostics, insights, lastTrace, asyncTasks,
    summarize: async (file) => readTrace(await vscode.workspace.fs.readFile(vscode.Uri.file(file)), true).summary(),
    reveal: async (site) => {
      const view = panel.show(true);
      await host.reveal(site, view.root, view.panel);
    },
  };
}

export function deactivate(): void {}
