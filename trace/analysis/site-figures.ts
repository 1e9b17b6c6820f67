/**
 * Figures per await site, for CodeLens above the line ("11 waits · 1.5 s · p99 151 ms"):
 * every await at the site, ended or still open (counted to the trace's end). Pure.
 */
import type { Site, TraceModelView } from '../model-types';
import { formatSite } from '../sites';
import { nearestRank } from '../stats';
import { unpausedMs } from '../pauses';

export interface SiteFigures {
  site: Site;
  count: number;
  /** Awaits at the site still open when the trace ended. */
  open: number;
  totalMs: number;
  p99Ms: number;
  maxMs: number;
}

export function awaitSiteFigures(model: TraceModelView): SiteFigures[] {
  const groups = new Map<string, { site: Site; durations: number[]; open: number }>();
  for (const t of model.tasks) {
    const aw = t.awaits;
    for (let i = 0; i < aw.length; i++) {
      const site = aw.site(i);
      if (!site) continue;
      const key = formatSite(site);
      let g = groups.get(key);
      if (!g) { g = { site, durations: [], open: 0 }; groups.set(key, g); }
      const end = aw.end(i);
      g.durations.push(unpausedMs(aw.begin(i), end ?? model.endTime, model.pauses));
      if (end === undefined) g.open++;
    }
  }
  return [...groups.values()].map((g) => {
    const sorted = g.durations.sort((a, b) => a - b);
    return {
      site: g.site, count: sorted.length, open: g.open, totalMs: sorted.reduce((s, x) => s + x, 0),
      p99Ms: nearestRank(sorted, 99), maxMs: sorted[sorted.length - 1] ?? 0,
    };
  });
}

/** "151 ms", "1.5 s", "0.42 ms". */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** The CodeLens title: "11 waits · 1.5 s · p99 151 ms" (and "· 2 still waiting" when some never ended). */
export function siteFiguresTitle(f: SiteFigures): string {
  const parts = [`${f.count} wait${f.count === 1 ? '' : 's'}`, formatDuration(f.totalMs)];
  if (f.count > 1) parts.push(`p99 ${formatDuration(f.p99Ms)}`);
  if (f.open > 0) parts.push(`${f.open} still waiting`);
  return parts.join(' · ');
}
