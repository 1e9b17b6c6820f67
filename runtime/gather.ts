/**
 * gather: one future for many awaitables, results in argument order (typed like
 * Promise.all). Without returnExceptions the first failure (or a child's cancellation,
 * as CancelledError) fails the gather at once, and the other children keep running.
 * Cancelling the gather cancels every child; it then fails with CancelledError when
 * they have all finished (asyncio's _GatheringFuture).
 */
import { CancelledError } from './errors';
import { Future } from './future';
import { ensureFuture, type AwaitableLike } from './ensure';
import type { EventLoop } from './loop';
import { getRunningLoopFrom } from './running-loop';
import { Task } from './task';
import { taskStorage } from './current';

export interface GatherOptions {
  returnExceptions?: boolean;
}

type Results<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };
type ResultsOrErrors<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> | Error };

export class GatheringFuture<T> extends Future<T> {
  /** @internal */ _cancelRequested = false;
  /** @internal */ _children: Future<unknown>[];

  constructor(loop: EventLoop, children: Future<unknown>[]) {
    super(loop);
    this._kind = 'gather';
    this._children = children;
  }

  /** Cancels the children (not the gather itself); true if any child was cancelled. */
  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    let any = false;
    for (const c of this._children) if (c.cancel(msg)) any = true;
    if (any) {
      this._cancelRequested = true;
      this._cancelMessage = msg ?? '';
    }
    return any;
  }
}

export function gather<T extends readonly unknown[]>(aws: readonly [...T], options?: { returnExceptions?: false }): GatheringFuture<Results<T>>;
export function gather<T extends readonly unknown[]>(aws: readonly [...T], options: { returnExceptions: true }): GatheringFuture<ResultsOrErrors<T>>;
export function gather<T extends readonly unknown[]>(aws: readonly [...T], options?: GatherOptions): GatheringFuture<ResultsOrErrors<T>>;
export function gather(aws: readonly unknown[], options: GatherOptions = {}): GatheringFuture<unknown[]> {
  if (aws === null || typeof (aws as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError('gather() takes an array of awaitables: gather([a, b])');
  }
  const returnExceptions = options.returnExceptions === true;
  const parent = taskStorage.getStore();
  const loop = getRunningLoopFrom(parent);
  const children: Future<unknown>[] = [];
  for (const a of aws) {
    children.push(typeof a === 'function' ? Task._create(loop, a, [], parent) : ensureFuture(a as AwaitableLike<unknown>, loop));
  }
  const outer = new GatheringFuture<unknown[]>(loop, children);
  if (children.length === 0) {
    outer.setResult([]);
    return outer;
  }
  let finished = 0;
  const onDone = (f: Future<unknown>): void => {
    finished++;
    if (outer.done()) {
      if (f._failed()) f._takeError();
      return;
    }
    if (!returnExceptions) {
      if (f.cancelled()) {
        outer.setException(f._makeCancelledError());
        return;
      }
      if (f._failed()) {
        outer.setException(f._takeError());
        return;
      }
    }
    if (finished < children.length) return;
    if (outer._cancelRequested) {
      outer.setException(new CancelledError(outer._cancelMessage));
      return;
    }
    outer.setResult(children.map((c) => {
      if (c.cancelled()) return c._makeCancelledError();
      if (c._failed()) return c._takeError();
      return c.result();
    }));
  };
  // One registration per argument, duplicates included: a future passed twice calls back
  // twice, so counting calls against children.length needs no Set (asyncio dedups into
  // a dict and counts unique futures; the outcome is the same).
  for (const f of children) f.addDoneCallback(onDone);
  return outer;
}
