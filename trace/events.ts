/**
 * Decoded trace events: what trace/decoder.ts yields and trace/model.ts consumes. The
 * types are generated from the record table (trace/records.ts): one event type per
 * record, named after it, with the hook's parameter names exactly; strings are inline
 * (the decoder resolves string-table references), sites are numeric site ids (resolve
 * them through the `sitesRegistered` events). Every event carries `time`: milliseconds
 * since the header's clock origin. Within one stream `time` never decreases.
 *
 * Two events do not come from a hook (`from: 'tracer'` in the table):
 * - `dropped`: the tracer's buffer was full and `count` events were lost just before
 *   `time` (exact count).
 * - `loopBlocked`: one loop turn or task step ran `durationMs`, longer than the
 *   tracer's threshold; `time` is when it ended.
 */
export type {
  AwaitBeginEvent, AwaitEndEvent, CallbackBeginEvent, CallbackEndEvent, CallbackScheduledEvent,
  DroppedEvent, EventOf, IoWaitBeginEvent, IoWaitEndEvent, JobFinishedEvent, JobStartedEvent,
  JobSubmittedEvent, LoopBlockedEvent, LoopTurnBeginEvent, LoopTurnEndEvent, ResourceAcquiredEvent,
  ResourceCreatedEvent, ResourceLevelEvent, ResourceReleasedEvent, ResourceSignalEvent,
  ResourceWaitAbandonedEvent, ResourceWaitBeginEvent, SitesRegisteredEvent, TaskCreatedEvent,
  TaskDoneEvent, TaskRenamedEvent, TaskRunBeginEvent, TaskRunEndEvent, TraceEvent, TraceEventType,
  WakeEvent,
} from './records.generated';
export type { AwaitKind, CallbackKind, IoOp, Outcome, ResourceKind, ResourceSignal } from './vocabulary';
export type { TraceHeader } from './model-types';
