// GENERATED from trace/records.ts by trace/records-codegen.ts: do not edit. To regenerate:
// UPDATE_RECORDS=1 npx mocha --node-option import=tsx test/tracing/records-generated.test.ts
import type { AwaitKind, CallbackKind, IoOp, Outcome, ResourceKind, ResourceSignal } from './vocabulary';
import * as vocabulary from './vocabulary';

// Module-local copies: imported bindings can cost a getter call per use in unbundled runs.
const AWAIT_KINDS = vocabulary.AWAIT_KINDS;
const AWAIT_KIND_CODE = vocabulary.AWAIT_KIND_CODE;
const CALLBACK_KINDS = vocabulary.CALLBACK_KINDS;
const CALLBACK_KIND_CODE = vocabulary.CALLBACK_KIND_CODE;
const IO_OPS = vocabulary.IO_OPS;
const IO_OP_CODE = vocabulary.IO_OP_CODE;
const OUTCOMES = vocabulary.OUTCOMES;
const OUTCOME_CODE = vocabulary.OUTCOME_CODE;
const RESOURCE_KINDS = vocabulary.RESOURCE_KINDS;
const RESOURCE_KIND_CODE = vocabulary.RESOURCE_KIND_CODE;
const RESOURCE_SIGNALS = vocabulary.RESOURCE_SIGNALS;
const RESOURCE_SIGNAL_CODE = vocabulary.RESOURCE_SIGNAL_CODE;

/** Record type numbers. Never renumber; new types take new numbers. */
export enum RecordType {
  SitesRegistered = 1,
  TaskCreated = 2,
  TaskRenamed = 3,
  TaskRunBegin = 4,
  TaskRunEnd = 5,
  TaskDone = 6,
  AwaitBegin = 7,
  AwaitEnd = 8,
  Wake = 9,
  ResourceCreated = 10,
  ResourceWaitBegin = 11,
  ResourceWaitAbandoned = 12,
  ResourceAcquired = 13,
  ResourceReleased = 14,
  ResourceSignal = 15,
  ResourceLevel = 16,
  CallbackScheduled = 17,
  CallbackBegin = 18,
  CallbackEnd = 19,
  LoopTurnBegin = 20,
  LoopTurnEnd = 21,
  JobSubmitted = 22,
  JobStarted = 23,
  JobFinished = 24,
  IoWaitBegin = 25,
  IoWaitEnd = 26,
  Dropped = 27,
  LoopBlocked = 28,
  DebuggerPaused = 29,
  TaskErrorThrown = 30,
  TaskErrorRetrieved = 31,
  ExitHandles = 32,
}
export const MAX_RECORD_TYPE = 32;

/** Per record type: how many codes its code byte may hold (0: the byte must be 0). */
export const CODE_COUNT: readonly number[] = [0, 0, 0, 0, 0, 0, 3, 15, 3, 0, 6, 0, 3, 0, 0, 9, 0, 4, 0, 0, 0, 0, 0, 0, 3, 4, 3, 0, 0, 0, 0, 0, 0];

/** Byte offset of every field inside its 32-byte record (readers of raw records). */
export const FIELD_OFFSET = {
  sitesRegistered: { base: 12, sitesCount: 16, sitesFirst: 20 },
  taskCreated: { taskId: 12, parentId: 16, name: 20, site: 24 },
  taskRenamed: { taskId: 12, name: 16 },
  taskRunBegin: { taskId: 12 },
  taskRunEnd: { taskId: 12 },
  taskDone: { taskId: 12, message: 16 },
  awaitBegin: { taskId: 12, targetId: 16, site: 20 },
  awaitEnd: { taskId: 12, targetId: 16 },
  wake: { wakerTaskId: 12, callbackId: 16, wokenTaskId: 20, targetId: 24 },
  resourceCreated: { resourceId: 12, name: 16, site: 20, capacity: 24 },
  resourceWaitBegin: { resourceId: 12, taskId: 16, site: 20 },
  resourceWaitAbandoned: { resourceId: 12, taskId: 16 },
  resourceAcquired: { resourceId: 12, taskId: 16, site: 20 },
  resourceReleased: { resourceId: 12, taskId: 16, site: 20 },
  resourceSignal: { resourceId: 12, taskId: 16, site: 20 },
  resourceLevel: { resourceId: 12, level: 24 },
  callbackScheduled: { handleId: 12, delayMs: 24, site: 16 },
  callbackBegin: { handleId: 12 },
  callbackEnd: { handleId: 12 },
  jobSubmitted: { jobId: 12, executorId: 16, fnName: 20, site: 24 },
  jobStarted: { jobId: 12, workerIndex: 16 },
  jobFinished: { jobId: 12, message: 16 },
  ioWaitBegin: { streamId: 12, taskId: 16, peer: 20, site: 24 },
  ioWaitEnd: { streamId: 12, taskId: 16, bytes: 24 },
  dropped: { count: 24 },
  loopBlocked: { durationMs: 24 },
  debuggerPaused: { endedBeforeUs: 12, durationMs: 24 },
  taskErrorThrown: { taskId: 12, site: 16, retrieved: 20 },
  taskErrorRetrieved: { taskId: 12 },
  exitHandles: { handlesCount: 12, handlesFirst: 16 },
} as const;

