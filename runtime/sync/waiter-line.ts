/**
 * The one waiter line and the one wait loop every primitive uses (Lock, Semaphore,
 * Event, Condition, Barrier, Queue): asyncio's deque of waiter futures, and the loop
 * of its `acquire`/`get`/`put`, with the rules that make waiting fair here too.
 *
 * Invariants:
 * - A waiter stays in its line from the moment it queues until its task resumes: a
 *   woken waiter (its future resolved, `woken` counts them) still holds its place, so a
 *   primitive can see the claims of woken waiters that have not run yet and keep a
 *   newcomer behind them. asyncio gets the same from its ready queue (a woken task runs
 *   before anyone woken after it); here a woken task resumes some microtasks later,
 *   and a task woken after it by a shorter path could otherwise run first and take
 *   the item, the slot or the lock (issue 14).
 * - When a woken waiter resumes, the owner decides in the same synchronous
 *   continuation whether it can be served (`_lineReady`) and serves it
 *   (`_lineGranted`): nothing can run in between. A waiter that was overtaken anyway
 *   (`getNowait()` in the waking code, as asyncio allows) waits again in the same
 *   place, with a new future; it never fails because of the overtaker.
 * - A wait that fails (cancelled, or the owner refuses it) leaves the line and lets the
 *   owner restore its invariant (`_lineAbandoned`: pass the wake on, give a slot back)
 *   before anyone else runs; `_lineSettled` runs after either outcome.
 * - The front leaves in O(1): the front is an index into the array, compacted in bulk
 *   (with `splice(0, 1)` the 99 waiters behind a woken one moved, 10% of a 100-task lock
 *   fight, bench/RESULTS.md). A cancelled waiter leaves from wherever it is (rare).
 */
import type { AwaitKind } from '../instrument-types';
import { hooks } from '../instrument';
import { getRunningLoop } from '../running-loop';
import { Future } from '../future';
import { currentTask } from '../task';
import { CancelledError } from '../errors';

export class WaiterLine {
  private items: (Future<true> | null)[] = [];
  private head = 0;
  /** Waiters that were woken (their future resolved) and have not left yet. */
  woken = 0;

  /** @param reportsWaits whether waits in this line are reported as resource waits (a barrier's gate and a queue's joiners are not). */
  constructor(readonly reportsWaits = true) {}

  /** How many waiters are in line (woken and cancelled ones included until they leave). */
  get length(): number {
    return this.items.length - this.head;
  }

  /** The i-th waiter from the front, 0 <= i < length. */
  at(i: number): Future<true> {
    return this.items[this.head + i]!;
  }

  push(fut: Future<true>): void {
    this.items.push(fut);
  }

  /** Resolves `fut` (a pending waiter in this line): its task will be served when it resumes. */
  wake(fut: Future<true>): void {
    this.woken++;
    fut.setResult(true);
  }

  /** Wakes the first waiter still pending; false when there is none. */
  wakeNext(): boolean {
    for (let i = this.head; i < this.items.length; i++) {
      const fut = this.items[i]!;
      if (!fut.done()) {
        this.wake(fut);
        return true;
      }
    }
    return false;
  }

  /** Wakes every pending waiter, in order. */
  wakeAll(): void {
    for (let i = this.head; i < this.items.length; i++) {
      const fut = this.items[i]!;
      if (!fut.done()) this.wake(fut);
    }
  }

