/**
 * The trace model: decoded events (trace/events.ts) folded into tasks, await nesting,
 * wake edges, resource timelines, callbacks, jobs, I/O waits and blocked-loop spans.
 * Pure TypeScript (runs in the extension host, the webview and the CLI).
 *
 * Invariants and why:
 * - `apply` is incremental and append-only: live traces grow while readers hold the
 *   arrays and span lists, so they are only pushed to and open spans are closed in place.
 * - A task's runs and awaits, a resource's holds and waits, the wakes and the I/O waits
 *   live in model-wide typed-array columns (span-columns.ts, wait-columns.ts), not as
 *   objects: the bulk of a long trace (issue 18). The open-span bookkeeping below holds
 *   column indices.
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
import { FIELD_OFFSET as F, RecordType } from './records.generated';
import { AWAIT_KIND_CODE, IO_OP_CODE, OUTCOME_CODE } from './vocabulary';
import type {
  AwaitSpan, BlockedSpan, DropGap, CallbackSpan, HoldSpan, JobSpan, PauseSpan, ResourceModel,
  Outcome, ResourceStats, Site, TaskModel, TraceHeader, TraceModelView, TraceTime,
} from './model-types';
import { formatSite, SiteTable } from './sites';
import { addAcquisition, computeContention, newTally, type ResourceTally } from './stats';
import { addPause } from './pauses';
import { AwaitColumns, awaitAt, ColumnAwaitList, ColumnRunList, IndexArena, RunColumns } from './span-columns';
import { ColumnHoldList, ColumnWaitList, HoldColumns, IoWaitColumns, WaitColumns, WakeColumns } from './wait-columns';

const HOLDABLE = new Set(['lock', 'semaphore', 'condition']);

// Field offsets of the records read in place (rawRecord), as module constants.
const O_RUN_TASK = F.taskRunBegin.taskId;
const O_AB_TASK = F.awaitBegin.taskId, O_AB_TARGET = F.awaitBegin.targetId, O_AB_SITE = F.awaitBegin.site;
const O_AE_TASK = F.awaitEnd.taskId, O_AE_TARGET = F.awaitEnd.targetId;
const O_WAKE_WAKER = F.wake.wakerTaskId, O_WAKE_CB = F.wake.callbackId, O_WAKE_WOKEN = F.wake.wokenTaskId, O_WAKE_TARGET = F.wake.targetId;
const O_RES = F.resourceAcquired.resourceId, O_RES_TASK = F.resourceAcquired.taskId, O_RES_SITE = F.resourceAcquired.site;
const O_CB_HANDLE = F.callbackBegin.handleId;
if (F.taskRunEnd.taskId !== O_RUN_TASK || F.callbackEnd.handleId !== O_CB_HANDLE
  || [F.resourceWaitBegin, F.resourceReleased].some((f) => f.resourceId !== O_RES || f.taskId !== O_RES_TASK || f.site !== O_RES_SITE)) {
  throw new Error('trace/model.ts: record layouts changed; update rawRecord');
}

// Module-local copies of the record types switched on per record: an imported binding costs
// a getter call per use in unbundled (tsx) runs.
const T_TASK_RUN_BEGIN = RecordType.TaskRunBegin;
const T_TASK_RUN_END = RecordType.TaskRunEnd;
const T_AWAIT_BEGIN = RecordType.AwaitBegin;
const T_AWAIT_END = RecordType.AwaitEnd;
const T_WAKE = RecordType.Wake;
const T_RESOURCE_WAIT_BEGIN = RecordType.ResourceWaitBegin;
const T_RESOURCE_ACQUIRED = RecordType.ResourceAcquired;
const T_RESOURCE_RELEASED = RecordType.ResourceReleased;
const T_CALLBACK_BEGIN = RecordType.CallbackBegin;
const T_CALLBACK_END = RecordType.CallbackEnd;

/** Past this many open awaits in one task, awaitEnd finds its span through a per-target index (issue 16). */
const INDEX_OPEN_AWAITS = 16;

