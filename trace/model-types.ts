/**
 * The trace model's shape: what the extension, the webview and the CLI read. Built
 * incrementally by trace/model.ts from decoded events; pure data, no Node or DOM.
 *
 * Times are `TraceTime`: milliseconds since the trace's clock origin (header), as
 * float64. Ids are the runtime's ids (one id space per process), unique per trace.
 * Arrays are in time order. Open intervals (a task still running, an await not yet
 * ended while the program runs) have `end === undefined`.
 */
import type { AwaitKind, CallbackKind, IoOp, Outcome, ResourceKind } from './vocabulary';

export type { AwaitKind, CallbackKind, IoOp, Outcome, ResourceKind };

/** Milliseconds since the trace's clock origin. */
export type TraceTime = number;

/** A position in the program's original source (TS when built with site marks). */
export interface Site {
  /** As recorded: relative to the header's `root` when inside it, else absolute. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** What the await at this site awaits, as written (`fetchPage()`), when it awaits a call (build-time marks). */
  label?: string;
  /** The named functions around the site, outermost first (`Cache.get`), when build-time marks know them. */
  fn?: string;
}

export interface TraceHeader {
  formatVersion: number;
  /** Wall-clock milliseconds (Unix epoch) at TraceTime 0. */
  clockOriginUnixMs: number;
  /** The program as given to the recorder (path relative to `root`). */
  program: string;
  /** Absolute folder that relative site paths are relative to. */
  root: string;
  runtimeVersion: string;
  nodeVersion: string;
  pid: number;
}

export interface TaskModel {
  id: number;
  name: string;
  /** 0 for a root task. */
  parentId: number;
  site: Site | undefined;
  createdAt: TraceTime;
  endedAt: TraceTime | undefined;
  outcome: Outcome | undefined;
  /** Error or cancel message when outcome is error/cancelled. */
  message: string;
  /** Running slices, time ordered, non-overlapping (read by index: the model keeps them in columns). */
  readonly runs: SpanList<Interval>;
  /** Where a failed task's error was thrown (the innermost frame in user code), when the trace says. */
  errorSite?: Site;
  /** For a failed task: false when the runtime reported its error as never retrieved; undefined when the trace does not say. */
  errorRetrieved?: boolean;
  /** Every await of the task, time ordered by begin; nesting by `depth` (read by index: the model keeps them in columns). */
  readonly awaits: AwaitList;
  children: number[];
  /**
   * The latest event of the task itself (created, renamed, a run or await boundary, its
   * end); with the trace's drop gaps this tells whether its end may have been dropped
   * (trace/gaps.ts). Unset in hand-built models: the creation time counts.
   */
  lastSeenAt?: TraceTime;
}

export interface Interval {
  begin: TraceTime;
  end: TraceTime | undefined;
}

/**
 * A list read by index and iteration. The model keeps its wakes, I/O waits, holds and
 * waits in typed-array columns (trace/span-columns.ts) and makes an object per `at(i)`
 * or iteration step (a new one each time: compare items by index, never by identity);
 * hand-built models (fixtures) pass arrays, which are ReadLists too.
 */
export interface ReadList<T> extends Iterable<T> {
  readonly length: number;
  /** The i-th item; undefined past the end. Pass only 0..length-1 (an array counts a negative i from its end). */
  at(i: number): T | undefined;
}

/**
 * A task's spans in time order, read by index (trace/span-columns.ts): the model keeps
 * them in typed-array columns, not as objects. `at(i)` and iteration make a span object
 * on demand (a new one each time: compare spans by index, never by identity); the other
 * accessors read one field without making one.
 */
export interface SpanList<T extends Interval> extends Iterable<T> {
  readonly length: number;
  /** The i-th span as a new object; undefined outside 0..length-1 (no counting from the end, unlike Array.at). */
  at(i: number): T | undefined;
  begin(i: number): TraceTime;
  end(i: number): TraceTime | undefined;
}

/** A task's awaits (see SpanList), with their fields one at a time. */
export interface AwaitList extends SpanList<AwaitSpan> {
  kind(i: number): AwaitKind;
  depth(i: number): number;
  targetId(i: number): number;
  site(i: number): Site | undefined;
  outcome(i: number): Outcome | undefined;
}

export interface AwaitSpan extends Interval {
  taskId: number;
  kind: AwaitKind;
  /** What was awaited: a task, future, resource, job or stream id; 0 for a plain promise. */
  targetId: number;
  site: Site | undefined;
  /** 0 for an await directly in the task body; n+1 for an await made inside an async call that is itself awaited at depth n. */
  depth: number;
  outcome: Outcome | undefined;
  /** Index of the wake edge that ended this await, if known. */
  wake: WakeEdge | undefined;
}

export interface WakeEdge {
  time: TraceTime;
  /** 0 when the waker was not a task (a loop callback, a worker message, I/O). */
  wakerTaskId: number;
  /** The loop callback that was running, 0 if none. */
  callbackId: number;
  wokenTaskId: number;
  targetId: number;
}

