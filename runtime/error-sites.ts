/**
 * Throw sites of failed tasks, read late. Reading an error's `stack` formats it, and V8
 * then drops the structured trace Node uses to print the source line of a crash
 * (`main.ts:4` / `  throw new Error('boom')` / `^`): read when the task fails, an error
 * that goes on to crash the program (main's, rethrown by run()) would be printed without
 * its line. So a failure is only noted here, and its site is read when tracing stops (the
 * loop ran dry, exit, a signal, stopTracing(), or a crash: by uncaughtExceptionMonitor
 * Node has taken the line already) or, past MAX_HELD noted failures, for the oldest half.
 * Tasks that succeed cost nothing; a failure costs a push.
 */
import { hooks } from './instrument';
import { errorSite } from './sites';

interface Failed { readonly id: number; readonly _error: unknown; readonly _retrieved: boolean }

const held: Failed[] = [];
const MAX_HELD = 1024;

/** A traced task failed: its taskErrorThrown is written by resolveErrorSites. */
export function noteFailure(t: Failed): void {
  held.push(t);
  if (held.length > MAX_HELD) resolveErrorSites(MAX_HELD / 2);
}

/** Writes taskErrorThrown for the oldest `count` failures noted (all by default), then forgets them. */
export function resolveErrorSites(count = held.length): void {
  const batch = held.splice(0, count);
  if (!hooks.on) return;
  for (const t of batch) hooks.taskErrorThrown(t.id, errorSite(t._error), t._retrieved ? 1 : 0);
}
