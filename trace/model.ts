/**
 * The trace model: decoded events (trace/events.ts) folded into tasks, await nesting,
 * wake edges, resource timelines, callbacks, jobs, I/O waits and blocked-loop spans.
 * Pure TypeScript (runs in the extension host, the webview and the CLI).
 *
 * Invariants and why:
 * - `apply` is incremental and append-only: live traces grow while readers hold the
 *   arrays, so arrays are only pushed to and open spans are closed in place.
 * - Await depth: an await that begins while other awaits of the same task are open is
 *   one deeper than the deepest open one. Build-time marks begin the span of a plain
 *   promise before its operand runs, so `main → await fetchPage() → await sleep()` nests
 *   as depth 0 → 1. Spans at one depth never overlap, which the flame chart relies on.
 * - An awaitEnd closes the innermost open await of the task with that target (plain
 *   promises have target 0); the latest wake of that task since the await began is the
 *   edge that ended it.
 * - Hold spans exist for locks, semaphores and conditions (grant → release); events,
 *   queues and barriers have acquisitions and waits but nothing is "held".
 */
import type { TraceEvent } from './events';
import type {
  AwaitSpan, BlockedSpan, DropGap, CallbackSpan, HoldSpan, IoWaitSpan, JobSpan, PauseSpan, ResourceModel,
  ResourceStats, Site, TaskModel, TraceHeader, TraceModelView, TraceTime, WaitSpan, WakeEdge,
} from './model-types';
import { formatSite, SiteTable } from './sites';
import { computeContention, type ResourceTally } from './stats';
import { addPause } from './pauses';

const HOLDABLE = new Set(['lock', 'semaphore', 'condition']);

interface TaskState {
  open: AwaitSpan[];
  lastWake: WakeEdge | undefined;
}

export class TraceModel implements TraceModelView {
  header: TraceHeader | undefined;
  eventCount = 0;
  droppedEvents = 0;
  startTime: TraceTime = 0;
  endTime: TraceTime = 0;
  readonly tasks: TaskModel[] = [];
  readonly resources: ResourceModel[] = [];
  readonly wakes: WakeEdge[] = [];
  readonly callbacks: CallbackSpan[] = [];
  readonly jobs: JobSpan[] = [];
  readonly ioWaits: IoWaitSpan[] = [];
  readonly blocked: BlockedSpan[] = [];
  readonly gaps: DropGap[] = [];
  /** Debugger pauses, sorted (trace/pauses.ts). */
  readonly pauses: PauseSpan[] = [];
  exitHandles: readonly string[] | undefined;

  private readonly sites = new SiteTable();
  private readonly taskById = new Map<number, TaskModel>();
  private readonly taskState = new Map<number, TaskState>();
  private readonly resourceById = new Map<number, ResourceModel>();
  private readonly tallies = new Map<number, ResourceTally>();
  private readonly openWaits = new Map<string, WaitSpan>();
  private readonly callbackSites = new Map<number, { kind: CallbackSpan['kind']; site: Site | undefined; by: number; at: TraceTime }>();
  /** The task whose slice is open or whose completion is being reported (0: none): who scheduled a callback. */
  private running = 0;
  private readonly openCallbacks = new Map<number, CallbackSpan>();
  private readonly jobById = new Map<number, JobSpan>();
  private readonly openIo = new Map<string, IoWaitSpan>();
  private seenAny = false;

  setHeader(h: TraceHeader): void {
    this.header = h;
  }

  task(id: number): TaskModel | undefined {
    return this.taskById.get(id);
  }

  resource(id: number): ResourceModel | undefined {
    return this.resourceById.get(id);
  }

  siteString(site: Site): string {
    return formatSite(site);
  }

  /** Fold a batch of decoded events (in stream order) into the model. */
  apply(events: readonly TraceEvent[]): void {
    for (const e of events) this.applyOne(e);
  }

