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
import type { AwaitSpan, HoldSpan, ResourceModel, Site, TraceModelView, TraceTime } from '../model-types';
import type { Finding, FindingSpan, RelatedSite } from './finding-types';
import { unpausedMs } from '../pauses';

/** Resource kinds whose holder is known and whose waiter needs a release. */
const BLOCKING_KINDS = new Set(['lock', 'semaphore']);

/**
 * The blocking edges (a contended wait for a blocking resource, an await of a task) and
 * the graph's changes, as columns: a 10M-event trace has millions of them, and an object
 * each (with its sort) was most of the analysis' time and garbage (issue 18). An edge is
 * its index here; its span is read back from the model only for a reported cycle.
 */
class SweepColumns {
  /** The blocking resources, in model order; edges and holds name them by slot. */
  readonly res: ResourceModel[] = [];
  edges = 0;
  /** The edge's resource slot, -1 for an await of a task. */
  eSlot = new Int32Array(1024);
  /** The waiting task. */
  eTask = new Uint32Array(1024);
  /** The awaited task (0 for a resource edge). */
  eTarget = new Uint32Array(1024);
  /** Index of the span: in the resource's waits, or in the waiting task's awaits. */
  eIndex = new Int32Array(1024);
  changes = 0;
  cTime = new Float64Array(4096);
  cTask = new Uint32Array(4096);
  /** A hold's resource slot as ~slot (negative), or an edge (0 or more). */
  cRef = new Int32Array(4096);
  /** 1: a begin, 0: an end (ends first at equal times). */
  cBegin = new Uint8Array(4096);

  edge(slot: number, task: number, target: number, index: number): number {
    const e = this.edges++;
    if (e === this.eSlot.length) {
      this.eSlot = grow(this.eSlot, Int32Array); this.eTask = grow(this.eTask, Uint32Array);
      this.eTarget = grow(this.eTarget, Uint32Array); this.eIndex = grow(this.eIndex, Int32Array);
    }
    this.eSlot[e] = slot; this.eTask[e] = task; this.eTarget[e] = target; this.eIndex[e] = index;
    return e;
  }

  change(time: TraceTime, task: number, ref: number, begin: 0 | 1): void {
    const c = this.changes++;
    if (c === this.cTime.length) {
      this.cTime = grow(this.cTime, Float64Array); this.cTask = grow(this.cTask, Uint32Array);
      this.cRef = grow(this.cRef, Int32Array); this.cBegin = grow(this.cBegin, Uint8Array);
    }
    this.cTime[c] = time; this.cTask[c] = task; this.cRef[c] = ref; this.cBegin[c] = begin;
  }

  /** The changes in sweep order (sweepOrder). */
  order(): Uint32Array {
    return sweepOrder(this.cTime, this.cBegin, this.changes);
  }
}

/**
 * The order of the first `n` changes for the sweep: by time, ends (`begins[i]` 0) before
 * begins (1) at equal times, else in index order. The ends, then the begins, in index
 * order, then a stable LSD radix sort by the time's bits (16 a pass): a comparator sort
 * of millions of changes was a third of the analysis (issue 18).
 */
export function sweepOrder(times: Float64Array, begins: Uint8Array, n: number): Uint32Array {
  let perm = new Uint32Array(n), tmp = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) if (begins[i] === 0) perm[k++] = i;
  for (let i = 0; i < n; i++) if (begins[i] !== 0) perm[k++] = i;
  // The times' bits as unsigned integers in the order of the times (-0 as 0).
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = times[i] + 0;
  const words = new Uint32Array(keys.buffer);
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + HI];
    if (hi >>> 31) { words[2 * i + HI] = ~hi; words[2 * i + LO] = ~words[2 * i + LO]; } else words[2 * i + HI] = hi | 0x80000000;
  }
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? LO : HI, shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(words[2 * i + word] >>> shift) & 0xffff]++;
    // All of one digit (the high bits of nearby times): nothing to move.
    if (n === 0 || count[(words[word] >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) { const c = count[d]; count[d] = sum; sum += c; }
    for (let i = 0; i < n; i++) { const c = perm[i]; tmp[count[(words[2 * c + word] >>> shift) & 0xffff]++] = c; }
    const t = perm; perm = tmp; tmp = t;
  }
  return perm;
}

