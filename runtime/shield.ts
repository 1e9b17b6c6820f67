/**
 * shield: protect an awaitable from the cancellation of whoever awaits it. Cancelling
 * the returned future (e.g. because the awaiting task is cancelled) leaves the inner
 * one running; its later outcome is then marked retrieved so it is not reported.
 */
import { CANCELLED, ERROR, type Future } from './future';
import { ensureFuture, type AwaitableLike } from './ensure';

export function shield<T>(aw: AwaitableLike<T>): Future<T> {
  const inner = ensureFuture(aw);
  if (inner.done()) return inner;
  const outer = inner.getLoop().createFuture<T>();
  const innerDone = (f: Future<T>): void => {
    if (outer.cancelled()) {
      if (f._state === ERROR) f._retrieved = true;
      return;
    }
    if (outer.done()) return;
    if (f._state === CANCELLED) outer.cancel(f._cancelMessage);
    else if (f._state === ERROR) {
      f._retrieved = true;
      outer.setException(f._error);
    } else outer.setResult(f._value as T);
  };
  inner.addDoneCallback(innerDone);
  outer.addDoneCallback(() => {
    if (!inner.done()) inner.removeDoneCallback(innerDone);
  });
  return outer;
}