  private applyOne(e: TraceEvent): void {
    this.eventCount++;
    const t = e.time;
    // The gap of a `dropped` record began after the event before it (times never decrease).
    if (e.type === 'dropped') this.gaps.push({ begin: this.seenAny ? this.endTime : 0, end: t, count: e.count });
    if (!this.seenAny) { this.startTime = t; this.endTime = t; this.seenAny = true; }
    if (t < this.startTime) this.startTime = t;
    if (t > this.endTime) this.endTime = t;
    switch (e.type) {
      case 'sitesRegistered': this.sites.register(e.base, e.sites, this.header?.root); break;
      case 'taskCreated': {
        const task: TaskModel = {
          id: e.taskId, name: e.name, parentId: e.parentId, site: this.sites.get(e.site), createdAt: t,
          endedAt: undefined, outcome: undefined, message: '', runs: [], awaits: [], children: [], lastSeenAt: t,
        };
        this.tasks.push(task);
        this.taskById.set(task.id, task);
        this.taskById.get(e.parentId)?.children.push(task.id);
        break;
      }
      case 'taskRenamed': { const task = this.taskById.get(e.taskId); if (task) { task.name = e.name; task.lastSeenAt = t; } break; }
      case 'taskRunBegin': {
        const task = this.taskById.get(e.taskId);
        if (task) { task.runs.push({ begin: t, end: undefined }); task.lastSeenAt = t; }
        this.running = e.taskId;
        break;
      }
      case 'taskRunEnd': {
        if (this.running === e.taskId) this.running = 0;
        const task = this.taskById.get(e.taskId);
        if (!task) break;
        task.lastSeenAt = t;
        const last = task.runs[task.runs.length - 1];
        if (last && last.end === undefined) last.end = t;
        break;
      }
      case 'taskDone': {
        const task = this.taskById.get(e.taskId);
        if (!task) break;
        // Callbacks scheduled next are the completion's (the wake-ups of its awaiters).
        this.running = e.taskId;
        task.endedAt = t;
        task.lastSeenAt = t;
        task.outcome = e.outcome;
        task.message = e.message;
        const last = task.runs[task.runs.length - 1];
        if (last && last.end === undefined) last.end = t;
        break;
      }
      case 'awaitBegin': {
        const task = this.taskById.get(e.taskId);
        if (!task) break;
        const st = this.state(e.taskId);
        let depth = 0;
        for (const o of st.open) if (o.depth + 1 > depth) depth = o.depth + 1;
        const span: AwaitSpan = {
          taskId: e.taskId, kind: e.kind, targetId: e.targetId, site: this.sites.get(e.site),
          begin: t, end: undefined, depth, outcome: undefined, wake: undefined,
        };
        task.awaits.push(span);
        task.lastSeenAt = t;
        st.open.push(span);
        break;
      }
      case 'awaitEnd': {
        const st = this.taskState.get(e.taskId);
        if (!st) break;
        let i = st.open.length - 1;
        while (i >= 0 && st.open[i].targetId !== e.targetId) i--;
        if (i < 0) break;
        const span = st.open[i];
        // Usually the innermost await ends: pop is much cheaper than a generic splice (once per await).
        if (i === st.open.length - 1) st.open.pop(); else st.open.splice(i, 1);
        span.end = t;
        span.outcome = e.outcome;
        const task = this.taskById.get(e.taskId);
        if (task) task.lastSeenAt = t;
        if (st.lastWake && st.lastWake.time >= span.begin) { span.wake = st.lastWake; st.lastWake = undefined; }
        break;
      }
      case 'wake': {
        const edge: WakeEdge = { time: t, wakerTaskId: e.wakerTaskId, callbackId: e.callbackId, wokenTaskId: e.wokenTaskId, targetId: e.targetId };
        this.wakes.push(edge);
        this.state(e.wokenTaskId).lastWake = edge;
        break;
      }
      case 'resourceCreated': {
        const r: ResourceModel = {
          id: e.resourceId, kind: e.kind, name: e.name, site: this.sites.get(e.site), capacity: e.capacity,
          createdAt: t, holds: [], waits: [], levels: [], signals: [],
        };
        this.resources.push(r);
        this.resourceById.set(r.id, r);
        this.tallies.set(r.id, { acquisitions: [], openWaiters: 0, maxWaiters: 0, gets: 0, otherWaits: [] });
        break;
      }
      case 'resourceWaitBegin': {
        const r = this.resourceById.get(e.resourceId);
        const tally = this.tallies.get(e.resourceId);
        if (!r || !tally) break;
        const w: WaitSpan = { taskId: e.taskId, site: this.sites.get(e.site), begin: t, end: undefined, outcome: undefined };
        r.waits.push(w);
        this.openWaits.set(`${e.resourceId}:${e.taskId}`, w);
        tally.openWaiters++;
        if (tally.openWaiters > tally.maxWaiters) tally.maxWaiters = tally.openWaiters;
        break;
      }
      case 'resourceWaitAbandoned': {
        const w = this.closeWait(e.resourceId, e.taskId, t, e.outcome);
        // 'ok' without an acquisition: a condition's wait that was notified. Cancelled and
        // timed-out waits were waits too (cli.md): they count like any other.
        if (w) this.tallies.get(e.resourceId)?.otherWaits.push({ waitMs: t - w.begin, site: w.site, from: w.begin });
        break;
      }
      case 'resourceAcquired': {
        const r = this.resourceById.get(e.resourceId);
        const tally = this.tallies.get(e.resourceId);
        if (!r || !tally) break;
        const w = this.closeWait(e.resourceId, e.taskId, t, 'ok');
        const site = this.sites.get(e.site) ?? w?.site;
        tally.acquisitions.push({ waitMs: w ? t - w.begin : 0, waitSite: w?.site, holdSite: site, from: w ? w.begin : t });
        if (HOLDABLE.has(r.kind)) r.holds.push({ taskId: e.taskId, site, releaseSite: undefined, begin: t, end: undefined });
        break;
      }
      case 'resourceReleased': {
        const r = this.resourceById.get(e.resourceId);
        if (!r) break;
        let hold: HoldSpan | undefined;
        for (let i = r.holds.length - 1; i >= 0; i--) {
          const h = r.holds[i];
          if (h.end !== undefined) continue;
          if (h.taskId === e.taskId) { hold = h; break; }
          hold ??= h;
        }
        // Without a task match, release the oldest open hold (FIFO like the runtime's grants).
        if (hold && hold.taskId !== e.taskId) hold = r.holds.find((h) => h.end === undefined);
        if (hold) { hold.end = t; hold.releaseSite = this.sites.get(e.site); }
        break;
      }
      case 'resourceSignal': {
        const r = this.resourceById.get(e.resourceId);
        if (!r) break;
        r.signals.push({ time: t, taskId: e.taskId, signal: e.signal, site: this.sites.get(e.site) });
        const tally = this.tallies.get(e.resourceId);
        if (tally && e.signal === 'get') tally.gets++;
        // A blocked put (queue full) ends when the put goes through.
        if (tally && e.signal === 'put') {
          const w = this.closeWait(e.resourceId, e.taskId, t, 'ok');
          if (w) tally.otherWaits.push({ waitMs: t - w.begin, site: w.site, from: w.begin });
        }
        break;
      }
      case 'resourceLevel': this.resourceById.get(e.resourceId)?.levels.push({ time: t, level: e.level }); break;
      case 'callbackScheduled': this.callbackSites.set(e.handleId, { kind: e.kind, site: this.sites.get(e.site), by: this.running, at: t }); break;
      case 'callbackBegin': {
        const info = this.callbackSites.get(e.handleId);
        this.running = 0;
        const span: CallbackSpan = {
          handleId: e.handleId, kind: info?.kind ?? 'soon', site: info?.site, scheduledBy: info?.by ?? 0, scheduledAt: info?.at, begin: t, end: undefined,
        };
        this.callbacks.push(span);
        this.openCallbacks.set(e.handleId, span);
        break;
      }
      case 'callbackEnd': {
        const span = this.openCallbacks.get(e.handleId);
        if (span) { span.end = t; this.openCallbacks.delete(e.handleId); this.callbackSites.delete(e.handleId); }
        break;
      }
      case 'loopTurnBegin': case 'loopTurnEnd': break;
      case 'jobSubmitted': {
        const job: JobSpan = {
          jobId: e.jobId, executorId: e.executorId, fnName: e.fnName, site: this.sites.get(e.site), submittedAt: t,
          startedAt: undefined, endedAt: undefined, workerIndex: -1, outcome: undefined, message: '',
        };
        this.jobs.push(job);
        this.jobById.set(job.jobId, job);
        break;
      }
      case 'jobStarted': { const j = this.jobById.get(e.jobId); if (j) { j.startedAt = t; j.workerIndex = e.workerIndex; } break; }
      case 'jobFinished': {
        const j = this.jobById.get(e.jobId);
        if (j) { j.endedAt = t; j.outcome = e.outcome; j.message = e.message; this.jobById.delete(e.jobId); }
        break;
      }
      case 'ioWaitBegin': {
        const span: IoWaitSpan = {
          streamId: e.streamId, taskId: e.taskId, op: e.op, peer: e.peer, bytes: 0, outcome: undefined,
          site: this.sites.get(e.site), begin: t, end: undefined,
        };
        this.ioWaits.push(span);
        this.openIo.set(`${e.streamId}:${e.taskId}`, span);
        break;
      }
      case 'ioWaitEnd': {
        const key = `${e.streamId}:${e.taskId}`;
        const span = this.openIo.get(key);
        if (span) { span.end = t; span.bytes = e.bytes; span.outcome = e.outcome; this.openIo.delete(key); }
        break;
      }
      case 'taskErrorThrown': {
        // After its taskDone, as late as the end of tracing; a taskErrorRetrieved may come before or after it.
        const task = this.taskById.get(e.taskId);
        if (task) { task.errorSite = this.sites.get(e.site); task.errorRetrieved = task.errorRetrieved === true || e.retrieved !== 0; }
        break;
      }
      case 'taskErrorRetrieved': { const task = this.taskById.get(e.taskId); if (task) task.errorRetrieved = true; break; }
      case 'exitHandles': this.exitHandles = e.handles; break;
      case 'dropped': this.droppedEvents += e.count; break;
      case 'loopBlocked': this.blocked.push({ begin: t - e.durationMs, end: t, durationMs: e.durationMs }); break;
      case 'debuggerPaused': addPause(this.pauses, t - e.endedBeforeUs / 1000, e.durationMs); break;
    }
  }