// --- decoded events: one per record type, fields named as the hook's parameters ---

interface At<T extends string> {
  type: T;
  /** Milliseconds since the header's clock origin. */
  time: number;
}

/** Site ids `base .. base + sites.length - 1` now mean these `file:line:col` strings (1-based, original source). */
export interface SitesRegisteredEvent extends At<'sitesRegistered'> { base: number; sites: string[] }
export interface TaskCreatedEvent extends At<'taskCreated'> { taskId: number; parentId: number; name: string; site: number }
export interface TaskRenamedEvent extends At<'taskRenamed'> { taskId: number; name: string }
/** The task starts a running slice (one step of its body, until its next suspension). */
export interface TaskRunBeginEvent extends At<'taskRunBegin'> { taskId: number }
export interface TaskRunEndEvent extends At<'taskRunEnd'> { taskId: number }
/** The task finished; `message` is the error's message (or the cancel message), '' for ok. */
export interface TaskDoneEvent extends At<'taskDone'> { taskId: number; outcome: Outcome; message: string }
/** `taskId` suspends on `targetId` (a future, task, resource, job, stream; 0 for a plain promise). */
export interface AwaitBeginEvent extends At<'awaitBegin'> { taskId: number; kind: AwaitKind; targetId: number; site: number }
export interface AwaitEndEvent extends At<'awaitEnd'> { taskId: number; targetId: number; outcome: Outcome }
/**
 * The arrow from waker to woken: `wakerTaskId` (0 outside any task) completed a future,
 * released a lock, set an event, put an item... and so made `wokenTaskId` runnable.
 * `callbackId` is the loop handle that was running (0 if none): a `callLater` that
 * sets a result is the waker of whoever awaited that future.
 */
export interface WakeEvent extends At<'wake'> { wakerTaskId: number; callbackId: number; wokenTaskId: number; targetId: number }
/** `capacity`: a semaphore's initial value, a queue's maxsize, a barrier's parties; 1 for a lock, 0 otherwise. */
export interface ResourceCreatedEvent extends At<'resourceCreated'> { resourceId: number; kind: ResourceKind; name: string; site: number; capacity: number }
/** `taskId` asked and must wait (contended). Uncontended acquires go straight to `resourceAcquired`. */
export interface ResourceWaitBeginEvent extends At<'resourceWaitBegin'> { resourceId: number; taskId: number; site: number }
/** The wait ended without the resource (cancelled, timed out, broken). */
export interface ResourceWaitAbandonedEvent extends At<'resourceWaitAbandoned'> { resourceId: number; taskId: number; outcome: Outcome }
export interface ResourceAcquiredEvent extends At<'resourceAcquired'> { resourceId: number; taskId: number; site: number }
export interface ResourceReleasedEvent extends At<'resourceReleased'> { resourceId: number; taskId: number; site: number }
export interface ResourceSignalEvent extends At<'resourceSignal'> { resourceId: number; taskId: number; signal: ResourceSignal; site: number }
/** A queue's length (or a semaphore's value, a barrier's waiting count) changed. */
export interface ResourceLevelEvent extends At<'resourceLevel'> { resourceId: number; level: number }
export interface CallbackScheduledEvent extends At<'callbackScheduled'> { handleId: number; kind: CallbackKind; delayMs: number; site: number }
export interface CallbackBeginEvent extends At<'callbackBegin'> { handleId: number }
export interface CallbackEndEvent extends At<'callbackEnd'> { handleId: number }
/** One turn of the loop (ready callbacks + task steps) starts / ends: the tracer times blocked loops from these. */
export type LoopTurnBeginEvent = At<'loopTurnBegin'>;
export type LoopTurnEndEvent = At<'loopTurnEnd'>;
export interface JobSubmittedEvent extends At<'jobSubmitted'> { jobId: number; executorId: number; fnName: string; site: number }
export interface JobStartedEvent extends At<'jobStarted'> { jobId: number; workerIndex: number }
export interface JobFinishedEvent extends At<'jobFinished'> { jobId: number; outcome: Outcome; message: string }
export interface IoWaitBeginEvent extends At<'ioWaitBegin'> { streamId: number; taskId: number; op: IoOp; peer: string; site: number }
export interface IoWaitEndEvent extends At<'ioWaitEnd'> { streamId: number; taskId: number; bytes: number; outcome: Outcome }
/** The tracer's buffer was full and exactly `count` events were not recorded just before `time`. */
export interface DroppedEvent extends At<'dropped'> { count: number }
/** One loop turn or task step ran `durationMs`, longer than the tracer's threshold; `time` is when it ended. */
export interface LoopBlockedEvent extends At<'loopBlocked'> { durationMs: number }
/**
 * A debugger had the program paused for `durationMs` (breakpoint, `debugger`, step): paused time, not program time.
 * The pause ended `endedBeforeUs` microseconds before `time` (the record is written just after it), so it spans
 * `time - endedBeforeUs/1000 - durationMs .. time - endedBeforeUs/1000` on the trace clock.
 */
