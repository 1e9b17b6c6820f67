/**
 * The event loop: a FIFO of ready callbacks and a heap of timers, run in "turns" on
 * top of Node's own loop.
 *
 * Invariants:
 * - Callbacks run only while the loop is running (runForever / runUntilComplete);
 *   a turn runs the callbacks that were ready when it began (asyncio's ntodo), so a
 *   callback that schedules another never starves the rest.
 * - Turns are scheduled with queueMicrotask (fast task switches), and a wake-up from
 *   task code settles its awaiter's promise at once (a task resumes one microtask
 *   after the wake, like a native promise hand-off), so a busy program can run for a
 *   long time as one chain of microtasks in which Node's own timers and I/O, and the
 *   loop's due timers, cannot run. The loop therefore counts turns and wake-ups
 *   outside turns; every CHECK_EVERY of them it reads the clock, and once SLICE_MS
 *   have passed since Node last had a turn (or a loop timer is due) it yields: the
 *   next turn runs from setImmediate and, until it has run, every wake-up waits for
 *   it (Future._complete defers to the turn's end), so the chain stops, Node runs its
 *   timers and polls I/O, then the turn runs the due timers and the ready callbacks
 *   and resumes the parked tasks in the order they were woken. The bound this gives
 *   (docs/runtime.md, "Fairness"): Node gets a turn after at most SLICE_MS of busy
 *   running plus CHECK_EVERY wake-ups or turns.
 * - Operations that complete without suspending (a queue put with a free slot or a get
 *   with an item there, an uncontended acquire, a set Event's wait, an await of a done
 *   future) return at once, as in asyncio; but the caller's `await` of their settled
 *   promise lets other queued continuations run, so tasks meeting only such operations
 *   (a Queue(1) producer and consumer alternating) take turns with nobody suspending or
 *   being woken. They count too (running-loop.ts noWait): every CHECK_EVERY of them the
 *   clock is read, and once Node is due a turn the caller resumes when the next turn
 *   ends (_afterNoWait). Rule: every suspension, wake-up and no-wait operation counts,
 *   so the bound above holds whatever the tasks do between two loop turns, as long as
 *   they use the runtime's awaits (a plain `while (true) {}` or an await of native
 *   promises only is beyond any loop).
 * - Every turn runs outside any task's async context (`outsideTasks`), so a
 *   callback never sees the task that happened to schedule the turn.
 * - With the virtual clock, time only moves when nothing is ready: after Node's own
 *   queues have drained (setImmediate), time jumps to the earliest timer.
 *   Timing tests are then exact and take no wall time.
 */
import type { CallbackKind } from './instrument-types';
import { hooks } from './instrument';
import { RuntimeError } from './errors';
import { AsyncLocalStorage } from 'node:async_hooks';
import { taskStorage } from './current';
import { enterRunning, leaveRunning, runningLoopOrUndefined } from './running-loop';
import { takeSite } from './sites';
import { Handle, TimerHandle, TimerHeap, type Ready } from './handle';
import { Future } from './future';
import { LiveTasks, Task, type TaskOptions, type TaskBody } from './task';
import { ensureFuture, type AwaitableLike } from './ensure';
import { hasDefaultExecutor, runInExecutorOf, shutdownDefaultExecutor } from './executor/run-in-executor';

/** How often (in turns and wake-ups outside turns) the clock is read to see whether Node is due a turn; a power of two. */
const CHECK_EVERY = 32;
/** Node gets a turn once this much real time has passed since its last one (ms). */
const SLICE_MS = 1;
/**
 * Runs a function in an async context where no task is current. A snapshot switches to
 * a captured context; taskStorage.exit would build a new context per turn (on Node 24
 * that copies the context map, a measurable share of a task switch).
 */
const outsideTasks: <R>(fn: () => R) => R = taskStorage.exit(() => AsyncLocalStorage.snapshot());
/** Real timers may fire up to this much early (ms rounding); asyncio's clock_resolution. */
const CLOCK_RESOLUTION = 1;

export interface ExceptionContext {
  message: string;
  exception?: unknown;
  future?: Future<unknown>;
  task?: Task<unknown>;
  handle?: Handle;
}

export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

export interface LoopOptions {
  /** 'virtual': time starts at 0 and jumps to the next timer whenever nothing is ready. */
  clock?: 'real' | 'virtual';
}

