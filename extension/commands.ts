/**
 * The table of every command the extension contributes: id → argument and result
 * types. Registration and execution go through here, so a command's signature is
 * checked at both ends (package.json `contributes.commands` lists the same ids).
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
}

export type CommandId = keyof CommandTable;

export const commandIds: readonly CommandId[] = ['asyncTrace.traceRun', 'asyncTrace.openTrace', 'asyncTrace.exportTrace', 'asyncTrace.compareWithPrevious', 'asyncTrace.compareTraceFiles'];

export function registerCommand<K extends CommandId>(
  id: K,
  run: (...args: CommandTable[K]['args']) => Promise<CommandTable[K]['result']>,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, run as (...args: unknown[]) => unknown);
}

export function executeCommand<K extends CommandId>(id: K, ...args: CommandTable[K]['args']): Thenable<CommandTable[K]['result']> {
  return vscode.commands.executeCommand<CommandTable[K]['result']>(id, ...args);
}
