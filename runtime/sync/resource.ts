/**
 * What every synchronisation primitive and queue shares: its resource id, how it
 * reports to the instruments, FIFO waiter lists, and the disposable returned by `hold()`.
 *
 * Invariants:
 * - A primitive's id comes from the process-wide `nextId()` and is created once.
 * - Nothing here touches the scheduler: waits are futures from the running loop,
 *   awaited as the running task's waiter (waitInLine), so cancellation and wake-up
 *   reporting come from the Future/Task machinery (asyncio `locks.py` style).
 * - Hooks are called only behind `hooks.on`, and `takeSite()` only then, so the
 *   uninstrumented path costs one boolean read.
 */
import type { AwaitKind, ResourceKind } from '../instrument-types';
import { getRunningLoop } from '../loop';
import { hooks, nextId } from '../instrument';
import { takeSite } from '../sites';
import { currentTask } from '../task';
import { CancelledError } from '../errors';
import { Future } from '../future';
import type { WaiterQueue } from './waiter-queue';

/** Options every primitive takes. */
export interface ResourceOptions {
  /** Shown in the trace; without it the trace names the primitive after its creation site. */
  name?: string;
}

/** A shared, already-settled `true` so uncontended acquires allocate nothing. */
export const RESOLVED_TRUE: Promise<true> = Promise.resolve(true);

/**
 * The running task's count of cancellation requests, taken before a wait. With
 * `cancelRequestedSince` it detects a cancel that arrived after the waiter's future was
 * resolved but before the task resumed. asyncio throws CancelledError at that await, and
 * the primitives rely on it to pass the wake-up on; here the task machinery keeps such a
 * cancel pending for the task's next runtime await, so the primitive awaits its (done)
 * future once more, which delivers that pending cancel there, exactly once, with its
 * message. (If the task machinery already delivered it at the await, this never fires.)
 */
export function cancelMark(): number {
  return currentTask()?.cancelling() ?? 0;
}

export function cancelRequestedSince(mark: number): boolean {
  const task = currentTask();
  return task !== undefined && task.cancelling() > mark;
}

/** The id of the running task, or 0 outside any task. */
export function currentTaskId(): number {
  return currentTask()?.id ?? 0;
}

/** Allocates an id for a new primitive and reports `resourceCreated`. */
export function createResource(kind: ResourceKind, options: ResourceOptions | undefined, capacity: number): number {
  const id = nextId();
  if (hooks.on) hooks.resourceCreated(id, kind, options?.name ?? '', takeSite(), capacity);
  return id;
}

/** The call site of the operation being reported, or 0 while nothing listens. */
export function siteIfOn(): number {
  return hooks.on ? takeSite() : 0;
}

/** How an abandoned wait ended, for `resourceWaitAbandoned`. */
export function outcomeOf(err: unknown): 'cancelled' | 'error' {
  return err instanceof CancelledError ? 'cancelled' : 'error';
}

/** Removes `fut` from a FIFO of waiters if it is still there. */
export function removeWaiter<T>(waiters: Future<T>[], fut: Future<T>): void {
  const i = waiters.indexOf(fut);
  if (i >= 0) waiters.splice(i, 1);
}

/**
 * What a primitive does at the end of a contended wait, synchronously, before any other
 * task runs. The primitive itself implements it (no closures allocated per wait).
 */
export interface LineOwner {
  /** The wait succeeded: take the resource (set the flag, report the acquisition). */
  _lineGranted(taskId: number, site: number): void;
  /** The wait failed: restore the invariant (pass the wake on, give a slot back). */
  _lineAbandoned(fut: Future<true>): void;
  /** Either way, after granted/abandoned (a semaphore wakes whoever queued meanwhile). */
  _lineSettled(): void;
}

/**
 * One contended wait, asyncio's way: queue a loop future in `waiters` (FIFO), report the
 * wait, await it as the running task's waiter (taking here a cancel that arrived after
 * the wake, see cancelMark), always leave the line, and let `owner` update its state in
 * the same synchronous continuation. That last part matters: if the primitive's state
 * were updated after this function returned, the extra microtask ticks would let a
 * newcomer jump ahead of a woken waiter (asyncio test_finished_waiter_cancelled,
 * test_acquire_fifo_order_4). For the same reason callers return this promise as it
 * is, from a non-async method. The task is looked up once (each lookup is an
 * AsyncLocalStorage read).
 */
export async function waitInLine(
  owner: LineOwner, waiters: WaiterQueue<true>, kind: AwaitKind, resourceId: number, site: number,
): Promise<true> {
  // Outside any task (plain code on the loop) there is no cancellation to deliver.
  const task = currentTask();
  const taskId = task === undefined ? 0 : task.id;
  const mark = task === undefined ? 0 : task._numCancelsRequested;
  const fut = new Future<true>(task !== undefined && task._loop.isRunning() ? task._loop : getRunningLoop());
  waiters.push(fut);
  if (hooks.on) hooks.resourceWaitBegin(resourceId, taskId, site);
  try {
    try {
      if (task === undefined) {
        await fut._awaitOutsideTask();
      } else {
        await task._awaitFuture(fut, kind, resourceId, site);
        if (task._numCancelsRequested > mark) await task._awaitFuture(fut, kind, resourceId, site);
      }
    } finally {
      waiters.remove(fut);
    }
  } catch (err) {
    owner._lineAbandoned(fut);
    if (hooks.on) hooks.resourceWaitAbandoned(resourceId, taskId, outcomeOf(err));
    owner._lineSettled();
    throw err;
  }
  owner._lineGranted(taskId, site);
  owner._lineSettled();
  return true;
}

/** A primitive that is held between `acquire` and `release` (Lock, Semaphore). */
export interface Acquirable {
  acquire(): Promise<true>;
  release(): void;
}

/** `withLock(fn)`: runs `fn` holding `p` and releases it however `fn` ends. */
export async function runHolding<R>(p: Acquirable, fn: () => R | PromiseLike<R>): Promise<R> {
  await p.acquire();
  try {
    return await fn();
  } finally {
    p.release();
  }
}

/** `hold()`: acquires `p` and returns a disposable that releases it. */
export async function holdOf(p: Acquirable): Promise<Hold> {
  await p.acquire();
  return new Hold(p);
}

/**
 * What `hold()` returns: releases its primitive exactly once, on `dispose`,
 * `asyncDispose` (so `await using h = await lock.hold()` works) or `release()`.
 */
export class Hold implements AsyncDisposable, Disposable {
  private released = false;
  constructor(private readonly owner: { release(): void }) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.owner.release();
  }

  [Symbol.dispose](): void {
    this.release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}