export interface ResourceModel {
  id: number;
  kind: ResourceKind;
  name: string;
  site: Site | undefined;
  capacity: number;
  createdAt: TraceTime;
  /** Grant to release (for locks/semaphores/conditions), in grant order (read by index: the model keeps them in columns). */
  readonly holds: ReadList<HoldSpan>;
  /** Contended waits: request to grant (or to abandonment), in request order (read by index, like holds). */
  readonly waits: ReadList<WaitSpan>;
  /** Queue length / semaphore value / barrier count over time (step function). */
  levels: { time: TraceTime; level: number }[];
  signals: { time: TraceTime; taskId: number; signal: string; site: Site | undefined }[];
}

export interface HoldSpan extends Interval {
  taskId: number;
  site: Site | undefined;
  releaseSite: Site | undefined;
}

export interface WaitSpan extends Interval {
  taskId: number;
  site: Site | undefined;
  /** 'ok' when granted, else how the wait was abandoned; undefined while waiting. */
  outcome: Outcome | undefined;
}

export interface CallbackSpan extends Interval {
  handleId: number;
  kind: CallbackKind;
  site: Site | undefined;
  /** The task running when the callback was scheduled (0: none), and when: a task's completion schedules the callbacks that wake its awaiters. */
  scheduledBy: number;
  scheduledAt: TraceTime | undefined;
}

export interface JobSpan {
  jobId: number;
  executorId: number;
  fnName: string;
  site: Site | undefined;
  submittedAt: TraceTime;
  startedAt: TraceTime | undefined;
  endedAt: TraceTime | undefined;
  workerIndex: number;
  outcome: Outcome | undefined;
  message: string;
}

export interface IoWaitSpan extends Interval {
  streamId: number;
  taskId: number;
  op: IoOp;
  peer: string;
  bytes: number;
  outcome: Outcome | undefined;
  site: Site | undefined;
}

/**
 * Events the tracer could not record (its reader fell behind): `count` of them, all
 * after the event at `begin` (the last one recorded before them) and before `end` (the
 * `dropped` record). Anything could have happened in between.
 */
export interface DropGap {
  begin: TraceTime;
  end: TraceTime;
  count: number;
}

/** An interval the debuggee was paused in a debugger (a `debuggerPaused` record), in trace time. */
export interface PauseSpan {
  begin: TraceTime;
  end: TraceTime;
}

/** A loop turn that ran longer than the recorder's threshold. */
export interface BlockedSpan extends Interval {
  durationMs: number;
}

/** Contention statistics of one resource (the CLI's `stats --json` resource entry). */
export interface ResourceStats {
  resourceId: number;
  kind: ResourceKind;
  name: string;
  site: string | undefined;
  acquisitions: number;
  contended: number;
  totalWaitMs: number;
  maxWaitMs: number;
  p50WaitMs: number;
  p99WaitMs: number;
  totalHoldMs: number;
  maxHoldMs: number;
  maxWaiters: number;
  topWaitSites: { site: string; count: number; totalWaitMs: number }[];
  topHoldSites: { site: string; count: number; totalHoldMs: number }[];
}

/**
 * The read side of the model. The webview renders from this; the extension and the
 * CLI query it. Implementations must allow `append` while readers hold references
 * (live traces grow).
 */
export interface TraceModelView {
  readonly header: TraceHeader | undefined;
  /** Events decoded so far. */
  readonly eventCount: number;
  readonly droppedEvents: number;
  /** Where the dropped events were, in time order (their counts add up to `droppedEvents`). */
  readonly gaps: readonly DropGap[];
  /** Earliest and latest time seen. */
  readonly startTime: TraceTime;
  readonly endTime: TraceTime;
  /** Tasks in creation order. */
  readonly tasks: readonly TaskModel[];
  task(id: number): TaskModel | undefined;
  readonly resources: readonly ResourceModel[];
  resource(id: number): ResourceModel | undefined;
  readonly wakes: ReadList<WakeEdge>;
  readonly callbacks: readonly CallbackSpan[];
  readonly jobs: readonly JobSpan[];
  readonly ioWaits: ReadList<IoWaitSpan>;
  readonly blocked: readonly BlockedSpan[];
  /**
   * When a debugger had the program paused (`debuggerPaused` records), sorted, in trace
   * time; waits, holds and durations leave them out (trace/pauses.ts). Optional: models
   * built by hand have none.
   */
  readonly pauses?: readonly PauseSpan[];
  /** Node's active resources (`process.getActiveResourcesInfo()`, the tracer's own left out) when the process was stopped; undefined when not recorded. */
  readonly exitHandles?: readonly string[];
  /** Awaits of `taskId` that overlap [from, to]. */
  awaitsIn(taskId: number, from: TraceTime, to: TraceTime): AwaitSpan[];
  /** The chain of awaits open in `taskId` at `time`, outermost first (main → fetchPage → await sleep). */
  awaitChainAt(taskId: number, time: TraceTime): AwaitSpan[];
  /** Who held `resourceId` at `time` (several for a semaphore). */
  holdersAt(resourceId: number, time: TraceTime): HoldSpan[];
  contention(): ResourceStats[];
  /** Format a site as `file:line:col` (relative to the root). */
  siteString(site: Site): string;
}
