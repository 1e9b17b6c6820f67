/**
 * A hand-built TraceModelView for layout and browser tests, independent of the
 * decoder and model (trace/), so the webview is testable on its own. `sampleTrace`
 * is a small fixed program: main spawns three fetchers that sleep, contend on one
 * lock and feed a queue that a consumer drains. `syntheticTrace(n)` scales up for
 * benchmarks. The query methods are simple linear scans: correct, not fast.
 */
import type {
  AwaitKind, AwaitSpan, BlockedSpan, CallbackSpan, DropGap, HoldSpan, Interval, IoWaitSpan, JobSpan, ResourceKind, ResourceModel,
  ResourceStats, Site, TaskModel, TraceHeader, TraceModelView, TraceTime, WaitSpan, WakeEdge,
} from '../trace/model-types';
import { ArrayAwaitList, ArraySpanList } from '../trace/span-columns';

/** A task whose spans are arrays (`runs.items`, `awaits.items`), pushed to by the builders below. */
export type FixtureTask = TaskModel & { readonly runs: ArraySpanList<Interval>; readonly awaits: ArrayAwaitList };

/** A resource whose holds and waits are arrays, pushed to by the builders below. */
export type FixtureResource = ResourceModel & { readonly holds: HoldSpan[]; readonly waits: WaitSpan[] };

export class FixtureModel implements TraceModelView {
  header: TraceHeader | undefined = {
    formatVersion: 1, clockOriginUnixMs: 1_700_000_000_000, program: 'demo.ts', root: '/w', runtimeVersion: '0.1.0', nodeVersion: 'v20', pid: 1,
  };
  eventCount = 0;
  droppedEvents = 0;
  startTime = 0;
  endTime = 0;
  tasks: FixtureTask[] = [];
  resources: FixtureResource[] = [];
  wakes: WakeEdge[] = [];
  callbacks: CallbackSpan[] = [];
  jobs: JobSpan[] = [];
  ioWaits: IoWaitSpan[] = [];
  blocked: BlockedSpan[] = [];
  gaps: DropGap[] = [];

  task(id: number): FixtureTask | undefined { return this.tasks.find((t) => t.id === id); }
  resource(id: number): FixtureResource | undefined { return this.resources.find((r) => r.id === id); }

  addTask(id: number, parentId: number, name: string, createdAt: TraceTime, endedAt: TraceTime | undefined, line: number): FixtureTask {
    const t: FixtureTask = {
      id, name, parentId, site: site(line), createdAt, endedAt, outcome: endedAt === undefined ? undefined : 'ok', message: '',
      runs: new ArraySpanList<Interval>(), awaits: new ArrayAwaitList(), children: [],
    };
    this.tasks.push(t);
    this.task(parentId)?.children.push(id);
    this.bump(createdAt, endedAt);
    return t;
  }

  addAwait(taskId: number, kind: AwaitKind, targetId: number, begin: TraceTime, end: TraceTime | undefined, depth: number, line: number, waker?: number): AwaitSpan {
    const wake: WakeEdge | undefined = waker === undefined || end === undefined ? undefined : { time: end, wakerTaskId: waker, callbackId: 0, wokenTaskId: taskId, targetId };
    if (wake) this.wakes.push(wake);
    const a: AwaitSpan = { taskId, kind, targetId, site: site(line), depth, begin, end, outcome: end === undefined ? undefined : 'ok', wake };
    const t = this.task(taskId)!;
    t.awaits.items.push(a);
    t.awaits.items.sort((x, y) => x.begin - y.begin);
    this.bump(begin, end);
    this.eventCount += 2;
    return a;
  }

  addRun(taskId: number, begin: TraceTime, end: TraceTime | undefined): void {
    this.task(taskId)!.runs.items.push({ begin, end });
    this.bump(begin, end);
    this.eventCount += 2;
  }

