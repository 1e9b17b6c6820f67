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
