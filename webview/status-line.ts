/**
 * The toolbar's status line: what the trace holds (tasks, events, how many were
 * dropped and when), how far a
 * big trace's decoding has got, why a recording ended early, and the last revealed
 * site, joined by " · ". Parts with nothing to say are left out.
 */
import { missingText } from '../trace/gaps';
import type { TraceModelView } from '../trace/model-types';
import { formatTime } from './format';

/** Decoding progress of a trace shown provisionally; `total` 0 when not loading. */
export interface Loading { total: number; decoded: number }

/** "Paused at cook.ts:12 in task 'cook-2'" (the debugger's stop, issue 15); '' when running. */
export function pausedText(p: { where: string; taskId: number; task: string; held: number } | undefined): string {
  if (!p) return '';
  const inTask = p.taskId !== 0 ? ` in task '${p.task || `#${p.taskId}`}'` : ' outside any task';
  const held = p.held > 0 ? ` (the trace shown stops ${p.held.toLocaleString('en-US')} bytes short of it: the program could not send them while stopped)` : '';
  return `Paused at ${p.where || 'an unknown line'}${inTask}${held}`;
}

export function statusText(model: TraceModelView, loading: Loading, endMessage: string, revealed: string, paused = ''): string {
  const n = model.tasks.length;
  const events = loading.total
    ? `loading ${Math.floor((100 * loading.decoded) / loading.total)}% of ${loading.total.toLocaleString('en-US')} events`
    : `${model.eventCount.toLocaleString('en-US')} events`;
  return [paused, loading.total ? '' : `${n} task${n === 1 ? '' : 's'}`, events,
    model.droppedEvents ? missingText(model.droppedEvents, model.gaps, formatTime) : '', endMessage, revealed ? `→ ${revealed}` : ''].filter(Boolean).join(' · ');
}