export class EventLoop {
  /** @internal */ _closed = false;
  /** @internal */ _currentHandleId = 0;
  /** @internal true while a turn runs its timers and callbacks (synchronously). */
  _inTurn = false;
  /** @internal counts turns: which turn completed a future (Future._doneInTurn). */
  _turnNo = 0;
  /** @internal futures completed during this turn, and operations that did not suspend but wait for it (_afterNoWait): they settle when it ends, in order. */
  _settleAtTurnEnd: { _settleNative(): void }[] = [];
  /** @internal */ readonly _tasks = new LiveTasks();
  /** @internal tasks that failed while nobody had retrieved or awaited them. */
  private _unretrieved = new Set<Task<unknown>>();

  /** Ready callbacks: Handles, and Tasks standing for their own first step (no Handle to allocate). */
  private _ready: (Ready | undefined)[] = [];
  private _readyHead = 0;
  private readonly _timers = new TimerHeap();
  private _timerSeq = 0;
  private _running = false;
  private _stopping = false;
  private _scheduled = false;
  /** Turns and wake-ups outside turns since Node last had a turn (see CHECK_EVERY). */
  private _sinceYield = 0;
  /** performance.now() when Node last had a turn. */
  private _sliceStart = performance.now();
  /** @internal the next turn runs from setImmediate; until then every wake-up is deferred to it. */
  _yieldPending = false;
  private _nodeTimer: ReturnType<typeof setTimeout> | null = null;
  private _armedAt = Infinity;
  private _idleCheck: ReturnType<typeof setImmediate> | null = null;
  private _stopResolve: (() => void) | null = null;
  private readonly _virtual: boolean;
  private _vtime = 0;
  private readonly _t0 = performance.now();
  private _handler: ExceptionHandler | null = null;

  constructor(options: LoopOptions = {}) {
    this._virtual = options.clock === 'virtual';
  }

  /** Monotonic milliseconds (virtual clock: starts at 0 and moves only by jumps). */
  time(): number {
    return this._virtual ? this._vtime : performance.now() - this._t0;
  }

  isVirtualClock(): boolean {
    return this._virtual;
  }

  isRunning(): boolean {
    return this._running;
  }

  isClosed(): boolean {
    return this._closed;
  }

  createFuture<T = unknown>(): Future<T> {
    return new Future<T>(this);
  }

  createTask<T>(fn: TaskBody<T>, options?: TaskOptions): Task<T>;
  createTask<T, A extends unknown[]>(fn: (...args: A) => T | PromiseLike<T>, ...args: A): Task<T>;
  createTask(fn: unknown, ...rest: unknown[]): Task<unknown> {
    return Task._create(this, fn, rest, taskStorage.getStore());
  }

  // --- scheduling -------------------------------------------------------------

  callSoon<A extends unknown[]>(cb: (...args: A) => unknown, ...args: A): Handle {
    return this._callSoon(cb as (...a: unknown[]) => unknown, args, 'soon');
  }

  /** Safe from native callbacks and worker messages; wakes an idle loop. */
  callSoonThreadsafe<A extends unknown[]>(cb: (...args: A) => unknown, ...args: A): Handle {
    return this._callSoon(cb as (...a: unknown[]) => unknown, args, 'threadsafe');
  }

  callLater<A extends unknown[]>(delayMs: number, cb: (...args: A) => unknown, ...args: A): TimerHandle {
    checkDelay(delayMs, 'callLater delay');
    return this._callAt(this.time() + delayMs, delayMs, cb as (...a: unknown[]) => unknown, args, 'later');
  }

  callAt<A extends unknown[]>(whenMs: number, cb: (...args: A) => unknown, ...args: A): TimerHandle {
    if (typeof whenMs !== 'number' || Number.isNaN(whenMs)) throw new TypeError(`callAt time must be a number, got ${String(whenMs)}`);
    return this._callAt(whenMs, Math.max(0, whenMs - this.time()), cb as (...a: unknown[]) => unknown, args, 'at');
  }

