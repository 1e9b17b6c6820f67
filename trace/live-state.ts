/**
 * A trace's counts and its live state, folded from the records without keeping them:
 * what the extension host needs while a program runs (issue 18: the host keeps no
 * second full model; the webview has the one model). It holds the header, the event
 * and task counts, and only what is open now: the tasks not done (with their open
 * awaits and whether a slice is running) and every resource's open holds and waits.
 * So its size follows the program's live tasks and resources, not the trace's length.
 *
 * `snapshot()` is the same ProgramSnapshot as `snapshotFromModel` of the whole model
 * at the same point (trace/live-state.test.ts checks that batch by batch): the Async
 * Tasks view reads it while the program runs. It is a RecordSink, so TraceDecoder.pushTo
 * hands it the bulk records in place (no event object each). Pure, no Node.
 */
import type { RecordSink } from './decoder';
import type { TraceEvent } from './events';
import type { AwaitKind, ResourceKind, Site, TraceHeader, TraceTime } from './model-types';
import { siteString, type ProgramSnapshot, type SnapshotResource, type SnapshotTask } from './program-snapshot';
import { FIELD_OFFSET as F, RecordType } from './records.generated';
import { SiteTable } from './sites';
import { AWAIT_KINDS } from './vocabulary';

const HOLDABLE = new Set<ResourceKind>(['lock', 'semaphore', 'condition']);

const O_RUN_TASK = F.taskRunBegin.taskId;
const O_AB_TASK = F.awaitBegin.taskId, O_AB_TARGET = F.awaitBegin.targetId, O_AB_SITE = F.awaitBegin.site;
const O_AE_TASK = F.awaitEnd.taskId, O_AE_TARGET = F.awaitEnd.targetId;
const O_RES = F.resourceAcquired.resourceId, O_RES_TASK = F.resourceAcquired.taskId, O_RES_SITE = F.resourceAcquired.site;
if (F.taskRunEnd.taskId !== O_RUN_TASK
  || [F.resourceWaitBegin, F.resourceReleased].some((f) => f.resourceId !== O_RES || f.taskId !== O_RES_TASK || f.site !== O_RES_SITE)) {
  throw new Error('trace/live-state.ts: record layouts changed; update rawRecord');
}

interface OpenAwait { kind: AwaitKind; targetId: number; site: Site | undefined; begin: TraceTime; depth: number }

interface LiveTask {
  id: number;
  name: string;
  parentId: number;
  site: Site | undefined;
  running: boolean;
  /** Open awaits in begin order (so depth order: an await begun inside others is one deeper than the last). */
  awaits: OpenAwait[];
}

interface Entry { taskId: number; site: Site | undefined }

interface LiveResource {
  id: number;
  kind: ResourceKind;
  name: string;
  site: Site | undefined;
  capacity: number;
  /** Open holds by a key that grows with each acquisition: a Map keeps them in acquisition order. */
  holds: Map<number, Entry>;
  /** Each task's open holds, oldest first. */
  holdsByTask: Map<number, number[]>;
  /** Open waits in begin order (same keying). */
  waits: Map<number, Entry>;
  /** Each task's latest open wait (a second wait of a task replaces it, as in the model). */
  waitByTask: Map<number, number>;
}

export class TraceLiveState implements RecordSink {
  header: TraceHeader | undefined;
  eventCount = 0;
  droppedEvents = 0;
  endTime: TraceTime = 0;
  /** Tasks ever created. */
  taskCount = 0;
  /** Resources, callbacks, jobs, I/O waits and blocked turns ever seen (whether the runtime was used at all). */
  resourceCount = 0;
  otherCount = 0;

  /** Every task's name in creation order, when asked for (a saved file's summary). */
  readonly taskNames: string[] | undefined;
  /** Where each task's name is in `taskNames` (a rename replaces it, as in the model). */
  private readonly nameAt = new Map<number, number>();

  private readonly sites = new SiteTable();
  /** Tasks not done, in creation order. */
  private readonly tasks = new Map<number, LiveTask>();
  /** Every resource declared, in order (a re-declared id is a new entry, as in the model). */
  private readonly resources: LiveResource[] = [];
  private readonly resourceById = new Map<number, LiveResource>();
  private nextKey = 0;
  private seenAny = false;

  /** `names`: keep every task's name too (memory then grows with the task count). */
  constructor(names = false) {
    this.taskNames = names ? [] : undefined;
  }

