/**
 * Async Trace: Export Trace — a saved .atrace as Chrome trace-event JSON (Perfetto,
 * chrome://tracing) or speedscope JSON, written beside the trace file chunk by chunk
 * (trace/json-chunks.ts), so a long trace never becomes one giant string.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import * as vscode from 'vscode';
import { chromeTraceJson } from '../trace/export-chrome';
import { speedscopeJson } from '../trace/export-speedscope';
import { exportPathFor, type ExportFormat } from '../trace/file-names';
import { readTrace } from './live-trace';

export type { ExportFormat };

export async function exportTrace(file: vscode.Uri, format: ExportFormat): Promise<vscode.Uri> {
  const trace = readTrace(await vscode.workspace.fs.readFile(file));
  const out = vscode.Uri.file(exportPathFor(file.fsPath, format));
  const fd = openSync(out.fsPath, 'w');
  try {
    for (const chunk of format === 'chrome' ? chromeTraceJson(trace.model) : speedscopeJson(trace.model)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return out;
}
