/**
 * sleep(ms, value): a Future resolved by a timer. sleep(0) is one trip through the
 * ready queue (callSoon), which is how a task yields to the others. Cancelling the
 * returned future (which task.cancel() does while a task sleeps) cancels the timer.
 */
import { Future } from './future';
import { checkDelay } from './loop';
import { getRunningLoop } from './running-loop';

function settle<T>(f: Future<T>, value: T): void {
  if (!f.done()) f.setResult(value);
}

export function sleep(ms: number): Future<void>;
export function sleep<T>(ms: number, value: T): Future<T>;
export function sleep<T>(ms: number, value?: T): Future<T | undefined> {
  checkDelay(ms, 'sleep delay');
  const loop = getRunningLoop();
  const f = new Future<T | undefined>(loop);
  f._kind = 'sleep';
  const h = ms === 0 ? loop.callSoon(settle, f, value) : loop.callLater(ms, settle, f, value);
  f._onCancel = h;
  return f;
}
