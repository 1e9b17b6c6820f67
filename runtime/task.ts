/**
 * Task: runs a coroutine function (an async function) as a Future with identity.
 *
 * Invariants (asyncio's, adapted to JS where a body is resumed by V8, not by us):
 * - The body starts in a loop callback (callSoon), inside taskStorage.run(task), so
 *   every continuation of the body, across any await, sees currentTask() === task.
 * - `_waiter` is the runtime future the task last awaited. While it is pending the task
 *   is suspended on it, and cancel() cancels it: the CancelledError comes out of that
 *   await, where the body may catch it. If the waiter was completed during the current
 *   loop turn (its awaiters resume only when the turn ends, see Future._complete) and
 *   this task is its only awaiter, cancel() turns that wake into the CancelledError, and
 *   a second cancel() in the same turn adds to cancelling() only: one delivery, as in
 *   asyncio. Otherwise cancel() sets `_mustCancel`, which is delivered at the task's
 *   next runtime await (a task blocked on a plain promise is cancelled there), or
 *   before the body starts, or when the body returns.
 * - The task is cancelled only when CancelledError leaves the body (or via _mustCancel
 *   at return, as asyncio does); a body that catches it and returns normally succeeds.
 * - Deviation, left where the wake or the cancel came from task code (a step runs as a
 *   microtask, so whether the woken task already resumed is not known without a
 *   reaction per await): a cancel after such a wake is delivered at the task's next
 *   runtime await, and a second cancel() while the first CancelledError is on its way
 *   is delivered again there, unless uncancel() withdraws it. The primitives pass a wake
 *   on correctly in that case too (runtime/sync/resource.ts, cancelMark).
 * - taskRunBegin/taskRunEnd are reported in pairs (`_running` tracks the open one):
 *   a slice ends at the task's next runtime await or when its body settles.
 */
import type { AwaitKind } from './instrument-types';
import { hooks } from './instrument';
import { CancelledError, RuntimeError } from './errors';
import { taskStorage, type RunningTask } from './current';
import type { Ready } from './handle';
import { noteFailure } from './error-sites';
import { takeSite } from './sites';
import { CANCELLED, ERROR, Future, PENDING, RESULT, SETTLE_AT_TURN_END } from './future';
import type { EventLoop } from './loop';
import { getRunningLoop, getRunningLoopFrom, noWait } from './running-loop';
import { firstStep } from './task-step';

export type TaskBody<T> = () => T | PromiseLike<T>;

export interface TaskOptions {
  name?: string;
}

/** One step of a task's await chain, as returned by getStack(). */
export interface StackEntry {
  taskId: number;
  taskName: string;
  kind: AwaitKind;
  targetId: number;
}

/** Cheapest test first: `createTask(work, i)` passes a number, and `f.length` is an API getter call. */
function isOptions(x: unknown): x is TaskOptions {
  if (x === null || typeof x !== 'object' || Object.getPrototypeOf(x) !== Object.prototype) return false;
  return Object.keys(x).every((k) => k === 'name');
}

export class Task<T = unknown> extends Future<T> implements RunningTask, Ready {
  readonly parent: Task<unknown> | undefined;
  /** @internal null until asked for: the default name is built lazily (hot path). */
  _name: string | null;
  /** @internal */ _fn: ((...args: unknown[]) => unknown) | null;
  /** @internal */ _args: unknown[] | null;
  /** @internal */ _waiter: Future<unknown> | null = null;
  /** @internal */ _waitKind: AwaitKind = 'future';
  /** @internal */ _waitTarget = 0;
  /** @internal */ _mustCancel = false;
  /** @internal */ _pendingCancelMessage = '';
  /** @internal */ _numCancelsRequested = 0;
  /** @internal an instrumented running slice is open. */
  _running = false;
  /** @internal neighbours in the loop's list of live tasks (see LiveTasks). */
  _prevLive: Task<unknown> | null = null;
  /** @internal */ _nextLive: Task<unknown> | null = null;

