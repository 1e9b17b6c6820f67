/**
 * Tasks that ended failed or cancelled (`failures` in `stats --json`), and the
 * `never-retrieved` finding: a failed task whose error nobody retrieved.
 *
 * Where: an error's throw site comes from the trace (`TaskModel.errorSite`, the innermost
 * frame in user code, recorded by the tracer); a trace without it (older recordings)
 * names no site rather than a wrong one. A cancellation happened where the task was
 * waiting: the innermost await that ended cancelled last.
 */
import type { Site, TaskModel, TraceModelView } from '../model-types';
import { formatSite } from '../sites';
import type { Failure, Finding } from './finding-types';

export function failures(model: TraceModelView): Failure[] {
  const out: Failure[] = [];
  for (const t of model.tasks) {
    if (t.outcome !== 'error' && t.outcome !== 'cancelled') continue;
    out.push({
      taskId: t.id,
      outcome: t.outcome,
      message: t.message,
      site: t.outcome === 'error' ? t.errorSite : cancelSite(t),
      at: t.endedAt ?? model.endTime,
    });
  }
  return out;
}

function cancelSite(t: TaskModel): Site | undefined {
  const aw = t.awaits;
  let best = -1, bestEnd = 0;
  for (let i = 0; i < aw.length; i++) {
    const end = aw.end(i);
    if (aw.outcome(i) !== 'cancelled' || end === undefined) continue;
    if (best < 0 || end > bestEnd || (end === bestEnd && aw.depth(i) > aw.depth(best))) { best = i; bestEnd = end; }
  }
  return (best < 0 ? undefined : aw.site(best)) ?? t.site;
}

export function findNeverRetrieved(model: TraceModelView): Finding[] {
  const out: Finding[] = [];
  for (const t of model.tasks) {
    if (t.outcome !== 'error' || t.errorRetrieved !== false) continue;
    const sites = [t.errorSite, t.site].filter((s): s is Site => s !== undefined);
    const related = t.site ? [{ site: t.site, message: `${t.name || `task ${t.id}`} was created here` }] : [];
    out.push({
      kind: 'never-retrieved',
      severity: 'error',
      message: `${t.name || `task ${t.id}`} failed and nobody retrieved its error: ${t.message || '(no message)'}`
        + `${t.errorSite ? ` (thrown at ${formatSite(t.errorSite)})` : ''}`,
      taskIds: [t.id],
      resourceIds: [],
      sites,
      related,
      spans: t.runs.length > 0 ? [{ type: 'run', taskId: t.id, begin: t.runs.begin(t.runs.length - 1) }] : [],
      at: t.endedAt ?? model.endTime,
      durationMs: 0,
    });
  }
  return out;
}