interface TaskState {
  /**
   * The task's awaits (their columns) in begin order, ended ones removed lazily: the last
   * entry is always open (ended entries at the end are popped at once), so depths are
   * strictly increasing along it and the deepest open await is the last entry.
   */
  open: number[];
  /** How many entries of `open` are still open. */
  live: number;
  /** Open awaits by target, innermost last; only while many are open at once. */
  byTarget: Map<number, number[]> | undefined;
  /** The latest wake of the task not yet given to an await (index into `wakes`), -1 for none. */
  lastWake: number;
}

/** The open holds (their columns) of one task on one resource, oldest at `head`. */
interface TaskHolds { items: number[]; head: number }

/** Where a holdable resource's open holds are, so a release finds its hold in O(1) (issue 16). */
interface HoldState {
  /** No hold before this index of `holds` is open (holds only ever close). */
  firstOpen: number;
  byTask: Map<number, TaskHolds>;
}

export class TraceModel implements TraceModelView {
  header: TraceHeader | undefined;
  eventCount = 0;
  droppedEvents = 0;
  startTime: TraceTime = 0;
  endTime: TraceTime = 0;
  readonly tasks: TaskModel[] = [];
  readonly resources: ResourceModel[] = [];
  private readonly sites = new SiteTable();
  readonly wakes = new WakeColumns();
  readonly callbacks: CallbackSpan[] = [];
  readonly jobs: JobSpan[] = [];
  readonly ioWaits = new IoWaitColumns(this.sites);
  readonly blocked: BlockedSpan[] = [];
  readonly gaps: DropGap[] = [];
  /** Debugger pauses, sorted (trace/pauses.ts). */
  readonly pauses: PauseSpan[] = [];
  exitHandles: readonly string[] | undefined;

  private readonly runCols = new RunColumns();
  private readonly runArena = new IndexArena();
  private readonly awaitCols = new AwaitColumns(this.sites, this.wakes);
  private readonly awaitArena = new IndexArena();
  private readonly holdCols = new HoldColumns(this.sites);
  private readonly waitCols = new WaitColumns(this.sites);
  /** The resources' hold and wait indices (one arena for both). */
  private readonly resourceArena = new IndexArena();
  /**
   * Tasks by id: position in `tasks` + 1 (0: none) for ids that fit a dense index (the
   * runtime counts ids up from 1), the rest in a Map. A Map of a million tasks was a tenth
   * of the time of loading and analysing a 10M-event trace (issue 18): every task lookup
   * of the analysis goes through here.
   */
  private taskPos = new Int32Array(0);
  private readonly sparseTasks = new Map<number, TaskModel>();
  private readonly taskState = new Map<number, TaskState>();
  private readonly resourceById = new Map<number, ResourceModel>();
  private readonly tallies = new Map<number, ResourceTally>();
  private readonly holdState = new Map<number, HoldState>();
  /** Open contended waits (their columns) by resource, then task (numeric keys: no string per wait). */
  private readonly openWaits = new Map<number, Map<number, number>>();
  private readonly callbackSites = new Map<number, { kind: CallbackSpan['kind']; site: Site | undefined; by: number; at: TraceTime }>();
  /** The task whose slice is open or whose completion is being reported (0: none): who scheduled a callback. */
  private running = 0;
  private readonly openCallbacks = new Map<number, CallbackSpan>();
  private readonly jobById = new Map<number, JobSpan>();
  /** Open I/O waits (their columns) by stream, then task. */
  private readonly openIo = new Map<number, Map<number, number>>();
  private seenAny = false;

  setHeader(h: TraceHeader): void {
    this.header = h;
  }

  task(id: number): TaskModel | undefined {
    const p = id < this.taskPos.length ? this.taskPos[id] : 0;
    return p !== 0 ? this.tasks[p - 1] : this.sparseTasks.size === 0 ? undefined : this.sparseTasks.get(id);
  }

