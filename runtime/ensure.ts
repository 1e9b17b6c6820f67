/**
 * Turning awaitables into Futures: ensureFuture (Futures and Tasks pass through) and
 * wrapFuture (a Future that follows any promise, e.g. a thread-pool job's promise).
 */
import { CancelledError, RuntimeError } from './errors';
import { Future } from './future';
import type { EventLoop } from './loop';
import { getRunningLoop } from './running-loop';

export type AwaitableLike<T> = Future<T> | PromiseLike<T>;

export function ensureFuture<T>(aw: AwaitableLike<T>, loop?: EventLoop): Future<T> {
  if (aw instanceof Future) {
    if (loop !== undefined && aw._loop !== loop) throw new RuntimeError('The future belongs to a different loop');
    return aw;
  }
  if (aw !== null && (typeof aw === 'object' || typeof aw === 'function') && typeof (aw as PromiseLike<T>).then === 'function') {
    return wrapFuture(aw, loop);
  }
  throw new TypeError(`a Future, Task or promise is required, got ${aw === null ? 'null' : typeof aw}`);
}

/** A Future that settles as `p` settles (a rejection with CancelledError cancels it). */
export function wrapFuture<T>(p: PromiseLike<T>, loop?: EventLoop): Future<T> {
  if (p instanceof Future) return p;
  const f = new Future<T>(loop ?? getRunningLoop());
  f._kind = 'promise';
  p.then(
    (v) => {
      if (!f.done() && !f._loop._closed) f.setResult(v);
    },
    (e: unknown) => {
      if (f.done() || f._loop._closed) return;
      if (e instanceof CancelledError) f.cancel(e.message);
      else f.setException(e);
    },
  );
  return f;
}
