/**
 * Contention and await-site statistics, and the CLI's `stats --json` document
 * (../shared/design/cli.md, version 1). Pure, no Node.
 *
 * Definitions (cli.md): every acquisition has a wait time, 0 when it was granted at once
 * and request → grant when it had to wait (contended). Percentiles are nearest-rank over
 * the wait times of all acquisitions: p = the value at rank ceil(p/100 * n) of the sorted
 * list. Hold time runs from grant to release; holds still open at the end of the trace
 * are not counted. Waits that were abandoned (cancelled, timed out) count as contended
 * waits (wait totals, percentiles) but not as acquisitions; so do waits still open
 * when the trace ended, up to its end. For a queue, acquisitions
 * are the `get` signals (a blocked get is also reported as an acquisition that ends its
 * wait), and a blocked `put` is a contended wait too. A condition's notified wait (ended
 * 'ok' without an acquisition) is a contended wait of the condition.
 */
import { analyze, type FullAnalysis } from './analysis/analyze';
import { analysisJson, holdAwaitSitesJson, type AnalysisJson, type HoldAwaitSiteJson } from './analysis/json';
import type { AwaitKind, ResourceModel, ResourceStats, Site, TraceModelView, TraceTime } from './model-types';
import { totalPausedMs, unpausedMs, type PauseSpan } from './pauses';
import { taskState } from './gaps';

/**
 * Per-resource counters the model keeps while folding events, as columns (a number
 * array holds its doubles unboxed): an acquisition granted at once is only counted.
 */
export interface ResourceTally {
  acquisitions: number;
  /** The contended acquisitions (waited, or granted after a wait with a site): wait time, where, and when it began (so paused time can be left out). */
  contendedWaitMs: number[];
  contendedWaitSites: (Site | undefined)[];
  contendedWaitFrom: TraceTime[];
  openWaiters: number;
  maxWaiters: number;
  gets: number;
  /** Contended waits that ended in something other than an acquisition (a blocked queue put). */
  otherWaitMs: number[];
  otherWaitSites: (Site | undefined)[];
  otherWaitFrom: TraceTime[];
}

export function newTally(): ResourceTally {
  return { acquisitions: 0, contendedWaitMs: [], contendedWaitSites: [], contendedWaitFrom: [], openWaiters: 0, maxWaiters: 0, gets: 0, otherWaitMs: [], otherWaitSites: [], otherWaitFrom: [] };
}

/** One acquisition that waited `waitMs` (0 when granted at once) from `from` at `waitSite` (the wait's). */
export function addAcquisition(tally: ResourceTally, waitMs: number, waitSite: Site | undefined, from: TraceTime): void {
  tally.acquisitions++;
  if (waitSite === undefined && waitMs === 0) return;
  tally.contendedWaitMs.push(waitMs);
  tally.contendedWaitSites.push(waitSite);
  tally.contendedWaitFrom.push(from);
}

/** Nearest-rank percentile of an ascending list; 0 for an empty list. */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

const TOP_SITES = 5;

interface SiteSum { site: string; count: number; total: number }

function addTo(map: Map<string, SiteSum>, site: string, ms: number): void {
  const s = map.get(site);
  if (s) { s.count++; s.total += ms; } else map.set(site, { site, count: 1, total: ms });
}

function top(map: Map<string, SiteSum>): SiteSum[] {
  return [...map.values()].sort((a, b) => b.total - a.total || b.count - a.count || (a.site < b.site ? -1 : 1)).slice(0, TOP_SITES);
}

const UNKNOWN_SITE = '<unknown>';