  /** The program ran on the runtime (trace/used-runtime.ts, from the counts). */
  get usedRuntime(): boolean {
    return this.taskCount > 0 || this.resourceCount > 0 || this.otherCount > 0 || this.droppedEvents > 0;
  }

  setHeader(h: TraceHeader): void {
    this.header = h;
  }

  rawRecord(dv: DataView, p: number, type: number, code: number, t: number): void {
    this.eventCount++;
    this.seen(t);
    switch (type) {
      case RecordType.TaskRunBegin: { const task = this.tasks.get(dv.getUint32(p + O_RUN_TASK, true)); if (task) task.running = true; break; }
      case RecordType.TaskRunEnd: { const task = this.tasks.get(dv.getUint32(p + O_RUN_TASK, true)); if (task) task.running = false; break; }
      case RecordType.AwaitBegin:
        this.awaitBegin(t, dv.getUint32(p + O_AB_TASK, true), AWAIT_KINDS[code], dv.getUint32(p + O_AB_TARGET, true), dv.getUint32(p + O_AB_SITE, true));
        break;
      case RecordType.AwaitEnd: this.awaitEnd(dv.getUint32(p + O_AE_TASK, true), dv.getUint32(p + O_AE_TARGET, true)); break;
      case RecordType.ResourceWaitBegin: this.waitBegin(t, dv.getUint32(p + O_RES, true), dv.getUint32(p + O_RES_TASK, true), dv.getUint32(p + O_RES_SITE, true)); break;
      case RecordType.ResourceAcquired: this.acquired(dv.getUint32(p + O_RES, true), dv.getUint32(p + O_RES_TASK, true), dv.getUint32(p + O_RES_SITE, true)); break;
      case RecordType.ResourceReleased: this.released(dv.getUint32(p + O_RES, true), dv.getUint32(p + O_RES_TASK, true)); break;
      case RecordType.CallbackBegin: this.otherCount++; break;
      default: break;
    }
  }

  applyEvent(e: TraceEvent): void {
    this.eventCount++;
    this.seen(e.time);
    switch (e.type) {
      case 'sitesRegistered': this.sites.register(e.base, e.sites, this.header?.root); break;
      case 'taskCreated':
        this.taskCount++;
        if (this.taskNames) { this.nameAt.set(e.taskId, this.taskNames.length); this.taskNames.push(e.name); }
        this.tasks.delete(e.taskId);
        this.tasks.set(e.taskId, { id: e.taskId, name: e.name, parentId: e.parentId, site: this.sites.get(e.site), running: false, awaits: [] });
        break;
      case 'taskRenamed': {
        const task = this.tasks.get(e.taskId);
        if (task) task.name = e.name;
        const at = this.nameAt.get(e.taskId);
        if (this.taskNames && at !== undefined) this.taskNames[at] = e.name;
        break;
      }
      case 'taskRunBegin': { const task = this.tasks.get(e.taskId); if (task) task.running = true; break; }
      case 'taskRunEnd': { const task = this.tasks.get(e.taskId); if (task) task.running = false; break; }
      case 'taskDone': this.tasks.delete(e.taskId); break;
      case 'awaitBegin': this.awaitBegin(e.time, e.taskId, e.kind, e.targetId, e.site); break;
      case 'awaitEnd': this.awaitEnd(e.taskId, e.targetId); break;
      case 'resourceCreated': {
        const r: LiveResource = {
          id: e.resourceId, kind: e.kind, name: e.name, site: this.sites.get(e.site), capacity: e.capacity,
          holds: new Map(), holdsByTask: new Map(), waits: new Map(), waitByTask: new Map(),
        };
        this.resourceCount++;
        this.resources.push(r);
        this.resourceById.set(r.id, r);
        break;
      }
      case 'resourceWaitBegin': this.waitBegin(e.time, e.resourceId, e.taskId, e.site); break;
      case 'resourceWaitAbandoned': this.closeWait(e.resourceId, e.taskId); break;
      case 'resourceAcquired': this.acquired(e.resourceId, e.taskId, e.site); break;
      case 'resourceReleased': this.released(e.resourceId, e.taskId); break;
      // A blocked put (queue full) ends when the put goes through.
      case 'resourceSignal': if (e.signal === 'put') this.closeWait(e.resourceId, e.taskId); break;
      case 'callbackBegin': case 'jobSubmitted': case 'ioWaitBegin': case 'loopBlocked': this.otherCount++; break;
      case 'dropped': this.droppedEvents += e.count; break;
      default: break;
    }
  }

