/**
 * Lock: a FIFO-fair mutual-exclusion lock (asyncio `Lock`).
 *
 * Invariants (as in asyncio 3.12+):
 * - `locked` is set only by the task that acquires; `release()` clears it and wakes
 *   the first waiter by resolving its future, and the woken task sets `locked` when
 *   it runs. Meanwhile a newcomer sees a live (done, not cancelled) waiter and queues
 *   behind it, so the lock is handed over in arrival order.
 * - A waiter cancelled after being woken (its future done, its task cancelled before
 *   it ran) passes the wake-up to the next waiter, so a release is never lost.
 * - The uncontended acquire returns one shared settled promise and allocates nothing.
 */
import { hooks } from '../instrument';
import { takeSite } from '../sites';
import { noWait } from '../running-loop';
import { RuntimeError } from '../errors';
import { createResource, currentTaskId, Hold, RESOLVED_TRUE, siteIfOn, runHolding, holdOf, type ResourceOptions } from './resource';
import { WaiterLine, waitInLine, type LineOwner } from './waiter-line';

export class Lock implements LineOwner {
  /** This lock's resource id in the trace. */
  readonly id: number;
  private isLocked = false;
  private readonly waiters = new WaiterLine();

  constructor(options?: ResourceOptions) {
    this.id = createResource('lock', options, 1);
  }

  locked(): boolean {
    return this.isLocked;
  }

  /** Resolves to `true` once this task holds the lock. Throws `CancelledError` if cancelled while waiting. */
  acquire(): Promise<true> {
    if (!this.isLocked && (this.waiters.length === 0 || this.allWaitersCancelled())) {
      this.isLocked = true;
      if (hooks.on) hooks.resourceAcquired(this.id, currentTaskId(), takeSite());
      return noWait(RESOLVED_TRUE);
    }
    return this.acquireContended();
  }

  /** Releases the lock and wakes the first waiter. Throws when the lock is not held. */
  release(): void {
    if (!this.isLocked) throw new RuntimeError('Lock is not acquired: release() called on an unlocked Lock');
    this.isLocked = false;
    if (hooks.on) hooks.resourceReleased(this.id, currentTaskId(), takeSite());
    this.wakeUpFirst();
  }

  /** Runs `fn` holding the lock and releases it however `fn` ends. */
  withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    return runHolding(this, fn);
  }

  /** Acquires and returns a disposable that releases: `await using _ = await lock.hold()`. */
  hold(): Promise<Hold> {
    return holdOf(this);
  }

  private allWaitersCancelled(): boolean {
    const waiters = this.waiters;
    for (let i = 0; i < waiters.length; i++) if (!waiters.at(i).cancelled()) return false;
    return true;
  }

  private acquireContended(): Promise<true> {
    return waitInLine(this, this.waiters, 'lock', this.id, siteIfOn()) as Promise<true>;
  }

  /** @internal a woken waiter always finds the lock free: newcomers queue behind it. */
  _lineReady(): boolean {
    return true;
  }

  /** @internal */
  _lineGranted(_line: WaiterLine, taskId: number, site: number): true {
    this.isLocked = true;
    if (hooks.on) hooks.resourceAcquired(this.id, taskId, site);
    return true;
  }

  /** @internal keep the invariant: if the lock is free, whoever is now first must run. */
  _lineAbandoned(): void {
    if (!this.isLocked) this.wakeUpFirst();
  }

  /** @internal */
  _lineSettled(): void {}

  private wakeUpFirst(): void {
    if (this.waiters.length === 0) return;
    const first = this.waiters.at(0);
    if (!first.done()) this.waiters.wake(first);
  }
}
