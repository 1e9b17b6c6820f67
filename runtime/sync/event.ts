/**
 * Event: a flag that tasks wait on until it is set (asyncio `Event`).
 *
 * Invariants: `set()` resolves every pending waiter's future in arrival order and
 * leaves the flag set; a waiter woken by `set()` returns `true` even if `clear()` runs
 * before it resumes (the wake-up already happened).
 *
 * Uninstrumented, a task's wait is its future's native promise, awaited directly (one
 * microtask per wake, as a native promise hand-off): `set()` takes the whole waiter list
 * and a cancelled waiter's future stays in it until then (pruned as the list doubles).
 * Instrumented, waits go through `waitInLine`, which reports the acquisition when the
 * waiter resumes.
 */
import { Future } from '../future';
import { hooks } from '../instrument';
import { noWait } from '../running-loop';
import { currentTask } from '../task';
import { createResource, currentTaskId, RESOLVED_TRUE, siteIfOn, type ResourceOptions } from './resource';
import { WaiterLine, waitInLine, type LineOwner } from './waiter-line';

export class Event implements LineOwner {
  readonly id: number;
  private value = false;
  private readonly waiters = new WaiterLine();

  constructor(options?: ResourceOptions) {
    this.id = createResource('event', options, 0);
  }

  isSet(): boolean {
    return this.value;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    if (hooks.on) hooks.resourceSignal(this.id, currentTaskId(), 'set', siteIfOn());
    if (this.value) return;
    this.value = true;
    if (this.waiters.length === 0) return;
    for (const fut of this.waiters.takeAll()) if (!fut.done()) fut.setResult(true);
  }

  /** Clears the flag; later `wait()` calls block until the next `set()`. */
  clear(): void {
    if (hooks.on) hooks.resourceSignal(this.id, currentTaskId(), 'clear', siteIfOn());
    this.value = false;
  }

  /** Resolves to `true` once the flag is set (at once if it already is). */
  wait(): Promise<true> {
    if (this.value) return noWait(RESOLVED_TRUE);
    const task = hooks.on ? undefined : currentTask();
    if (task === undefined || !task._loop.isRunning()) return this.waitSlow();
    const fut = new Future<true>(task._loop);
    const waiters = this.waiters;
    // Cancelled waiters are dropped in bulk when the line reaches a power of two.
    if (waiters.length >= 16 && (waiters.length & (waiters.length - 1)) === 0) waiters.prune();
    waiters.push(fut);
    return task._awaitFuture(fut, 'event', this.id, 0);
  }

  private waitSlow(): Promise<true> {
    return waitInLine(this, this.waiters, 'event', this.id, siteIfOn()) as Promise<true>;
  }

  /** @internal a wake-up by set() stands even if the flag was cleared since. */
  _lineReady(): boolean {
    return true;
  }

  /** @internal */
  _lineGranted(_line: WaiterLine, taskId: number, site: number): true {
    if (hooks.on) hooks.resourceAcquired(this.id, taskId, site);
    return true;
  }

  /** @internal nothing to give back: the flag stays as it is. */
  _lineAbandoned(): void {}

  /** @internal */
  _lineSettled(): void {}
}