  /** @internal validates the two createTask forms. */
  static _create(loop: EventLoop, fn: unknown, rest: unknown[], parent: RunningTask | undefined): Task<unknown> {
    if (typeof fn !== 'function') {
      throw new TypeError(`a task body must be a function returning a promise (createTask(() => work())), got ${fn === null ? 'null' : typeof fn}`);
    }
    const f = fn as (...args: unknown[]) => unknown;
    if (rest.length === 1 && isOptions(rest[0]) && f.length === 0) return new Task(loop, f, [], parent, rest[0].name);
    return new Task(loop, f, rest, parent);
  }

  /**
   * @internal use createTask / loop.createTask. `parent`: the task running the caller
   * (taskStorage.getStore()), looked up by the caller, which usually needs it anyway to
   * find the running loop: one context lookup per spawn instead of two.
   */
  constructor(loop: EventLoop, fn: (...args: unknown[]) => unknown, args: unknown[], parent: RunningTask | undefined, name?: string) {
    if (loop._closed) throw new RuntimeError('Event loop is closed');
    super(loop);
    this._kind = 'task';
    this._fn = fn;
    this._args = args;
    this.parent = parent as Task<unknown> | undefined;
    this._name = name ?? null;
    loop._tasks.add(this as Task<unknown>);
    if (hooks.on) hooks.taskCreated(this.id, this.parent === undefined ? 0 : this.parent.id, this.getName(), takeSite());
    loop._callSoonReady(this as Task<unknown>);
  }

  /** @internal the task's first step, run by the loop (asyncio: call_soon(task.__step)). */
  override _runReady(loop: EventLoop): void {
    // Pending: the first step (done: the turn of its first done-callback, see Future._complete).
    if (this._state !== PENDING) {
      super._runReady(loop);
      return;
    }
    // A task's step is not a callback: what it wakes is woken by the task alone.
    loop._currentHandleId = 0;
    startTask(this as Task<unknown>);
  }

  getName(): string {
    return (this._name ??= `Task-${this.id}`);
  }

  setName(name: string): void {
    this._name = String(name);
    if (hooks.on) hooks.taskRenamed(this.id, this._name as string);
  }

  override setResult(_value: T): void {
    throw new RuntimeError('Task does not support setResult');
  }

  override setException(_error: unknown): void {
    throw new RuntimeError('Task does not support setException');
  }

  /** Requests cancellation; see the invariants above. False when already done. */
  override cancel(msg?: string): boolean {
    if (this._state !== PENDING) return false;
    this._numCancelsRequested++;
    const w = this._waiter;
    if (w !== null) {
      if (w._state === PENDING) {
        if (w.cancel(msg)) return true;
      } else if (w._deferral !== null && w._awaitCount === 1) {
        // Woken in this loop turn, not resumed yet (its await settles when the turn
        // ends): deliver the cancel at that await, as asyncio does. If a cancel is
        // already on its way there (the waiter was cancelled, or an earlier cancel got
        // here first), this one adds to cancelling() only: one CancelledError, as in asyncio.
        if (w._deferral === SETTLE_AT_TURN_END && w._state !== CANCELLED) w._deferral = new CancelledError(msg ?? '');
        return true;
      }
    }
    this._mustCancel = true;
    this._pendingCancelMessage = msg ?? '';
    return true;
  }

  /** How many cancellation requests are outstanding (asyncio's cancelling()). */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /** Withdraws one cancellation request; returns how many remain. */
  uncancel(): number {
    if (this._numCancelsRequested > 0) {
      this._numCancelsRequested--;
      if (this._numCancelsRequested === 0) this._mustCancel = false;
    }
    return this._numCancelsRequested;
  }

