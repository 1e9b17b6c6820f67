/**
 * `blocked-loop`: a loop turn longer than the tracer's threshold, with what ran in it
 * (the task slice or loop callback that overlaps it most) and the code that ran: for a
 * task, from the await it resumed at (or its creation) to the await it stopped at; for
 * a callback, where it was scheduled. Turns blocked by the same code are one finding.
 *
 * Running slices and callbacks are collected once into arrays sorted by begin, so each
 * blocked span is a binary search plus the few slices around it.
 */
import type { AwaitList, AwaitSpan, Site, TaskModel, TraceModelView, TraceTime } from '../model-types';
import { formatSite } from '../sites';
import type { Finding, FindingSpan } from './finding-types';

interface Ran { begin: TraceTime; end: TraceTime; task: TaskModel | undefined; site: Site | undefined }

export function findBlockedLoop(model: TraceModelView): Finding[] {
  if (model.blocked.length === 0) return [];
  const ran: Ran[] = [];
  for (const t of model.tasks) for (let i = 0; i < t.runs.length; i++) ran.push({ begin: t.runs.begin(i), end: t.runs.end(i) ?? model.endTime, task: t, site: undefined });
  for (const c of model.callbacks) ran.push({ begin: c.begin, end: c.end ?? model.endTime, task: undefined, site: c.site });
  ran.sort((a, b) => a.begin - b.begin);
  let longest = 0;
  for (const r of ran) longest = Math.max(longest, r.end - r.begin);

  const groups = new Map<string, { culprit: Ran | undefined; sites: Site[]; count: number; total: number; max: number; at: TraceTime; spans: FindingSpan[] }>();
  for (const b of model.blocked) {
    const end = b.end ?? b.begin + b.durationMs;
    const culprit = mostOverlapping(ran, b.begin, end, longest);
    const sites = culprit?.task ? sliceSites(culprit.task, culprit.begin, culprit.end) : culprit?.site ? [culprit.site] : [];
    const key = `${culprit?.task ? `task ${culprit.task.name}` : culprit ? 'callback' : ''}\n${sites.map(formatSite).join(' ')}`;
    let g = groups.get(key);
    if (!g) { g = { culprit, sites, count: 0, total: 0, max: 0, at: b.begin, spans: [] }; groups.set(key, g); }
    g.count++;
    g.total += b.durationMs;
    g.max = Math.max(g.max, b.durationMs);
    if (culprit?.task && g.spans.length < 40) g.spans.push({ type: 'run', taskId: culprit.task.id, begin: culprit.begin });
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    const who = g.culprit?.task ? `task ${g.culprit.task.name || g.culprit.task.id}` : g.culprit ? 'a loop callback' : 'code outside any task or callback';
    const code = g.culprit?.task
      ? g.sites.length === 2 ? `, running from ${formatSite(g.sites[0])} to ${formatSite(g.sites[1])}` : g.sites.length === 1 ? `, running from ${formatSite(g.sites[0])}` : ''
      : g.sites[0] ? ` scheduled at ${formatSite(g.sites[0])}` : '';
    const times = g.count === 1 ? `${g.max.toFixed(1)} ms` : `${g.count} times, ${g.total.toFixed(1)} ms in all, longest ${g.max.toFixed(1)} ms`;
    out.push({
      kind: 'blocked-loop',
      severity: 'warning',
      message: `the event loop was blocked ${times} by ${who}${code}`,
      taskIds: g.culprit?.task ? [g.culprit.task.id] : [],
      resourceIds: [],
      sites: g.sites,
      related: [],
      spans: g.spans,
      at: g.at,
      durationMs: g.total,
    });
  }
  return out;
}

function mostOverlapping(ran: readonly Ran[], from: TraceTime, to: TraceTime, longest: number): Ran | undefined {
  let lo = 0, hi = ran.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ran[mid].begin < to) lo = mid + 1; else hi = mid;
  }
  let best: Ran | undefined;
  let bestOverlap = 0;
  for (let i = lo - 1; i >= 0 && ran[i].begin >= from - longest; i--) {
    const r = ran[i];
    const overlap = Math.min(r.end, to) - Math.max(r.begin, from);
    // A task slice beats the callback it ran in (the callback only started it).
    if (overlap > bestOverlap || (overlap === bestOverlap && overlap > 0 && r.task && !best?.task)) { best = r; bestOverlap = overlap; }
  }
  return best;
}

/** Where a slice of `task` began running (the await it resumed from, or the task's creation) and where it stopped (the await it began). */
export function sliceSites(task: TaskModel, begin: TraceTime, end: TraceTime): Site[] {
  const from = resumedFrom(task.awaits, begin)?.site ?? task.site;
  const next = firstAwaitFrom(task.awaits, end);
  const to = next && next.begin <= end + 1e-6 ? next.site : undefined;
  return [from, to].filter((s): s is Site => s !== undefined);
}

/** The innermost await that ended last at or before `time`: the one a slice starting then resumed from. */
export function resumedFrom(awaits: AwaitList, time: TraceTime): AwaitSpan | undefined {
  let lo = 0, hi = awaits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (awaits.begin(mid) <= time) lo = mid + 1; else hi = mid;
  }
  let best = -1, bestEnd = 0;
  // Awaits begin while the task runs, so the one it resumed from is among the last few begun.
  for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
    const end = awaits.end(i);
    if (end === undefined || end > time) continue;
    if (best < 0 || end > bestEnd || (end === bestEnd && awaits.depth(i) > awaits.depth(best))) { best = i; bestEnd = end; }
  }
  return best < 0 ? undefined : awaits.at(best);
}

function firstAwaitFrom(awaits: AwaitList, time: TraceTime): AwaitSpan | undefined {
  let lo = 0, hi = awaits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (awaits.begin(mid) < time - 1e-6) lo = mid + 1; else hi = mid;
  }
  if (lo >= awaits.length) return undefined;
  // The innermost of the awaits begun at that instant (an outer plain-promise await begins first).
  let best = lo;
  for (let i = lo + 1; i < awaits.length && awaits.begin(i) <= awaits.begin(best) + 1e-6; i++) if (awaits.depth(i) > awaits.depth(best)) best = i;
  return awaits.at(best);
}
