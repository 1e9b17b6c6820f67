/**
 * The analysis in the words of `stats --json` (../shared/design/cli.md, version 1):
 * task names instead of ids, `path:line:col` sites, milliseconds since the trace's
 * start rounded to microseconds. Critical-path segments are rounded on their boundaries
 * (integer microseconds), so their `ms` add up to `durationMs` exactly.
 */
import type { Site, TraceModelView } from '../model-types';
import { formatSite } from '../sites';
import type { FullAnalysis } from './analyze';
import { programTime } from '../pauses';

const ms = (x: number): number => Math.round(x * 1000) / 1000;

export interface FindingJson {
  kind: string;
  severity: string;
  message: string;
  tasks: string[];
  resources: { kind: string; name: string }[];
  sites: string[];
  atMs: number;
  durationMs: number;
}

export interface FailureJson { task: string; outcome: 'error' | 'cancelled'; message: string; site: string | null }

export interface CriticalPathJson {
  task: string;
  durationMs: number;
  segments: { task: string; kind: string; site: string | null; ms: number }[];
}

export interface HoldAwaitSiteJson { site: string | null; kind: string; count: number; totalMs: number; othersWaitedMs: number }

export interface AnalysisJson {
  findings: FindingJson[];
  failures: FailureJson[];
  criticalPath: CriticalPathJson | null;
}

export function analysisJson(model: TraceModelView, a: FullAnalysis): AnalysisJson {
  const name = (id: number): string => model.task(id)?.name ?? `task ${id}`;
  const site = (s: Site | undefined): string | null => (s ? formatSite(s) : null);
  const start = model.startTime;
  const cp = a.criticalPath;
  // Program time (debugger pauses left out), so the segments still add up to durationMs.
  const us = (t: number): number => Math.round((programTime(t, model.pauses) - programTime(start, model.pauses)) * 1000);
  return {
    findings: a.findings.map((f) => ({
      kind: f.kind,
      severity: f.severity,
      message: f.message,
      tasks: f.taskIds.map(name),
      resources: f.resourceIds.map((id) => { const r = model.resource(id); return { kind: r?.kind ?? 'lock', name: r?.name ?? '' }; }),
      sites: f.sites.map(formatSite),
      atMs: ms(f.at - start),
      durationMs: ms(f.durationMs),
    })),
    failures: a.failures.map((f) => ({ task: name(f.taskId), outcome: f.outcome, message: f.message, site: site(f.site) })),
    criticalPath: cp ? {
      task: name(cp.taskId),
      durationMs: (us(cp.end) - us(cp.begin)) / 1000,
      segments: cp.segments.map((s) => ({ task: name(s.taskId), kind: s.kind, site: site(s.site), ms: (us(s.end) - us(s.begin)) / 1000 })),
    } : null,
  };
}

/** What holders of a resource awaited during their holds, for its `holdAwaitSites` in the stats. */
export function holdAwaitSitesJson(a: FullAnalysis, resourceId: number, limit = 5): HoldAwaitSiteJson[] {
  return (a.holdAwaits.get(resourceId) ?? []).slice(0, limit).map((g) => ({
    site: g.site ? formatSite(g.site) : null, kind: g.kind, count: g.count, totalMs: ms(g.totalMs), othersWaitedMs: ms(g.othersWaitedMs),
  }));
}