export interface DebuggerPausedEvent extends At<'debuggerPaused'> { endedBeforeUs: number; durationMs: number }
/**
 * A task failed (never written on the non-failing path): after its `taskDone`, as late as when tracing stops. `site`:
 * where the error was thrown, the innermost frame of its stack in user code (not the runtime, node_modules or
 * node:internal), 0 when `stack` names none. `retrieved`: 1 when the error had been retrieved by then, else 0 until
 * a `taskErrorRetrieved` says so: a failed task with neither is the runtime's "Task exception was never retrieved".
 */
export interface TaskErrorThrownEvent extends At<'taskErrorThrown'> { taskId: number; site: number; retrieved: number }
/** The error of failed task `taskId` was retrieved after it failed (awaited, `result()`, `exception()`, gather...): once per task. */
export interface TaskErrorRetrievedEvent extends At<'taskErrorRetrieved'> { taskId: number }
/**
 * Node's active resources (`process.getActiveResourcesInfo()`, the tracer's own left out) when tracing stopped at the
 * end of the process (the loop ran dry, exit, or a signal): what kept a process with no pending task alive.
 */
export interface ExitHandlesEvent extends At<'exitHandles'> { handles: string[] }

export type TraceEvent =
  | SitesRegisteredEvent
  | TaskCreatedEvent
  | TaskRenamedEvent
  | TaskRunBeginEvent
  | TaskRunEndEvent
  | TaskDoneEvent
  | AwaitBeginEvent
  | AwaitEndEvent
  | WakeEvent
  | ResourceCreatedEvent
  | ResourceWaitBeginEvent
  | ResourceWaitAbandonedEvent
  | ResourceAcquiredEvent
  | ResourceReleasedEvent
  | ResourceSignalEvent
  | ResourceLevelEvent
  | CallbackScheduledEvent
  | CallbackBeginEvent
  | CallbackEndEvent
  | LoopTurnBeginEvent
  | LoopTurnEndEvent
  | JobSubmittedEvent
  | JobStartedEvent
  | JobFinishedEvent
  | IoWaitBeginEvent
  | IoWaitEndEvent
  | DroppedEvent
  | LoopBlockedEvent
  | DebuggerPausedEvent
  | TaskErrorThrownEvent
  | TaskErrorRetrievedEvent
  | ExitHandlesEvent;

export type TraceEventType = TraceEvent['type'];
/** The event of one type, for handlers: `EventOf<'wake'>`. */
export type EventOf<T extends TraceEventType> = Extract<TraceEvent, { type: T }>;

// --- the runtime's instrument interface: one optional hook per `hook` record ---

/**
 * How the runtime reports what it does (trio's `Instrument`, Effect's `Supervisor`);
 * every hook is optional. Hooks never carry times: the instrument reads its own clock.
 */
