/**
 * Async Trace: Save Recent Trace — for a run under the flight recorder
 * (`asyncTrace.ringSize`), asks the program to write the most recent events it holds
 * (the runtime's saveRecentTrace(), evaluated through the debug session, so it works
 * where there are no signals) and opens the window written, `NAME.recent-N.atrace`
 * beside the run's trace file.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

/** A run recording into a ring: its debug sessions and the file its windows are named after. */
export interface RingRun {
  traceFile: string;
  sessions: Set<vscode.DebugSession>;
}

const runs = new Set<RingRun>();

/** Registers a ring run until the returned function is called (the run ended). */
export function trackRingRun(run: RingRun): () => void {
  runs.add(run);
  return () => { runs.delete(run); };
}

const EXPRESSION = "typeof globalThis[Symbol.for('async-trace.saveRecentTrace')] === 'function' ? globalThis[Symbol.for('async-trace.saveRecentTrace')]() : 'no ring'";

/** The newest window beside `traceFile` written at or after `since` (ms since the epoch). */
function newestWindow(traceFile: string, since: number): string | undefined {
  const dir = path.dirname(traceFile);
  const base = path.basename(traceFile).replace(/\.atrace$/, '');
  let best: { file: string; at: number } | undefined;
  let names: string[];
  try { names = readdirSync(dir); } catch { return undefined; }
  for (const f of names) {
    if (!f.startsWith(`${base}.recent-`) || !f.endsWith('.atrace')) continue;
    const file = path.join(dir, f);
    const at = statSync(file).mtimeMs;
    if (at >= since - 1000 && (!best || at > best.at)) best = { file, at };
  }
  return best?.file;
}

/** Saves the recent window of the newest ring run and opens it; its path, or undefined (and a message) when none could be saved. */
export async function saveRecentTrace(): Promise<string | undefined> {
  const run = [...runs].pop();
  if (!run) {
    void vscode.window.showInformationMessage('No program is recording into a flight recorder: set asyncTrace.ringSize (such as 64MB) and start "Trace Async Run".');
    return undefined;
  }
  const since = Date.now();
  let answered = false;
  // The program's own session is a child of the launcher's; ask the newest first.
  for (const s of [...run.sessions].reverse()) {
    try {
      const r = (await s.customRequest('evaluate', { expression: EXPRESSION, context: 'repl' })) as { result?: string };
      // The path written (undefined when the save failed; the program said why on stderr).
      if (r.result && r.result.includes('.atrace')) { answered = true; break; }
      if (r.result && !r.result.includes('no ring')) break;
    } catch {
      // Not the program's session (the launcher's), or it cannot evaluate now: try the next.
    }
  }
  const file = answered ? newestWindow(run.traceFile, since) : undefined;
  if (!file) {
    void vscode.window.showWarningMessage('The program did not write its recent trace (is it still running with async-trace/runtime loaded?).');
    return undefined;
  }
  await vscode.commands.executeCommand('asyncTrace.openTrace', vscode.Uri.file(file));
  return file;
}
