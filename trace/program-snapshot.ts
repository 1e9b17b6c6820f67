/**
 * The live state of a program at one moment: every task that is not done (and the
 * recently done ones), what each is waiting on through which await chain, and for each
 * lock, semaphore, condition and queue its holders and its waiters in line order.
 *
 * Two producers fill the same shape: the paused program itself (runtime/debug-snapshot.ts,
 * read by the extension through a debug-adapter `evaluate`, exact at the pause), and a
 * recorded trace at its end (`snapshotFromModel`, for the CLI's Ctrl-C dump and the
 * Async Tasks view while the program runs). Both read it through the functions below:
 * the wait-for cycles (deadlocks) and the text a terminal prints. Pure, no Node.
 *
 * Sites are site strings as registered (`file:line:col[\tlabel[\tfunction]]`, trace/sites.ts);
 * '' when unknown.
 */
import type { AwaitKind, Outcome, ResourceKind, Site, TraceModelView } from './model-types';
import { awaitName, parseSite } from './sites';

export type SnapshotTaskState = 'running' | 'ready' | 'waiting' | 'done';

export interface SnapshotAwait {
  kind: AwaitKind;
  /** The task, future, resource, job or stream awaited; 0 for a plain promise. */
  targetId: number;
  site: string;
}

export interface SnapshotTask {
  id: number;
  name: string;
  /** 0 for a root task. */
  parentId: number;
  /** Where the task was created. */
  site: string;
  state: SnapshotTaskState;
  /** The awaits open in the task, outermost first (main → fetchPage() → lock). */
  awaits: SnapshotAwait[];
  /** `Task.getStack()` of the paused program: the runtime's view of the chain across tasks. */
  stack?: { taskId: number; taskName: string; kind: AwaitKind; targetId: number }[];
  outcome?: Outcome;
  message?: string;
}

export interface SnapshotEntry {
  taskId: number;
  /** Where the task acquired (holders) or asked (waiters). */
  site: string;
}

export interface SnapshotResource {
  id: number;
  kind: ResourceKind;
  name: string;
  site: string;
  capacity: number;
  /** Acquisition order. */
  holders: SnapshotEntry[];
  /** Line order: the first is served next. */
  waiters: SnapshotEntry[];
}

export interface ProgramSnapshot {
  version: 1;
  /** 'program': read from the paused program; 'trace': folded from the recorded events. */
  source: 'program' | 'trace';
  /** The task whose code was running (the paused one), 0 outside any task. */
  runningTaskId: number;
  tasks: SnapshotTask[];
  resources: SnapshotResource[];
}

/** The innermost open await of a task, if it is waiting. */
export function innermostAwait(t: SnapshotTask): SnapshotAwait | undefined {
  return t.awaits.length > 0 ? t.awaits[t.awaits.length - 1] : undefined;
}

/** A site string as a Site, undefined for ''. */
export function snapshotSite(s: string): Site | undefined {
  return s === '' ? undefined : parseSite(s);
}

/** `gate` for a named resource, `lock at src/a.ts:3:14` for an unnamed one. */
export function resourceLabel(r: SnapshotResource): string {
  if (r.name !== '') return `${r.kind} ${r.name}`;
  const site = snapshotSite(r.site);
  return site ? `${r.kind} at ${site.file}:${site.line}:${site.col}` : `${r.kind} #${r.id}`;
}

/**
 * The wait-for graph's edges out of `t`: the holders of every resource it waits in line
 * for, and every task it awaits (an await whose target is a live task).
 */
function waitsFor(s: ProgramSnapshot, t: SnapshotTask, byId: ReadonlyMap<number, SnapshotTask>): number[] {
  const out = new Set<number>();
  for (const r of s.resources) {
    if (!r.waiters.some((w) => w.taskId === t.id)) continue;
    for (const h of r.holders) if (h.taskId !== 0) out.add(h.taskId);
  }
  for (const a of t.awaits) {
    const target = byId.get(a.targetId);
    if (target && target.state !== 'done') out.add(target.id);
  }
  return [...out];
}

/**
 * Wait-for cycles: tasks each waiting for a resource the next one holds or for the next
 * task itself, back to the first. Each cycle is listed once, from its lowest task id,
 * in wait order. A task waiting for a lock it holds itself is a cycle of one.
 */
export function waitForCycles(s: ProgramSnapshot): number[][] {
  const byId = new Map(s.tasks.map((t) => [t.id, t]));
  const edges = new Map<number, number[]>();
  for (const t of s.tasks) if (t.state !== 'done') edges.set(t.id, waitsFor(s, t, byId));
  const cycles: number[][] = [];
  const seen = new Set<string>();
  // Depth-first from each task, keeping the path: a back edge into the path closes a cycle.
  for (const start of [...edges.keys()].sort((a, b) => a - b)) {
    const path: number[] = [];
    const onPath = new Set<number>();
    const visit = (id: number): void => {
      path.push(id);
      onPath.add(id);
      for (const next of edges.get(id) ?? []) {
        if (next === start) {
          const key = [...path].sort((a, b) => a - b).join(',');
          if (!seen.has(key)) { seen.add(key); cycles.push([...path]); }
        } else if (!onPath.has(next) && next > start) visit(next);
      }
      path.pop();
      onPath.delete(id);
    };
    visit(start);
  }
  return cycles;
}

