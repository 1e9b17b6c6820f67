/**
 * What one trace contributes to a diff: its await sites, resources and groups of
 * tasks, each with the samples behind its figures (for the noise rule) and a
 * reference to a span that stands for it (for the compare view's selection). Pure.
 */
import type { AwaitKind, AwaitSpan, ResourceStats, Site, TraceModelView } from '../model-types';
import { Samples, stdDev } from './noise';

export interface SiteGroup {
  kind: AwaitKind;
  site: Site | undefined;
  /** `file:line:col`, or `<unknown>`. */
  siteText: string;
  durations: Samples;
  /** The slowest await at this site. */
  slowest: { taskId: number; index: number };
}

export interface ResourceEntry {
  stats: ResourceStats;
  /** Every acquisition's wait (0 when granted at once), and every blocked put or notified wait. */
  waits: Samples;
  holds: Samples;
}

export interface TaskGroup {
  /** The task name with runs of digits as `#` (`worker-#`): tasks made by one loop share it. */
  name: string;
  taskIds: number[];
  /** Creation to end (or to the end of the trace for a pending task). */
  lifetimes: Samples;
  /**
   * Run-to-run spread of the mean lifetime: the larger of the lifetimes' own (s/√n) and
   * the one the tasks' waits imply (a lone `main` has one lifetime but many waits, each
   * as variable as the other waits at its site). A group's tasks run side by side and
   * wait on the same things, so their lifetimes move together from run to run: the
   * mean is taken to vary like one typical task (√(mean variance)), not n independent ones.
   */
  meanSpread: number;
  failed: number;
  cancelled: number;
  pending: number;
}

export const UNKNOWN_SITE = '<unknown>';

const siteKey = (model: TraceModelView, a: AwaitSpan): string =>
  `${a.kind}\0${a.site ? `${model.siteString(a.site)}\0${a.site.fn ?? ''}\0${a.site.label ?? ''}` : ''}`;

/** Ended awaits grouped by kind and site (label and enclosing function included), in order of first appearance. */
export function collectSites(model: TraceModelView): SiteGroup[] {
  const groups = new Map<string, { kind: AwaitKind; site: Site | undefined; ds: number[]; slowest: { taskId: number; index: number }; max: number }>();
  for (const t of model.tasks) {
    for (let index = 0; index < t.awaits.length; index++) {
      if (t.awaits.end(index) === undefined) continue;
      const a = t.awaits.at(index)!;
      if (a.end === undefined) continue;
      const key = siteKey(model, a);
      const d = a.end - a.begin;
      const g = groups.get(key);
      if (!g) groups.set(key, { kind: a.kind, site: a.site, ds: [d], slowest: { taskId: t.id, index }, max: d });
      else { g.ds.push(d); if (d > g.max) { g.max = d; g.slowest = { taskId: t.id, index }; } }
    }
  }
  return [...groups.values()].map((g) => ({
    kind: g.kind, site: g.site, siteText: g.site ? model.siteString(g.site) : UNKNOWN_SITE, durations: new Samples(g.ds), slowest: g.slowest,
  }));
}

export function collectResources(model: TraceModelView): ResourceEntry[] {
  const stats = model.contention();
  return stats.map((s) => {
    const r = model.resource(s.resourceId);
    const contended = [...(r?.waits ?? [])].filter((w) => w.end !== undefined).map((w) => (w.end as number) - w.begin);
    // Acquisitions granted at once waited 0: without them a percentile would describe only the contended waits.
    const waits = [...contended, ...new Array<number>(Math.max(0, s.acquisitions - contended.length)).fill(0)];
    const holds = [...(r?.holds ?? [])].filter((h) => h.end !== undefined).map((h) => (h.end as number) - h.begin);
    return { stats: s, waits: new Samples(waits), holds: new Samples(holds) };
  });
}

/** `worker-12` → `worker-#`: a loop's tasks group together and pair across runs whatever their numbers. */
export function taskGroupName(name: string): string {
  return name.replace(/\d+/g, '#');
}

export function collectTaskGroups(model: TraceModelView): TaskGroup[] {
  // How much one await at each site varies: a task's lifetime varies by its waits' spreads, in quadrature.
  const bySite = new Map<string, number[]>();
  for (const t of model.tasks) for (const a of t.awaits) {
    if (a.end === undefined || a.depth !== 0) continue;
    const k = siteKey(model, a);
    const l = bySite.get(k);
    if (l) l.push(a.end - a.begin); else bySite.set(k, [a.end - a.begin]);
  }
  const sd = new Map([...bySite].map(([k, ds]) => [k, stdDev(ds)]));
  const groups = new Map<string, { ids: number[]; lifetimes: number[]; variance: number; failed: number; cancelled: number; pending: number }>();
  for (const t of model.tasks) {
    const name = taskGroupName(t.name || 'task');
    let g = groups.get(name);
    if (!g) { g = { ids: [], lifetimes: [], variance: 0, failed: 0, cancelled: 0, pending: 0 }; groups.set(name, g); }
    g.ids.push(t.id);
    g.lifetimes.push((t.endedAt ?? model.endTime) - t.createdAt);
    for (const a of t.awaits) if (a.end !== undefined && a.depth === 0) g.variance += (sd.get(siteKey(model, a)) ?? 0) ** 2;
    if (t.outcome === 'error') g.failed++;
    else if (t.outcome === 'cancelled') g.cancelled++;
    else if (t.outcome === undefined) g.pending++;
  }
  return [...groups].map(([name, g]) => {
    const lifetimes = new Samples(g.lifetimes);
    return {
      name, taskIds: g.ids, lifetimes, meanSpread: Math.max(lifetimes.meanSpread, Math.sqrt(g.variance / g.ids.length)),
      failed: g.failed, cancelled: g.cancelled, pending: g.pending,
    };
  });
}