  /** @internal one-argument callSoon for the runtime's own callbacks (no argument array). */
  _callSoon1<A>(fn: (arg: A) => unknown, arg: A): Handle {
    if (this._closed) throw new RuntimeError('Event loop is closed');
    const h = new Handle(fn as (...a: unknown[]) => unknown, null, arg);
    if (hooks.on) hooks.callbackScheduled(h.id, 'soon', 0, takeSite());
    this._ready.push(h);
    if (this._running && !this._scheduled) this._schedule();
    return h;
  }

  /**
   * @internal schedules a new task's first step (asyncio: call_soon(task.__step)). The
   * Task itself waits in the ready queue: no Handle, and no callback events in a trace
   * (the step is the task's first running slice, reported by the task).
   */
  _callSoonReady(t: Ready): void {
    if (this._closed) throw new RuntimeError('Event loop is closed');
    this._ready.push(t);
    if (this._running && !this._scheduled) this._schedule();
  }

  /** @internal */
  _callSoon(fn: (...a: unknown[]) => unknown, args: unknown[], kind: CallbackKind): Handle {
    if (this._closed) throw new RuntimeError('Event loop is closed');
    if (typeof fn !== 'function') throw new TypeError(`a callback must be a function, got ${typeof fn}`);
    const h = new Handle(fn, args);
    if (hooks.on) hooks.callbackScheduled(h.id, kind, 0, takeSite());
    this._ready.push(h);
    if (this._running && !this._scheduled) this._schedule();
    return h;
  }

  private _callAt(when: number, delay: number, fn: (...a: unknown[]) => unknown, args: unknown[], kind: CallbackKind): TimerHandle {
    if (this._closed) throw new RuntimeError('Event loop is closed');
    if (typeof fn !== 'function') throw new TypeError(`a callback must be a function, got ${typeof fn}`);
    const t = new TimerHandle(when, this._timerSeq++, fn, args);
    if (hooks.on) hooks.callbackScheduled(t.id, kind, delay, takeSite());
    this._timers.push(t);
    if (this._running && !this._scheduled) this._waitForTimers();
    return t;
  }

  // --- running ------------------------------------------------------------------

  /** Runs until stop(); the promise settles then. */
  runForever(): Promise<void> {
    if (this._closed) throw new RuntimeError('Event loop is closed');
    if (this._running) throw new RuntimeError('This event loop is already running');
    this._running = true;
    this._stopping = false;
    this._nodeHadTurn();
    enterRunning(this);
    const done = new Promise<void>((resolve) => {
      this._stopResolve = resolve;
    });
    if (this._readyHead < this._ready.length) this._schedule();
    else this._waitForTimers();
    return done;
  }

  /** Runs until `aw` (an awaitable, or a function run as a task) completes; returns its result. */
  async runUntilComplete<T>(aw: AwaitableLike<T> | (() => T | PromiseLike<T>)): Promise<T> {
    if (this._closed) throw new RuntimeError('Event loop is closed');
    const fut = typeof aw === 'function' ? this.createTask(aw as () => T | PromiseLike<T>) : ensureFuture(aw, this);
    if (fut.getLoop() !== this) throw new RuntimeError('The future belongs to a different loop than the one passed to runUntilComplete()');
    const stopper = (): void => this.stop();
    fut.addDoneCallback(stopper);
    try {
      await this.runForever();
    } finally {
      fut.removeDoneCallback(stopper);
    }
    if (!fut.done()) throw new RuntimeError('Event loop stopped before Future completed.');
    return fut.result();
  }

  /** Stops after the callbacks already ready have run. */
  stop(): void {
    this._stopping = true;
    if (this._running && !this._scheduled) this._schedule();
  }

  close(): void {
    if (this._running) throw new RuntimeError('Cannot close a running event loop');
    if (this._closed) return;
    this.reportUnretrievedExceptions();
    this._closed = true;
    this._ready = [];
    this._readyHead = 0;
    this._timers.clear();
  }

  runInExecutor(executor: unknown, fn: unknown, ...args: unknown[]): Future<unknown> {
    return runInExecutorOf(this, executor, fn, args);
  }

  async shutdownDefaultExecutor(): Promise<void> {
    await shutdownDefaultExecutor(true);
  }

  /** @internal whether there is a default executor to shut down. */
  _hasDefaultExecutor(): boolean {
    return hasDefaultExecutor();
  }