export interface Instrument {
  // --- sites -------------------------------------------------------------------
  /** Site ids `base .. base + sites.length - 1` now mean these `file:line:col` strings (1-based, original source). */
  sitesRegistered?(base: number, sites: readonly string[]): void;
  // --- tasks -------------------------------------------------------------------
  taskCreated?(taskId: number, parentId: number, name: string, site: number): void;
  taskRenamed?(taskId: number, name: string): void;
  /** The task starts a running slice (one step of its body, until its next suspension). */
  taskRunBegin?(taskId: number): void;
  taskRunEnd?(taskId: number): void;
  /** The task finished; `message` is the error's message (or the cancel message), '' for ok. */
  taskDone?(taskId: number, outcome: Outcome, message: string): void;
  // --- awaits ------------------------------------------------------------------
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
  // --- resources ---------------------------------------------------------------
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
  // --- the loop ----------------------------------------------------------------
  callbackScheduled?(handleId: number, kind: CallbackKind, delayMs: number, site: number): void;
  callbackBegin?(handleId: number): void;
  callbackEnd?(handleId: number): void;
  /** One turn of the loop (ready callbacks + task steps) starts / ends: the tracer times blocked loops from these. */
  loopTurnBegin?(): void;
  loopTurnEnd?(): void;
  // --- executors ---------------------------------------------------------------
  jobSubmitted?(jobId: number, executorId: number, fnName: string, site: number): void;
  jobStarted?(jobId: number, workerIndex: number): void;
  jobFinished?(jobId: number, outcome: Outcome, message: string): void;
  // --- streams -----------------------------------------------------------------
  ioWaitBegin?(streamId: number, taskId: number, op: IoOp, peer: string, site: number): void;
  ioWaitEnd?(streamId: number, taskId: number, bytes: number, outcome: Outcome): void;
  // --- tasks -------------------------------------------------------------------
  /**
   * A task failed (never written on the non-failing path): after its `taskDone`, as late as when tracing stops. `site`:
   * where the error was thrown, the innermost frame of its stack in user code (not the runtime, node_modules or
   * node:internal), 0 when `stack` names none. `retrieved`: 1 when the error had been retrieved by then, else 0 until
   * a `taskErrorRetrieved` says so: a failed task with neither is the runtime's "Task exception was never retrieved".
   */
  taskErrorThrown?(taskId: number, site: number, retrieved: number): void;
  /** The error of failed task `taskId` was retrieved after it failed (awaited, `result()`, `exception()`, gather...): once per task. */
  taskErrorRetrieved?(taskId: number): void;
}

/** The hook names, for dispatch tables and for tests that check every hook is reachable. */
export type HookName = keyof Instrument;
/** Every hook, in record order. */
export const HOOK_NAMES = ['sitesRegistered', 'taskCreated', 'taskRenamed', 'taskRunBegin', 'taskRunEnd', 'taskDone', 'awaitBegin', 'awaitEnd', 'wake', 'resourceCreated', 'resourceWaitBegin', 'resourceWaitAbandoned', 'resourceAcquired', 'resourceReleased', 'resourceSignal', 'resourceLevel', 'callbackScheduled', 'callbackBegin', 'callbackEnd', 'loopTurnBegin', 'loopTurnEnd', 'jobSubmitted', 'jobStarted', 'jobFinished', 'ioWaitBegin', 'ioWaitEnd', 'taskErrorThrown', 'taskErrorRetrieved'] as const satisfies readonly HookName[];
/** How many arguments each hook takes. */
export const HOOK_ARITY = { sitesRegistered: 2, taskCreated: 4, taskRenamed: 2, taskRunBegin: 1, taskRunEnd: 1, taskDone: 3, awaitBegin: 4, awaitEnd: 3, wake: 4, resourceCreated: 5, resourceWaitBegin: 3, resourceWaitAbandoned: 3, resourceAcquired: 3, resourceReleased: 3, resourceSignal: 4, resourceLevel: 2, callbackScheduled: 4, callbackBegin: 1, callbackEnd: 1, loopTurnBegin: 0, loopTurnEnd: 0, jobSubmitted: 4, jobStarted: 2, jobFinished: 3, ioWaitBegin: 5, ioWaitEnd: 4, taskErrorThrown: 3, taskErrorRetrieved: 1 } as const satisfies Record<HookName, number>;

// --- the encoder's writers: one specialised method per record ---

/** Per-record writers over the encoder's primitives (trace/encoder.ts implements them). */
export abstract class RecordWriter {
  protected abstract readonly u32: Uint32Array;
  protected abstract readonly f64: Float64Array;
  /** Starts a record; returns the u32 index of its first word. */
  protected abstract rec(time: number, type: number, code: number): number;
  /** The string-table index of `s` (interned). */
  protected abstract str(s: string): number;
  /** Defines `list` as fresh consecutive strings; returns the first index. */
  protected abstract strings(list: readonly string[]): number;

