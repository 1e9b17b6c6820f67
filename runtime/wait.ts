/**
 * wait: block until some or all of a set of futures are done, then report which.
 * A timeout only stops the waiting: nothing is cancelled (asyncio's wait).
 */
import { hooks } from './instrument';
import { takeSite } from './sites';
import { awaitOn } from './await-on';
import type { Future } from './future';
import { ensureFuture, type AwaitableLike } from './ensure';
import { checkDelay } from './loop';
import { getRunningLoop } from './running-loop';

export const FIRST_COMPLETED = 'FIRST_COMPLETED';
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
export const ALL_COMPLETED = 'ALL_COMPLETED';
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

export interface WaitOptions {
  timeout?: number | null;
  returnWhen?: ReturnWhen;
}

export interface WaitResult<T> {
  done: Set<Future<T>>;
  pending: Set<Future<T>>;
}

export async function wait<T>(aws: Iterable<AwaitableLike<T>>, options: WaitOptions = {}): Promise<WaitResult<T>> {
  const returnWhen = options.returnWhen ?? ALL_COMPLETED;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new TypeError(`invalid returnWhen: ${String(returnWhen)}`);
  }
  const timeout = options.timeout ?? null;
  if (timeout !== null) checkDelay(timeout, 'wait timeout');
  const site = hooks.on ? takeSite() : 0;
  const loop = getRunningLoop();
  const fs = new Set<Future<T>>();
  for (const a of aws) fs.add(ensureFuture(a, loop));
  if (fs.size === 0) throw new TypeError('wait() needs at least one awaitable');

  const satisfied = (): boolean => {
    let allDone = true;
    for (const f of fs) {
      if (!f.done()) allDone = false;
      else if (returnWhen === FIRST_COMPLETED) return true;
      else if (returnWhen === FIRST_EXCEPTION && f._failed()) return true;
    }
    return allDone;
  };

  if (!satisfied()) {
    const waiter = loop.createFuture<void>();
    waiter._kind = 'wait';
    let counter = fs.size;
    for (const f of fs) if (f.done()) counter--;
    const release = (): void => {
      if (!waiter.done()) waiter.setResult();
    };
    const onDone = (f: Future<T>): void => {
      counter--;
      if (counter <= 0 || returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && f._failed())) release();
    };
    const timer = timeout === null ? null : loop.callLater(timeout, release);
    for (const f of fs) if (!f.done()) f.addDoneCallback(onDone);
    try {
      await awaitOn(waiter, 'wait', waiter.id, site);
    } finally {
      timer?.cancel();
      for (const f of fs) f.removeDoneCallback(onDone);
    }
  }
  const done = new Set<Future<T>>();
  const pending = new Set<Future<T>>();
  for (const f of fs) (f.done() ? done : pending).add(f);
  return { done, pending };
}
