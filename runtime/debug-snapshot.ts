/**
 * The program's own account of its live tasks and resources, for a debugger that has it
 * paused: VS Code's Async Tasks view evaluates `globalThis.__asyncTraceSnapshot()`
 * through the debug adapter and gets a JSON ProgramSnapshot (trace/program-snapshot.ts),
 * exact at the pause (no buffered event is missing, nothing is in flight).
 *
 * How: an instrument that folds the runtime's hooks into the live state as they happen
 * (the primitives do not remember their holders, and the trace's events may still sit
 * in the tracer's buffer when the program stops). It is installed only when
 * ASYNC_TRACE_DEBUG is set (the extension's debug launch sets it), so an ordinary run
 * pays nothing; under it each hook costs a map lookup and an array push or pop.
 *
 * Invariants: a task's awaits are a stack (an await ends innermost first; an ending await
 * that is not innermost is removed where it is); a resource's waiters are in request
 * order, which is the primitives' FIFO line order; the last DONE_KEPT finished tasks are
 * kept so a view can show what just ended.
 */
import type { AwaitKind, Instrument, Outcome, ResourceKind } from './instrument-types';
import type { ProgramSnapshot, SnapshotAwait, SnapshotEntry, SnapshotTask } from '../trace/program-snapshot';
import { addInstrument } from './instrument';
import { registeredSites } from './sites';
import { allTasks, currentTask } from './task';
import { getRunningLoop } from './running-loop';
import { TRACER_ENV } from '../trace/tracer-settings';

const DONE_KEPT = 20;

interface LiveTask {
  id: number;
  name: string;
  parentId: number;
  site: number;
  awaits: { kind: AwaitKind; targetId: number; site: number }[];
  running: boolean;
  woken: boolean;
  outcome?: Outcome;
  message?: string;
}

interface LiveResource {
  id: number;
  kind: ResourceKind;
  name: string;
  site: number;
  capacity: number;
  holders: { taskId: number; site: number }[];
  waiters: { taskId: number; site: number }[];
}

function removeFirst<T extends { taskId: number }>(list: T[], taskId: number): T | undefined {
  const i = list.findIndex((e) => e.taskId === taskId);
  return i < 0 ? undefined : list.splice(i, 1)[0];
}

/** The live-state instrument (exported for tests; the program gets one through install). */
export class LiveState implements Instrument {
  private readonly sites = new Map<number, string>();
  private readonly tasks = new Map<number, LiveTask>();
  private readonly done: LiveTask[] = [];
  private readonly resources = new Map<number, LiveResource>();
  private runningTaskId = 0;

  constructor() {
    for (const r of registeredSites()) this.sitesRegistered(r.base, r.sites);
  }

  sitesRegistered(base: number, sites: readonly string[]): void {
    for (let i = 0; i < sites.length; i++) this.sites.set(base + i, sites[i]!);
  }

  taskCreated(taskId: number, parentId: number, name: string, site: number): void {
    this.tasks.set(taskId, { id: taskId, name, parentId, site, awaits: [], running: false, woken: false });
  }

  taskRenamed(taskId: number, name: string): void {
    const t = this.tasks.get(taskId);
    if (t) t.name = name;
  }

  taskRunBegin(taskId: number): void {
    const t = this.tasks.get(taskId);
    if (t) { t.running = true; t.woken = false; }
    this.runningTaskId = taskId;
  }

  taskRunEnd(taskId: number): void {
    const t = this.tasks.get(taskId);
    if (t) t.running = false;
    if (this.runningTaskId === taskId) this.runningTaskId = 0;
  }

  taskDone(taskId: number, outcome: Outcome, message: string): void {
    const t = this.tasks.get(taskId);
    if (!t) return;
    this.tasks.delete(taskId);
    t.running = false;
    t.awaits = [];
    t.outcome = outcome;
    t.message = message;
    this.done.push(t);
    if (this.done.length > DONE_KEPT) this.done.shift();
    if (this.runningTaskId === taskId) this.runningTaskId = 0;
  }

  awaitBegin(taskId: number, kind: AwaitKind, targetId: number, site: number): void {
    this.tasks.get(taskId)?.awaits.push({ kind, targetId, site });
  }

  awaitEnd(taskId: number, targetId: number): void {
    const t = this.tasks.get(taskId);
    if (!t) return;
    for (let i = t.awaits.length - 1; i >= 0; i--) {
      if (t.awaits[i]!.targetId === targetId) { t.awaits.splice(i, 1); break; }
    }
  }

