/**
 * A whole trace file as a model whose time 0 is its first root task's start, so two
 * runs share one time axis in the compare view (the axis reads "ms since main began"
 * on both charts). Moving every event by the same amount keeps every duration.
 */
import { decodeTrace } from '../../trace/decoder';
import type { TraceEvent } from '../../trace/events';
import { TraceModel } from '../../trace/model';

export interface AlignedTrace {
  model: TraceModel;
  /** Trace time of the first root task's creation, subtracted from every event. */
  shiftMs: number;
  /** Why the file is not whole (decoding stopped early), '' when it is. */
  problem: string;
}

export function alignedModel(bytes: Uint8Array): AlignedTrace {
  const decoded = decodeTrace(bytes);
  const root = decoded.events.find((e) => e.type === 'taskCreated' && e.parentId === 0);
  const shiftMs = root?.time ?? decoded.events[0]?.time ?? 0;
  const model = new TraceModel();
  model.setHeader(decoded.header);
  model.apply(decoded.events.map((e): TraceEvent => ({ ...e, time: e.time - shiftMs })));
  const problem = decoded.complete ? '' : `${decoded.error ?? 'truncated'} (whole batches end at byte ${decoded.stoppedAt})`;
  return { model, shiftMs, problem };
}
