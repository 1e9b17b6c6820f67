/**
 * What a SpanRef means in words: tooltips, box labels, the details pane and the
 * site a click reveals. The one place that turns layout refs back into model data.
 */
import type { AwaitSpan, Site, TraceModelView, TraceTime } from '../trace/model-types';
import type { SpanRef } from './flame-layout';
import { formatTime } from './format';
import { TASK_STATE_TEXT, droppedAfter, taskState } from '../trace/gaps';
import { awaitName } from '../trace/sites';

export interface SpanInfo {
  title: string;
  taskId: number;
  begin: TraceTime;
  end: TraceTime | undefined;
  site: Site | undefined;
  /** Label/value rows for the tooltip and details pane. */
  rows: [string, string][];
}

export function taskName(model: TraceModelView, id: number): string {
  if (id === 0) return '(loop)';
  const t = model.task(id);
  return t ? `${t.name || 'task'} #${id}` : `#${id}`;
}

function targetName(model: TraceModelView, a: AwaitSpan): string {
  if (a.targetId === 0) return a.kind === 'promise' ? (a.site?.label ?? 'a promise') : '—';
  const res = model.resource(a.targetId);
  if (res) return res.kind === a.kind ? res.name || `#${res.id}` : `${res.kind} ${res.name || `#${res.id}`}`;
  const task = model.task(a.targetId);
  if (task) return `task ${taskName(model, task.id)}`;
  return `#${a.targetId}`;
}

export function describe(model: TraceModelView, ref: SpanRef): SpanInfo | undefined {
  const siteText = (s: Site | undefined) => (s ? model.siteString(s) : 'unknown');
  const times = (b: TraceTime, e: TraceTime | undefined): [string, string][] => [
    ['start', formatTime(b)],
    // Open at the end of the trace: still open, or its end was among dropped events.
    ['end', e === undefined ? (droppedAfter(model.gaps, b) ? 'unknown (events dropped)' : 'open') : formatTime(e)],
    ['duration', formatTime((e ?? model.endTime) - b) + (e === undefined ? ' so far' : '')],
  ];
  switch (ref.kind) {
    case 'end': {
      // The end marker's tooltip leads with how the task ended and why.
      const t = model.task(ref.taskId);
      if (!t || t.endedAt === undefined) return undefined;
      const how = t.outcome === 'error' ? 'failed' : t.outcome === 'cancelled' ? 'was cancelled' : `ended ${t.outcome ?? ''}`;
      return {
        title: `${taskName(model, t.id)} ${how}`, taskId: t.id, begin: t.createdAt, end: t.endedAt, site: t.site,
        rows: [['outcome', t.outcome ?? 'unknown'], ['message', t.message || '(none)'], ['ended', formatTime(t.endedAt)],
          ['lifetime', formatTime(t.endedAt - t.createdAt)], ['site', siteText(t.site)]],
      };
    }
    case 'task': case 'run': {
      const t = model.task(ref.taskId);
      if (!t) return undefined;
      if (ref.kind === 'run') {
        const r = t.runs.at(ref.index);
        if (!r) return undefined;
        return { title: `${taskName(model, t.id)} running`, taskId: t.id, begin: r.begin, end: r.end, site: t.site, rows: [['task', taskName(model, t.id)], ...times(r.begin, r.end), ['task site', siteText(t.site)]] };
      }
      return {
        title: `task ${taskName(model, t.id)}`, taskId: t.id, begin: t.createdAt, end: t.endedAt, site: t.site,
        rows: [['parent', taskName(model, t.parentId)], ...times(t.createdAt, t.endedAt), ['outcome', (t.outcome ?? (taskState(model, t) === 'unknown' ? TASK_STATE_TEXT.unknown : 'running')) + (t.message ? `: ${t.message}` : '')],
          ['runs', String(t.runs.length)], ['awaits', String(t.awaits.length)], ['children', String(t.children.length)], ['site', siteText(t.site)]],
      };
    }
    case 'await': {
      const a = model.task(ref.taskId)?.awaits.at(ref.index);
      if (!a) return undefined;
      const rows: [string, string][] = [['task', taskName(model, a.taskId)], ['awaits', `${a.kind}: ${targetName(model, a)}`], ...times(a.begin, a.end), ['site', siteText(a.site)]];
      if (a.wake) rows.push(['woken by', taskName(model, a.wake.wakerTaskId) + (a.wake.callbackId ? ` (callback #${a.wake.callbackId})` : '')]);
      if (a.outcome && a.outcome !== 'ok') rows.push(['outcome', a.outcome]);
      return { title: `await ${a.kind}`, taskId: a.taskId, begin: a.begin, end: a.end, site: a.site, rows };
    }
    case 'hold': case 'wait': {
      const r = model.resource(ref.resourceId);
      const span = ref.kind === 'hold' ? r?.holds.at(ref.index) : r?.waits.at(ref.index);
      if (!r || !span) return undefined;
      const rows: [string, string][] = [['resource', `${r.kind} ${r.name || `#${r.id}`}`], ['task', taskName(model, span.taskId)], ...times(span.begin, span.end), ['site', siteText(span.site)]];
      const released = ref.kind === 'hold' ? r.holds.at(ref.index)?.releaseSite : undefined;
      if (released) rows.push(['released at', siteText(released)]);
      return { title: `${ref.kind === 'hold' ? 'holds' : 'waits for'} ${r.kind} ${r.name}`, taskId: span.taskId, begin: span.begin, end: span.end, site: span.site, rows };
    }
    case 'level': {
      const r = model.resource(ref.resourceId);
      const l = r?.levels[ref.index];
      if (!r || !l) return undefined;
      const next = r.levels[ref.index + 1]?.time;
      return { title: `${r.kind} ${r.name}: ${r.kind === 'queue' ? 'length' : 'level'} ${l.level}`, taskId: 0, begin: l.time, end: next, site: r.site, rows: [['level', String(l.level)], ...times(l.time, next)] };
    }
  }
}

/** Short text drawn inside a box. */
export function boxLabel(model: TraceModelView, ref: SpanRef): string {
  switch (ref.kind) {
    case 'await': {
      const a = model.task(ref.taskId)?.awaits.at(ref.index);
      if (!a) return '';
      const res = a.targetId ? model.resource(a.targetId) : undefined;
      if (res) return `${a.kind} ${res.name}`;
      // An await of the program's own async function: name the call, not "promise".
      return awaitName(a.kind, a.site);
    }
    case 'hold': case 'wait': {
      const s = ref.kind === 'hold' ? model.resource(ref.resourceId)?.holds.at(ref.index) : model.resource(ref.resourceId)?.waits.at(ref.index);
      return s ? taskName(model, s.taskId) : '';
    }
    case 'level': return String(model.resource(ref.resourceId)?.levels[ref.index]?.level ?? '');
    case 'run': return '';
    case 'task': return '';
    case 'end': return '';
  }
}
