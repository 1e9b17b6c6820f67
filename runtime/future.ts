/**
 * Future: a result that will arrive, asyncio's Future on top of a lazily created
 * native promise.
 *
 * Invariants:
 * - state moves once: PENDING -> (RESULT | ERROR | CANCELLED); setResult/setException
 *   on a done future throw InvalidStateError, cancel returns false.
 * - done-callbacks are always scheduled with loop.callSoon, never run synchronously,
 *   in registration order.
 * - awaiting (`then`) goes through the awaiting task (task._awaitFuture) so the task
 *   knows what it waits on; that is where cancellation is delivered (task.cancel()
 *   cancels the awaited future) and where awaitBegin/awaitEnd/wake are reported.
 *   The awaiter itself resumes through the native promise (`_native()`), created only
 *   when someone awaits, which keeps a runtime await close to a native one. Awaiters
 *   therefore resume before done-callbacks of the same future run (asyncio runs both
 *   from call_soon, in registration order): documented deviation.
 * - Completed inside a loop turn, a future settles its native promise when the turn
 *   ends (same order, same moment for the awaiters, which run as microtasks after the
 *   turn), so a cancel of its single awaiting task in that turn is delivered at this
 *   await (Task.cancel, `_deferral`).
 * - JS promise semantics apply to results: a future whose result is itself a thenable
 *   (a Future, a Task) is adopted by `await`, so awaiting it yields the inner result.
 *   Box such values ({ f }) when the future itself must be passed on.
 */
import type { AwaitKind } from './instrument-types';
import { hooks, nextId } from './instrument';
import { CancelledError, InvalidStateError, RuntimeError } from './errors';
import { taskStorage, type RunningTask } from './current';
import { takeSite } from './sites';
import type { EventLoop } from './loop';
import { getRunningLoop } from './running-loop';

export const PENDING = 0;
export const RESULT = 1;
export const ERROR = 2;
export const CANCELLED = 3;

export type DoneCallback<T> = (fut: Future<T>) => void;

/** See Future._deferral. */
export const SETTLE_AT_TURN_END = 1;

let capturedResolve: ((v: unknown) => void) | null = null;
let capturedReject: ((e: unknown) => void) | null = null;
function captureResolvers(resolve: (v: never) => void, reject: (e: unknown) => void): void {
  capturedResolve = resolve as (v: unknown) => void;
  capturedReject = reject;
}

export class Future<T = unknown> implements PromiseLike<T> {
  readonly id: number;
  /** @internal */ _loop: EventLoop;
  /** @internal */ _state = PENDING;
  /** @internal */ _value: T | undefined = undefined;
  /** @internal */ _error: unknown = undefined;
  /** @internal */ _cancelMessage = '';
  /** @internal stored contravariance-free so Future<T> stays assignable to Future<unknown>. */
  _callbacks: ((fut: never) => void)[] | null = null;
  /** @internal the first done-callback, kept out of `_callbacks` (most futures have one: no array per task in gather); `_callbacks` holds the rest, so it is null while this is. */
  _callback: ((fut: never) => void) | null = null;
  /** @internal */ _promise: Promise<T> | null = null;
  /** @internal */ _resolve: ((v: unknown) => void) | null = null;
  /** @internal */ _reject: ((e: unknown) => void) | null = null;
  /** @internal true once someone looked at (or awaited) the outcome. */
  _retrieved = false;
  /** @internal tasks awaiting this future while instrumented (for `wake`). */
  _awaiters: RunningTask[] | null = null;
  /** @internal how an await of this future is reported. */
  _kind: AwaitKind = 'future';
  /** @internal cancelled along with the future (sleep's timer). */
  _onCancel: { cancel(): void } | null = null;
  /** @internal how many awaits took the native promise (1: a private future, e.g. a sleep or a primitive's wait). */
  _awaitCount = 0;
  /**
   * @internal null, or the native promise settles when the loop turn that completed
   * this future ends (SETTLE_AT_TURN_END), or it rejects then with this CancelledError
   * instead: the single awaiting task was cancelled after the wake but before it
   * resumed, and asyncio delivers that cancel at the woken await.
   */
  _deferral: CancelledError | typeof SETTLE_AT_TURN_END | null = null;
  /**
   * @internal the loop turn that completed this future (loop._turnNo), 0 when task code
   * did. An await of it right after that turn is the awaiting task's resume, not an
   * await that did not suspend (Task._awaitFuture): V8 calls `then` one microtask after
   * the task called sleep(0) or the like, and the turn may have run in between.
   */
  _doneInTurn = 0;

