/**
 * What was alive when the flight recorder's window begins: the events the ring let go
 * of (ring-sink.ts) are folded in here, and a saved window starts with `prelude(time)`,
 * the declarations that make it a valid trace on its own: the sites, the resources (with
 * their holders, waiters and level), the tasks still alive (each once, with the awaits
 * it had open, outermost first, and whether it was running), pending callbacks, jobs and
 * I/O waits. Every declaration is stamped with the window's start, so the window reads
 * like a trace that began then (the model and the chart see a task alive from the start,
 * its await open since then).
 *
 * Memory is what is alive, not what happened: finished tasks, jobs and I/O waits are
 * forgotten; resources are kept (the runtime never says one is gone), and scheduled
 * callbacks that never ran (cancelled timers) are bounded by MAX_SCHEDULED.
 */
import type {
  AwaitKind, CallbackKind, EventOf, IoOp, ResourceKind, TraceEvent,
} from '../../trace/events';

interface OpenAwait { kind: AwaitKind; targetId: number; site: number }

interface LiveTask {
  parentId: number;
  name: string;
  site: number;
  running: boolean;
  open: OpenAwait[];
  /** The wake that will end the innermost await, if it came before the cut. */
  wake: EventOf<'wake'> | undefined;
}

interface LiveResource {
  kind: ResourceKind;
  name: string;
  site: number;
  capacity: number;
  holders: { taskId: number; site: number }[];
  waiters: { taskId: number; site: number }[];
  level: number | undefined;
}

/** Pending callbacks kept at most (older ones are forgotten: a timer that was cancelled never runs). */
const MAX_SCHEDULED = 65_536;
const HOLDABLE: ReadonlySet<string> = new Set(['lock', 'semaphore', 'condition']);

export class RingState {
  private readonly sites = new Map<number, string[]>();
  private readonly tasks = new Map<number, LiveTask>();
  private readonly resources = new Map<number, LiveResource>();
  private readonly scheduled = new Map<number, { kind: CallbackKind; delayMs: number; site: number }>();
  private readonly running = new Set<number>();
  private readonly jobs = new Map<number, { executorId: number; fnName: string; site: number; worker: number | undefined }>();
  private readonly io = new Map<string, { streamId: number; taskId: number; op: IoOp; peer: string; site: number }>();

  /** Site blocks known (`base`s), so a window does not register a block twice. */
  hasSites(base: number): boolean { return this.sites.has(base); }

  /** Tasks alive at the cut (for tests and reports). */
  get liveTasks(): number { return this.tasks.size; }

