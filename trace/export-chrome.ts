/**
 * Chrome trace-event JSON (the "JSON Object Format": `{ traceEvents: [...] }`), which
 * Perfetto, chrome://tracing and speedscope open. Pure, no Node.
 *
 * Layout: one thread per task (tid = task id, named after the task) holding the task's
 * lifetime as a complete event with its awaits nested inside by time; one thread per
 * resource (its holds); one "event loop" thread (tid 0) with callbacks and blocked
 * turns; one thread per executor worker. Wake edges become flow events (ph s → f) from
 * the waker's thread to the woken task. Times are microseconds (`ts`, `dur`).
 */
import type { TraceModelView } from './model-types';
import { awaitName } from './sites';

export interface ChromeEvent {
  name: string;
  ph: 'X' | 'M' | 's' | 'f' | 'C';
  ts: number;
  pid: number;
  tid: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: 'e';
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

const us = (ms: number): number => Math.round(ms * 1000 * 1000) / 1000;

export function toChromeTrace(model: TraceModelView): ChromeTrace {
  const pid = model.header?.pid ?? 1;
  const end = model.endTime;
  const ev: ChromeEvent[] = [];
  const meta = (tid: number, name: string, sort: number): void => {
    ev.push({ name: 'thread_name', ph: 'M', ts: 0, pid, tid, args: { name } });
    ev.push({ name: 'thread_sort_index', ph: 'M', ts: 0, pid, tid, args: { sort_index: sort } });
  };
  const span = (tid: number, name: string, cat: string, begin: number, stop: number | undefined, args: Record<string, unknown>): void => {
    ev.push({ name, cat, ph: 'X', ts: us(begin), dur: us(Math.max(0, (stop ?? end) - begin)), pid, tid, args });
  };
  ev.push({ name: 'process_name', ph: 'M', ts: 0, pid, tid: LOOP_TID, args: { name: model.header?.program || 'async-trace' } });
  meta(LOOP_TID, 'event loop', 0);

  model.tasks.forEach((t, i) => {
    meta(t.id, `${t.name} #${t.id}`, i + 1);
    span(t.id, t.name, 'task', t.createdAt, t.endedAt, { id: t.id, parent: t.parentId, outcome: t.outcome ?? 'pending', message: t.message, site: t.site ? model.siteString(t.site) : '' });
    for (const a of t.awaits) {
      const site = a.site ? model.siteString(a.site) : '';
      span(t.id, `await ${awaitName(a.kind, a.site)}`, `await.${a.kind}`, a.begin, a.end, { target: a.targetId, site, outcome: a.outcome ?? 'pending', depth: a.depth });
    }
  });

  model.resources.forEach((r, i) => {
    const tid = RESOURCE_TID + i;
    meta(tid, `${r.kind} ${r.name || '#' + r.id}`, 1_000_000 + i);
    for (const h of r.holds) span(tid, `held by ${model.task(h.taskId)?.name ?? h.taskId}`, `hold.${r.kind}`, h.begin, h.end, { task: h.taskId, site: h.site ? model.siteString(h.site) : '' });
    for (const l of r.levels) ev.push({ name: `${r.kind} ${r.name || r.id} level`, ph: 'C', ts: us(l.time), pid, tid, args: { level: l.level } });
  });

  for (const c of model.callbacks) span(LOOP_TID, `callback ${c.kind}`, 'callback', c.begin, c.end, { handle: c.handleId, site: c.site ? model.siteString(c.site) : '' });
  for (const b of model.blocked) span(LOOP_TID, 'blocked loop', 'blocked', b.begin, b.end, { durationMs: b.durationMs });

  const workers = new Set<number>();
  for (const j of model.jobs) {
    if (j.startedAt === undefined) continue;
    const tid = WORKER_TID + j.workerIndex;
    if (!workers.has(tid)) { workers.add(tid); meta(tid, `worker ${j.workerIndex}`, 2_000_000 + j.workerIndex); }
    span(tid, j.fnName || 'job', 'job', j.startedAt, j.endedAt, { job: j.jobId, executor: j.executorId, outcome: j.outcome ?? 'pending' });
  }

  model.wakes.forEach((w, i) => {
    const from = w.wakerTaskId !== 0 && model.task(w.wakerTaskId) ? w.wakerTaskId : LOOP_TID;
    if (!model.task(w.wokenTaskId)) return;
    ev.push({ name: 'wake', cat: 'wake', ph: 's', id: i + 1, ts: us(w.time), pid, tid: from });
    ev.push({ name: 'wake', cat: 'wake', ph: 'f', bp: 'e', id: i + 1, ts: us(w.time), pid, tid: w.wokenTaskId });
  });

  return {
    traceEvents: ev,
    displayTimeUnit: 'ms',
    otherData: { program: model.header?.program ?? '', nodeVersion: model.header?.nodeVersion ?? '', runtimeVersion: model.header?.runtimeVersion ?? '' },
  };
}
