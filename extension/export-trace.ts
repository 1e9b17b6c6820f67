/**
 * Async Trace: Export Trace — a saved .atrace as Chrome trace-event JSON (Perfetto,
 * chrome://tracing) or speedscope JSON, written beside the trace file chunk by chunk
 * (trace/json-chunks.ts), so a long trace never becomes one giant string. The model the
 * export reads is built in a worker from the file and dropped with it
 * (extension/model-jobs.ts): the extension host never holds it.
 */
import * as vscode from 'vscode';
import { exportPathFor, type ExportFormat } from '../trace/file-names';
import { runModelJob } from './model-jobs';

export type { ExportFormat };

export async function exportTrace(file: vscode.Uri, format: ExportFormat): Promise<vscode.Uri> {
  const out = vscode.Uri.file(exportPathFor(file.fsPath, format));
  await runModelJob({ job: 'export', file: file.fsPath, format, out: out.fsPath });
  return out;
}
