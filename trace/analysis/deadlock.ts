/**
 * Deadlocks: cycles in the wait-for graph, at any moment of the trace.
 *
 * The graph at time t: a task waiting for a lock or a semaphore (request → grant) points
 * at every task holding it then; a task awaiting a task points at that task. A task that
 * waits for nothing (running, sleeping, reading, awaiting a future someone may set) is
 * free; a task waiting for a resource is free when any holder is free (one release is
 * enough), stuck otherwise. A cycle of stuck tasks is a deadlock. Events, conditions and
 * queues are left out on purpose: whoever would set or fill them is not known, so
 * counting them would report programs that are merely idle.
 *
 * A cycle can only close when some task starts to wait (a grant makes its taker run, so
 * it waits for nothing at that moment), so the graph is swept once in time order and
 * checked only from the tasks that started to wait at each instant, after every change
 * of that instant (ends first) is applied: linear in the waits and holds, plus the tasks
 * each check reaches.
 */
import type { AwaitSpan, ResourceModel, Site, TraceModelView, TraceTime, WaitSpan } from '../model-types';
import type { Finding, FindingSpan, RelatedSite } from './finding-types';
import { unpausedMs } from '../pauses';

/** Resource kinds whose holder is known and whose waiter needs a release. */
const BLOCKING_KINDS = new Set(['lock', 'semaphore']);

type Edge =
  | { type: 'resource'; resource: ResourceModel; span: WaitSpan }
  | { type: 'task'; targetId: number; span: AwaitSpan };

/** A change of the wait-for graph: a hold (of `resource`) or a blocking edge beginning or ending. */
interface Change {
  time: TraceTime;
  /** 0: an end, 1: a begin (ends first at equal times). */
  order: 0 | 1;
  taskId: number;
  /** A hold of this resource; undefined for an edge. */
  resource: ResourceModel | undefined;
  edge: Edge | undefined;
}

export function findDeadlocks(model: TraceModelView): Finding[] {
  const changes: Change[] = [];
  const holders = new Map<number, Map<number, number>>();
  const blocking = new Map<number, Edge>();
  let dirty: number[] = [];

  const holdChange = (r: ResourceModel, taskId: number, delta: 1 | -1): void => {
    let m = holders.get(r.id);
    if (!m) { m = new Map(); holders.set(r.id, m); }
    const n = (m.get(taskId) ?? 0) + delta;
    if (n <= 0) m.delete(taskId); else m.set(taskId, n);
  };
  const edgeChange = (taskId: number, edge: Edge, begin: boolean): void => {
    if (begin) { blocking.set(taskId, edge); dirty.push(taskId); } else if (blocking.get(taskId)?.span === edge.span) blocking.delete(taskId);
  };
  // Plain records, no closure per change (a million-event trace has hundreds of thousands).
  const apply = (c: Change): void => {
    if (c.resource) holdChange(c.resource, c.taskId, c.order === 1 ? 1 : -1);
    else edgeChange(c.taskId, c.edge!, c.order === 1);
  };
  for (const r of model.resources) {
    if (!BLOCKING_KINDS.has(r.kind)) continue;
    for (const h of r.holds) {
      changes.push({ time: h.begin, order: 1, taskId: h.taskId, resource: r, edge: undefined });
      if (h.end !== undefined) changes.push({ time: h.end, order: 0, taskId: h.taskId, resource: r, edge: undefined });
    }
    for (const w of r.waits) {
      const edge: Edge = { type: 'resource', resource: r, span: w };
      changes.push({ time: w.begin, order: 1, taskId: w.taskId, resource: undefined, edge });
      if (w.end !== undefined) changes.push({ time: w.end, order: 0, taskId: w.taskId, resource: undefined, edge });
    }
  }
  for (const t of model.tasks) {
    const aw = t.awaits;
    for (let i = 0; i < aw.length; i++) {
      if (aw.kind(i) !== 'task' || model.task(aw.targetId(i)) === undefined) continue;
      const a = aw.at(i)!;
      const edge: Edge = { type: 'task', targetId: a.targetId, span: a };
      changes.push({ time: a.begin, order: 1, taskId: a.taskId, resource: undefined, edge });
      if (a.end !== undefined) changes.push({ time: a.end, order: 0, taskId: a.taskId, resource: undefined, edge });
    }
  }
  changes.sort((a, b) => a.time - b.time || a.order - b.order);

  const found: Finding[] = [];
  /** Cycles already reported, by member set, with when they stop being one. */
  const active = new Map<string, TraceTime>();
  for (let i = 0; i < changes.length;) {
    const time = changes[i].time;
    for (; i < changes.length && changes[i].time === time; i++) apply(changes[i]);
    if (dirty.length === 0) continue;
    const check = dirty;
    dirty = [];
    for (const taskId of check) {
      if (!blocking.has(taskId)) continue;
      const cycle = stuckCycle(model, taskId, time, holders, blocking);
      if (!cycle) continue;
      const key = cycle.map((c) => c.taskId).sort((a, b) => a - b).join(',');
      const until = active.get(key);
      if (until !== undefined && until > time) continue;
      const f = describeCycle(model, cycle, time);
      active.set(key, f.at + f.durationMs);
      found.push(f);
    }
  }
  return found;
}

interface CycleStep { taskId: number; edge: Edge }

/**
 * The cycle `start` is stuck in at `time`, or undefined when it can still make progress.
 * Free tasks are found backwards from those that wait for nothing (a least fixpoint:
 * "free if any successor is free"); what remains is stuck, and a walk from `start`
 * through stuck successors must meet itself.
 */