/** Which 32-bit word of a float64 holds its sign and exponent (the platform's byte order). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

type TypedArray = Int32Array | Uint32Array | Float64Array | Uint8Array;
function grow<T extends TypedArray>(a: T, Ctor: new (n: number) => T): T {
  const b = new Ctor(a.length * 2);
  b.set(a as never);
  return b;
}

/** What a cycle's steps need of an edge, read back from the model. */
interface Edge {
  /** The resource waited for; undefined for an await of a task. */
  resource: ResourceModel | undefined;
  /** The task awaited (0 for a resource). */
  targetId: number;
  site: Site | undefined;
  begin: TraceTime;
  end: TraceTime | undefined;
}

export function findDeadlocks(model: TraceModelView): Finding[] {
  const cols = new SweepColumns();
  for (const r of model.resources) {
    if (!BLOCKING_KINDS.has(r.kind)) continue;
    const slot = cols.res.length;
    cols.res.push(r);
    for (const h of r.holds) {
      cols.change(h.begin, h.taskId, ~slot, 1);
      if (h.end !== undefined) cols.change(h.end, h.taskId, ~slot, 0);
    }
    let i = 0;
    for (const w of r.waits) {
      const e = cols.edge(slot, w.taskId, 0, i++);
      cols.change(w.begin, w.taskId, e, 1);
      if (w.end !== undefined) cols.change(w.end, w.taskId, e, 0);
    }
  }
  for (const t of model.tasks) {
    const aw = t.awaits;
    for (let i = 0; i < aw.length; i++) {
      if (aw.kind(i) !== 'task' || model.task(aw.targetId(i)) === undefined) continue;
      const e = cols.edge(-1, t.id, aw.targetId(i), i);
      cols.change(aw.begin(i), t.id, e, 1);
      const end = aw.end(i);
      if (end !== undefined) cols.change(end, t.id, e, 0);
    }
  }
  const perm = cols.order();

  /** Per resource id, its holders and how many holds each has open. */
  const holders = new Map<number, Map<number, number>>();
  /** Per task, the edge it is blocked on. */
  const blocking = new Map<number, number>();
  let dirty: number[] = [];
  const { cTime, cTask, cRef, cBegin } = cols;
  const found: Finding[] = [];
  /** Cycles already reported, by member set, with when they stop being one. */
  const active = new Map<string, TraceTime>();
  const n = cols.changes;
  for (let p = 0; p < n;) {
    const time = cTime[perm[p]];
    for (; p < n && cTime[perm[p]] === time; p++) {
      const c = perm[p], taskId = cTask[c], ref = cRef[c];
      if (ref < 0) {
        const id = cols.res[~ref].id;
        let m = holders.get(id);
        if (!m) { m = new Map(); holders.set(id, m); }
        const k = (m.get(taskId) ?? 0) + (cBegin[c] === 1 ? 1 : -1);
        if (k <= 0) m.delete(taskId); else m.set(taskId, k);
      } else if (cBegin[c] === 1) {
        blocking.set(taskId, ref);
        dirty.push(taskId);
      } else if (blocking.get(taskId) === ref) blocking.delete(taskId);
    }
    if (dirty.length === 0) continue;
    const check = dirty;
    dirty = [];
    for (const taskId of check) {
      if (!blocking.has(taskId)) continue;
      const cycle = stuckCycle(model, cols, taskId, time, holders, blocking);
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

/** The edge `e` with its span, for a cycle's description. */
function edgeOf(model: TraceModelView, cols: SweepColumns, e: number): Edge {
  const slot = cols.eSlot[e], index = cols.eIndex[e];
  if (slot >= 0) {
    const r = cols.res[slot], w = r.waits.at(index)!;
    return { resource: r, targetId: 0, site: w.site, begin: w.begin, end: w.end };
  }
  const aw = model.task(cols.eTask[e])!.awaits;
  return { resource: undefined, targetId: cols.eTarget[e], site: aw.site(index), begin: aw.begin(index), end: aw.end(index) };
}

interface CycleStep { taskId: number; edge: Edge }

/**
 * The cycle `start` is stuck in at `time`, or undefined when it can still make progress.
 * Free tasks are found backwards from those that wait for nothing (a least fixpoint:
 * "free if any successor is free"); what remains is stuck, and a walk from `start`
 * through stuck successors must meet itself.
 */
function stuckCycle(
  model: TraceModelView, cols: SweepColumns, start: number, time: TraceTime,
  holders: ReadonlyMap<number, ReadonlyMap<number, number>>, blocking: ReadonlyMap<number, number>,
): CycleStep[] | undefined {
  // Nearly always one of the start's successors waits for nothing, so the start is free:
  // answered without building the graph.
  const first = blocking.get(start);
  if (first !== undefined && cols.eSlot[first] >= 0) {
    const hs = holders.get(cols.res[cols.eSlot[first]].id);
    if (!hs || hs.size === 0) return undefined;
    for (const id of hs.keys()) if (!blocking.has(id)) return undefined;
  } else if (first !== undefined) {
    const targetId = cols.eTarget[first];
    const target = model.task(targetId);
    if (!target || (target.endedAt !== undefined && target.endedAt <= time) || !blocking.has(targetId)) return undefined;
  }
  const succ = new Map<number, number[]>();
  const queue = [start];
  const free: number[] = [];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (succ.has(id)) continue;
    const edge = blocking.get(id);
    let next: number[] = [];
    if (edge !== undefined && cols.eSlot[edge] >= 0) next = [...(holders.get(cols.res[cols.eSlot[edge]].id)?.keys() ?? [])];
    else if (edge !== undefined) {
      const targetId = cols.eTarget[edge];
      const target = model.task(targetId);
      if (target && (target.endedAt === undefined || target.endedAt > time)) next = [targetId];
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
  return path.slice(seenAt.get(cur)).map((taskId) => ({ taskId, edge: edgeOf(model, cols, blocking.get(taskId)!) }));
}

function describeCycle(model: TraceModelView, cycle: CycleStep[], at: TraceTime): Finding {
  const name = (id: number): string => model.task(id)?.name || `task ${id}`;
  const resName = (r: ResourceModel): string => `${r.kind} ${r.name || '(unnamed)'}`;
  const what = (e: Edge): string => (e.resource ? `waits for ${resName(e.resource)}` : `awaits task ${name(e.targetId)}`);
  const parts: string[] = [];
  const sites: Site[] = [];
  const related: RelatedSite[] = [];
  const spans: FindingSpan[] = [];
  const resourceIds: number[] = [];
  let end = model.endTime;
  cycle.forEach((step, i) => {
    const incoming = cycle[(i + cycle.length - 1) % cycle.length].edge;
    const held = incoming.resource;
    parts.push(`${name(step.taskId)} ${held ? `holds ${resName(held)} and ` : ''}${what(step.edge)}`);
    if (step.edge.site) {
      sites.push(step.edge.site);
      related.push({ site: step.edge.site, message: `${name(step.taskId)} ${what(step.edge)} here` });
    }
    if (step.edge.end !== undefined && step.edge.end < end) end = step.edge.end;
    if (step.edge.resource) {
      const r = step.edge.resource;
      resourceIds.push(r.id);
      spans.push({ type: 'wait', resourceId: r.id, taskId: step.taskId, begin: step.edge.begin });
      const a = awaitOfWait(model, step.taskId, r.id, step.edge);
      if (a) spans.push({ type: 'await', taskId: step.taskId, begin: a.begin });
    } else {
      spans.push({ type: 'await', taskId: step.taskId, begin: step.edge.begin });
    }
    if (held) {
      // The grant the next task in the cycle is holding on to: where it acquired it.
      let hold: HoldSpan | undefined;
      for (const h of held.holds) if (h.taskId === step.taskId && h.begin <= at && (h.end === undefined || h.end > at)) { hold = h; break; }
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
function awaitOfWait(model: TraceModelView, taskId: number, resourceId: number, w: Edge): { begin: TraceTime } | undefined {
  const aw = model.task(taskId)?.awaits;
  if (!aw) return undefined;
  let best = -1;
  for (let i = 0; i < aw.length; i++) {
    const begin = aw.begin(i), end = aw.end(i);
    if (aw.targetId(i) !== resourceId || (end !== undefined && end < w.begin) || (w.end !== undefined && begin > w.end)) continue;
    if (best < 0 || Math.abs(begin - w.begin) < Math.abs(aw.begin(best) - w.begin)) best = i;
  }
  return best < 0 ? undefined : { begin: aw.begin(best) };
}

/** The innermost await of a task open at `time`. */
export function leafAwaitAt(model: TraceModelView, taskId: number, time: TraceTime): AwaitSpan | undefined {
  const chain = model.awaitChainAt(taskId, time);
  return chain[chain.length - 1];
}
