/**
 * Entry point loaded by the extension host: wires commands (commands.ts), the live
 * panel (panel.ts) and the .atrace editor to the VS Code API. Everything registered
 * here goes to `context.subscriptions`. The returned object is the extension's API,
 * used by the integration suite (test/vscode/suite) to observe runs.
 */
import * as vscode from 'vscode';
import { registerCommand, type TraceRunResult } from './commands';
import { PanelHost } from './panel';
import { revealSite } from './reveal';

export interface AsyncTraceApi {
  panel: PanelHost;
}

export function activate(context: vscode.ExtensionContext): AsyncTraceApi {
  const output = vscode.window.createOutputChannel('Async Trace');
  const panel = new PanelHost({
    extensionUri: context.extensionUri,
    reveal: async (site, root, from) => { await revealSite(site, root, from.viewColumn); },
    report: (message) => output.appendLine(`webview: ${message}`),
  }, async () => {}, () => undefined);
  context.subscriptions.push(output, panel);

  context.subscriptions.push(registerCommand('asyncTrace.traceRun', async (): Promise<TraceRunResult> => {
    panel.show();
    return { started: false, message: 'no program', bytes: 0 };
  }));
  return { panel };
}

export function deactivate(): void {}
