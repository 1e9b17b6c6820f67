/**
 * The instrument interface: how the runtime reports what it does (trio's `Instrument`,
 * Effect's `Supervisor`). Every hook is optional. The runtime keeps one boolean that is
 * false while no instrument is installed, so the uninstrumented hot path costs one check.
 * An instrument that throws is removed and reported through the loop's exception handler,
 * never fatal to the program.
 *
 * Ids: tasks, futures, resources, handles, jobs and streams share one id space per
 * process (`nextId()` in the runtime), so a `targetId` is unambiguous. Id 0 means "none"
 * (no current task, no site). Sites are small integers from the site table
 * (runtime/sites.ts): build-time marks register their positions once per module; the
 * stack-capture fallback registers positions as it meets them. Hooks never carry times:
 * the instrument reads its own clock, so hooks stay cheap and order is the only contract.
 *
 * This file holds types only, so trace/ may import it without pulling the runtime in.
 */

/** What a task was waiting on; also the colour of an await in the chart. */
export type AwaitKind =
  | 'sleep' | 'lock' | 'semaphore' | 'event' | 'condition' | 'queue' | 'barrier'
  | 'future' | 'task' | 'gather' | 'wait' | 'executor' | 'io' | 'timer' | 'promise';

export type ResourceKind = 'lock' | 'semaphore' | 'event' | 'condition' | 'queue' | 'barrier';

export type Outcome = 'ok' | 'error' | 'cancelled';

/** What a loop callback was scheduled with. */
export type CallbackKind = 'soon' | 'later' | 'at' | 'threadsafe';

/** A signal on a resource that is neither an acquire nor a release. */
export type ResourceSignal = 'set' | 'clear' | 'notify' | 'put' | 'get' | 'pass' | 'reset' | 'abort' | 'shutdown';

export type IoOp = 'read' | 'drain' | 'connect' | 'accept';

export interface Instrument {
  // --- sites -----------------------------------------------------------------
  /** Site ids `base .. base + sites.length - 1` now mean these `file:line:col` strings (1-based, original source). */
  sitesRegistered?(base: number, sites: readonly string[]): void;

  // --- tasks -----------------------------------------------------------------
  taskCreated?(taskId: number, parentId: number, name: string, site: number): void;
  taskRenamed?(taskId: number, name: string): void;
  /** The task starts a running slice (one step of its body, until its next suspension). */
  taskRunBegin?(taskId: number): void;
  taskRunEnd?(taskId: number): void;
  /** The task finished; `message` is the error's message (or the cancel message), '' for ok. */
  taskDone?(taskId: number, outcome: Outcome, message: string): void;

  // --- awaits ----------------------------------------------------------------
  /** `taskId` suspends on `targetId` (a future, task, resource, job, stream; 0 for a plain promise). */
  awaitBegin?(taskId: number, kind: AwaitKind, targetId: number, site: number): void;
  awaitEnd?(taskId: number, targetId: number, outcome: Outcome): void;
  /**
   * The arrow from waker to woken: `wakerTaskId` (0 outside any task) completed a future,
   * released a lock, set an event, put an item... and so made `wokenTaskId` runnable.
   * `callbackId` is the loop handle that was running (0 if none): a `callLater` that
   * sets a result is the waker of whoever awaited that future.
   */
  wake?(wakerTaskId: number, callbackId: number, wokenTaskId: number, targetId: number): void;

  // --- resources -------------------------------------------------------------
  /** `capacity`: a semaphore's initial value, a queue's maxsize, a barrier's parties; 1 for a lock, 0 otherwise. */
  resourceCreated?(resourceId: number, kind: ResourceKind, name: string, site: number, capacity: number): void;
  /** `taskId` asked and must wait (contended). Uncontended acquires go straight to `resourceAcquired`. */
  resourceWaitBegin?(resourceId: number, taskId: number, site: number): void;
  /** The wait ended without the resource (cancelled, timed out, broken). */
  resourceWaitAbandoned?(resourceId: number, taskId: number, outcome: Outcome): void;
  resourceAcquired?(resourceId: number, taskId: number, site: number): void;
  resourceReleased?(resourceId: number, taskId: number, site: number): void;
  resourceSignal?(resourceId: number, taskId: number, signal: ResourceSignal, site: number): void;
  /** A queue's length (or a semaphore's value, a barrier's waiting count) changed. */
  resourceLevel?(resourceId: number, level: number): void;

  // --- the loop --------------------------------------------------------------
  callbackScheduled?(handleId: number, kind: CallbackKind, delayMs: number, site: number): void;
  callbackBegin?(handleId: number): void;
  callbackEnd?(handleId: number): void;
  /** One turn of the loop (ready callbacks + task steps) starts / ends: the tracer times blocked loops from these. */
  loopTurnBegin?(): void;
  loopTurnEnd?(): void;

  // --- executors -------------------------------------------------------------
  jobSubmitted?(jobId: number, executorId: number, fnName: string, site: number): void;
  jobStarted?(jobId: number, workerIndex: number): void;
  jobFinished?(jobId: number, outcome: Outcome, message: string): void;

  // --- streams ---------------------------------------------------------------
  ioWaitBegin?(streamId: number, taskId: number, op: IoOp, peer: string, site: number): void;
  ioWaitEnd?(streamId: number, taskId: number, bytes: number, outcome: Outcome): void;
}

/** The hook names, for dispatch tables and for tests that check every hook is reachable. */
export type HookName = keyof Instrument;