  wake(_wakerTaskId: number, _callbackId: number, wokenTaskId: number): void {
    const t = this.tasks.get(wokenTaskId);
    if (t) t.woken = true;
  }

  resourceCreated(resourceId: number, kind: ResourceKind, name: string, site: number, capacity: number): void {
    this.resources.set(resourceId, { id: resourceId, kind, name, site, capacity, holders: [], waiters: [] });
  }

  resourceWaitBegin(resourceId: number, taskId: number, site: number): void {
    this.resources.get(resourceId)?.waiters.push({ taskId, site });
  }

  resourceWaitAbandoned(resourceId: number, taskId: number): void {
    const r = this.resources.get(resourceId);
    if (r) removeFirst(r.waiters, taskId);
  }

  resourceAcquired(resourceId: number, taskId: number, site: number): void {
    const r = this.resources.get(resourceId);
    if (!r) return;
    // The end of a wait for every kind; a hold only for what is held until released.
    const waited = removeFirst(r.waiters, taskId);
    if (r.kind === 'lock' || r.kind === 'semaphore') r.holders.push({ taskId, site: site !== 0 ? site : waited?.site ?? 0 });
  }

  resourceReleased(resourceId: number, taskId: number): void {
    const r = this.resources.get(resourceId);
    // A semaphore may be released by a task that never acquired it: the oldest hold ends.
    if (r && removeFirst(r.holders, taskId) === undefined) r.holders.shift();
  }

  private site(id: number): string {
    return id === 0 ? '' : this.sites.get(id) ?? '';
  }

  private entry(e: { taskId: number; site: number }): SnapshotEntry {
    return { taskId: e.taskId, site: this.site(e.site) };
  }

  /** The live state now. `stacks`: Task.getStack() of each live task, by id, when the loop is reachable. */
  snapshot(stacks: ReadonlyMap<number, SnapshotTask['stack']> = new Map()): ProgramSnapshot {
    const task = (t: LiveTask): SnapshotTask => {
      const awaits: SnapshotAwait[] = t.awaits.map((a) => ({ kind: a.kind, targetId: a.targetId, site: this.site(a.site) }));
      const state = t.outcome !== undefined ? 'done' : t.running ? 'running' : awaits.length > 0 && !t.woken ? 'waiting' : 'ready';
      const out: SnapshotTask = { id: t.id, name: t.name, parentId: t.parentId, site: this.site(t.site), state, awaits };
      const stack = stacks.get(t.id);
      if (stack) out.stack = stack;
      if (t.outcome !== undefined) { out.outcome = t.outcome; out.message = t.message ?? ''; }
      return out;
    };
    return {
      version: 1,
      source: 'program',
      runningTaskId: this.runningTaskId,
      tasks: [...this.tasks.values(), ...this.done].map(task),
      resources: [...this.resources.values()].map((r) => ({
        id: r.id, kind: r.kind, name: r.name, site: this.site(r.site), capacity: r.capacity,
        holders: r.holders.map((h) => this.entry(h)), waiters: r.waiters.map((w) => this.entry(w)),
      })),
    };
  }
}

/** Task.getStack() of every live task of the running loop; empty outside one. */
function liveStacks(): Map<number, SnapshotTask['stack']> {
  const out = new Map<number, SnapshotTask['stack']>();
  let tasks;
  try {
    tasks = allTasks(getRunningLoop());
  } catch {
    return out; // no running loop (paused outside run())
  }
  for (const t of tasks) out.set(t.id, t.getStack());
  return out;
}

let live: LiveState | undefined;

/** Installs the live-state instrument and `globalThis.__asyncTraceSnapshot`; idempotent. */
export function installDebugSnapshots(): LiveState {
  if (live) return live;
  const state = new LiveState();
  live = state;
  addInstrument(state);
  (globalThis as Record<string, unknown>).__asyncTraceSnapshot = (): string => {
    const s = state.snapshot(liveStacks());
    // Paused inside a task body that has not reported a slice (no hooks yet), the current task still counts.
    if (s.runningTaskId === 0) s.runningTaskId = currentTask()?.id ?? 0;
    return JSON.stringify(s);
  };
  return state;
}

if (typeof process !== 'undefined' && process.env[TRACER_ENV.debug] === '1') installDebugSnapshots();