  /** The await chain as data: what this task awaits, and (for a task) what that awaits. */
  getStack(): StackEntry[] {
    const out: StackEntry[] = [];
    const seen = new Set<Task<unknown>>();
    let t: Task<unknown> | null = this as Task<unknown>;
    while (t !== null && !seen.has(t)) {
      seen.add(t);
      const w: Future<unknown> | null = t._waiter;
      if (w === null || w._state !== PENDING) break;
      out.push({ taskId: t.id, taskName: t.getName(), kind: t._waitKind, targetId: t._waitTarget });
      t = w instanceof Task ? w : null;
    }
    return out;
  }

  /**
   * @internal suspend this task on `fut` (called from Future.then and awaitOn, inside the
   * task). `then` passes its reactions in: instrumented, they are folded into the
   * reactions that report the resume, so a traced await costs one derived promise, not two.
   */
  _awaitFuture<U>(
    fut: Future<U>, kind: AwaitKind, targetId: number, site: number,
    onFulfilled?: ((value: U) => unknown) | null, onRejected?: ((reason: unknown) => unknown) | null,
  ): Promise<U> {
    const refused = this._refuse(fut);
    if (refused !== null) return attach(refused, onFulfilled, onRejected);
    this._waiter = fut as Future<unknown>;
    this._waitKind = kind;
    this._waitTarget = targetId;
    if (!hooks.on) return attach(this._awaited(fut), onFulfilled, onRejected);
    this._endSlice();
    hooks.awaitBegin(this.id, kind, targetId, site);
    if (fut._state === PENDING) (fut._awaiters ??= []).push(this);
    return this._awaited(fut).then(
      (v) => {
        this._resumed(targetId, 'ok');
        return onFulfilled == null ? v : onFulfilled(v);
      },
      (e: unknown) => {
        this._resumed(targetId, e instanceof CancelledError ? 'cancelled' : 'error');
        if (onRejected == null) throw e;
        return onRejected(e);
      },
    ) as Promise<U>;
  }

  /**
   * The promise an await of `fut` resumes from. A future that was already done does not
   * suspend the task but counts toward the loop's bound (noWait), unless the turn that
   * just ran completed it and nobody awaited it yet: that await was begun before the turn (V8 calls `then` a
   * microtask late) and is the task's wake-up, which keeps its place in wake order.
   */
  private _awaited<U>(fut: Future<U>): Promise<U> {
    if (fut._state === PENDING || (fut._doneInTurn === this._loop._turnNo && fut._awaitCount === 0)) return fut._native();
    return noWait(fut._native(), this._loop);
  }

  /** A rejected promise when `fut` cannot be awaited by this task now (or a pending cancel is due at once); null to go on. */
  private _refuse(fut: Future<unknown>): Promise<never> | null {
    if (fut === this) return Promise.reject(new RuntimeError('Task cannot await on itself'));
    if (fut._loop !== this._loop) return Promise.reject(new RuntimeError('Task got a Future attached to a different loop'));
    if (fut._state === PENDING && fut._loop._closed) return Promise.reject(new RuntimeError('Event loop is closed: this future can never complete'));
    if (!fut._retrieved) fut._markRetrieved();
    if (this._mustCancel) {
      if (fut._state !== PENDING) {
        this._mustCancel = false;
        return Promise.reject(new CancelledError(this._pendingCancelMessage));
      }
      if (fut.cancel(this._pendingCancelMessage)) this._mustCancel = false;
    }
    return null;
  }

  /** @internal the task stops running (it suspends, or its body ended): an open running slice ends. */
  _endSlice(): void {
    if (this._running) {
      this._running = false;
      if (hooks.on) hooks.taskRunEnd(this.id);
    }
  }

  /** @internal the task runs (its first step, or it resumed): a running slice begins, once. */
  _beginSlice(): void {
    if (hooks.on && !this._running && this._state === PENDING) {
      this._running = true;
      hooks.taskRunBegin(this.id);
    }
  }

  private _resumed(targetId: number, outcome: 'ok' | 'error' | 'cancelled'): void {
    if (!hooks.on) return;
    hooks.awaitEnd(this.id, targetId, outcome);
    this._beginSlice();
  }

