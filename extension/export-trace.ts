/**
 * Async Trace: Export Trace — a saved .atrace as Chrome trace-event JSON (Perfetto,
 * chrome://tracing) or speedscope JSON, written beside the trace file.
 */
import * as vscode from 'vscode';
import { toChromeTrace } from '../trace/export-chrome';
import { toSpeedscope } from '../trace/export-speedscope';
import { readTrace } from './live-trace';

export type ExportFormat = 'chrome' | 'speedscope';

export async function exportTrace(file: vscode.Uri, format: ExportFormat): Promise<vscode.Uri> {
  const trace = readTrace(await vscode.workspace.fs.readFile(file));
  const json = format === 'chrome' ? toChromeTrace(trace.model) : toSpeedscope(trace.model);
  const out = vscode.Uri.file(file.fsPath.replace(/\.atrace$/, '') + `.${format}.json`);
  await vscode.workspace.fs.writeFile(out, new TextEncoder().encode(JSON.stringify(json)));
  return out;
}
