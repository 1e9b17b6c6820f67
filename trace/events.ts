/**
 * Decoded trace events: what trace/decoder.ts yields and trace/model.ts consumes.
 *
 * One event type per Instrument hook (runtime/instrument-types.ts), named after the hook,
 * with the hook's parameter names exactly; strings are inline (the decoder resolves
 * string-table references), sites are numeric site ids (resolve them through the
 * `sitesRegistered` events). Every event carries `time`: milliseconds since the header's
 * clock origin. Within one stream `time` never decreases (the encoder enforces it).
 *
 * Two events do not come from a hook:
 * - `dropped`: the tracer's buffer was full and `count` events were lost just before
 *   `time` (exact count).
 * - `loopBlocked`: one loop turn (loopTurnBegin..loopTurnEnd) ran `durationMs`, longer
 *   than the tracer's threshold; `time` is when the turn ended.
 *
 * Keep this file in step with docs/trace-format.md and trace/format.ts.
 */
import type {
  AwaitKind, CallbackKind, IoOp, Outcome, ResourceKind, ResourceSignal,
} from '../runtime/instrument-types';

export type { AwaitKind, CallbackKind, IoOp, Outcome, ResourceKind, ResourceSignal };
/** Re-exported so the runtime's tracer can name the header without importing the model side. */
export type { TraceHeader } from './model-types';

interface At<T extends string> {
  type: T;
  /** Milliseconds since the header's clock origin. */
  time: number;
}

export interface SitesRegisteredEvent extends At<'sitesRegistered'> { base: number; sites: string[] }

export interface TaskCreatedEvent extends At<'taskCreated'> { taskId: number; parentId: number; name: string; site: number }
export interface TaskRenamedEvent extends At<'taskRenamed'> { taskId: number; name: string }
export interface TaskRunBeginEvent extends At<'taskRunBegin'> { taskId: number }
export interface TaskRunEndEvent extends At<'taskRunEnd'> { taskId: number }
export interface TaskDoneEvent extends At<'taskDone'> { taskId: number; outcome: Outcome; message: string }

export interface AwaitBeginEvent extends At<'awaitBegin'> { taskId: number; kind: AwaitKind; targetId: number; site: number }
export interface AwaitEndEvent extends At<'awaitEnd'> { taskId: number; targetId: number; outcome: Outcome }
export interface WakeEvent extends At<'wake'> { wakerTaskId: number; callbackId: number; wokenTaskId: number; targetId: number }

export interface ResourceCreatedEvent extends At<'resourceCreated'> {
  resourceId: number; kind: ResourceKind; name: string; site: number; capacity: number;
}
export interface ResourceWaitBeginEvent extends At<'resourceWaitBegin'> { resourceId: number; taskId: number; site: number }
export interface ResourceWaitAbandonedEvent extends At<'resourceWaitAbandoned'> { resourceId: number; taskId: number; outcome: Outcome }
export interface ResourceAcquiredEvent extends At<'resourceAcquired'> { resourceId: number; taskId: number; site: number }
export interface ResourceReleasedEvent extends At<'resourceReleased'> { resourceId: number; taskId: number; site: number }
export interface ResourceSignalEvent extends At<'resourceSignal'> { resourceId: number; taskId: number; signal: ResourceSignal; site: number }
export interface ResourceLevelEvent extends At<'resourceLevel'> { resourceId: number; level: number }

export interface CallbackScheduledEvent extends At<'callbackScheduled'> { handleId: number; kind: CallbackKind; delayMs: number; site: number }
export interface CallbackBeginEvent extends At<'callbackBegin'> { handleId: number }
export interface CallbackEndEvent extends At<'callbackEnd'> { handleId: number }
export type LoopTurnBeginEvent = At<'loopTurnBegin'>;
export type LoopTurnEndEvent = At<'loopTurnEnd'>;

export interface JobSubmittedEvent extends At<'jobSubmitted'> { jobId: number; executorId: number; fnName: string; site: number }
export interface JobStartedEvent extends At<'jobStarted'> { jobId: number; workerIndex: number }
export interface JobFinishedEvent extends At<'jobFinished'> { jobId: number; outcome: Outcome; message: string }

export interface IoWaitBeginEvent extends At<'ioWaitBegin'> { streamId: number; taskId: number; op: IoOp; peer: string; site: number }
export interface IoWaitEndEvent extends At<'ioWaitEnd'> { streamId: number; taskId: number; bytes: number; outcome: Outcome }

export interface DroppedEvent extends At<'dropped'> { count: number }
export interface LoopBlockedEvent extends At<'loopBlocked'> { durationMs: number }

export type TraceEvent =
  | SitesRegisteredEvent
  | TaskCreatedEvent | TaskRenamedEvent | TaskRunBeginEvent | TaskRunEndEvent | TaskDoneEvent
  | AwaitBeginEvent | AwaitEndEvent | WakeEvent
  | ResourceCreatedEvent | ResourceWaitBeginEvent | ResourceWaitAbandonedEvent
  | ResourceAcquiredEvent | ResourceReleasedEvent | ResourceSignalEvent | ResourceLevelEvent
  | CallbackScheduledEvent | CallbackBeginEvent | CallbackEndEvent | LoopTurnBeginEvent | LoopTurnEndEvent
  | JobSubmittedEvent | JobStartedEvent | JobFinishedEvent
  | IoWaitBeginEvent | IoWaitEndEvent
  | DroppedEvent | LoopBlockedEvent;

export type TraceEventType = TraceEvent['type'];

/** The event of one type, for handlers: `EventOf<'wake'>`. */
export type EventOf<T extends TraceEventType> = Extract<TraceEvent, { type: T }>;