function stuckCycle(
  model: TraceModelView, start: number, time: TraceTime,
  holders: ReadonlyMap<number, ReadonlyMap<number, number>>, blocking: ReadonlyMap<number, Edge>,
): CycleStep[] | undefined {
  // Nearly always one of the start's successors waits for nothing, so the start is free:
  // answered without building the graph.
  const first = blocking.get(start);
  if (first?.type === 'resource') {
    const hs = holders.get(first.resource.id);
    if (!hs || hs.size === 0) return undefined;
    for (const id of hs.keys()) if (!blocking.has(id)) return undefined;
  } else if (first?.type === 'task') {
    const target = model.task(first.targetId);
    if (!target || (target.endedAt !== undefined && target.endedAt <= time) || !blocking.has(first.targetId)) return undefined;
  }
  const succ = new Map<number, number[]>();
  const queue = [start];
  const free: number[] = [];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (succ.has(id)) continue;
    const edge = blocking.get(id);
    let next: number[] = [];
    if (edge?.type === 'resource') next = [...(holders.get(edge.resource.id)?.keys() ?? [])];
    else if (edge?.type === 'task') {
      const target = model.task(edge.targetId);
      if (target && (target.endedAt === undefined || target.endedAt > time)) next = [edge.targetId];
    }
    succ.set(id, next);
    if (next.length === 0) free.push(id);
    for (const n of next) queue.push(n);
  }
  const pred = new Map<number, number[]>();
  for (const [id, next] of succ) for (const n of next) {
    const p = pred.get(n);
    if (p) p.push(id); else pred.set(n, [id]);
  }
  const isFree = new Set(free);
  while (free.length > 0) {
    const id = free.pop()!;
    for (const p of pred.get(id) ?? []) if (!isFree.has(p)) { isFree.add(p); free.push(p); }
  }
  if (isFree.has(start)) return undefined;
  const path: number[] = [];
  const seenAt = new Map<number, number>();
  let cur = start;
  while (!seenAt.has(cur)) {
    seenAt.set(cur, path.length);
    path.push(cur);
    cur = succ.get(cur)!.find((n) => !isFree.has(n))!;
  }
  return path.slice(seenAt.get(cur)).map((taskId) => ({ taskId, edge: blocking.get(taskId)! }));
}

function describeCycle(model: TraceModelView, cycle: CycleStep[], at: TraceTime): Finding {
  const name = (id: number): string => model.task(id)?.name || `task ${id}`;
  const resName = (r: ResourceModel): string => `${r.kind} ${r.name || '(unnamed)'}`;
  const what = (e: Edge): string => (e.type === 'resource' ? `waits for ${resName(e.resource)}` : `awaits task ${name(e.targetId)}`);
  const parts: string[] = [];
  const sites: Site[] = [];
  const related: RelatedSite[] = [];
  const spans: FindingSpan[] = [];
  const resourceIds: number[] = [];
  let end = model.endTime;
  cycle.forEach((step, i) => {
    const incoming = cycle[(i + cycle.length - 1) % cycle.length].edge;
    const held = incoming.type === 'resource' ? incoming.resource : undefined;
    parts.push(`${name(step.taskId)} ${held ? `holds ${resName(held)} and ` : ''}${what(step.edge)}`);
    if (step.edge.span.site) {
      sites.push(step.edge.span.site);
      related.push({ site: step.edge.span.site, message: `${name(step.taskId)} ${what(step.edge)} here` });
    }
    if (step.edge.span.end !== undefined && step.edge.span.end < end) end = step.edge.span.end;
    if (step.edge.type === 'resource') {
      const r = step.edge.resource;
      resourceIds.push(r.id);
      spans.push({ type: 'wait', resourceId: r.id, taskId: step.taskId, begin: step.edge.span.begin });
      const a = awaitOfWait(model, step.taskId, r.id, step.edge.span);
      if (a) spans.push({ type: 'await', taskId: step.taskId, begin: a.begin });
    } else {
      spans.push({ type: 'await', taskId: step.taskId, begin: step.edge.span.begin });
    }
    if (held) {
      // The grant the next task in the cycle is holding on to: where it acquired it.
      const hold = held.holds.find((h) => h.taskId === step.taskId && h.begin <= at && (h.end === undefined || h.end > at));
      if (hold) {
        spans.push({ type: 'hold', resourceId: held.id, taskId: step.taskId, begin: hold.begin });
        if (hold.site) related.push({ site: hold.site, message: `${name(step.taskId)} acquired ${resName(held)} here` });
      }
    }
  });
  const ended = end < model.endTime;
  return {
    kind: 'deadlock',
    severity: 'error',
    message: `${parts.join('; ')}${ended ? ` (for ${unpausedMs(at, end, model.pauses).toFixed(1)} ms, until a wait was given up)` : ' (until the end of the trace)'}`,
    taskIds: cycle.map((c) => c.taskId),
    resourceIds,
    sites,
    related,
    spans,
    at,
    durationMs: unpausedMs(at, end, model.pauses),
  };
}

/**
 * The task's await of a resource wait (its acquire): the await of that resource nearest
 * to the wait's begin (the two events are stamped separately, so either may come first).
 */
function awaitOfWait(model: TraceModelView, taskId: number, resourceId: number, w: WaitSpan): AwaitSpan | undefined {
  let best: AwaitSpan | undefined;
  for (const a of model.task(taskId)?.awaits ?? []) {
    if (a.targetId !== resourceId || (a.end !== undefined && a.end < w.begin) || (w.end !== undefined && a.begin > w.end)) continue;
    if (!best || Math.abs(a.begin - w.begin) < Math.abs(best.begin - w.begin)) best = a;
  }
  return best;
}

/** The innermost await of a task open at `time`. */
export function leafAwaitAt(model: TraceModelView, taskId: number, time: TraceTime): AwaitSpan | undefined {
  const chain = model.awaitChainAt(taskId, time);
  return chain[chain.length - 1];
}
