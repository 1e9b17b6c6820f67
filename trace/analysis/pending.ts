/**
 * `pending-at-exit`: tasks still pending when the trace ended, grouped by where and on
 * what they wait (a thousand workers blocked on one queue are one finding, not a
 * thousand). And, for a process that was kept alive with no task pending, the Node
 * handles that kept it alive (recorded by the tracer when the process was stopped).
 */
import type { AwaitSpan, HoldSpan, IoWaitSpan, TaskModel, TraceModelView } from '../model-types';
import { formatSite } from '../sites';
import { leafAwaitAt } from './deadlock';
import { unpausedMs } from '../pauses';
import type { Finding, FindingSpan } from './finding-types';

const NAMES_SHOWN = 3;

/** What an await waits on, in words ("waits for lock cache, held by refresh-1"). */
/** What describeWait looks up per call, kept across the calls of one `at` (issue 16: one scan each, not one per pending task). */
export interface WaitLookups {
  at: number;
  holders: Map<number, HoldSpan[]>;
  /** Per task, its first I/O wait still open. */
  openIo: Map<number, IoWaitSpan> | undefined;
}

export function waitLookups(at: number): WaitLookups {
  return { at, holders: new Map(), openIo: undefined };
}

export function describeWait(model: TraceModelView, a: AwaitSpan, at: number, lookups?: WaitLookups): string {
  const cache = lookups?.at === at ? lookups : undefined;
  const name = (id: number): string => model.task(id)?.name || `task ${id}`;
  const r = model.resource(a.targetId);
  if (r) {
    const what = `${r.kind} ${r.name || '(unnamed)'}`;
    if (r.kind === 'lock' || r.kind === 'semaphore') {
      let held = cache?.holders.get(r.id);
      if (!held) { held = model.holdersAt(r.id, at); cache?.holders.set(r.id, held); }
      const holders = held.map((h) => {
        const t = model.task(h.taskId);
        return `${name(h.taskId)}${t?.outcome !== undefined && (t.endedAt ?? 0) <= at ? ` (which ended ${t.outcome === 'ok' ? 'without releasing it' : t.outcome})` : ''}`;
      });
      return `waits for ${what}${holders.length ? `, held by ${holders.join(', ')}` : ''}`;
    }
    if (r.kind === 'event') return `waits for ${what}, never set`;
    if (r.kind === 'queue') return `waits on ${what}`;
    return `waits for ${what}`;
  }
  const target = a.kind === 'task' ? model.task(a.targetId) : undefined;
  if (target) return `awaits task ${name(target.id)}${target.outcome === undefined ? ' (still pending)' : ''}`;
  if (a.kind === 'sleep') return 'sleeps';
  if (a.kind === 'io') {
    let io: IoWaitSpan | undefined;
    if (cache) {
      if (!cache.openIo) {
        cache.openIo = new Map();
        for (const w of model.ioWaits) if (w.end === undefined && !cache.openIo.has(w.taskId)) cache.openIo.set(w.taskId, w);
      }
      io = cache.openIo.get(a.taskId);
    } else {
      for (const w of model.ioWaits) if (w.taskId === a.taskId && w.end === undefined) { io = w; break; }
    }
    return io ? `waits for I/O (${io.op}${io.peer ? ` ${io.peer}` : ''})` : 'waits for I/O';
  }
  if (a.kind === 'future') return 'awaits a future nobody completed';
  return `awaits ${a.site?.label ?? a.kind}`;
}

export function findPendingAtExit(model: TraceModelView, explained: ReadonlySet<number>): Finding[] {
  const groups = new Map<string, { what: string; tasks: TaskModel[]; leaves: (AwaitSpan | undefined)[] }>();
  const end = model.endTime;
  const lookups = waitLookups(end);
  for (const t of model.tasks) {
    if (t.outcome !== undefined || explained.has(t.id)) continue;
    const leaf = leafAwaitAt(model, t.id, end);
    const what = leaf ? describeWait(model, leaf, end, lookups) : 'was running or ready to run';
    const key = `${leaf?.site ? formatSite(leaf.site) : ''}\n${what}`;
    const g = groups.get(key);
    if (g) { g.tasks.push(t); g.leaves.push(leaf); } else groups.set(key, { what, tasks: [t], leaves: [leaf] });
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    const names = g.tasks.slice(0, NAMES_SHOWN).map((t) => t.name || `task ${t.id}`);
    const more = g.tasks.length - names.length;
    const who = `${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    const leaf = g.leaves[0];
    const where = leaf?.site ? ` at ${formatSite(leaf.site)}` : '';
    // A loop, not Math.min(...): a group may hold more tasks than a call takes arguments.
    let at = Infinity;
    g.leaves.forEach((l, i) => { const b = l?.begin ?? g.tasks[i].createdAt; if (b < at) at = b; });
    const spans: FindingSpan[] = [];
    g.tasks.slice(0, 40).forEach((t, i) => {
      const l = g.leaves[i];
      spans.push(l ? { type: 'await', taskId: t.id, begin: l.begin } : { type: 'run', taskId: t.id, begin: t.runs.length > 0 ? t.runs.begin(t.runs.length - 1) : t.createdAt });
    });
    out.push({
      kind: 'pending-at-exit',
      severity: 'warning',
      message: `${who} ${g.tasks.length > 1 ? 'were' : 'was'} still pending when the trace ended: ${g.what}${where}`,
      taskIds: g.tasks.map((t) => t.id),
      resourceIds: leaf && model.resource(leaf.targetId) ? [leaf.targetId] : [],
      sites: leaf?.site ? [leaf.site] : g.tasks[0].site ? [g.tasks[0].site] : [],
      related: g.tasks[0].site ? [{ site: g.tasks[0].site, message: `${names[0]} was created here` }] : [],
      spans,
      at,
      durationMs: unpausedMs(at, end, model.pauses),
    });
  }
  const handles = model.exitHandles;
  if (out.length === 0 && explained.size === 0 && handles !== undefined && handles.length > 0) {
    out.push({
      kind: 'pending-at-exit',
      severity: 'warning',
      message: `no task was pending, but the process was kept alive by ${countNames(handles)} (Node's active resources when it was stopped)`,
      taskIds: [],
      resourceIds: [],
      sites: [],
      related: [],
      spans: [],
      at: lastTaskEnd(model),
      durationMs: unpausedMs(lastTaskEnd(model), end, model.pauses),
    });
  }
  return out;
}

/** "Timeout x2, TCPServerWrap" */
function countNames(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, c]) => (c > 1 ? `${n} x${c}` : n)).join(', ');
}

function lastTaskEnd(model: TraceModelView): number {
  let t = model.startTime;
  for (const task of model.tasks) if (task.endedAt !== undefined && task.endedAt > t) t = task.endedAt;
  return t;
}