/** What a waiting task waits on, in words: `lock gate (held by worker-1)`, `task fetcher`, `sleep`. */
export function describeWait(s: ProgramSnapshot, a: SnapshotAwait): string {
  const r = s.resources.find((x) => x.id === a.targetId);
  if (r) {
    const names = r.holders.map((h) => s.tasks.find((t) => t.id === h.taskId)?.name ?? `task ${h.taskId}`);
    return `${resourceLabel(r)}${names.length > 0 ? ` (held by ${names.join(', ')})` : ''}`;
  }
  const t = s.tasks.find((x) => x.id === a.targetId);
  if (t) return `task ${t.name}`;
  return awaitName(a.kind, snapshotSite(a.site));
}

function siteText(site: string): string {
  const s = snapshotSite(site);
  return s ? `${s.file}:${s.line}:${s.col}` : '(unknown site)';
}

/** An await as written when the marks know the call (`gate.acquire() (lock)`), else its kind. */
export function awaitText(a: SnapshotAwait): string {
  const label = snapshotSite(a.site)?.label;
  return label ? `${label} (${a.kind})` : a.kind;
}

/**
 * The pending tasks as a terminal prints them (the CLI's Ctrl-C dump): each task with
 * what it waits for and its await chain, innermost last, then the deadlocks.
 */
export function formatPendingTasks(s: ProgramSnapshot): string {
  const pending = s.tasks.filter((t) => t.state !== 'done');
  const byId = new Map(s.tasks.map((t) => [t.id, t]));
  const lines = [`pending tasks (${pending.length}):`];
  for (const t of pending) {
    const inner = innermostAwait(t);
    const parent = t.parentId === 0 ? '' : `, child of ${byId.get(t.parentId)?.name ?? `task ${t.parentId}`}`;
    const what = t.state === 'waiting' && inner ? `waiting on ${describeWait(s, inner)}` : t.state;
    lines.push(`  ${t.name} (task ${t.id}${parent}): ${what}`);
    for (const a of t.awaits) lines.push(`    await ${awaitText(a)} at ${siteText(a.site)}`);
  }
  for (const c of waitForCycles(s)) {
    lines.push(`deadlock: ${[...c, c[0]].map((id) => byId.get(id)?.name ?? `task ${id}`).join(' → ')}`);
  }
  return lines.join('\n') + '\n';
}

/** A Site back as a site string (the inverse of parseSite). */
export function siteString(site: Site | undefined): string {
  if (!site) return '';
  const pos = `${site.file}:${site.line}:${site.col}`;
  if (site.fn) return `${pos}\t${site.label ?? ''}\t${site.fn}`;
  return site.label ? `${pos}\t${site.label}` : pos;
}

/**
 * The live state at the end of a recorded trace: tasks not done (a task in an open
 * running slice is running; one with open awaits is waiting; else ready), each with its
 * open await chain, and every resource's open holds and open waits, in order.
 */
export function snapshotFromModel(model: TraceModelView): ProgramSnapshot {
  const end = model.endTime;
  let runningTaskId = 0;
  const tasks: SnapshotTask[] = [];
  for (const t of model.tasks) {
    if (t.endedAt !== undefined) continue;
    const last = t.runs.at(t.runs.length - 1);
    const running = last !== undefined && last.end === undefined;
    if (running) runningTaskId = t.id;
    const awaits = model.awaitChainAt(t.id, end).filter((a) => a.end === undefined)
      .map((a) => ({ kind: a.kind, targetId: a.targetId, site: siteString(a.site) }));
    tasks.push({
      id: t.id, name: t.name, parentId: t.parentId, site: siteString(t.site),
      state: running ? 'running' : awaits.length > 0 ? 'waiting' : 'ready', awaits,
    });
  }
  const resources: SnapshotResource[] = model.resources.map((r) => ({
    id: r.id, kind: r.kind, name: r.name, site: siteString(r.site), capacity: r.capacity,
    holders: [...r.holds].filter((h) => h.end === undefined).map((h) => ({ taskId: h.taskId, site: siteString(h.site) })),
    waiters: [...r.waits].filter((w) => w.end === undefined).sort((a, b) => a.begin - b.begin).map((w) => ({ taskId: w.taskId, site: siteString(w.site) })),
  }));
  return { version: 1, source: 'trace', runningTaskId, tasks, resources };
}