  constructor(loop?: EventLoop) {
    this._loop = loop ?? getRunningLoop();
    this.id = nextId();
  }

  getLoop(): EventLoop {
    return this._loop;
  }

  done(): boolean {
    return this._state !== PENDING;
  }

  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  result(): T {
    switch (this._state) {
      case RESULT:
        this._retrieved = true;
        return this._value as T;
      case ERROR:
        this._markRetrieved();
        throw this._error;
      case CANCELLED:
        throw this._makeCancelledError();
      default:
        throw new InvalidStateError('Result is not set.');
    }
  }

  /** The error the future failed with; undefined when it succeeded. */
  exception(): unknown {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state === PENDING) throw new InvalidStateError('Exception is not set.');
    this._markRetrieved();
    return this._state === ERROR ? this._error : undefined;
  }

  setResult(value: T): void {
    if (this._state !== PENDING) throw new InvalidStateError(`invalid state: ${this._stateName()}`);
    this._state = RESULT;
    this._value = value;
    this._complete();
  }

  setException(error: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError(`invalid state: ${this._stateName()}`);
    this._state = ERROR;
    this._error = error;
    this._complete();
  }

  /** Cancels the future; returns false when it was already done. */
  cancel(msg?: string): boolean {
    if (this._state !== PENDING) return false;
    this._state = CANCELLED;
    this._cancelMessage = msg ?? '';
    const linked = this._onCancel;
    if (linked !== null) {
      this._onCancel = null;
      linked.cancel();
    }
    this._complete();
    return true;
  }

  addDoneCallback(cb: DoneCallback<T>): void {
    if (this._state !== PENDING) {
      this._loop._callSoon1(cb, this);
      return;
    }
    if (this._callback === null) this._callback = cb as (fut: never) => void;
    else (this._callbacks ??= []).push(cb as (fut: never) => void);
  }

  /** Removes every registration of `cb`; returns how many were removed. */
  removeDoneCallback(cb: DoneCallback<T>): number {
    // Once done, every callback is scheduled already (asyncio: nothing left to remove).
    if (this._state !== PENDING) return 0;
    const all = this._callback === null ? [] : [this._callback, ...(this._callbacks ?? [])];
    const kept = all.filter((c) => c !== (cb as (fut: never) => void));
    // Registration order is kept: the first survivor becomes the single one.
    this._callback = kept.length > 0 ? kept[0]! : null;
    this._callbacks = kept.length > 1 ? kept.slice(1) : null;
    return all.length - kept.length;
  }

  /** @internal the turn of the first done-callback, queued by `_complete` when untraced. */
  _runReady(loop: EventLoop): void {
    const cb = this._callback as ((fut: this) => void) | null;
    if (cb === null) return;
    this._callback = null;
    loop._currentHandleId = 0;
    try {
      cb(this);
    } catch (e) {
      loop.callExceptionHandler({ message: 'Exception in callback', exception: e, future: this as Future<unknown> });
    }
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const task = taskStorage.getStore();
    if (task === undefined) return this._awaitOutsideTask().then(onFulfilled, onRejected);
    return task._awaitFuture(this, this._kind, this.id, hooks.on ? takeSite() : 0, onFulfilled, onRejected) as Promise<R1 | R2>;
  }

  /** @internal the await path outside any task: no cancellation delivery, no hooks. */
  _awaitOutsideTask(): Promise<T> {
    if (this._state === PENDING && this._loop._closed) {
      return Promise.reject(new RuntimeError('Event loop is closed: this future can never complete'));
    }
    this._markRetrieved();
    return this._native();
  }

  // --- the small internal API the combinators use (gather, shield, wait, taskGroup, run) ---

  /** @internal done with an error (not cancelled). */
  _failed(): boolean {
    return this._state === ERROR;
  }

  /** @internal the error of a failed future, marking it retrieved (asyncio's exception() without the state checks). */
  _takeError(): unknown {
    this._markRetrieved();
    return this._error;
  }

  /**
   * @internal someone looked at the outcome. The first look at a failed task's error
   * after it failed is reported (taskErrorRetrieved): with taskErrorThrown's `retrieved`
   * it tells the trace exactly which errors were never retrieved.
   */
  _markRetrieved(): void {
    if (this._retrieved) return;
    this._retrieved = true;
    if (this._state === ERROR && this._kind === 'task' && hooks.on) hooks.taskErrorRetrieved(this.id);
  }

  /** @internal settles the native promise with the outcome (or the deferred cancel). */
  _settleNative(): void {
    const resolve = this._resolve;
    if (resolve === null) return;
    const reject = this._reject!;
    this._resolve = null;
    this._reject = null;
    const d = this._deferral;
    this._deferral = null;
    if (d instanceof CancelledError) reject(d);
    else if (this._state === RESULT) resolve(this._value as T);
    else reject(this._state === ERROR ? this._error : this._makeCancelledError());
  }

  /** @internal the native promise that settles with this future (created on first await). */
  _native(): Promise<T> {
    this._awaitCount++;
    const p = this._promise;
    if (p !== null) return p;
    switch (this._state) {
      case RESULT:
        return (this._promise = Promise.resolve(this._value as T));
      case ERROR:
        return (this._promise = Promise.reject(this._error));
      case CANCELLED:
        return (this._promise = Promise.reject(this._makeCancelledError()));
      default: {
        // A shared executor, not a closure per future: this runs on every pending await.
        const promise = new Promise<T>(captureResolvers);
        this._resolve = capturedResolve;
        this._reject = capturedReject;
        return (this._promise = promise);
      }
    }
  }

  /** @internal */
  _makeCancelledError(): CancelledError {
    return new CancelledError(this._cancelMessage);
  }

  private _stateName(): string {
    return this._state === RESULT ? 'FINISHED' : this._state === ERROR ? 'FINISHED (error)' : this._state === CANCELLED ? 'CANCELLED' : 'PENDING';
  }

  /**
   * @internal settle the native promise, report wakes, schedule done-callbacks. Inside a
   * loop turn (timers, callbacks) the native promise settles when the turn ends: its
   * awaiters could not resume earlier anyway (they run as microtasks after the turn),
   * and until then a cancel of the awaiting task can still be delivered at this await.
   */
  _complete(): void {
    if (this._loop._inTurn) this._doneInTurn = this._loop._turnNo;
    if (this._resolve !== null) {
      // Outside a turn the awaiter resumes at once (a direct hand-off), unless Node is
      // due a turn: then it resumes when the loop's next turn ends (loop.ts, fairness).
      if (this._loop._inTurn || this._loop._deferWake()) {
        this._deferral = SETTLE_AT_TURN_END;
        this._loop._settleAtTurnEnd.push(this as Future<unknown>);
      } else {
        this._settleNative();
      }
    }
    const awaiters = this._awaiters;
    if (awaiters !== null) {
      this._awaiters = null;
      if (hooks.on) {
        const waker = taskStorage.getStore();
        const handle = this._loop._currentHandleId;
        for (const t of awaiters) hooks.wake(waker === undefined ? 0 : waker.id, handle, t.id, this.id);
      }
    }
    const first = this._callback;
    if (first !== null) {
      if (hooks.on) {
        this._callback = null;
        this._loop._callSoon1(first, this as never);
      } else {
        // Untraced, the future itself waits in the ready queue for its first callback (no
        // Handle: one per task in gather). `_callback` stays set until that turn runs it.
        this._loop._callSoonReady(this);
      }
    }
    const cbs = this._callbacks;
    if (cbs !== null) {
      this._callbacks = null;
      for (const cb of cbs) this._loop._callSoon1(cb, this as never);
    }
  }
}

export function isFuture(x: unknown): x is Future<unknown> {
  return x instanceof Future;
}
