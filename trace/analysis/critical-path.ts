/**
 * The critical path of the root task: what its duration was made of. Walking backwards
 * from the root's end, each instant is explained by the task being followed: running
 * (a `run` segment), or suspended on an await. A suspension that a task ended (the wake
 * edge of the await: a release, a set, a result, a child's completion) is followed into
 * that task, from the wake back to when the wait began; a wait nobody ended (a sleep, a
 * timer, I/O, a callback) is a segment of its own. Before a task existed, its creator is
 * followed. The walk covers every instant exactly once, so the segments add up to the
 * root's duration.
 *
 * Termination: every step either emits a segment of positive length or follows a wake
 * into a strictly smaller interval; a step budget proportional to the trace guards
 * against equal timestamps (times are shared within a step of the tracer's clock).
 */
import type { AwaitSpan, CallbackSpan, Interval, Site, SpanList, TaskModel, TraceModelView, TraceTime } from '../model-types';
import { resumedFrom } from './blocked';
import type { CriticalPath, PathSegment } from './finding-types';

/** The root task: the first task nobody spawned (run()'s `main`). */
export function rootTask(model: TraceModelView): TaskModel | undefined {
  return model.tasks.find((t) => t.parentId === 0 || model.task(t.parentId) === undefined);
}

export function criticalPath(model: TraceModelView, root = rootTask(model)): CriticalPath | undefined {
  if (!root) return undefined;
  const begin = root.createdAt;
  const end = root.endedAt ?? model.endTime;
  const backwards: PathSegment[] = [];
  const emit = (task: TaskModel, kind: PathSegment['kind'], site: Site | undefined, from: TraceTime, to: TraceTime): void => {
    if (to <= from) return;
    const last = backwards[backwards.length - 1];
    if (last && last.taskId === task.id && last.kind === kind && last.site === site && last.begin === to) { last.begin = from; return; }
    backwards.push({ taskId: task.id, kind, site, begin: from, end: to });
  };
  const stack: { task: TaskModel; lo: TraceTime; hi: TraceTime }[] = [{ task: root, lo: begin, hi: end }];
  let budget = 8 * (model.eventCount + 16);
  const callbacks = new Map<number, CallbackSpan>();
  for (const c of model.callbacks) callbacks.set(c.handleId, c);
  while (stack.length > 0) {
    const item = stack.pop()!;
    let task = item.task;
    const lo = item.lo;
    let t = item.hi;
    while (t > lo) {
      if (--budget < 0) { emit(task, 'run', undefined, lo, t); break; }
      const run = runAt(task.runs, t);
      if (run) {
        const b = Math.max(run.begin, lo);
        emit(task, 'run', resumedFrom(task.awaits, run.begin)?.site ?? task.site, b, t);
        t = b;
        continue;
      }
      if (t <= task.createdAt) {
        const parent = model.task(task.parentId);
        if (parent) { task = parent; continue; }
        emit(task, 'run', undefined, lo, t);
        break;
      }
      const s = suspendedAt(task, t);
      if (s.type === 'gap') {
        const b = Math.max(s.from < t ? s.from : lo, lo);
        emit(task, s.kind, s.site, b, t);
        t = b;
        continue;
      }
      const a = s.await;
      const b = Math.max(a.begin, lo);
      const waker = causeOf(model, callbacks, task, a, b, t);
      if (waker && (waker.at < t || b > lo)) {
        // From the wake to the resume the task was ready, not yet running: its own wait.
        emit(task, a.kind, a.site, waker.at, t);
        stack.push({ task, lo, hi: b });
        stack.push({ task: waker.task, lo: b, hi: waker.at });
        t = lo;
        break;
      }
      emit(task, a.kind, a.site, b, t);
      t = b;
    }
  }
  return { taskId: root.id, begin, end, segments: backwards.reverse() };
}

/** The task that ended `a` and when: its wake edge's waker, or the awaited task's completion. */
function causeOf(
  model: TraceModelView, callbacks: ReadonlyMap<number, CallbackSpan>, task: TaskModel, a: AwaitSpan, from: TraceTime, to: TraceTime,
): { task: TaskModel; at: TraceTime } | undefined {
  const w = a.wake;
  if (w && w.wakerTaskId !== 0 && w.wakerTaskId !== task.id && w.time > from && w.time <= to) {
    const waker = model.task(w.wakerTaskId);
    if (waker) return { task: waker, at: w.time };
  }
  // Woken from a loop callback (a gather's done callback, a future set by call_soon):
  // the task that scheduled it, when it did (a sleep's timer was scheduled by the sleeper).
  const cb = w && w.wakerTaskId === 0 ? callbacks.get(w.callbackId) : undefined;
  if (cb && cb.scheduledBy !== 0 && cb.scheduledBy !== task.id && cb.scheduledAt !== undefined && cb.scheduledAt > from && cb.scheduledAt <= to) {
    const scheduler = model.task(cb.scheduledBy);
    if (scheduler) return { task: scheduler, at: cb.scheduledAt };
  }
  if (a.kind === 'task') {
    const target = model.task(a.targetId);
    if (target?.endedAt !== undefined && target.endedAt > from && target.endedAt <= to) return { task: target, at: target.endedAt };
  }
  return undefined;
}

/** The running slice with begin < t <= end. */
function runAt(runs: SpanList<Interval>, t: TraceTime): Interval | undefined {
  const i = lastBefore(runs, t) - 1;
  if (i < 0) return undefined;
  const end = runs.end(i);
  return end === undefined || end >= t ? runs.at(i) : undefined;
}

function lastRunEnd(runs: SpanList<Interval>, t: TraceTime): TraceTime | undefined {
  const i = lastBefore(runs, t) - 1;
  return i < 0 ? undefined : runs.end(i);
}

/** Index one past the last interval with begin < t. */
function lastBefore(xs: SpanList<Interval>, t: TraceTime): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs.begin(mid) < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

type Suspension =
  | { type: 'await'; await: AwaitSpan }
  | { type: 'gap'; kind: PathSegment['kind']; site: Site | undefined; from: TraceTime };

/**
 * What a task not running at `t` was suspended on: the await begun last before t when
 * still open (the innermost), else the time from that await's end to t when it did not
 * run since (ready to run, waiting for the loop), else an enclosing open await.
 */
function suspendedAt(task: TaskModel, t: TraceTime): Suspension {
  const i = lastBefore(task.awaits, t) - 1;
  const a = task.awaits.at(i);
  const ranUntil = lastRunEnd(task.runs, t) ?? task.createdAt;
  if (a && (a.end === undefined || a.end >= t)) return { type: 'await', await: a };
  if (a && a.end! >= ranUntil) return { type: 'gap', kind: a.kind, site: a.site, from: a.end! };
  // Created, not yet run: ready, waiting for the loop to start it.
  if (task.runs.length === 0 || task.runs.begin(0) >= t) return { type: 'gap', kind: 'run', site: task.site, from: task.createdAt };
  for (let j = i - 1; j >= 0 && j >= i - 16; j--) {
    const end = task.awaits.end(j);
    if (end === undefined || end >= t) return { type: 'gap', kind: task.awaits.kind(j), site: task.awaits.site(j), from: ranUntil };
  }
  return { type: 'gap', kind: 'promise', site: undefined, from: ranUntil };
}
