/**
 * Handles for scheduled callbacks (asyncio's Handle / TimerHandle) and the timer heap.
 * A cancelled handle drops its function and arguments at once; a cancelled timer stays
 * in the heap until it reaches the top (lazy deletion keeps cancel O(1)).
 */
import { hooks, nextId } from './instrument';
import type { EventLoop } from './loop';

/** What the loop's ready queue holds: a callback's Handle, or a Task standing for its first step. */
export interface Ready {
  /** Runs it, in a loop turn. */
  _runReady(loop: EventLoop): void;
}

export class Handle implements Ready {
  readonly id: number;
  /** @internal */ _fn: ((...args: unknown[]) => unknown) | null;
  /** @internal the arguments; null means the single argument `_arg` (no array on the hot path). */
  _args: unknown[] | null;
  /** @internal */ _arg: unknown;
  /** @internal */ _cancelled = false;

  constructor(fn: (...args: unknown[]) => unknown, args: unknown[] | null, arg?: unknown) {
    this.id = nextId();
    this._fn = fn;
    this._args = args;
    this._arg = arg;
  }

  cancel(): void {
    if (this._cancelled) return;
    this._cancelled = true;
    this._fn = null;
    this._args = null;
    this._arg = undefined;
  }

  cancelled(): boolean {
    return this._cancelled;
  }

  /** @internal runs the callback; what it wakes, it wakes as this handle; an error goes to the exception handler. */
  _runReady(loop: EventLoop): void {
    const fn = this._fn;
    if (fn === null) return;
    loop._currentHandleId = this.id;
    const on = hooks.on;
    if (on) hooks.callbackBegin(this.id);
    try {
      const args = this._args;
      if (args === null) fn(this._arg);
      else fn(...args);
    } catch (e) {
      loop.callExceptionHandler({ message: 'Exception in callback', exception: e, handle: this });
    }
    if (on) hooks.callbackEnd(this.id);
  }
}

export class TimerHandle extends Handle {
  /** @internal */ readonly _when: number;
  /** @internal */ readonly _seq: number;

  constructor(when: number, seq: number, fn: (...args: unknown[]) => unknown, args: unknown[]) {
    super(fn, args);
    this._when = when;
    this._seq = seq;
  }

  /** The loop time (ms) at which the callback is due. */
  when(): number {
    return this._when;
  }
}

function before(a: TimerHandle, b: TimerHandle): boolean {
  return a._when < b._when || (a._when === b._when && a._seq < b._seq);
}

/** Binary min-heap ordered by (when, insertion order): equal times run FIFO. */
export class TimerHeap {
  private readonly items: TimerHandle[] = [];

  get size(): number {
    return this.items.length;
  }

  push(t: TimerHandle): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): TimerHandle | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }

  /** Drops cancelled timers from the top; returns the first live one. */
  peekLive(): TimerHandle | undefined {
    let t = this.items[0];
    while (t !== undefined && t._cancelled) {
      this.pop();
      t = this.items[0];
    }
    return t;
  }

  clear(): void {
    this.items.length = 0;
  }
}
