/**
 * Stepping through a task's awaits (N / P, the toolbar's Prev/Next): from a selected
 * await to the next or previous one of its task in time order; from anything else of a
 * task (its lifetime, a run, a wait) to the first await at or after it, or the last
 * one before it. Awaits of hidden kinds are stepped over, as the chart does not show them.
 */
import type { AwaitKind, TraceModelView } from '../trace/model-types';
import { describe } from './describe';
import type { SpanRef } from './flame-layout';

export function awaitStep(model: TraceModelView, from: SpanRef, dir: 1 | -1, hidden: ReadonlySet<AwaitKind>): SpanRef | undefined {
  const info = describe(model, from);
  const task = info && model.task(info.taskId);
  if (!task || !info) return undefined;
  const visible = Array.from(task.awaits, (a, index) => ({ a, index })).filter(({ a }) => !hidden.has(a.kind));
  let target: number | undefined;
  if (from.kind === 'await') {
    const pos = visible.findIndex((v) => v.index === from.index);
    target = visible[pos + dir]?.index;
  } else {
    const pick = dir === 1 ? visible.find((v) => v.a.begin >= info.begin) : [...visible].reverse().find((v) => v.a.begin < info.begin);
    target = pick?.index;
  }
  return target === undefined ? undefined : { kind: 'await', taskId: task.id, index: target };
}

/** Where a debugger has the program stopped, as the chart knows it (protocol.ts PausedMessage). */
export interface PausePoint { at: number; taskId: number }

/**
 * The first N / P while the program is stopped in the debugger starts from the stop, not
 * from the start of the trace: the await of the stopped task nearest the stop (N: the
 * first one beginning at or after it, P: the last one beginning at or before it; when
 * there is none that way, the nearest the other way, so the key always lands by the
 * stop). Stopped outside any task, every task's awaits count. Hidden kinds are skipped.
 */
export function awaitFromPause(model: TraceModelView, pause: PausePoint, dir: 1 | -1, hidden: ReadonlySet<AwaitKind>): SpanRef | undefined {
  const own = model.task(pause.taskId);
  const tasks = own ? [own] : model.tasks;
  let after: { ref: SpanRef; begin: number } | undefined;
  let before: { ref: SpanRef; begin: number } | undefined;
  for (const t of tasks) {
    const awaits = t.awaits;
    for (let index = 0; index < awaits.length; index++) {
      if (hidden.has(awaits.kind(index))) continue;
      const begin = awaits.begin(index);
      const ref: SpanRef = { kind: 'await', taskId: t.id, index };
      if (begin >= pause.at) { if (!after || begin < after.begin) after = { ref, begin }; }
      if (begin <= pause.at) { if (!before || begin >= before.begin) before = { ref, begin }; }
    }
  }
  return (dir === 1 ? after ?? before : before ?? after)?.ref;
}
