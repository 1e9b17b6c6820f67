/**
 * timeout / timeoutAt / waitFor: asyncio's Timeout, as a function around a body that
 * runs in the current task. On expiry the task is cancelled; if CancelledError then
 * leaves the body and this was the only outstanding cancel (uncancel() falls back to
 * the count seen on entry) it becomes TimeoutError. A cancel that came from elsewhere
 * stays a CancelledError.
 */
import { CancelledError, RuntimeError, TimeoutError } from './errors';
import type { Future } from './future';
import { ensureFuture, type AwaitableLike } from './ensure';
import { checkDelay } from './loop';
import type { TimerHandle, Handle } from './handle';
import { currentTask } from './task';

/** Runs `fn` in the current task and cancels it when loop time reaches `whenMs` (null: never). */
export async function timeoutAt<T>(whenMs: number | null, fn: () => T | PromiseLike<T>): Promise<T> {
  if (typeof fn !== 'function') throw new TypeError('timeout body must be a function');
  if (whenMs !== null && (typeof whenMs !== 'number' || Number.isNaN(whenMs))) throw new TypeError(`timeoutAt time must be a number, got ${String(whenMs)}`);
  const task = currentTask();
  if (task === undefined) throw new RuntimeError('timeout() must be used inside a task');
  const loop = task.getLoop();
  const cancellingOnEnter = task.cancelling();
  let expired = false;
  const expire = (): void => {
    expired = true;
    task.cancel();
  };
  let handle: Handle | TimerHandle | null = null;
  if (whenMs !== null) handle = whenMs <= loop.time() ? loop.callSoon(expire) : loop.callAt(whenMs, expire);
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    handle?.cancel();
    if (expired && task.uncancel() <= cancellingOnEnter && e instanceof CancelledError) {
      throw new TimeoutError('timed out', { cause: e });
    }
    throw e;
  }
  handle?.cancel();
  if (expired) task.uncancel();
  return result;
}

/** Runs `fn` in the current task with a deadline `ms` from now (null: none). */
export function timeout<T>(ms: number | null, fn: () => T | PromiseLike<T>): Promise<T> {
  if (ms !== null) checkDelay(ms, 'timeout');
  const task = currentTask();
  if (task === undefined) return Promise.reject(new RuntimeError('timeout() must be used inside a task'));
  return timeoutAt(ms === null ? null : task.getLoop().time() + ms, fn);
}

/** Awaits `aw` for at most `ms`; on expiry cancels it, waits for it to finish, throws TimeoutError. */
export function waitFor<T>(aw: AwaitableLike<T>, ms: number | null): Promise<T> {
  const fut: Future<T> = ensureFuture(aw);
  if (ms === null) return Promise.resolve(fut);
  return timeout(ms, () => fut);
}