  sitesRegistered(time: number, base: number, sites: readonly string[]): void {
    const sites$ = this.strings(sites);
    const w = this.rec(time, 1, 0);
    this.u32[w + 3] = base;
    this.u32[w + 4] = sites.length;
    this.u32[w + 5] = sites$;
  }

  taskCreated(time: number, taskId: number, parentId: number, name: string, site: number): void {
    const name$ = this.str(name);
    const w = this.rec(time, 2, 0);
    this.u32[w + 3] = taskId;
    this.u32[w + 4] = parentId;
    this.u32[w + 5] = name$;
    this.u32[w + 6] = site;
  }

  taskRenamed(time: number, taskId: number, name: string): void {
    const name$ = this.str(name);
    const w = this.rec(time, 3, 0);
    this.u32[w + 3] = taskId;
    this.u32[w + 4] = name$;
  }

  taskRunBegin(time: number, taskId: number): void {
    const w = this.rec(time, 4, 0);
    this.u32[w + 3] = taskId;
  }

  taskRunEnd(time: number, taskId: number): void {
    const w = this.rec(time, 5, 0);
    this.u32[w + 3] = taskId;
  }

  taskDone(time: number, taskId: number, outcome: Outcome, message: string): void {
    const message$ = this.str(message);
    const w = this.rec(time, 6, OUTCOME_CODE[outcome]);
    this.u32[w + 3] = taskId;
    this.u32[w + 4] = message$;
  }

  awaitBegin(time: number, taskId: number, kind: AwaitKind, targetId: number, site: number): void {
    const w = this.rec(time, 7, AWAIT_KIND_CODE[kind]);
    this.u32[w + 3] = taskId;
    this.u32[w + 4] = targetId;
    this.u32[w + 5] = site;
  }

  awaitEnd(time: number, taskId: number, targetId: number, outcome: Outcome): void {
    const w = this.rec(time, 8, OUTCOME_CODE[outcome]);
    this.u32[w + 3] = taskId;
    this.u32[w + 4] = targetId;
  }

  wake(time: number, wakerTaskId: number, callbackId: number, wokenTaskId: number, targetId: number): void {
    const w = this.rec(time, 9, 0);
    this.u32[w + 3] = wakerTaskId;
    this.u32[w + 4] = callbackId;
    this.u32[w + 5] = wokenTaskId;
    this.u32[w + 6] = targetId;
  }

  resourceCreated(time: number, resourceId: number, kind: ResourceKind, name: string, site: number, capacity: number): void {
    const name$ = this.str(name);
    const w = this.rec(time, 10, RESOURCE_KIND_CODE[kind]);
    this.u32[w + 3] = resourceId;
    this.u32[w + 4] = name$;
    this.u32[w + 5] = site;
    this.f64[(w >> 1) + 3] = capacity;
  }

  resourceWaitBegin(time: number, resourceId: number, taskId: number, site: number): void {
    const w = this.rec(time, 11, 0);
    this.u32[w + 3] = resourceId;
    this.u32[w + 4] = taskId;
    this.u32[w + 5] = site;
  }

  resourceWaitAbandoned(time: number, resourceId: number, taskId: number, outcome: Outcome): void {
    const w = this.rec(time, 12, OUTCOME_CODE[outcome]);
    this.u32[w + 3] = resourceId;
    this.u32[w + 4] = taskId;
  }

  resourceAcquired(time: number, resourceId: number, taskId: number, site: number): void {
    const w = this.rec(time, 13, 0);
    this.u32[w + 3] = resourceId;
    this.u32[w + 4] = taskId;
    this.u32[w + 5] = site;
  }

  resourceReleased(time: number, resourceId: number, taskId: number, site: number): void {
    const w = this.rec(time, 14, 0);
    this.u32[w + 3] = resourceId;
    this.u32[w + 4] = taskId;
    this.u32[w + 5] = site;
  }

  resourceSignal(time: number, resourceId: number, taskId: number, signal: ResourceSignal, site: number): void {
    const w = this.rec(time, 15, RESOURCE_SIGNAL_CODE[signal]);
    this.u32[w + 3] = resourceId;
    this.u32[w + 4] = taskId;
    this.u32[w + 5] = site;
  }

  resourceLevel(time: number, resourceId: number, level: number): void {
    const w = this.rec(time, 16, 0);
    this.u32[w + 3] = resourceId;
    this.f64[(w >> 1) + 3] = level;
  }