  addResource(id: number, kind: ResourceKind, name: string, capacity: number, line: number): FixtureResource {
    const r: FixtureResource = { id, kind, name, site: site(line), capacity, createdAt: 0, holds: [], waits: [], levels: [], signals: [] };
    this.resources.push(r);
    return r;
  }

  addHold(resourceId: number, taskId: number, begin: TraceTime, end: TraceTime | undefined, line: number): HoldSpan {
    const h: HoldSpan = { taskId, begin, end, site: site(line), releaseSite: site(line + 2) };
    this.resource(resourceId)!.holds.push(h);
    this.bump(begin, end);
    return h;
  }

  addWait(resourceId: number, taskId: number, begin: TraceTime, end: TraceTime | undefined, line: number): WaitSpan {
    const w: WaitSpan = { taskId, begin, end, site: site(line), outcome: end === undefined ? undefined : 'ok' };
    this.resource(resourceId)!.waits.push(w);
    this.bump(begin, end);
    return w;
  }

  private bump(a: TraceTime, b: TraceTime | undefined): void {
    this.endTime = Math.max(this.endTime, a, b ?? a);
  }

  awaitsIn(taskId: number, from: TraceTime, to: TraceTime): AwaitSpan[] {
    return [...(this.task(taskId)?.awaits ?? [])].filter((a) => a.begin <= to && (a.end ?? this.endTime) >= from);
  }

  awaitChainAt(taskId: number, time: TraceTime): AwaitSpan[] {
    return this.awaitsIn(taskId, time, time).sort((a, b) => a.depth - b.depth);
  }

  holdersAt(resourceId: number, time: TraceTime): HoldSpan[] {
    return (this.resource(resourceId)?.holds ?? []).filter((h) => h.begin <= time && (h.end ?? this.endTime) > time);
  }

  contention(): ResourceStats[] {
    return this.resources.map((r) => {
      const waits = r.waits.map((w) => (w.end ?? this.endTime) - w.begin).sort((a, b) => a - b);
      const holds = r.holds.map((h) => (h.end ?? this.endTime) - h.begin);
      const q = (p: number) => (waits.length ? waits[Math.min(waits.length - 1, Math.floor(p * waits.length))] : 0);
      let maxWaiters = 0;
      for (const w of r.waits) maxWaiters = Math.max(maxWaiters, r.waits.filter((o) => o.begin <= w.begin && (o.end ?? Infinity) > w.begin).length);
      const sites = (spans: { site: Site | undefined; begin: number; end: number | undefined }[]) => {
        const m = new Map<string, { site: string; count: number; total: number }>();
        for (const s of spans) {
          const key = s.site ? this.siteString(s.site) : '?';
          const e = m.get(key) ?? { site: key, count: 0, total: 0 };
          e.count++; e.total += (s.end ?? this.endTime) - s.begin;
          m.set(key, e);
        }
        return [...m.values()].sort((a, b) => b.total - a.total);
      };
      return {
        resourceId: r.id, kind: r.kind, name: r.name, site: r.site && this.siteString(r.site),
        acquisitions: r.holds.length, contended: r.waits.length,
        totalWaitMs: waits.reduce((s, w) => s + w, 0), maxWaitMs: waits.at(-1) ?? 0, p50WaitMs: q(0.5), p99WaitMs: q(0.99),
        totalHoldMs: holds.reduce((s, h) => s + h, 0), maxHoldMs: Math.max(0, ...holds), maxWaiters,
        topWaitSites: sites(r.waits).map((s) => ({ site: s.site, count: s.count, totalWaitMs: s.total })),
        topHoldSites: sites(r.holds).map((s) => ({ site: s.site, count: s.count, totalHoldMs: s.total })),
      };
    });
  }

  siteString(s: Site): string { return `${s.file}:${s.line}:${s.col}`; }
}

function site(line: number): Site { return { file: 'src/demo.ts', line, col: 5 }; }

/**
 * main(1) spawns fetch-0..2 (2,3,4) and consumer(5); fetchers sleep, then take
 * `cache lock`(100) in turn and put into `results`(101), which consumer drains.
 * Outcomes: fetch-1 fails (error) at 70 ms, consumer is cancelled at 96 ms, the
 * others end ok (so every end marker is in the picture, and a task without one).
 */