  // --- errors -------------------------------------------------------------------

  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== 'function') throw new TypeError('the exception handler must be a function or null');
    this._handler = handler;
  }

  getExceptionHandler(): ExceptionHandler | null {
    return this._handler;
  }

  defaultExceptionHandler(context: ExceptionContext): void {
    const parts = [context.message];
    if (context.task !== undefined) parts.push(`task: ${context.task.getName()}`);
    console.error(parts.join('; '), context.exception ?? '');
  }

  callExceptionHandler(context: ExceptionContext): void {
    const handler = this._handler;
    if (handler === null) {
      this.defaultExceptionHandler(context);
      return;
    }
    try {
      handler(this, context);
    } catch (e) {
      this.defaultExceptionHandler({ message: 'Unhandled error in exception handler', exception: e });
      this.defaultExceptionHandler(context);
    }
  }

  /** @internal */
  _noteUnretrieved(t: Task<unknown>): void {
    if (this._unretrieved.size >= 1024) {
      for (const x of this._unretrieved) if (x._retrieved) this._unretrieved.delete(x);
    }
    this._unretrieved.add(t);
  }

  /**
   * Reports failed tasks whose error nobody retrieved. asyncio does this when the task
   * is garbage-collected; here it happens at close() (and run() closes), which is
   * deterministic and testable.
   */
  reportUnretrievedExceptions(): void {
    for (const t of this._unretrieved) {
      if (!t._retrieved) {
        // Reporting it is not retrieving it (no taskErrorRetrieved: the trace keeps it never retrieved).
        this.callExceptionHandler({ message: 'Task exception was never retrieved', exception: t._error, future: t, task: t });
      }
    }
    this._unretrieved.clear();
  }

  // --- turns --------------------------------------------------------------------

  private _schedule(): void {
    this._scheduled = true;
    if (this._yieldPending) return;
    if ((++this._sinceYield & (CHECK_EVERY - 1)) === 0 && this._nodeIsDue()) this._yieldToNode();
    else queueMicrotask(this._turn);
  }

  /**
   * @internal a future completed outside a turn and someone awaits it: true when the
   * wake must wait for the loop's next turn because Node is due a turn (see the top).
   */
  _deferWake(): boolean {
    if (this._yieldPending) return true;
    if ((++this._sinceYield & (CHECK_EVERY - 1)) !== 0 || !this._running || !this._nodeIsDue()) return false;
    this._scheduled = true;
    this._yieldToNode();
    return true;
  }

  /**
   * @internal an operation that did not suspend returns `done` (running-loop.ts noWait,
   * every CHECK_EVERY such operations): if Node is due a turn, its caller resumes when
   * the loop's next turn ends (after Node's timers and I/O, in order with the wake-ups
   * deferred to it), else at once.
   */
  _afterNoWait<T>(done: Promise<T>): Promise<T> {
    if (!this._yieldPending) {
      if (!this._running || !this._nodeIsDue()) return done;
      this._scheduled = true;
      this._yieldToNode();
    }
    return new Promise<T>((resolve) => {
      this._settleAtTurnEnd.push({ _settleNative: () => resolve(done) });
    });
  }

  /** Whether the slice is over: SLICE_MS since Node's last turn, or a loop timer is due. */
  private _nodeIsDue(): boolean {
    if (performance.now() - this._sliceStart >= SLICE_MS) return true;
    const next = this._timers.peekLive();
    return next !== undefined && next._when <= this.time() + (this._virtual ? 0 : CLOCK_RESOLUTION);
  }

  /** The next turn runs after Node's timers and I/O; wake-ups wait for it (Future._complete). */
  private _yieldToNode(): void {
    this._yieldPending = true;
    setImmediate(this._onYield);
  }

  private readonly _onYield = (): void => {
    this._yieldPending = false;
    this._nodeHadTurn();
    if (this._running) this._turn();
    else {
      this._scheduled = false;
      this._settleDeferred();
    }
  };

  /** Called from Node's own callbacks: Node just had a turn, a new slice begins. */
  private _nodeHadTurn(): void {
    this._sinceYield = 0;
    this._sliceStart = performance.now();
  }

  private readonly _turn = (): void => {
    outsideTasks(this._runOnce);
  };

  private readonly _runOnce = (): void => {
    // A turn queued as a microtask before the loop decided to yield: the yield's turn replaces it.
    if (this._yieldPending) return;
    this._scheduled = false;
    if (!this._running) return;
    const on = hooks.on;
    if (on) hooks.loopTurnBegin();
    const timers = this._timers;
    if (timers.size > 0) {
      const end = this.time() + (this._virtual ? 0 : CLOCK_RESOLUTION);
      for (let t = timers.peekLive(); t !== undefined && t._when <= end; t = timers.peekLive()) {
        timers.pop();
        this._ready.push(t);
      }
    }
    const ready = this._ready;
    const stopAt = ready.length;
    this._turnNo++;
    this._inTurn = true;
    try {
      for (let i = this._readyHead; i < stopAt; i++) {
        const h = ready[i]!;
        ready[i] = undefined;
        this._readyHead = i + 1;
        h._runReady(this);
      }
    } finally {
      this._inTurn = false;
      this._settleDeferred();
    }
    this._currentHandleId = 0;
    if (this._readyHead === ready.length) {
      this._ready = [];
      this._readyHead = 0;
    } else if (this._readyHead > 1024 && this._readyHead * 2 > ready.length) {
      this._ready = ready.slice(this._readyHead);
      this._readyHead = 0;
    }
    if (on) hooks.loopTurnEnd();
    if (this._stopping) {
      this._finishRun();
      return;
    }
    if (this._readyHead < this._ready.length) this._schedule();
    else this._waitForTimers();
  };

  /** The turn ended: settle, in completion order, the native promises its futures deferred. */
  private _settleDeferred(): void {
    const list = this._settleAtTurnEnd;
    if (list.length === 0) return;
    this._settleAtTurnEnd = [];
    for (let i = 0; i < list.length; i++) list[i]!._settleNative();
  }

  /** Nothing is ready: arrange to run when the next timer is due. */
  private _waitForTimers(): void {
    // (The slice does not restart here: a task's continuation runs right after the turn
    // that woke it, so "nothing ready" between turns does not mean Node got a turn.)
    const next = this._timers.peekLive();
    if (next === undefined) return;
    if (this._virtual) {
      if (this._idleCheck === null) this._idleCheck = setImmediate(this._onIdle);
      return;
    }
    if (this._nodeTimer !== null) {
      if (this._armedAt <= next._when) return;
      clearTimeout(this._nodeTimer);
    }
    this._armedAt = next._when;
    this._nodeTimer = setTimeout(this._onNodeTimer, Math.max(0, next._when - this.time()));
  }

  private readonly _onNodeTimer = (): void => {
    this._nodeTimer = null;
    this._armedAt = Infinity;
    if (this._running && !this._scheduled) {
      this._nodeHadTurn();
      this._turn();
    }
  };

  private readonly _onIdle = (): void => {
    this._idleCheck = null;
    this._nodeHadTurn();
    if (!this._running || this._scheduled || this._readyHead < this._ready.length) return;
    const next = this._timers.peekLive();
    if (next === undefined) return;
    if (next._when > this._vtime) this._vtime = next._when;
    this._turn();
  };

  private _finishRun(): void {
    this._running = false;
    this._stopping = false;
    if (this._nodeTimer !== null) clearTimeout(this._nodeTimer);
    this._nodeTimer = null;
    this._armedAt = Infinity;
    if (this._idleCheck !== null) clearImmediate(this._idleCheck);
    this._idleCheck = null;
    leaveRunning(this);
    const resolve = this._stopResolve;
    this._stopResolve = null;
    resolve?.();
  }
}

export function checkDelay(ms: unknown, what: string): void {
  if (typeof ms !== 'number' || Number.isNaN(ms)) throw new TypeError(`${what} must be a number of milliseconds, got ${String(ms)}`);
  if (ms < 0) throw new RangeError(`${what} must not be negative, got ${ms}`);
}

let defaultLoop: EventLoop | null = null;
/** The running loop, else a default loop created on first use (asyncio's policy loop). */
export function getEventLoop(): EventLoop {
  const running = runningLoopOrUndefined();
  if (running !== undefined) return running;
  if (defaultLoop === null || defaultLoop.isClosed()) defaultLoop = new EventLoop();
  return defaultLoop;
}

export function newEventLoop(options?: LoopOptions): EventLoop {
  return new EventLoop(options);
}