  callbackScheduled(time: number, handleId: number, kind: CallbackKind, delayMs: number, site: number): void {
    const w = this.rec(time, 17, CALLBACK_KIND_CODE[kind]);
    this.u32[w + 3] = handleId;
    this.f64[(w >> 1) + 3] = delayMs;
    this.u32[w + 4] = site;
  }

  callbackBegin(time: number, handleId: number): void {
    const w = this.rec(time, 18, 0);
    this.u32[w + 3] = handleId;
  }

  callbackEnd(time: number, handleId: number): void {
    const w = this.rec(time, 19, 0);
    this.u32[w + 3] = handleId;
  }

  loopTurnBegin(time: number): void {
    this.rec(time, 20, 0);
  }

  loopTurnEnd(time: number): void {
    this.rec(time, 21, 0);
  }

  jobSubmitted(time: number, jobId: number, executorId: number, fnName: string, site: number): void {
    const fnName$ = this.str(fnName);
    const w = this.rec(time, 22, 0);
    this.u32[w + 3] = jobId;
    this.u32[w + 4] = executorId;
    this.u32[w + 5] = fnName$;
    this.u32[w + 6] = site;
  }

  jobStarted(time: number, jobId: number, workerIndex: number): void {
    const w = this.rec(time, 23, 0);
    this.u32[w + 3] = jobId;
    this.u32[w + 4] = workerIndex;
  }

  jobFinished(time: number, jobId: number, outcome: Outcome, message: string): void {
    const message$ = this.str(message);
    const w = this.rec(time, 24, OUTCOME_CODE[outcome]);
    this.u32[w + 3] = jobId;
    this.u32[w + 4] = message$;
  }

  ioWaitBegin(time: number, streamId: number, taskId: number, op: IoOp, peer: string, site: number): void {
    const peer$ = this.str(peer);
    const w = this.rec(time, 25, IO_OP_CODE[op]);
    this.u32[w + 3] = streamId;
    this.u32[w + 4] = taskId;
    this.u32[w + 5] = peer$;
    this.u32[w + 6] = site;
  }

  ioWaitEnd(time: number, streamId: number, taskId: number, bytes: number, outcome: Outcome): void {
    const w = this.rec(time, 26, OUTCOME_CODE[outcome]);
    this.u32[w + 3] = streamId;
    this.u32[w + 4] = taskId;
    this.f64[(w >> 1) + 3] = bytes;
  }

  dropped(time: number, count: number): void {
    const w = this.rec(time, 27, 0);
    this.f64[(w >> 1) + 3] = count;
  }

  loopBlocked(time: number, durationMs: number): void {
    const w = this.rec(time, 28, 0);
    this.f64[(w >> 1) + 3] = durationMs;
  }

  debuggerPaused(time: number, endedBeforeUs: number, durationMs: number): void {
    const w = this.rec(time, 29, 0);
    this.u32[w + 3] = endedBeforeUs;
    this.f64[(w >> 1) + 3] = durationMs;
  }

  taskErrorThrown(time: number, taskId: number, site: number, retrieved: number): void {
    const w = this.rec(time, 30, 0);
    this.u32[w + 3] = taskId;
    this.u32[w + 4] = site;
    this.u32[w + 5] = retrieved;
  }

  taskErrorRetrieved(time: number, taskId: number): void {
    const w = this.rec(time, 31, 0);
    this.u32[w + 3] = taskId;
  }

  exitHandles(time: number, handles: readonly string[]): void {
    const handles$ = this.strings(handles);
    const w = this.rec(time, 32, 0);
    this.u32[w + 3] = handles.length;
    this.u32[w + 4] = handles$;
  }
}

