/**
 * Event: a flag that tasks wait on until it is set (asyncio `Event`).
 *
 * Invariants: `set()` resolves every pending waiter's future in arrival order and
 * leaves the flag set; a waiter woken by `set()` returns `true` even if `clear()` runs
 * before it resumes (the wake-up already happened). Waiters remove themselves.
 */
import type { Future } from '../future';
import { hooks } from '../instrument';
import {
  createResource, currentTaskId, RESOLVED_TRUE, siteIfOn, waitInLine,
  type LineOwner, type ResourceOptions,
} from './resource';

export class Event implements LineOwner {
  readonly id: number;
  private value = false;
  private readonly waiters: Future<true>[] = [];

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
    for (const fut of this.waiters) if (!fut.done()) fut.setResult(true);
  }

  /** Clears the flag; later `wait()` calls block until the next `set()`. */
  clear(): void {
    if (hooks.on) hooks.resourceSignal(this.id, currentTaskId(), 'clear', siteIfOn());
    this.value = false;
  }

  /** Resolves to `true` once the flag is set (at once if it already is). */
  wait(): Promise<true> {
    if (this.value) return RESOLVED_TRUE;
    return this.waitSlow();
  }

  private waitSlow(): Promise<true> {
    return waitInLine(this, this.waiters, 'event', this.id, siteIfOn());
  }

  /** @internal */
  _lineGranted(taskId: number, site: number): void {
    if (hooks.on) hooks.resourceAcquired(this.id, taskId, site);
  }

  /** @internal nothing to give back: the flag stays as it is. */
  _lineAbandoned(): void {}

  /** @internal */
  _lineSettled(): void {}
}