export function computeContention(
  resources: readonly ResourceModel[],
  tallies: ReadonlyMap<number, ResourceTally>,
  fmt: (s: Site) => string,
  traceEnd?: number,
  /** Debugger pauses: paused time is left out of every wait and hold (trace/pauses.ts). */
  pauses?: readonly PauseSpan[],
): ResourceStats[] {
  // Site objects are shared (SiteTable), so each is formatted once, not once per wait and hold.
  const text = new Map<Site, string>();
  const str = (s: Site | undefined): string => {
    if (!s) return UNKNOWN_SITE;
    let t = text.get(s);
    if (t === undefined) { t = fmt(s); text.set(s, t); }
    return t;
  };
  const paused = pauses !== undefined && pauses.length > 0;
  const waitOf = (waitMs: number, from: TraceTime): number =>
    paused && waitMs > 0 ? unpausedMs(from, from + waitMs, pauses) : waitMs;
  return resources.map((r) => {
    const tally = tallies.get(r.id) ?? newTally();
    // Every acquisition's wait: the contended ones', and 0 for each granted at once.
    const waits: number[] = tally.contendedWaitMs.map((waitMs, i) => waitOf(waitMs, tally.contendedWaitFrom[i]));
    const contendedCount = waits.length;
    for (let i = waits.length; i < tally.acquisitions; i++) waits.push(0);
    const waitSites = new Map<string, SiteSum>();
    let contended = 0;
    for (let i = 0; i < contendedCount; i++) {
      contended++;
      addTo(waitSites, str(tally.contendedWaitSites[i]), waits[i]);
    }
    // Contended waits that ended without an acquisition (a queue's blocked put, a
    // cancelled or timed-out wait), and waits still open when the trace ended (counted
    // up to its end: a deadlocked lock is the most contended of all).
    const open = traceEnd === undefined ? [] : [...r.waits].filter((w) => w.end === undefined).map((w) => ({ waitMs: Math.max(0, traceEnd - w.begin), site: w.site, from: w.begin }));
    const others = tally.otherWaitMs.map((waitMs, i) => ({ waitMs, site: tally.otherWaitSites[i], from: tally.otherWaitFrom[i] }));
    for (const w of [...others, ...open]) {
      contended++;
      const ms = waitOf(w.waitMs, w.from);
      waits.push(ms);
      addTo(waitSites, str(w.site), ms);
    }
    const holdSites = new Map<string, SiteSum>();
    let totalHold = 0, maxHold = 0;
    for (const h of r.holds) {
      if (h.end === undefined) continue;
      const d = unpausedMs(h.begin, h.end, pauses);
      totalHold += d;
      if (d > maxHold) maxHold = d;
      addTo(holdSites, str(h.site), d);
    }
    // A queue reports every get as a 'get' signal but only blocked gets as acquisitions:
    // the gets that did not block waited 0.
    if (r.kind === 'queue') for (let i = tally.acquisitions; i < tally.gets; i++) waits.push(0);
    const sorted = [...waits].sort((a, b) => a - b);
    const acquisitions = r.kind === 'queue' ? Math.max(tally.acquisitions, tally.gets) : tally.acquisitions;
    return {
      resourceId: r.id,
      kind: r.kind,
      name: r.name,
      site: r.site ? fmt(r.site) : undefined,
      acquisitions,
      contended,
      totalWaitMs: sorted.reduce((s, x) => s + x, 0),
      maxWaitMs: sorted.length ? sorted[sorted.length - 1] : 0,
      p50WaitMs: nearestRank(sorted, 50),
      p99WaitMs: nearestRank(sorted, 99),
      totalHoldMs: totalHold,
      maxHoldMs: maxHold,
      maxWaiters: tally.maxWaiters,
      topWaitSites: top(waitSites).map((s) => ({ site: s.site, count: s.count, totalWaitMs: s.total })),
      topHoldSites: top(holdSites).map((s) => ({ site: s.site, count: s.count, totalHoldMs: s.total })),
    };
  });
}

export interface AwaitSiteStats { site: string; kind: AwaitKind; count: number; totalMs: number; maxMs: number }

/** Ended awaits grouped by (site, kind), slowest total first. */
export function awaitSiteStats(model: TraceModelView, limit = 20): AwaitSiteStats[] {
  const groups = new Map<string, AwaitSiteStats>();
  // By site object first (sites are shared objects), so most awaits format no site text.
  const bySite = new Map<Site | undefined, Map<AwaitKind, AwaitSiteStats>>();
  for (const t of model.tasks) {
    const aw = t.awaits;
    for (let i = 0; i < aw.length; i++) {
      const end = aw.end(i);
      if (end === undefined) continue;
      const s = aw.site(i), kind = aw.kind(i);
      let kinds = bySite.get(s);
      if (!kinds) { kinds = new Map(); bySite.set(s, kinds); }
      let g = kinds.get(kind);
      if (!g) {
        const site = s ? model.siteString(s) : UNKNOWN_SITE;
        const key = `${kind} ${site}`;
        g = groups.get(key);
        if (!g) { g = { site, kind, count: 0, totalMs: 0, maxMs: -Infinity }; groups.set(key, g); }
        kinds.set(kind, g);
      }
      const d = unpausedMs(aw.begin(i), end, model.pauses);
      g.count++; g.totalMs += d; if (d > g.maxMs) g.maxMs = d;
    }
  }
  return [...groups.values()].sort((a, b) => b.totalMs - a.totalMs || b.count - a.count).slice(0, limit);
}