  /** Removes `fut` if it is in line. */
  remove(fut: Future<true>): void {
    const items = this.items;
    let i = this.head;
    if (items[i] !== fut) {
      i = items.indexOf(fut, this.head);
      if (i < 0) return;
    }
    if (wasWoken(fut)) this.woken--;
    if (i !== this.head) {
      items.splice(i, 1);
      return;
    }
    items[this.head++] = null;
    if (this.head === items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 64 && this.head * 2 >= items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
  }

  /** Puts `fresh` in the place of `old` (an overtaken waiter waits again where it was). */
  replace(old: Future<true>, fresh: Future<true>): void {
    const i = this.items.indexOf(old, this.head);
    if (i < 0) {
      this.items.push(fresh);
      return;
    }
    if (wasWoken(old)) this.woken--;
    this.items[i] = fresh;
  }

  /** Drops the waiters that are done (cancelled ones that never resumed to leave). */
  prune(): void {
    const kept: Future<true>[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const f = this.items[i]!;
      if (!f.done()) kept.push(f);
    }
    this.items = kept;
    this.head = 0;
  }

  /** Empties the line and returns its waiters in order (Event.set: its waiters leave when woken). */
  takeAll(): Future<true>[] {
    const out = (this.head === 0 ? this.items : this.items.slice(this.head)) as Future<true>[];
    this.items = [];
    this.head = 0;
    this.woken = 0;
    return out;
  }
}

function wasWoken(fut: Future<true>): boolean {
  return fut.done() && !fut.cancelled();
}

/**
 * What a primitive does when one of its waiters resumes, synchronously, before any
 * other task runs. The primitive itself implements it (no closures per wait); `line`
 * says which of its lines the waiter stood in.
 */
export interface LineOwner {
  /** A woken waiter resumed: can it be served now? False: it was overtaken and waits again. */
  _lineReady(line: WaiterLine): boolean;
  /** Serve it (take the lock, the item or the slot) and return what the wait returns; a throw fails the wait. */
  _lineGranted(line: WaiterLine, taskId: number, site: number, arg: unknown): unknown;
  /** The wait failed: restore the invariant (pass the wake on, give a slot back). */
  _lineAbandoned(line: WaiterLine, fut: Future<true>): void;
  /** Either way, after granted/abandoned (a semaphore or queue wakes whoever queued meanwhile). */
  _lineSettled(line: WaiterLine): void;
}

/** How an abandoned wait ended, for `resourceWaitAbandoned`. */
export function outcomeOf(err: unknown): 'cancelled' | 'error' {
  return err instanceof CancelledError ? 'cancelled' : 'error';
}

/**
 * One contended wait, asyncio's way: queue a loop future in `line` (FIFO), report the
 * wait, await it as the running task's waiter until the owner can serve it, always
 * leave the line, and let `owner` update its state in the same synchronous
 * continuation as the wake-up. That last part matters: if the primitive's state were
 * updated after this function returned, the extra microtask ticks would let a
 * newcomer jump ahead of a woken waiter (asyncio test_finished_waiter_cancelled,
 * test_acquire_fifo_order_4). For the same reason callers return this promise as it
 * is, from a non-async method.
 *
 * A cancel that arrives after the wake but before the task resumes: the task machinery
 * keeps it pending for the task's next runtime await (task.ts), so the wait awaits its
 * (done) future once more, which delivers that cancel here, exactly once, with its
 * message; the owner then passes the wake on (asyncio throws CancelledError at that
 * await and the primitives rely on it). The task is looked up once (each lookup is an
 * AsyncLocalStorage read).
 */
export async function waitInLine(
  owner: LineOwner, line: WaiterLine, kind: AwaitKind, resourceId: number, site: number, arg?: unknown,
): Promise<unknown> {
  // Outside any task (plain code on the loop) there is no cancellation to deliver.
  const task = currentTask();
  const taskId = task === undefined ? 0 : task.id;
  const mark = task === undefined ? 0 : task._numCancelsRequested;
  const loop = task !== undefined && task._loop.isRunning() ? task._loop : getRunningLoop();
  let fut = new Future<true>(loop);
  line.push(fut);
  const reports = line.reportsWaits;
  if (reports && hooks.on) hooks.resourceWaitBegin(resourceId, taskId, site);
  let result: unknown;
  try {
    try {
      for (;;) {
        if (task === undefined) {
          await fut._awaitOutsideTask();
        } else {
          await task._awaitFuture(fut, kind, resourceId, site);
          if (task._numCancelsRequested > mark) await task._awaitFuture(fut, kind, resourceId, site);
        }
        if (owner._lineReady(line)) break;
        // Overtaken: wait again, keeping this place in line.
        const again = new Future<true>(loop);
        line.replace(fut, again);
        fut = again;
      }
    } finally {
      line.remove(fut);
    }
    result = owner._lineGranted(line, taskId, site, arg);
  } catch (err) {
    owner._lineAbandoned(line, fut);
    if (reports && hooks.on) hooks.resourceWaitAbandoned(resourceId, taskId, outcomeOf(err));
    owner._lineSettled(line);
    throw err;
  }
  owner._lineSettled(line);
  return result;
}