/** Writes a decoded event back through the writers (tools, tests, re-encoding). */
export function writeEvent(w: RecordWriter, e: TraceEvent): void {
  switch (e.type) {
    case 'sitesRegistered': return w.sitesRegistered(e.time, e.base, e.sites);
    case 'taskCreated': return w.taskCreated(e.time, e.taskId, e.parentId, e.name, e.site);
    case 'taskRenamed': return w.taskRenamed(e.time, e.taskId, e.name);
    case 'taskRunBegin': return w.taskRunBegin(e.time, e.taskId);
    case 'taskRunEnd': return w.taskRunEnd(e.time, e.taskId);
    case 'taskDone': return w.taskDone(e.time, e.taskId, e.outcome, e.message);
    case 'awaitBegin': return w.awaitBegin(e.time, e.taskId, e.kind, e.targetId, e.site);
    case 'awaitEnd': return w.awaitEnd(e.time, e.taskId, e.targetId, e.outcome);
    case 'wake': return w.wake(e.time, e.wakerTaskId, e.callbackId, e.wokenTaskId, e.targetId);
    case 'resourceCreated': return w.resourceCreated(e.time, e.resourceId, e.kind, e.name, e.site, e.capacity);
    case 'resourceWaitBegin': return w.resourceWaitBegin(e.time, e.resourceId, e.taskId, e.site);
    case 'resourceWaitAbandoned': return w.resourceWaitAbandoned(e.time, e.resourceId, e.taskId, e.outcome);
    case 'resourceAcquired': return w.resourceAcquired(e.time, e.resourceId, e.taskId, e.site);
    case 'resourceReleased': return w.resourceReleased(e.time, e.resourceId, e.taskId, e.site);
    case 'resourceSignal': return w.resourceSignal(e.time, e.resourceId, e.taskId, e.signal, e.site);
    case 'resourceLevel': return w.resourceLevel(e.time, e.resourceId, e.level);
    case 'callbackScheduled': return w.callbackScheduled(e.time, e.handleId, e.kind, e.delayMs, e.site);
    case 'callbackBegin': return w.callbackBegin(e.time, e.handleId);
    case 'callbackEnd': return w.callbackEnd(e.time, e.handleId);
    case 'loopTurnBegin': return w.loopTurnBegin(e.time);
    case 'loopTurnEnd': return w.loopTurnEnd(e.time);
    case 'jobSubmitted': return w.jobSubmitted(e.time, e.jobId, e.executorId, e.fnName, e.site);
    case 'jobStarted': return w.jobStarted(e.time, e.jobId, e.workerIndex);
    case 'jobFinished': return w.jobFinished(e.time, e.jobId, e.outcome, e.message);
    case 'ioWaitBegin': return w.ioWaitBegin(e.time, e.streamId, e.taskId, e.op, e.peer, e.site);
    case 'ioWaitEnd': return w.ioWaitEnd(e.time, e.streamId, e.taskId, e.bytes, e.outcome);
    case 'dropped': return w.dropped(e.time, e.count);
    case 'loopBlocked': return w.loopBlocked(e.time, e.durationMs);
    case 'debuggerPaused': return w.debuggerPaused(e.time, e.endedBeforeUs, e.durationMs);
    case 'taskErrorThrown': return w.taskErrorThrown(e.time, e.taskId, e.site, e.retrieved);
    case 'taskErrorRetrieved': return w.taskErrorRetrieved(e.time, e.taskId);
    case 'exitHandles': return w.exitHandles(e.time, e.handles);
  }
}

// --- the decoder's readers ---

/** What a reader needs from the decoder: the string table (`at`: the byte offset, for errors). */
export interface StringSource {
  str(index: number, at: number): string;
  strings(first: number, count: number, at: number): string[];
}

/**
 * The event of the record at `p` (stream offset `at`), whose type and code the caller
 * has checked against MAX_RECORD_TYPE and CODE_COUNT; undefined for a type not in the table.
 */