  /** Indexes the task just pushed to `tasks` (a re-declared id: the latest wins, in either index). */
  private indexTask(task: TaskModel): void {
    const id = task.id;
    // Dense while the index stays within a few times the tasks' count.
    if (id >= 0 && id < 4 * this.tasks.length + 65536) {
      if (id >= this.taskPos.length) {
        const grown = new Int32Array(Math.max(id + 1, this.taskPos.length * 2));
        grown.set(this.taskPos);
        this.taskPos = grown;
      }
      this.taskPos[id] = this.tasks.length;
      this.sparseTasks.delete(id);
    } else {
      if (id >= 0 && id < this.taskPos.length) this.taskPos[id] = 0;
      this.sparseTasks.set(id, task);
    }
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

  /** Fold one decoded event into the model (TraceDecoder.pushTo hands the events it does not hand over raw). */
  applyEvent(e: TraceEvent): void {
    this.applyOne(e);
  }

  /**
   * @internal Fold one record read in place from its batch (TraceDecoder.pushTo, types
   * RAW_RECORD_TYPES): the same as `apply` of its decoded event, without the event.
   */
  rawRecord(dv: DataView, p: number, type: number, code: number, t: number): void {
    this.eventCount++;
    if (!this.seenAny) { this.startTime = t; this.endTime = t; this.seenAny = true; }
    if (t < this.startTime) this.startTime = t;
    if (t > this.endTime) this.endTime = t;
    switch (type) {
      case T_TASK_RUN_BEGIN: this.runBegin(t, dv.getUint32(p + O_RUN_TASK, true)); break;
      case T_TASK_RUN_END: this.runEnd(t, dv.getUint32(p + O_RUN_TASK, true)); break;
      case T_AWAIT_BEGIN:
        this.awaitBegin(t, dv.getUint32(p + O_AB_TASK, true), code, dv.getUint32(p + O_AB_TARGET, true), dv.getUint32(p + O_AB_SITE, true));
        break;
      case T_AWAIT_END: this.awaitEnd(t, dv.getUint32(p + O_AE_TASK, true), dv.getUint32(p + O_AE_TARGET, true), code); break;
      case T_WAKE:
        this.wake(t, dv.getUint32(p + O_WAKE_WAKER, true), dv.getUint32(p + O_WAKE_CB, true), dv.getUint32(p + O_WAKE_WOKEN, true), dv.getUint32(p + O_WAKE_TARGET, true));
        break;
      case T_RESOURCE_WAIT_BEGIN: this.resourceWaitBegin(t, dv.getUint32(p + O_RES, true), dv.getUint32(p + O_RES_TASK, true), dv.getUint32(p + O_RES_SITE, true)); break;
      case T_RESOURCE_ACQUIRED: this.resourceAcquired(t, dv.getUint32(p + O_RES, true), dv.getUint32(p + O_RES_TASK, true), dv.getUint32(p + O_RES_SITE, true)); break;
      case T_RESOURCE_RELEASED: this.resourceReleased(t, dv.getUint32(p + O_RES, true), dv.getUint32(p + O_RES_TASK, true), dv.getUint32(p + O_RES_SITE, true)); break;
      case T_CALLBACK_BEGIN: this.callbackBegin(t, dv.getUint32(p + O_CB_HANDLE, true)); break;
      case T_CALLBACK_END: this.callbackEnd(t, dv.getUint32(p + O_CB_HANDLE, true)); break;
      default: break; // loop turns
    }
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
          endedAt: undefined, outcome: undefined, message: '',
          runs: new ColumnRunList(this.runCols, this.runArena), awaits: new ColumnAwaitList(this.awaitCols, this.awaitArena), children: [], lastSeenAt: t,
        };
        this.tasks.push(task);
        this.indexTask(task);
        this.task(e.parentId)?.children.push(task.id);
        break;
      }
      case 'taskRenamed': { const task = this.task(e.taskId); if (task) { task.name = e.name; task.lastSeenAt = t; } break; }
      case 'taskRunBegin': this.runBegin(t, e.taskId); break;
      case 'taskRunEnd': this.runEnd(t, e.taskId); break;
      case 'taskDone': {
        const task = this.task(e.taskId);
        if (!task) break;
        // Callbacks scheduled next are the completion's (the wake-ups of its awaiters).
        this.running = e.taskId;
        task.endedAt = t;
        task.lastSeenAt = t;
        task.outcome = e.outcome;
        task.message = e.message;
        this.closeLastRun(task, t);
        // An ended task with nothing open and no wake pending keeps no await state (a
        // later event for it starts from an empty state, which is what this one is).
        // Otherwise only its open awaits are kept, in an array of their size.
        const st = this.taskState.get(e.taskId);
        if (st && st.live === 0 && st.lastWake < 0) this.taskState.delete(e.taskId);
        else if (st && st.open.length > st.live) st.open = st.open.filter((a) => this.awaitCols.isOpen(a));
        break;
      }
      case 'awaitBegin': this.awaitBegin(t, e.taskId, AWAIT_KIND_CODE[e.kind], e.targetId, e.site); break;
      case 'awaitEnd': this.awaitEnd(t, e.taskId, e.targetId, OUTCOME_CODE[e.outcome]); break;
      case 'wake': this.wake(t, e.wakerTaskId, e.callbackId, e.wokenTaskId, e.targetId); break;
      case 'resourceCreated': {
        const r: ResourceModel = {
          id: e.resourceId, kind: e.kind, name: e.name, site: this.sites.get(e.site), capacity: e.capacity,
          createdAt: t, holds: new ColumnHoldList(this.holdCols, this.resourceArena), waits: new ColumnWaitList(this.waitCols, this.resourceArena),
          levels: [], signals: [],
        };
        this.resources.push(r);
        this.resourceById.set(r.id, r);
        this.tallies.set(r.id, newTally());
        // Hold state indexes this resource's `holds` (a re-declared id starts afresh, as its holds do).
        this.holdState.delete(r.id);
        break;
      }
      case 'resourceWaitBegin': this.resourceWaitBegin(t, e.resourceId, e.taskId, e.site); break;
      case 'resourceWaitAbandoned': {
        const w = this.closeWait(e.resourceId, e.taskId, t, e.outcome);
        // 'ok' without an acquisition: a condition's wait that was notified. Cancelled and
        // timed-out waits were waits too (cli.md): they count like any other.
        if (w >= 0) { const tally = this.tallies.get(e.resourceId); if (tally) this.addOtherWait(tally, w, t); }
        break;
      }
      case 'resourceAcquired': this.resourceAcquired(t, e.resourceId, e.taskId, e.site); break;
      case 'resourceReleased': this.resourceReleased(t, e.resourceId, e.taskId, e.site); break;
      case 'resourceSignal': {
        const r = this.resourceById.get(e.resourceId);
        if (!r) break;
        r.signals.push({ time: t, taskId: e.taskId, signal: e.signal, site: this.sites.get(e.site) });
        const tally = this.tallies.get(e.resourceId);
        if (tally && e.signal === 'get') tally.gets++;
        // A blocked put (queue full) ends when the put goes through.
        if (tally && e.signal === 'put') {
          const w = this.closeWait(e.resourceId, e.taskId, t, 'ok');
          if (w >= 0) this.addOtherWait(tally, w, t);
        }
        break;
      }
      case 'resourceLevel': this.resourceById.get(e.resourceId)?.levels.push({ time: t, level: e.level }); break;
      case 'callbackScheduled': this.callbackSites.set(e.handleId, { kind: e.kind, site: this.sites.get(e.site), by: this.running, at: t }); break;
      case 'callbackBegin': this.callbackBegin(t, e.handleId); break;
      case 'callbackEnd': this.callbackEnd(t, e.handleId); break;
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
        setIn(this.openIo, e.streamId, e.taskId, this.ioWaits.add(t, e.streamId, e.taskId, IO_OP_CODE[e.op], e.peer, e.site));
        break;
      }
      case 'ioWaitEnd': {
        const io = takeFrom(this.openIo, e.streamId, e.taskId);
        if (io !== undefined) this.ioWaits.close(io, t, e.bytes, OUTCOME_CODE[e.outcome]);
        break;
      }
      case 'taskErrorThrown': {
        // After its taskDone, as late as the end of tracing; a taskErrorRetrieved may come before or after it.
        const task = this.task(e.taskId);
        if (task) { task.errorSite = this.sites.get(e.site); task.errorRetrieved = task.errorRetrieved === true || e.retrieved !== 0; }
        break;
      }
      case 'taskErrorRetrieved': { const task = this.task(e.taskId); if (task) task.errorRetrieved = true; break; }
      case 'exitHandles': this.exitHandles = e.handles; break;
      case 'dropped': this.droppedEvents += e.count; break;
      case 'loopBlocked': this.blocked.push({ begin: t - e.durationMs, end: t, durationMs: e.durationMs }); break;
      case 'debuggerPaused': addPause(this.pauses, t - e.endedBeforeUs / 1000, e.durationMs); break;
    }
  }

  private runBegin(t: TraceTime, taskId: number): void {
    const task = this.task(taskId);
    if (task) { (task.runs as ColumnRunList).push(this.runCols.add(t)); task.lastSeenAt = t; }
    this.running = taskId;
  }

  private runEnd(t: TraceTime, taskId: number): void {
    if (this.running === taskId) this.running = 0;
    const task = this.task(taskId);
    if (!task) return;
    task.lastSeenAt = t;
    this.closeLastRun(task, t);
  }

  /** Ends the task's latest run at `t` if it is open. */
  private closeLastRun(task: TaskModel, t: TraceTime): void {
    const runs = task.runs as ColumnRunList;
    if (runs.length === 0) return;
    const c = runs.get(runs.length - 1);
    if (Number.isNaN(this.runCols.ends[c])) this.runCols.ends[c] = t;
  }

  private awaitBegin(t: TraceTime, taskId: number, kindCode: number, targetId: number, siteId: number): void {
    const task = this.task(taskId);
    if (!task) return;
    const st = this.state(taskId);
    const open = st.open;
    const cols = this.awaitCols;
    const depth = open.length === 0 ? 0 : cols.depths[open[open.length - 1]] + 1;
    const a = cols.add(t, taskId, kindCode, targetId, siteId, depth);
    (task.awaits as ColumnAwaitList).push(a);
    task.lastSeenAt = t;
    open.push(a);
    st.live++;
    if (st.byTarget) pushTo(st.byTarget, targetId, a);
    else if (st.live > INDEX_OPEN_AWAITS) st.byTarget = indexByTarget(cols, open);
  }

  private awaitEnd(t: TraceTime, taskId: number, targetId: number, outcomeCode: number): void {
    const st = this.taskState.get(taskId);
    if (!st) return;
    const cols = this.awaitCols;
    const a = st.byTarget ? popFrom(st.byTarget, targetId) : innermostOpen(cols, st.open, targetId);
    if (a === undefined) return;
    cols.close(a, t, outcomeCode);
    closeOpen(cols, st);
    const task = this.task(taskId);
    if (task) task.lastSeenAt = t;
    if (st.lastWake >= 0 && this.wakes.times[st.lastWake] >= cols.begins[a]) { cols.wakes[a] = st.lastWake; st.lastWake = -1; }
  }

  private wake(t: TraceTime, wakerTaskId: number, callbackId: number, wokenTaskId: number, targetId: number): void {
    this.state(wokenTaskId).lastWake = this.wakes.add(t, wakerTaskId, callbackId, wokenTaskId, targetId);
  }

  private resourceWaitBegin(t: TraceTime, resourceId: number, taskId: number, siteId: number): void {
    const r = this.resourceById.get(resourceId);
    const tally = this.tallies.get(resourceId);
    if (!r || !tally) return;
    const w = this.waitCols.add(t, taskId, siteId);
    (r.waits as ColumnWaitList).push(w);
    setIn(this.openWaits, resourceId, taskId, w);
    tally.openWaiters++;
    if (tally.openWaiters > tally.maxWaiters) tally.maxWaiters = tally.openWaiters;
  }

  private resourceAcquired(t: TraceTime, resourceId: number, taskId: number, siteId: number): void {
    const r = this.resourceById.get(resourceId);
    const tally = this.tallies.get(resourceId);
    if (!r || !tally) return;
    const w = this.closeWait(resourceId, taskId, t, 'ok');
    const waits = this.waitCols;
    addAcquisition(tally, w >= 0 ? t - waits.begins[w] : 0, w >= 0 ? this.sites.get(waits.siteIds[w]) : undefined, w >= 0 ? waits.begins[w] : t);
    if (HOLDABLE.has(r.kind)) {
      // The grant's site, else the wait's.
      const site = this.sites.get(siteId) !== undefined ? siteId : w >= 0 ? waits.siteIds[w] : 0;
      const hold = this.holdCols.add(t, taskId, site);
      (r.holds as ColumnHoldList).push(hold);
      const hs = this.holdsOf(r.id);
      const mine = hs.byTask.get(taskId);
      if (mine) mine.items.push(hold); else hs.byTask.set(taskId, { items: [hold], head: 0 });
    }
  }

  private resourceReleased(t: TraceTime, resourceId: number, taskId: number, siteId: number): void {
    const r = this.resourceById.get(resourceId);
    if (!r) return;
    const hs = this.holdState.get(resourceId);
    if (!hs) return;
    // The releaser's own latest open hold; without one, the oldest open hold (FIFO
    // like the runtime's grants: a counting semaphore released by another task).
    let hold = -1;
    const mine = hs.byTask.get(taskId);
    const cols = this.holdCols, holds = r.holds as ColumnHoldList;
    if (mine) {
      hold = mine.items.pop()!;
      if (mine.items.length === mine.head) hs.byTask.delete(taskId);
    } else {
      while (hs.firstOpen < holds.length && !cols.isOpen(holds.get(hs.firstOpen))) hs.firstOpen++;
      if (hs.firstOpen < holds.length) {
        hold = holds.get(hs.firstOpen);
        // The oldest open hold of the resource is its holder's oldest too.
        const holder = cols.taskIds[hold];
        const theirs = hs.byTask.get(holder)!;
        theirs.head++;
        if (theirs.head === theirs.items.length) hs.byTask.delete(holder);
        else if (theirs.head > 64 && theirs.head * 2 > theirs.items.length) { theirs.items = theirs.items.slice(theirs.head); theirs.head = 0; }
      }
    }
    if (hold >= 0) cols.close(hold, t, siteId);
  }

  private callbackBegin(t: TraceTime, handleId: number): void {
    const info = this.callbackSites.get(handleId);
    this.running = 0;
    const span: CallbackSpan = {
      handleId, kind: info?.kind ?? 'soon', site: info?.site, scheduledBy: info?.by ?? 0, scheduledAt: info?.at, begin: t, end: undefined,
    };
    this.callbacks.push(span);
    this.openCallbacks.set(handleId, span);
  }

  private callbackEnd(t: TraceTime, handleId: number): void {
    const span = this.openCallbacks.get(handleId);
    if (span) { span.end = t; this.openCallbacks.delete(handleId); this.callbackSites.delete(handleId); }
  }

  private state(taskId: number): TaskState {
    let st = this.taskState.get(taskId);
    if (!st) { st = { open: [], live: 0, byTarget: undefined, lastWake: -1 }; this.taskState.set(taskId, st); }
    return st;
  }

  private holdsOf(resourceId: number): HoldState {
    let hs = this.holdState.get(resourceId);
    if (!hs) { hs = { firstOpen: 0, byTask: new Map() }; this.holdState.set(resourceId, hs); }
    return hs;
  }

  /** Ends the task's open wait for the resource; its column, -1 for none. */
  private closeWait(resourceId: number, taskId: number, time: TraceTime, outcome: Outcome): number {
    const w = takeFrom(this.openWaits, resourceId, taskId);
    if (w === undefined) return -1;
    this.waitCols.close(w, time, OUTCOME_CODE[outcome]);
    const tally = this.tallies.get(resourceId);
    if (tally) tally.openWaiters--;
    return w;
  }

  /** A contended wait (column `w`) that ended at `t` without an acquisition. */
  private addOtherWait(tally: ResourceTally, w: number, t: TraceTime): void {
    const begin = this.waitCols.begins[w];
    tally.otherWaitMs.push(t - begin);
    tally.otherWaitSites.push(this.sites.get(this.waitCols.siteIds[w]));
    tally.otherWaitFrom.push(begin);
  }

  awaitsIn(taskId: number, from: TraceTime, to: TraceTime): AwaitSpan[] {
    const task = this.task(taskId);
    if (!task) return [];
    const aw = task.awaits as ColumnAwaitList, cols = this.awaitCols, out: AwaitSpan[] = [];
    for (let i = 0; i < aw.length; i++) {
      const c = aw.get(i);
      if (cols.begins[c] <= to && !(cols.ends[c] < from)) out.push(awaitAt(cols, c));
    }
    return out;
  }

  awaitChainAt(taskId: number, time: TraceTime): AwaitSpan[] {
    const task = this.task(taskId);
    if (!task) return [];
    const aw = task.awaits as ColumnAwaitList, cols = this.awaitCols, out: AwaitSpan[] = [];
    for (let i = 0; i < aw.length; i++) {
      const c = aw.get(i);
      if (cols.begins[c] <= time && !(cols.ends[c] <= time)) out.push(awaitAt(cols, c));
    }
    return out.sort((a, b) => a.depth - b.depth || a.begin - b.begin);
  }

  holdersAt(resourceId: number, time: TraceTime): HoldSpan[] {
    const r = this.resourceById.get(resourceId);
    if (!r) return [];
    const holds = r.holds as ColumnHoldList, cols = this.holdCols, out: HoldSpan[] = [];
    for (let i = 0; i < holds.length; i++) {
      const c = holds.get(i);
      if (cols.begins[c] <= time && !(cols.ends[c] <= time)) out.push(cols.at(c));
    }
    return out;
  }

  contention(): ResourceStats[] {
    return computeContention(this.resources, this.tallies, (s) => formatSite(s), this.endTime, this.pauses);
  }
}