export function sampleTrace(): FixtureModel {
  const m = new FixtureModel();
  m.addTask(1, 0, 'main', 0, 100, 10);
  m.addRun(1, 0, 2);
  m.addResource(100, 'lock', 'cache lock', 1, 3);
  m.addResource(101, 'queue', 'results', 0, 4);
  m.addTask(5, 1, 'consumer', 1, 96, 40);
  for (let i = 0; i < 3; i++) {
    const id = 2 + i;
    m.addTask(id, 1, `fetch-${i}`, 1 + i * 0.2, 60 + i * 10, 20);
    m.addRun(id, 2 + i * 0.5, 3 + i * 0.5);
    m.addAwait(id, 'sleep', 0, 3 + i * 0.5, 20, 1, 22);
    m.addAwait(id, 'promise', 0, 3 + i * 0.5, 20, 0, 21);
    const grant = 20 + i * 12;
    if (i > 0) { m.addWait(100, id, 20.5, grant, 24); m.addAwait(id, 'lock', 100, 20.5, grant, 0, 24, id - 1); }
    m.addRun(id, 20, 20.5);
    m.addRun(id, grant, grant + 1);
    m.addHold(100, id, grant, grant + 12, 24);
    m.addAwait(id, 'sleep', 0, grant + 1, grant + 11, 0, 25);
    m.addRun(id, grant + 11, grant + 12);
    m.addAwait(id, 'queue', 101, grant + 12, 60 + i * 10, 0, 27, 5);
    m.addRun(id, 60 + i * 10 - 0.5, 60 + i * 10);
  }
  m.resource(101)!.levels.push({ time: 32, level: 1 }, { time: 40, level: 0 }, { time: 44, level: 2 }, { time: 52, level: 1 }, { time: 58, level: 0 });
  m.addRun(5, 1, 1.5);
  m.addAwait(5, 'queue', 101, 1.5, 40, 0, 42, 2);
  m.addRun(5, 40, 41);
  m.addAwait(5, 'sleep', 0, 41, 90, 0, 44);
  m.addRun(5, 90, 96);
  m.addAwait(1, 'gather', 0, 2, 96, 0, 12, 5);
  m.addRun(1, 96, 100);
  Object.assign(m.task(3)!, { outcome: 'error', message: 'ParseError: unexpected end of JSON input' });
  Object.assign(m.task(5)!, { outcome: 'cancelled', message: 'shutting down' });
  return m;
}

/** `tasks` tasks, each alternating runs and sleeps/lock waits, about `events` events in all. */
export function syntheticTrace(events: number, tasks = 200): FixtureModel {
  const m = new FixtureModel();
  m.addTask(1, 0, 'main', 0, undefined, 1);
  m.addResource(100_000, 'lock', 'hot lock', 1, 2);
  const perTask = Math.max(1, Math.floor(events / 4 / tasks));
  const kinds: AwaitKind[] = ['sleep', 'lock', 'queue', 'future', 'io', 'executor'];
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let k = 0; k < tasks; k++) {
    const id = 2 + k;
    const t = m.addTask(id, 1, `worker-${k}`, k * 0.01, undefined, 10 + k);
    let now = k * 0.01;
    for (let i = 0; i < perTask; i++) {
      const run = 0.005 + rnd() * 0.02, wait = 0.01 + rnd() * 0.2;
      t.runs.items.push({ begin: now, end: now + run });
      now += run;
      const kind = kinds[i % kinds.length];
      t.awaits.items.push({ taskId: id, kind, targetId: 0, site: site(100 + (i % 50)), depth: 0, begin: now, end: now + wait, outcome: 'ok', wake: undefined });
      now += wait;
    }
    m.endTime = Math.max(m.endTime, now);
    m.eventCount += perTask * 4;
  }
  return m;
}
