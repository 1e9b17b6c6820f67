/**
 * Barrier: `parties` tasks wait until all have arrived, then all pass (asyncio `Barrier`).
 *
 * States, as in asyncio: filling (tasks arriving) -> draining (the last arrival tripped
 * the barrier; the others are leaving) -> filling again once every party has left.
 * `reset()` moves a barrier with waiters to resetting (they leave with
 * BrokenBarrierError) and then to filling; `abort()` moves it to broken until `reset()`.
 *
 * Invariants: `count` is the number of tasks inside `wait()` past the entry gate;
 * tasks arriving while the barrier drains or resets wait at the gate, so one cycle's
 * parties never mix with the next's. A party cancelled while waiting leaves without
 * breaking the barrier (asyncio's rule). Built on loop futures only, no Condition, so
 * the trace shows waits on the barrier itself.
 */
import { hooks } from '../instrument';
import { BrokenBarrierError } from '../errors';
import { createResource, currentTaskId, siteIfOn, type ResourceOptions } from './resource';
import { WaiterLine, waitInLine, type LineOwner } from './waiter-line';

type BarrierState = 'filling' | 'draining' | 'resetting' | 'broken';

export class Barrier implements LineOwner {
  readonly id: number;
  readonly parties: number;
  private state: BarrierState = 'filling';
  private count = 0;
  /** Parties waiting for the barrier to trip. */
  private readonly waiters = new WaiterLine();
  /** Arrivals waiting at the gate while the previous cycle drains or resets (not reported as waits on the barrier). */
  private readonly gate = new WaiterLine(false);

  constructor(parties: number, options?: ResourceOptions) {
    if (!Number.isInteger(parties) || parties < 1) {
      throw new RangeError(`Barrier parties must be a positive integer, got ${parties}`);
    }
    this.parties = parties;
    this.id = createResource('barrier', options, parties);
  }

  /** Tasks waiting for the barrier to trip in the current cycle. */
  get nWaiting(): number {
    return this.state === 'filling' ? this.count : 0;
  }

  get broken(): boolean {
    return this.state === 'broken';
  }

  /**
   * Waits until `parties` tasks are waiting and returns this task's arrival index
   * (0 .. parties-1). Throws BrokenBarrierError if the barrier is or becomes broken or reset.
   */
  async wait(): Promise<number> {
    const site = siteIfOn();
    const taskId = currentTaskId();
    if (this.currentState() === 'draining' || this.currentState() === 'resetting') {
      await waitInLine(this, this.gate, 'barrier', this.id, site);
    }
    if (this.currentState() === 'broken') throw new BrokenBarrierError('Barrier aborted');
    const index = this.count++;
    if (hooks.on) hooks.resourceLevel(this.id, this.nWaiting);
    try {
      if (index + 1 === this.parties) {
        this.state = 'draining';
        if (hooks.on) hooks.resourceSignal(this.id, taskId, 'pass', site);
        this.waiters.wakeAll();
      } else {
        await waitInLine(this, this.waiters, 'barrier', this.id, site);
      }
      return index;
    } finally {
      this.count--;
      if (this.count === 0) {
        if (this.state === 'draining' || this.state === 'resetting') this.state = 'filling';
        this.gate.wakeAll();
      }
      if (hooks.on) hooks.resourceLevel(this.id, this.nWaiting);
    }
  }

  /** Returns the barrier to its empty state; current waiters get BrokenBarrierError. */
  reset(): void {
    if (hooks.on) hooks.resourceSignal(this.id, currentTaskId(), 'reset', siteIfOn());
    this.state = this.count > 0 ? 'resetting' : 'filling';
    this.waiters.wakeAll();
    this.gate.wakeAll();
  }

  /** Breaks the barrier: current and future waits throw BrokenBarrierError until `reset()`. */
  abort(): void {
    if (hooks.on) hooks.resourceSignal(this.id, currentTaskId(), 'abort', siteIfOn());
    this.state = 'broken';
    this.waiters.wakeAll();
    this.gate.wakeAll();
  }

  /** Read through a call: the state changes across awaits, which TS narrowing does not see. */
  private currentState(): BarrierState {
    return this.state;
  }

  /** @internal a party leaves once the barrier trips, breaks or resets; an arrival passes the gate once it fills again (or broke). */
  _lineReady(line: WaiterLine): boolean {
    const state = this.currentState();
    return line === this.gate ? state === 'filling' || state === 'broken' : state !== 'filling';
  }

  /** @internal */
  _lineGranted(line: WaiterLine, taskId: number, site: number): void {
    if (line === this.gate) return;
    const state = this.currentState();
    if (state === 'broken' || state === 'resetting') throw new BrokenBarrierError('Barrier reset or aborted while waiting');
    if (hooks.on) hooks.resourceAcquired(this.id, taskId, site);
  }

  /** @internal a party cancelled while waiting leaves without breaking the barrier (asyncio's rule). */
  _lineAbandoned(): void {}

  /** @internal */
  _lineSettled(): void {}
}