function setIn<T>(m: Map<number, Map<number, T>>, a: number, b: number, v: T): void {
  const inner = m.get(a);
  if (inner) inner.set(b, v); else m.set(a, new Map([[b, v]]));
}

/** Removes and returns m[a][b]. */
function takeFrom<T>(m: Map<number, Map<number, T>>, a: number, b: number): T | undefined {
  const inner = m.get(a);
  const v = inner?.get(b);
  if (v === undefined) return undefined;
  inner!.delete(b);
  if (inner!.size === 0) m.delete(a);
  return v;
}

/** The innermost open await of `open` with that target (a short list: no index). */
function innermostOpen(cols: AwaitColumns, open: readonly number[], targetId: number): number | undefined {
  for (let i = open.length - 1; i >= 0; i--) {
    const a = open[i];
    if (cols.targetIds[a] === targetId && cols.isOpen(a)) return a;
  }
  return undefined;
}

/** After an await of `st` ended: drop ended entries at the end, compact when mostly ended, drop the index when few are open. */
function closeOpen(cols: AwaitColumns, st: TaskState): void {
  st.live--;
  const open = st.open;
  while (open.length > 0 && !cols.isOpen(open[open.length - 1])) open.pop();
  if (open.length > 32 && st.live * 2 < open.length) st.open = open.filter((a) => cols.isOpen(a));
  if (st.live === 0) st.byTarget = undefined;
}

function indexByTarget(cols: AwaitColumns, open: readonly number[]): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (const a of open) if (cols.isOpen(a)) pushTo(m, cols.targetIds[a], a);
  return m;
}

function pushTo(m: Map<number, number[]>, targetId: number, a: number): void {
  const list = m.get(targetId);
  if (list) list.push(a); else m.set(targetId, [a]);
}

function popFrom(m: Map<number, number[]>, targetId: number): number | undefined {
  const list = m.get(targetId);
  if (!list) return undefined;
  const a = list.pop();
  if (list.length === 0) m.delete(targetId);
  return a;
}
