/**
 * Chrome trace-event JSON (the "JSON Object Format": `{ traceEvents: [...] }`), which
 * Perfetto, chrome://tracing and speedscope open. Pure, no Node.
 *
 * Layout: one thread per task (tid = task id, named after the task) holding the task's
 * lifetime as a complete event with its awaits nested inside by time; one thread per
 * resource (its holds); one "event loop" thread (tid 0) with callbacks and blocked
 * turns; one thread per executor worker. Wake edges become flow events (ph s → f) from
 * the waker's thread to the woken task. Debugger pauses (issue 15) get a "debugger" thread
 * of their own, one "debugger paused" slice per pause, and a global instant event at each
 * pause's begin (`s: 'g'`: Perfetto and chrome://tracing draw it across every thread),
 * because the program did not run on any thread then. Times are microseconds (`ts`, `dur`).
 */
import type { TraceModelView } from './model-types';
import { coalesce, jsonArray, shortName } from './json-chunks';
import { pauseLabel } from './pauses';
import { awaitName } from './sites';

export interface ChromeEvent {
  name: string;
  ph: 'X' | 'M' | 's' | 'f' | 'C' | 'i';
  ts: number;
  pid: number;
  tid: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: 'e';
  /** An instant event's scope: 'g' spans the whole trace (every process and thread). */
  s?: 'g';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string>;
}

const LOOP_TID = 0;
/** Offsets that keep resource and worker threads clear of task ids. */
const RESOURCE_TID = 1_000_000_000;
const WORKER_TID = 2_000_000_000;
/** The debugger's pauses, after every other thread. */
const DEBUGGER_TID = 2_100_000_000;

const us = (ms: number): number => Math.round(ms * 1000 * 1000) / 1000;

/**
 * The trace's events one by one, in the order the file lists them (thread metadata
 * before each thread's spans). Names that would repeat (a hold names its task, a
 * counter its resource) use shortName(); the full name appears once, in the thread's
 * `thread_name` metadata, which Perfetto shows as the track's title.
 */
export function* chromeEvents(model: TraceModelView): Generator<ChromeEvent> {
  const pid = model.header?.pid ?? 1;
  const end = model.endTime;
  function* meta(tid: number, name: string, sort: number): Generator<ChromeEvent> {
    yield { name: 'thread_name', ph: 'M', ts: 0, pid, tid, args: { name } };
    yield { name: 'thread_sort_index', ph: 'M', ts: 0, pid, tid, args: { sort_index: sort } };
  }
  const span = (tid: number, name: string, cat: string, begin: number, stop: number | undefined, args: Record<string, unknown>): ChromeEvent =>
    ({ name, cat, ph: 'X', ts: us(begin), dur: us(Math.max(0, (stop ?? end) - begin)), pid, tid, args });
  const taskName = (id: number): string => {
    const t = model.task(id);
    return t ? shortName(t.name, id) : String(id);
  };
  yield { name: 'process_name', ph: 'M', ts: 0, pid, tid: LOOP_TID, args: { name: model.header?.program || 'async-trace' } };
  yield* meta(LOOP_TID, 'event loop', 0);

  const tasks = model.tasks;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    yield* meta(t.id, `${t.name} #${t.id}`, i + 1);
    yield span(t.id, shortName(t.name, t.id), 'task', t.createdAt, t.endedAt, { id: t.id, parent: t.parentId, outcome: t.outcome ?? 'pending', message: t.message, site: t.site ? model.siteString(t.site) : '' });
    for (const a of t.awaits) {
      const site = a.site ? model.siteString(a.site) : '';
      yield span(t.id, `await ${awaitName(a.kind, a.site)}`, `await.${a.kind}`, a.begin, a.end, { target: a.targetId, site, outcome: a.outcome ?? 'pending', depth: a.depth });
    }
  }

  const resources = model.resources;
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    const tid = RESOURCE_TID + i;
    yield* meta(tid, `${r.kind} ${r.name || '#' + r.id}`, 1_000_000 + i);
    for (const h of r.holds) yield span(tid, `held by ${taskName(h.taskId)}`, `hold.${r.kind}`, h.begin, h.end, { task: h.taskId, site: h.site ? model.siteString(h.site) : '' });
    const counter = `${r.kind} ${r.name ? shortName(r.name, r.id) : r.id} level`;
    for (const l of r.levels) yield { name: counter, ph: 'C', ts: us(l.time), pid, tid, args: { level: l.level } };
  }

  for (const c of model.callbacks) yield span(LOOP_TID, `callback ${c.kind}`, 'callback', c.begin, c.end, { handle: c.handleId, site: c.site ? model.siteString(c.site) : '' });
  for (const b of model.blocked) yield span(LOOP_TID, 'blocked loop', 'blocked', b.begin, b.end, { durationMs: b.durationMs });

  const workers = new Set<number>();
  for (const j of model.jobs) {
    if (j.startedAt === undefined) continue;
    const tid = WORKER_TID + j.workerIndex;
    if (!workers.has(tid)) { workers.add(tid); yield* meta(tid, `worker ${j.workerIndex}`, 2_000_000 + j.workerIndex); }
    yield span(tid, j.fnName ? shortName(j.fnName, j.jobId) : 'job', 'job', j.startedAt, j.endedAt, { job: j.jobId, executor: j.executorId, outcome: j.outcome ?? 'pending' });
  }

  const pauses = model.pauses ?? [];
  if (pauses.length > 0) {
    yield* meta(DEBUGGER_TID, 'debugger', 3_000_000);
    for (const p of pauses) {
      const args = { durationMs: p.end - p.begin, note: 'the program was stopped in a debugger: waits, holds and durations leave this time out' };
      yield { name: 'debugger paused', cat: 'debugger', ph: 'i', s: 'g', ts: us(p.begin), pid, tid: DEBUGGER_TID, args };
      yield span(DEBUGGER_TID, pauseLabel(p), 'debugger', p.begin, p.end, args);
    }
  }

  const wakes = model.wakes;
  for (let i = 0; i < wakes.length; i++) {
    const w = wakes.at(i)!;
    const from = w.wakerTaskId !== 0 && model.task(w.wakerTaskId) ? w.wakerTaskId : LOOP_TID;
    if (!model.task(w.wokenTaskId)) continue;
    yield { name: 'wake', cat: 'wake', ph: 's', id: i + 1, ts: us(w.time), pid, tid: from };
    yield { name: 'wake', cat: 'wake', ph: 'f', bp: 'e', id: i + 1, ts: us(w.time), pid, tid: w.wokenTaskId };
  }
}

function otherData(model: TraceModelView): ChromeTrace['otherData'] {
  return { program: model.header?.program ?? '', nodeVersion: model.header?.nodeVersion ?? '', runtimeVersion: model.header?.runtimeVersion ?? '' };
}

/** The whole document as one object (small traces and tests; files are written with chromeTraceJson). */
export function toChromeTrace(model: TraceModelView): ChromeTrace {
  return { traceEvents: [...chromeEvents(model)], displayTimeUnit: 'ms', otherData: otherData(model) };
}

/** The document as JSON text in chunks (see json-chunks.ts): what `export --format chrome` writes. */
export function chromeTraceJson(model: TraceModelView): Generator<string> {
  return coalesce((function* () {
    yield '{"displayTimeUnit":"ms","otherData":' + JSON.stringify(otherData(model)) + ',"traceEvents":';
    yield* jsonArray(chromeEvents(model));
    yield '}\n';
  })());
}