  /** The live state now: the same as `snapshotFromModel` of the whole model read so far. */
  snapshot(): ProgramSnapshot {
    let runningTaskId = 0;
    const tasks: SnapshotTask[] = [];
    for (const t of this.tasks.values()) {
      if (t.running) runningTaskId = t.id;
      const awaits = t.awaits.map((a) => ({ kind: a.kind, targetId: a.targetId, site: siteString(a.site) }));
      tasks.push({
        id: t.id, name: t.name, parentId: t.parentId, site: siteString(t.site),
        state: t.running ? 'running' : awaits.length > 0 ? 'waiting' : 'ready', awaits,
      });
    }
    const entries = (m: Map<number, Entry>): SnapshotResource['holders'] => [...m.values()].map((e) => ({ taskId: e.taskId, site: siteString(e.site) }));
    const resources: SnapshotResource[] = this.resources.map((r) => ({
      id: r.id, kind: r.kind, name: r.name, site: siteString(r.site), capacity: r.capacity,
      holders: entries(r.holds), waiters: entries(r.waits),
    }));
    return { version: 1, source: 'trace', runningTaskId, tasks, resources };
  }

  /** The end time as the model keeps it: the latest time seen (the first one to begin with). */
  private seen(t: TraceTime): void {
    if (!this.seenAny || t > this.endTime) this.endTime = t;
    this.seenAny = true;
  }

  private awaitBegin(t: TraceTime, taskId: number, kind: AwaitKind, targetId: number, siteId: number): void {
    const task = this.tasks.get(taskId);
    if (!task) return;
    const open = task.awaits;
    const depth = open.length === 0 ? 0 : open[open.length - 1].depth + 1;
    open.push({ kind, targetId, site: this.sites.get(siteId), begin: t, depth });
  }

  /** Closes the innermost open await of the task with that target (plain promises: target 0). */
  private awaitEnd(taskId: number, targetId: number): void {
    const open = this.tasks.get(taskId)?.awaits;
    if (!open) return;
    for (let i = open.length - 1; i >= 0; i--) {
      if (open[i].targetId === targetId) { open.splice(i, 1); return; }
    }
  }

  private waitBegin(_t: TraceTime, resourceId: number, taskId: number, siteId: number): void {
    const r = this.resourceById.get(resourceId);
    if (!r) return;
    const key = this.nextKey++;
    r.waits.set(key, { taskId, site: this.sites.get(siteId) });
    r.waitByTask.set(taskId, key);
  }

  private closeWait(resourceId: number, taskId: number): Entry | undefined {
    const r = this.resourceById.get(resourceId);
    const key = r?.waitByTask.get(taskId);
    if (!r || key === undefined) return undefined;
    r.waitByTask.delete(taskId);
    const w = r.waits.get(key);
    r.waits.delete(key);
    return w;
  }

  private acquired(resourceId: number, taskId: number, siteId: number): void {
    const r = this.resourceById.get(resourceId);
    if (!r) return;
    const w = this.closeWait(resourceId, taskId);
    if (!HOLDABLE.has(r.kind)) return;
    const key = this.nextKey++;
    r.holds.set(key, { taskId, site: this.sites.get(siteId) ?? w?.site });
    const mine = r.holdsByTask.get(taskId);
    if (mine) mine.push(key); else r.holdsByTask.set(taskId, [key]);
  }

  /** The releaser's own latest open hold; without one, the oldest open hold (a semaphore released by another task). */
  private released(resourceId: number, taskId: number): void {
    const r = this.resourceById.get(resourceId);
    if (!r) return;
    let key: number | undefined;
    const mine = r.holdsByTask.get(taskId);
    if (mine) {
      key = mine.pop()!;
      if (mine.length === 0) r.holdsByTask.delete(taskId);
    } else {
      const oldest = r.holds.entries().next();
      if (oldest.done) return;
      key = oldest.value[0];
      const theirs = r.holdsByTask.get(oldest.value[1].taskId)!;
      theirs.shift();
      if (theirs.length === 0) r.holdsByTask.delete(oldest.value[1].taskId);
    }
    r.holds.delete(key);
  }
}
