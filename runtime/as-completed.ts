/**
 * asCompleted: results in completion order. Iterating it synchronously yields one
 * awaitable per input, the i-th settling with the i-th result to complete; iterating
 * with `for await` yields the results themselves. With a timeout, what has not
 * completed by then throws TimeoutError (nothing is cancelled).
 */
import { TimeoutError } from './errors';
import type { Future } from './future';
import { ensureFuture, type AwaitableLike } from './ensure';
import { checkDelay } from './loop';
import { getRunningLoop } from './running-loop';
import type { TimerHandle } from './handle';

export interface AsCompletedOptions {
  timeout?: number | null;
}

export interface AsCompleted<T> extends Iterable<Promise<T>>, AsyncIterable<T> {}

export function asCompleted<T>(aws: Iterable<AwaitableLike<T>>, options: AsCompletedOptions = {}): AsCompleted<T> {
  const timeout = options.timeout ?? null;
  if (timeout !== null) checkDelay(timeout, 'asCompleted timeout');
  const loop = getRunningLoop();
  const todo = new Set<Future<T>>();
  for (const a of aws) todo.add(ensureFuture(a, loop));
  const total = todo.size;
  const completed: Future<T>[] = [];
  // Waiters get the completed future boxed: a Future resolved with a thenable would adopt it.
  const waiters: Future<{ f: Future<T> }>[] = [];
  let timedOut = false;
  let timer: TimerHandle | null = null;

  const onDone = (f: Future<T>): void => {
    if (!todo.delete(f)) return;
    const w = waiters.shift();
    if (w !== undefined) w.setResult({ f });
    else completed.push(f);
    if (todo.size === 0) timer?.cancel();
  };
  for (const f of todo) f.addDoneCallback(onDone);
  if (timeout !== null && total > 0) {
    timer = loop.callLater(timeout, () => {
      timedOut = true;
      for (const f of todo) f.removeDoneCallback(onDone);
      todo.clear();
      for (const w of waiters.splice(0)) w.setException(new TimeoutError());
    });
  }

  const next = async (): Promise<T> => {
    let f = completed.shift();
    if (f === undefined) {
      if (timedOut) throw new TimeoutError();
      const w = loop.createFuture<{ f: Future<T> }>();
      waiters.push(w);
      f = (await w).f;
    }
    return f.result();
  };

  return {
    *[Symbol.iterator](): Iterator<Promise<T>> {
      for (let i = 0; i < total; i++) yield next();
    },
    async *[Symbol.asyncIterator](): AsyncIterator<T> {
      for (let i = 0; i < total; i++) yield await next();
    },
  };
}
