/**
 * Condition: a condition variable over a Lock (asyncio `Condition`).
 *
 * Invariants:
 * - `wait()` releases the lock, waits for a notification, and always re-acquires the
 *   lock before returning or throwing, even when cancelled (a cancellation during the
 *   re-acquire is remembered and thrown once the lock is held again).
 * - A wait that ends in an error may have consumed a notification; it passes one on
 *   with `notify(1)` so no notification is lost (asyncio's spurious-wakeup rule).
 * - `notify(n)` wakes the first `n` waiters that are still pending, in arrival order.
 * - Reporting: the condition's own id carries its waits and notify signals; holds are
 *   reported by the lock (its own resource), so the condition never opens a hold span.
 */
import { hooks } from '../instrument';
import { CancelledError, RuntimeError } from '../errors';
import { Lock } from './lock';
import { createResource, currentTaskId, Hold, siteIfOn, type ResourceOptions } from './resource';
import { WaiterLine, waitInLine, type LineOwner } from './waiter-line';

/** What a granted wait returns: the lock's acquire, begun when the waiter resumed (boxed: a promise result would be adopted). */
interface Reacquire {
  acquiring: Promise<true>;
}

export interface ConditionOptions extends ResourceOptions {
  /** The lock to wait with; a new one when omitted. */
  lock?: Lock;
}

export class Condition implements LineOwner {
  readonly id: number;
  /** The lock this condition waits with (its own unless one was given). */
  readonly lock: Lock;
  private readonly waiters = new WaiterLine();

  /** `new Condition()`, `new Condition(lock)`, `new Condition({ name, lock })` or `new Condition(lock, { name })`. */
  constructor(lockOrOptions?: Lock | ConditionOptions, options?: ResourceOptions) {
    const opts: ConditionOptions | undefined = lockOrOptions instanceof Lock ? { ...options, lock: lockOrOptions } : lockOrOptions;
    this.id = createResource('condition', opts, 0);
    this.lock = opts?.lock ?? new Lock(opts?.name ? { name: `${opts.name}.lock` } : undefined);
  }

  acquire(): Promise<true> {
    return this.lock.acquire();
  }

  release(): void {
    this.lock.release();
  }

  locked(): boolean {
    return this.lock.locked();
  }

  withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    return this.lock.withLock(fn);
  }

  /** Acquires the lock and returns a disposable that releases it: `await using _ = await cond.hold()`. */
  hold(): Promise<Hold> {
    return this.lock.hold();
  }

  /**
   * Releases the lock, waits until notified, re-acquires the lock, returns `true`.
   * Throws if the lock is not held by the caller.
   */
  async wait(): Promise<true> {
    if (!this.locked()) throw new RuntimeError('Condition.wait() called without holding the lock');
    const site = siteIfOn();
    this.release();
    let acquiring: Promise<true> | undefined;
    try {
      try {
        acquiring = ((await waitInLine(this, this.waiters, 'condition', this.id, site)) as Reacquire).acquiring;
        return true;
      } finally {
        await this.reacquire(acquiring);
      }
    } catch (err) {
      this.notifyWaiters(1);
      throw err;
    }
  }

  /** @internal a notification stands once given. */
  _lineReady(): boolean {
    return true;
  }

  /**
   * @internal notified: the wait on the condition ends 'ok', but nothing is held on the
   * condition itself (the trace model would open a hold span for an acquire); the lock's
   * own grant is reported on the lock's id when it is re-acquired.
   */
  _lineGranted(_line: WaiterLine, taskId: number): Reacquire {
    if (hooks.on) hooks.resourceWaitAbandoned(this.id, taskId, 'ok');
    // Re-take the lock in the wake-up's own continuation, as asyncio's woken task does
    // first thing: a task woken after this one must not get the lock first (issue 14).
    return { acquiring: this.lock.acquire() };
  }

  /** @internal a failed wait passes its notification on in wait() itself, after re-acquiring the lock. */
  _lineAbandoned(): void {}

  /** @internal */
  _lineSettled(): void {}

  /** Waits until `predicate()` is truthy and returns its value; checks it first, then after each wake. */
  async waitFor<R>(predicate: () => R): Promise<R> {
    let result = predicate();
    while (!result) {
      await this.wait();
      result = predicate();
    }
    return result;
  }

  /** Wakes up to `n` waiters. The caller must hold the lock. */
  notify(n = 1): void {
    if (!this.locked()) throw new RuntimeError('Condition.notify() called without holding the lock');
    if (hooks.on) hooks.resourceSignal(this.id, currentTaskId(), 'notify', siteIfOn());
    this.notifyWaiters(n);
  }

  /** Wakes every waiter. The caller must hold the lock. */
  notifyAll(): void {
    this.notify(this.waiters.length);
  }

  private notifyWaiters(n: number): void {
    for (let woken = 0; woken < n && this.waiters.wakeNext(); woken++);
  }

  /** Re-acquires the lock (`first`: the acquire begun at the wake-up) however often the task is cancelled meanwhile; rethrows the last cancellation. */
  private async reacquire(first: Promise<true> | undefined): Promise<void> {
    let cancelled: CancelledError | undefined;
    let acquiring = first;
    while (true) {
      try {
        await (acquiring ?? this.lock.acquire());
        break;
      } catch (err) {
        if (!(err instanceof CancelledError)) throw err;
        cancelled = err;
        acquiring = undefined;
      }
    }
    if (cancelled !== undefined) throw cancelled;
  }
}