export function readRecord(src: StringSource, dv: DataView, p: number, at: number, type: number, code: number, time: number): TraceEvent | undefined {
  switch (type) {
    case 1: return { type: 'sitesRegistered', time, base: dv.getUint32(p + 12, true), sites: src.strings(dv.getUint32(p + 20, true), dv.getUint32(p + 16, true), at + 20) };
    case 2: return { type: 'taskCreated', time, taskId: dv.getUint32(p + 12, true), parentId: dv.getUint32(p + 16, true), name: src.str(dv.getUint32(p + 20, true), at + 20), site: dv.getUint32(p + 24, true) };
    case 3: return { type: 'taskRenamed', time, taskId: dv.getUint32(p + 12, true), name: src.str(dv.getUint32(p + 16, true), at + 16) };
    case 4: return { type: 'taskRunBegin', time, taskId: dv.getUint32(p + 12, true) };
    case 5: return { type: 'taskRunEnd', time, taskId: dv.getUint32(p + 12, true) };
    case 6: return { type: 'taskDone', time, taskId: dv.getUint32(p + 12, true), outcome: OUTCOMES[code]!, message: src.str(dv.getUint32(p + 16, true), at + 16) };
    case 7: return { type: 'awaitBegin', time, taskId: dv.getUint32(p + 12, true), kind: AWAIT_KINDS[code]!, targetId: dv.getUint32(p + 16, true), site: dv.getUint32(p + 20, true) };
    case 8: return { type: 'awaitEnd', time, taskId: dv.getUint32(p + 12, true), targetId: dv.getUint32(p + 16, true), outcome: OUTCOMES[code]! };
    case 9: return { type: 'wake', time, wakerTaskId: dv.getUint32(p + 12, true), callbackId: dv.getUint32(p + 16, true), wokenTaskId: dv.getUint32(p + 20, true), targetId: dv.getUint32(p + 24, true) };
    case 10: return { type: 'resourceCreated', time, resourceId: dv.getUint32(p + 12, true), kind: RESOURCE_KINDS[code]!, name: src.str(dv.getUint32(p + 16, true), at + 16), site: dv.getUint32(p + 20, true), capacity: dv.getFloat64(p + 24, true) };
    case 11: return { type: 'resourceWaitBegin', time, resourceId: dv.getUint32(p + 12, true), taskId: dv.getUint32(p + 16, true), site: dv.getUint32(p + 20, true) };
    case 12: return { type: 'resourceWaitAbandoned', time, resourceId: dv.getUint32(p + 12, true), taskId: dv.getUint32(p + 16, true), outcome: OUTCOMES[code]! };
    case 13: return { type: 'resourceAcquired', time, resourceId: dv.getUint32(p + 12, true), taskId: dv.getUint32(p + 16, true), site: dv.getUint32(p + 20, true) };
    case 14: return { type: 'resourceReleased', time, resourceId: dv.getUint32(p + 12, true), taskId: dv.getUint32(p + 16, true), site: dv.getUint32(p + 20, true) };
    case 15: return { type: 'resourceSignal', time, resourceId: dv.getUint32(p + 12, true), taskId: dv.getUint32(p + 16, true), signal: RESOURCE_SIGNALS[code]!, site: dv.getUint32(p + 20, true) };
    case 16: return { type: 'resourceLevel', time, resourceId: dv.getUint32(p + 12, true), level: dv.getFloat64(p + 24, true) };
    case 17: return { type: 'callbackScheduled', time, handleId: dv.getUint32(p + 12, true), kind: CALLBACK_KINDS[code]!, delayMs: dv.getFloat64(p + 24, true), site: dv.getUint32(p + 16, true) };
    case 18: return { type: 'callbackBegin', time, handleId: dv.getUint32(p + 12, true) };
    case 19: return { type: 'callbackEnd', time, handleId: dv.getUint32(p + 12, true) };
    case 20: return { type: 'loopTurnBegin', time };
    case 21: return { type: 'loopTurnEnd', time };
    case 22: return { type: 'jobSubmitted', time, jobId: dv.getUint32(p + 12, true), executorId: dv.getUint32(p + 16, true), fnName: src.str(dv.getUint32(p + 20, true), at + 20), site: dv.getUint32(p + 24, true) };
    case 23: return { type: 'jobStarted', time, jobId: dv.getUint32(p + 12, true), workerIndex: dv.getUint32(p + 16, true) };
    case 24: return { type: 'jobFinished', time, jobId: dv.getUint32(p + 12, true), outcome: OUTCOMES[code]!, message: src.str(dv.getUint32(p + 16, true), at + 16) };
    case 25: return { type: 'ioWaitBegin', time, streamId: dv.getUint32(p + 12, true), taskId: dv.getUint32(p + 16, true), op: IO_OPS[code]!, peer: src.str(dv.getUint32(p + 20, true), at + 20), site: dv.getUint32(p + 24, true) };
    case 26: return { type: 'ioWaitEnd', time, streamId: dv.getUint32(p + 12, true), taskId: dv.getUint32(p + 16, true), bytes: dv.getFloat64(p + 24, true), outcome: OUTCOMES[code]! };
    case 27: return { type: 'dropped', time, count: dv.getFloat64(p + 24, true) };
    case 28: return { type: 'loopBlocked', time, durationMs: dv.getFloat64(p + 24, true) };
    case 29: return { type: 'debuggerPaused', time, endedBeforeUs: dv.getUint32(p + 12, true), durationMs: dv.getFloat64(p + 24, true) };
    case 30: return { type: 'taskErrorThrown', time, taskId: dv.getUint32(p + 12, true), site: dv.getUint32(p + 16, true), retrieved: dv.getUint32(p + 20, true) };
    case 31: return { type: 'taskErrorRetrieved', time, taskId: dv.getUint32(p + 12, true) };
    case 32: return { type: 'exitHandles', time, handles: src.strings(dv.getUint32(p + 16, true), dv.getUint32(p + 12, true), at + 16) };
    default: return undefined;
  }
}