  private state(taskId: number): TaskState {
    let st = this.taskState.get(taskId);
    if (!st) { st = { open: [], lastWake: undefined }; this.taskState.set(taskId, st); }
    return st;
  }

  private closeWait(resourceId: number, taskId: number, time: TraceTime, outcome: WaitSpan['outcome']): WaitSpan | undefined {
    const key = `${resourceId}:${taskId}`;
    const w = this.openWaits.get(key);
    if (!w) return undefined;
    this.openWaits.delete(key);
    w.end = time;
    w.outcome = outcome;
    const tally = this.tallies.get(resourceId);
    if (tally) tally.openWaiters--;
    return w;
  }

  awaitsIn(taskId: number, from: TraceTime, to: TraceTime): AwaitSpan[] {
    const task = this.taskById.get(taskId);
    if (!task) return [];
    return task.awaits.filter((a) => a.begin <= to && (a.end === undefined || a.end >= from));
  }

  awaitChainAt(taskId: number, time: TraceTime): AwaitSpan[] {
    const task = this.taskById.get(taskId);
    if (!task) return [];
    return task.awaits
      .filter((a) => a.begin <= time && (a.end === undefined || a.end > time))
      .sort((a, b) => a.depth - b.depth || a.begin - b.begin);
  }

  holdersAt(resourceId: number, time: TraceTime): HoldSpan[] {
    const r = this.resourceById.get(resourceId);
    if (!r) return [];
    return r.holds.filter((h) => h.begin <= time && (h.end === undefined || h.end > time));
  }

  contention(): ResourceStats[] {
    return computeContention(this.resources, this.tallies, (s) => formatSite(s), this.endTime, this.pauses);
  }
}
