/**
 * Semaphore and BoundedSemaphore (asyncio `Semaphore`, `BoundedSemaphore`).
 *
 * Invariants (asyncio 3.12+):
 * - `value` counts free slots. A release that finds a pending waiter takes the slot on
 *   the waiter's behalf (decrements `value` and resolves its future), so the slot
 *   cannot be stolen by a newcomer: `locked()` is true while any live waiter exists.
 * - A waiter cancelled after being handed a slot gives it back and, like every
 *   finishing acquire, wakes as many further waiters as there are free slots.
 * - A BoundedSemaphore refuses to be released above its initial value.
 */
import type { Future } from '../future';
import { hooks } from '../instrument';
import { takeSite } from '../sites';
import { noWait } from '../running-loop';
import { createResource, currentTaskId, Hold, RESOLVED_TRUE, siteIfOn, runHolding, holdOf, type ResourceOptions } from './resource';
import { WaiterLine, waitInLine, type LineOwner } from './waiter-line';

export class Semaphore implements LineOwner {
  readonly id: number;
  protected value: number;
  private readonly waiters = new WaiterLine();

  constructor(value = 1, options?: ResourceOptions) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`Semaphore initial value must be a non-negative integer, got ${value}`);
    }
    this.value = value;
    this.id = createResource('semaphore', options, value);
  }

  /** True when an `acquire()` now would have to wait. */
  locked(): boolean {
    if (this.value === 0) return true;
    const waiters = this.waiters;
    for (let i = 0; i < waiters.length; i++) if (!waiters.at(i).cancelled()) return true;
    return false;
  }

  /** The number of free slots. */
  get level(): number {
    return this.value;
  }

  acquire(): Promise<true> {
    if (!this.locked()) {
      this.value--;
      if (hooks.on) {
        hooks.resourceAcquired(this.id, currentTaskId(), takeSite());
        hooks.resourceLevel(this.id, this.value);
      }
      return noWait(RESOLVED_TRUE);
    }
    return this.acquireContended();
  }

  release(): void {
    this.value++;
    if (hooks.on) {
      hooks.resourceReleased(this.id, currentTaskId(), takeSite());
      hooks.resourceLevel(this.id, this.value);
    }
    if (this.waiters.length > 0) this.wakeUpNext();
  }

  withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    return runHolding(this, fn);
  }

  /** Acquires and returns a disposable that releases: `await using _ = await sem.hold()`. */
  hold(): Promise<Hold> {
    return holdOf(this);
  }

  private acquireContended(): Promise<true> {
    return waitInLine(this, this.waiters, 'semaphore', this.id, siteIfOn()) as Promise<true>;
  }

  /** @internal a woken waiter was handed its slot when woken. */
  _lineReady(): boolean {
    return true;
  }

  /** @internal */
  _lineGranted(_line: WaiterLine, taskId: number, site: number): true {
    if (hooks.on) hooks.resourceAcquired(this.id, taskId, site);
    return true;
  }

  /** @internal handed a slot but not taking it: give it back. */
  _lineAbandoned(_line: WaiterLine, fut: Future<true>): void {
    if (fut.done() && !fut.cancelled()) this.value++;
  }

  /** @internal waiters that arrived meanwhile had to queue (FIFO); wake as many as there are slots. */
  _lineSettled(): void {
    while (this.value > 0) if (!this.wakeUpNext()) break;
  }

  /** Hands one slot to the first pending waiter; false if there is none. */
  private wakeUpNext(): boolean {
    const waiters = this.waiters;
    for (let i = 0; i < waiters.length; i++) {
      const fut = waiters.at(i);
      if (!fut.done()) {
        this.value--;
        waiters.wake(fut);
        if (hooks.on) hooks.resourceLevel(this.id, this.value);
        return true;
      }
    }
    return false;
  }
}

export class BoundedSemaphore extends Semaphore {
  private readonly bound: number;

  constructor(value = 1, options?: ResourceOptions) {
    super(value, options);
    this.bound = value;
  }

  /** Throws `RangeError` if this would raise the value above the initial value. */
  override release(): void {
    if (this.value >= this.bound) {
      throw new RangeError(`BoundedSemaphore released too many times (initial value ${this.bound})`);
    }
    super.release();
  }
}