  apply(e: TraceEvent): void {
    switch (e.type) {
      case 'sitesRegistered': this.sites.set(e.base, e.sites); break;
      case 'taskCreated': this.tasks.set(e.taskId, { parentId: e.parentId, name: e.name, site: e.site, running: false, open: [], wake: undefined }); break;
      case 'taskRenamed': { const t = this.tasks.get(e.taskId); if (t) t.name = e.name; break; }
      case 'taskRunBegin': { const t = this.tasks.get(e.taskId); if (t) t.running = true; break; }
      case 'taskRunEnd': { const t = this.tasks.get(e.taskId); if (t) t.running = false; break; }
      case 'taskDone': this.tasks.delete(e.taskId); break;
      case 'awaitBegin': this.tasks.get(e.taskId)?.open.push({ kind: e.kind, targetId: e.targetId, site: e.site }); break;
      case 'awaitEnd': {
        const t = this.tasks.get(e.taskId);
        if (!t) break;
        // The innermost open await of that target, as the model closes it.
        for (let i = t.open.length - 1; i >= 0; i--) {
          if (t.open[i].targetId === e.targetId) { t.open.splice(i, 1); break; }
        }
        t.wake = undefined;
        break;
      }
      case 'wake': { const t = this.tasks.get(e.wokenTaskId); if (t) t.wake = e; break; }
      case 'resourceCreated':
        this.resources.set(e.resourceId, { kind: e.kind, name: e.name, site: e.site, capacity: e.capacity, holders: [], waiters: [], level: undefined });
        break;
      case 'resourceWaitBegin': this.resources.get(e.resourceId)?.waiters.push({ taskId: e.taskId, site: e.site }); break;
      case 'resourceWaitAbandoned': this.unwait(e.resourceId, e.taskId); break;
      case 'resourceAcquired': {
        const r = this.resources.get(e.resourceId);
        if (!r) break;
        this.unwait(e.resourceId, e.taskId);
        if (HOLDABLE.has(r.kind)) r.holders.push({ taskId: e.taskId, site: e.site });
        break;
      }
      case 'resourceReleased': {
        const r = this.resources.get(e.resourceId);
        if (!r || r.holders.length === 0) break;
        // The task's own hold, else the oldest (as the model releases).
        const i = r.holders.findIndex((h) => h.taskId === e.taskId);
        r.holders.splice(i < 0 ? 0 : i, 1);
        break;
      }
      case 'resourceSignal': if (e.signal === 'put') this.unwait(e.resourceId, e.taskId); break;
      case 'resourceLevel': { const r = this.resources.get(e.resourceId); if (r) r.level = e.level; break; }
      case 'callbackScheduled':
        if (this.scheduled.size >= MAX_SCHEDULED) this.scheduled.delete(this.scheduled.keys().next().value!);
        this.scheduled.set(e.handleId, { kind: e.kind, delayMs: e.delayMs, site: e.site });
        break;
      case 'callbackBegin': this.running.add(e.handleId); break;
      case 'callbackEnd': this.running.delete(e.handleId); this.scheduled.delete(e.handleId); break;
      case 'jobSubmitted': this.jobs.set(e.jobId, { executorId: e.executorId, fnName: e.fnName, site: e.site, worker: undefined }); break;
      case 'jobStarted': { const j = this.jobs.get(e.jobId); if (j) j.worker = e.workerIndex; break; }
      case 'jobFinished': this.jobs.delete(e.jobId); break;
      case 'ioWaitBegin': this.io.set(`${e.streamId}:${e.taskId}`, { streamId: e.streamId, taskId: e.taskId, op: e.op, peer: e.peer, site: e.site }); break;
      case 'ioWaitEnd': this.io.delete(`${e.streamId}:${e.taskId}`); break;
      case 'loopTurnBegin': case 'loopTurnEnd': case 'dropped': case 'loopBlocked': case 'exitHandles': break;
      // A failed task is gone (taskDone): its error's site and retrieval are history, in the window or not.
      case 'taskErrorThrown': case 'taskErrorRetrieved': break;
    }
  }

  private unwait(resourceId: number, taskId: number): void {
    const w = this.resources.get(resourceId)?.waiters;
    if (!w) return;
    const i = w.findIndex((x) => x.taskId === taskId);
    if (i >= 0) w.splice(i, 1);
  }

  /** The declarations a window starting at `time` begins with (see the file comment). */
  *prelude(time: number): Generator<TraceEvent> {
    for (const base of [...this.sites.keys()].sort((a, b) => a - b)) yield { type: 'sitesRegistered', time, base, sites: this.sites.get(base)! };
    for (const [resourceId, r] of this.resources) {
      yield { type: 'resourceCreated', time, resourceId, kind: r.kind, name: r.name, site: r.site, capacity: r.capacity };
      if (r.level !== undefined) yield { type: 'resourceLevel', time, resourceId, level: r.level };
    }
    for (const [taskId, t] of this.tasks) yield { type: 'taskCreated', time, taskId, parentId: t.parentId, name: t.name, site: t.site };
    for (const [taskId, t] of this.tasks) {
      for (const a of t.open) yield { type: 'awaitBegin', time, taskId, kind: a.kind, targetId: a.targetId, site: a.site };
      if (t.running) yield { type: 'taskRunBegin', time, taskId };
      if (t.wake && t.open.length > 0) yield { ...t.wake, time };
    }
    for (const [resourceId, r] of this.resources) {
      for (const w of r.waiters) yield { type: 'resourceWaitBegin', time, resourceId, taskId: w.taskId, site: w.site };
      for (const h of r.holders) yield { type: 'resourceAcquired', time, resourceId, taskId: h.taskId, site: h.site };
    }
    for (const [handleId, c] of this.scheduled) yield { type: 'callbackScheduled', time, handleId, kind: c.kind, delayMs: c.delayMs, site: c.site };
    for (const handleId of this.running) yield { type: 'callbackBegin', time, handleId };
    for (const [jobId, j] of this.jobs) {
      yield { type: 'jobSubmitted', time, jobId, executorId: j.executorId, fnName: j.fnName, site: j.site };
      if (j.worker !== undefined) yield { type: 'jobStarted', time, jobId, workerIndex: j.worker };
    }
    for (const w of this.io.values()) yield { type: 'ioWaitBegin', time, streamId: w.streamId, taskId: w.taskId, op: w.op, peer: w.peer, site: w.site };
  }
}
