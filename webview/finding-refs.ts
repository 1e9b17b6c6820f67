/**
 * Findings on the chart, pure: the spans a finding points at as SpanRefs (model
 * indices, like any selection), the arrows that explain it (a deadlock's "waits for"
 * from each waiter to the holder of what it waits for; a held lock's waiters behind
 * the holder's await), and the critical path as marks in layout space (traceTime,
 * layoutY), one per segment on its task's lane, so the canvas only draws boxes.
 */
import type { CriticalPath, Finding, FindingSpan } from '../trace/analysis/finding-types';
import type { ReadList, TraceModelView, TraceTime } from '../trace/model-types';
import { laneById, type FlameLayout, type SpanRef } from './flame-layout';
import { resourceLaneId, taskLaneId, type LaneId } from './lane-id';
import type { Arrow, Mark } from './renderer';

/** Index of the span among `n` (sorted by begin, `beginAt(i)`) that begins at `begin`. */
function indexAt(n: number, beginAt: (i: number) => TraceTime, begin: TraceTime): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (beginAt(mid) < begin) lo = mid + 1; else hi = mid;
  }
  return lo < n && beginAt(lo) === begin ? lo : -1;
}

export function spanRef(model: TraceModelView, s: FindingSpan): SpanRef | undefined {
  if (s.type === 'await' || s.type === 'run') {
    const task = model.task(s.taskId);
    if (!task) return undefined;
    if (s.type === 'run') { const i = indexAt(task.runs.length, (j) => task.runs.begin(j), s.begin); return i < 0 ? undefined : { kind: 'run', taskId: s.taskId, index: i }; }
    const i = indexAt(task.awaits.length, (j) => task.awaits.begin(j), s.begin);
    return i < 0 ? undefined : { kind: 'await', taskId: s.taskId, index: i };
  }
  const r = model.resource(s.resourceId);
  if (!r) return undefined;
  const list: ReadList<{ begin: TraceTime; taskId: number }> = s.type === 'wait' ? r.waits : r.holds;
  // Several tasks may wait or hold from the same instant: the one of this task.
  for (let i = indexAt(list.length, (j) => list.at(j)!.begin, s.begin); i >= 0 && i < list.length && list.at(i)!.begin === s.begin; i++) {
    if (list.at(i)!.taskId === s.taskId) return { kind: s.type, resourceId: s.resourceId, index: i };
  }
  return undefined;
}

/** Every span of the finding that the model has, primary first. */
export function findingRefs(model: TraceModelView, f: Finding): SpanRef[] {
  return f.spans.map((s) => spanRef(model, s)).filter((r): r is SpanRef => r !== undefined);
}

function laneY(layout: FlameLayout, id: LaneId): number | undefined {
  const l = laneById(layout, id);
  return l ? l.y + Math.min(9, l.height / 2) : undefined;
}

/** Arrows that explain a finding, in layout space; lanes filtered out get none. */
export function findingArrows(model: TraceModelView, layout: FlameLayout, f: Finding): Arrow[] {
  const out: Arrow[] = [];
  if (f.kind === 'deadlock') {
    // The cycle in order: each task waits for the next one. The arrow runs from where the
    // next one took what it holds (its grant, the hold span) to the waiter at the moment
    // the cycle closed; for a task awaited, from that task's lane at the same moment.
    const at = f.at;
    f.taskIds.forEach((id, i) => {
      const next = f.taskIds[(i + 1) % f.taskIds.length];
      const hold = f.spans.find((s) => s.type === 'hold' && s.taskId === next);
      const from = laneY(layout, taskLaneId(next)), to = laneY(layout, taskLaneId(id));
      // Unlabelled: the arrows of a two-task cycle cross at their middles, where labels go; the row says who holds what.
      if (from !== undefined && to !== undefined) out.push({ fromT: hold?.begin ?? at, fromY: from, toT: at, toY: to, label: '' });
    });
  }
  if (f.kind === 'lock-held-across-await') {
    const rid = f.resourceIds[0];
    const r = model.resource(rid);
    const ry = laneY(layout, resourceLaneId(rid));
    // The first few holds: from the resource lane (its waiters) to the holder's await inside the hold.
    for (const s of f.spans.slice(0, 12)) {
      if (s.type !== 'await' || !r || ry === undefined) continue;
      const ty = laneY(layout, taskLaneId(s.taskId));
      if (ty !== undefined) out.push({ fromT: s.begin, fromY: ry, toT: s.begin, toY: ty, label: 'held across' });
    }
  }
  return out;
}

/** The critical path as marks on its tasks' lanes (a thin band along the lane's first row), in time order. */
export function criticalPathMarks(layout: FlameLayout, path: CriticalPath): (Mark & { taskId: number })[] {
  const out: (Mark & { taskId: number })[] = [];
  for (const s of path.segments) {
    const lane = laneById(layout, taskLaneId(s.taskId));
    const row = lane?.tracks[0];
    if (!lane || !row) continue;
    out.push({ begin: s.begin, end: s.end, y: row.y + row.height - 4, height: 4, taskId: s.taskId });
  }
  return out;
}