/** Milliseconds rounded to microseconds, so JSON stays readable and stable. */
const ms = (x: number): number => Math.round(x * 1000) / 1000;

export interface StatsJsonV1 {
  version: 1;
  program: string;
  durationMs: number;
  events: number;
  droppedEvents: number;
  /** Where the dropped events were (added field): each gap's bounds and count. */
  droppedRanges: { fromMs: number; toMs: number; count: number }[];
  /** `unknown` (added field): no end in the trace, and events were dropped after the task was last seen. */
  tasks: { total: number; completed: number; cancelled: number; failed: number; pending: number; unknown: number };
  resources: {
    kind: string; name: string; site: string | null;
    acquisitions: number; contended: number;
    totalWaitMs: number; maxWaitMs: number; p50WaitMs: number; p99WaitMs: number;
    totalHoldMs: number; maxHoldMs: number; maxWaiters: number;
    topWaitSites: { site: string; count: number; totalWaitMs: number }[];
    topHoldSites: { site: string; count: number; totalHoldMs: number }[];
    /** What holders awaited during their holds (locks and semaphores), most others' waiting first. */
    holdAwaitSites: HoldAwaitSiteJson[];
  }[];
  awaitSites: { site: string; kind: string; count: number; totalMs: number; maxMs: number }[];
  findings: AnalysisJson['findings'];
  failures: AnalysisJson['failures'];
  criticalPath: AnalysisJson['criticalPath'];
  /**
   * Added fields, present only when a debugger paused the program: the paused ms in all,
   * and each pause. Every wait, hold and await figure above leaves paused time out;
   * `durationMs` is the trace's span, pauses included.
   */
  pausedMs?: number;
  pauses?: { fromMs: number; toMs: number }[];
}

/** The `stats --json` document, version 1 (field order as in cli.md). */
export function statsJson(model: TraceModelView, analysis: FullAnalysis = analyze(model)): StatsJsonV1 {
  const tasks = { total: model.tasks.length, completed: 0, cancelled: 0, failed: 0, pending: 0, unknown: 0 };
  for (const t of model.tasks) tasks[taskState(model, t)]++;
  return {
    version: 1,
    program: model.header?.program ?? '',
    durationMs: ms(model.endTime - model.startTime),
    events: model.eventCount,
    droppedEvents: model.droppedEvents,
    droppedRanges: model.gaps.map((g) => ({ fromMs: ms(g.begin), toMs: ms(g.end), count: g.count })),
    tasks,
    resources: model.contention().map((r) => ({
      kind: r.kind, name: r.name, site: r.site ?? null,
      acquisitions: r.acquisitions, contended: r.contended,
      totalWaitMs: ms(r.totalWaitMs), maxWaitMs: ms(r.maxWaitMs), p50WaitMs: ms(r.p50WaitMs), p99WaitMs: ms(r.p99WaitMs),
      totalHoldMs: ms(r.totalHoldMs), maxHoldMs: ms(r.maxHoldMs), maxWaiters: r.maxWaiters,
      topWaitSites: r.topWaitSites.map((s) => ({ site: s.site, count: s.count, totalWaitMs: ms(s.totalWaitMs) })),
      topHoldSites: r.topHoldSites.map((s) => ({ site: s.site, count: s.count, totalHoldMs: ms(s.totalHoldMs) })),
      holdAwaitSites: holdAwaitSitesJson(analysis, r.resourceId),
    })),
    awaitSites: awaitSiteStats(model).map((a) => ({ site: a.site, kind: a.kind, count: a.count, totalMs: ms(a.totalMs), maxMs: ms(a.maxMs) })),
    ...analysisJson(model, analysis),
    ...(model.pauses && model.pauses.length > 0
      ? { pausedMs: ms(totalPausedMs(model.pauses)), pauses: model.pauses.map((p) => ({ fromMs: ms(p.begin), toMs: ms(p.end) })) }
      : {}),
  };
}
