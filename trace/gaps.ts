/**
 * Honest states around dropped events. When the tracer dropped events (a socket reader
 * that fell behind), the model must not invent what happened in the gaps: a task with
 * no end in the trace is "pending" only if it was seen after the last gap; otherwise
 * its end may be among the dropped events and its state is unknown. The same holds for
 * any span still open at the end of the trace that began before a gap ended.
 */
import type { DropGap, TaskModel, TraceModelView, TraceTime } from './model-types';

export type TaskState = 'completed' | 'failed' | 'cancelled' | 'pending' | 'unknown';

/** How the state reads to a person (stats, details, the panel). */
export const TASK_STATE_TEXT: Record<TaskState, string> = {
  completed: 'completed', failed: 'failed', cancelled: 'cancelled', pending: 'pending', unknown: 'unknown (events dropped)',
};

/** Whether events were dropped after `time`: what was open at `time` may have ended unseen. */
export function droppedAfter(gaps: readonly DropGap[], time: TraceTime): boolean {
  const last = gaps[gaps.length - 1];
  return last !== undefined && last.end >= time;
}

export function taskState(model: Pick<TraceModelView, 'gaps'>, task: TaskModel): TaskState {
  switch (task.outcome) {
    case 'ok': return 'completed';
    case 'error': return 'failed';
    case 'cancelled': return 'cancelled';
    case undefined: return droppedAfter(model.gaps, task.lastSeenAt ?? task.createdAt) ? 'unknown' : 'pending';
  }
}

/**
 * What is missing, for a person (the CLI summary, the panel's status): how many events
 * and over which time ranges (the first `limit`, then how many more); `fmt` writes a
 * time with its unit.
 */
export function missingText(count: number, gaps: readonly DropGap[], fmt: (ms: number) => string, limit = 3): string {
  const shown = gaps.slice(0, limit).map((g) => `${fmt(g.begin)}–${fmt(g.end)}`);
  if (gaps.length > limit) shown.push(`${gaps.length - limit} more`);
  const where = gaps.length > 0 ? ` in ${gaps.length} gap${gaps.length === 1 ? '' : 's'}: ${shown.join(', ')}` : '';
  return `${count.toLocaleString('en-US')} events missing (dropped by the tracer: its reader fell behind)${where}`;
}
