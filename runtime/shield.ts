/**
 * shield: protect an awaitable from the cancellation of whoever awaits it. Cancelling
 * the returned future (e.g. because the awaiting task is cancelled) leaves the inner
 * one running; its later outcome is then marked retrieved so it is not reported.
 */
import type { Future } from './future';
import { ensureFuture, type AwaitableLike } from './ensure';

export function shield<T>(aw: AwaitableLike<T>): Future<T> {
  const inner = ensureFuture(aw);
  if (inner.done()) return inner;
  const outer = inner.getLoop().createFuture<T>();
  const innerDone = (f: Future<T>): void => {
    if (outer.cancelled()) {
      if (f._failed()) f._takeError();
      return;
    }
    if (outer.done()) return;
    if (f.cancelled()) outer.cancel(f._makeCancelledError().message);
    else if (f._failed()) outer.setException(f._takeError());
    else outer.setResult(f.result());
  };
  inner.addDoneCallback(innerDone);
  outer.addDoneCallback(() => {
    if (!inner.done()) inner.removeDoneCallback(innerDone);
  });
  return outer;
}
