/**
 * The table of every command the extension contributes: id → argument and result
 * types. Registration goes through here, so each handler is checked against its
 * signature (package.json `contributes.commands` lists the same ids). Callers are
 * VS Code, the user and the tests, which run them by id.
 */
import * as vscode from 'vscode';
import type { CompareResult } from './compare-runs';

/** What a Trace Async Run reports back (to tests and to callers chaining commands). */
export interface TraceRunResult {
  /** False when nothing was launched (no program chosen, build failed, debugger refused). */
  started: boolean;
  /** Why nothing was launched, or how the session ended. */
  message: string;
  program?: string;
  /** The .atrace file written, when a traced program connected. */
  traceFile?: string;
  bytes: number;
  /** Connections the recorder refused (wrong or missing token, a second stream). */
  refused: number;
}

export interface CommandTable {
  'asyncTrace.traceRun': { args: [program?: vscode.Uri]; result: TraceRunResult };
  'asyncTrace.openTrace': { args: [file?: vscode.Uri]; result: boolean };
  'asyncTrace.exportTrace': { args: [file?: vscode.Uri, format?: 'chrome' | 'speedscope']; result: string | undefined };
  'asyncTrace.compareWithPrevious': { args: [program?: vscode.Uri]; result: CompareResult | undefined };
  'asyncTrace.compareTraceFiles': { args: [a?: vscode.Uri, b?: vscode.Uri]; result: CompareResult | undefined };
  'asyncTrace.saveRecentTrace': { args: []; result: string | undefined };
}

export type CommandId = keyof CommandTable;

export function registerCommand<K extends CommandId>(
  id: K,
  run: (...args: CommandTable[K]['args']) => Promise<CommandTable[K]['result']>,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, run as (...args: unknown[]) => unknown);
}
