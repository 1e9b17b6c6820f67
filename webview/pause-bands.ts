/**
 * Debugger pauses in the chart (issue 15): a band across every lane per pause, and what
 * hovering one says. The model's pauses are already in trace time (trace/pauses.ts).
 */
import type { TraceModelView, TraceTime } from '../trace/model-types';
import { pauseLabel } from '../trace/pauses';
import type { SpanInfo } from './describe';
import { formatTime } from './format';
import type { Band } from './renderer';

/** One band per pause, labelled "paused in debugger 3.0 s". */
export function pauseBands(model: TraceModelView): Band[] {
  return (model.pauses ?? []).map((p) => ({ begin: p.begin, end: p.end, label: pauseLabel(p) }));
}

/** The tooltip of the pause at time `t` (none outside pauses). */
export function pauseAt(model: TraceModelView, t: TraceTime): SpanInfo | undefined {
  const p = (model.pauses ?? []).find((x) => x.begin <= t && t <= x.end);
  if (!p) return undefined;
  const start = model.startTime;
  return {
    title: pauseLabel(p),
    taskId: 0,
    begin: p.begin,
    end: p.end,
    site: undefined,
    rows: [
      ['from', formatTime(p.begin - start)],
      ['to', formatTime(p.end - start)],
      ['note', 'the program was stopped: waits, holds and durations leave this time out'],
    ],
  };
}