  /** @internal the body settled. */
  _bodyDone(ok: boolean, value: unknown): void {
    if (this._state !== PENDING) return;
    this._endSlice();
    this._waiter = null;
    if (ok && !this._mustCancel) {
      this._state = RESULT;
      this._value = value as T;
    } else if (ok || value instanceof CancelledError) {
      this._mustCancel = false;
      this._state = CANCELLED;
      this._cancelMessage = ok ? this._pendingCancelMessage : (value as CancelledError).message;
    } else {
      this._state = ERROR;
      this._error = value;
      if (!this._retrieved) this._loop._noteUnretrieved(this as Task<unknown>);
    }
    this._loop._tasks.delete(this as Task<unknown>);
    if (hooks.on) {
      // Failures only: where it was thrown (read later, error-sites.ts) and whether it was retrieved.
      if (this._state === ERROR) noteFailure(this as Task<unknown>);
      const outcome = this._state === RESULT ? 'ok' : this._state === CANCELLED ? 'cancelled' : 'error';
      const message = this._state === CANCELLED ? this._cancelMessage : this._state === ERROR ? errorMessage(this._error) : '';
      hooks.taskDone(this.id, outcome, message);
    }
    this._complete();
  }
}

/** `p.then(f, r)` when there are reactions to attach, else `p` itself (no derived promise). */
function attach<U>(p: Promise<U>, f: ((value: U) => unknown) | null | undefined, r: ((reason: unknown) => unknown) | null | undefined): Promise<U> {
  return f == null && r == null ? p : (p.then(f, r) as Promise<U>);
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The task's first step. */
function startTask(t: Task<unknown>): void {
  if (t._state !== PENDING) return;
  if (t._mustCancel) {
    // Cancelled before its first step: the body never runs (asyncio throws into an unstarted coroutine).
    t._bodyDone(false, new CancelledError(t._pendingCancelMessage));
    return;
  }
  taskStorage.run(t, firstStep, t);
}

/**
 * The loop's live tasks, for allTasks(): an intrusive doubly linked list through the
 * tasks themselves, in creation order. A Set<Task> cost 200-300 ns per task (identity
 * hashing, and rehashing as a batch of tasks grows and drains): about half of spawn+join
 * (bench/RESULTS.md).
 */
export class LiveTasks {
  first: Task<unknown> | null = null;
  last: Task<unknown> | null = null;

  add(t: Task<unknown>): void {
    t._prevLive = this.last;
    if (this.last === null) this.first = t;
    else this.last._nextLive = t;
    this.last = t;
  }

  delete(t: Task<unknown>): void {
    const prev = t._prevLive;
    const next = t._nextLive;
    if (prev === null) {
      if (this.first !== t) return;
      this.first = next;
    } else prev._nextLive = next;
    if (next === null) this.last = prev;
    else next._prevLive = prev;
    t._prevLive = null;
    t._nextLive = null;
  }
}

/** The task running the caller, or undefined outside any task. */
export function currentTask(): Task<unknown> | undefined {
  return taskStorage.getStore() as Task<unknown> | undefined;
}

/** Tasks of `loop` (default: the running loop) that are not done yet. */
export function allTasks(loop?: EventLoop): Set<Task<unknown>> {
  const l = loop ?? getRunningLoop();
  const out = new Set<Task<unknown>>();
  for (let t = l._tasks.first; t !== null; t = t._nextLive) if (t._state === PENDING) out.add(t);
  return out;
}

/**
 * Starts `fn(...args)` as a task on the running loop. `createTask(fn, { name })` is the
 * options form when `fn` takes no parameters.
 */
export function createTask<T>(fn: TaskBody<T>, options?: TaskOptions): Task<T>;
export function createTask<T, A extends unknown[]>(fn: (...args: A) => T | PromiseLike<T>, ...args: A): Task<T>;
export function createTask(fn: unknown, ...rest: unknown[]): Task<unknown> {
  const cur = taskStorage.getStore();
  return Task._create(getRunningLoopFrom(cur), fn, rest, cur);
}

export { CANCELLED, ERROR };
