/**
 * The `diff --json` document, version 1 (../shared/design/cli.md). Every paired row is
 * there, changed ones first (biggest first); `changed` names the figures that moved
 * beyond the noise rule (empty: within the noise). Pure.
 */
import type { ResourceEntry, SiteGroup, TaskGroup } from './collect';
import type { DiffRow, FindingLike, SideSummary, TraceDiff } from './diff';
import { NOISE_RULE } from './noise';

const ms = (x: number): number => Math.round(x * 1000) / 1000;

export interface DiffJsonV1 {
  version: 1;
  a: { program: string; durationMs: number; events: number };
  b: { program: string; durationMs: number; events: number };
  noiseRule: string;
  resources: {
    kind: string; name: string; siteA: string | null; siteB: string | null;
    a: ResourceFigures | null; b: ResourceFigures | null; changed: string[];
  }[];
  awaitSites: {
    kind: string; siteA: string | null; siteB: string | null; callee: string | null; function: string | null;
    a: SiteFigures | null; b: SiteFigures | null; changed: string[];
  }[];
  taskGroups: { name: string; a: TaskFigures | null; b: TaskFigures | null; changed: string[] }[];
  tasks: { a: SideSummary['tasks']; b: SideSummary['tasks'] };
  findings: { added: FindingJson[]; resolved: FindingJson[] } | null;
}
interface ResourceFigures { acquisitions: number; contended: number; totalWaitMs: number; p50WaitMs: number; p99WaitMs: number; maxWaitMs: number; totalHoldMs: number; maxWaiters: number }
interface SiteFigures { count: number; totalMs: number; meanMs: number; maxMs: number }
interface TaskFigures { count: number; failed: number; cancelled: number; pending: number; meanMs: number; totalMs: number }
interface FindingJson { kind: string; severity: string | null; message: string | null; sites: string[] }

function resource(e: ResourceEntry | undefined): ResourceFigures | null {
  if (!e) return null;
  const s = e.stats;
  return {
    acquisitions: s.acquisitions, contended: s.contended, totalWaitMs: ms(s.totalWaitMs), p50WaitMs: ms(s.p50WaitMs), p99WaitMs: ms(s.p99WaitMs),
    maxWaitMs: ms(s.maxWaitMs), totalHoldMs: ms(s.totalHoldMs), maxWaiters: s.maxWaiters,
  };
}

function site(g: SiteGroup | undefined): SiteFigures | null {
  return g ? { count: g.durations.count, totalMs: ms(g.durations.total), meanMs: ms(g.durations.mean), maxMs: ms(g.durations.max) } : null;
}

function tasks(g: TaskGroup | undefined): TaskFigures | null {
  return g ? { count: g.lifetimes.count, failed: g.failed, cancelled: g.cancelled, pending: g.pending, meanMs: ms(g.lifetimes.mean), totalMs: ms(g.lifetimes.total) } : null;
}

const finding = (f: FindingLike): FindingJson => ({ kind: f.kind, severity: f.severity ?? null, message: f.message ?? null, sites: [...f.sites] });
const side = (s: SideSummary) => ({ program: s.program, durationMs: ms(s.durationMs), events: s.events });

export function diffJson(d: TraceDiff): DiffJsonV1 {
  const one = <T, R>(r: DiffRow<T>, f: (x: T | undefined) => R) => ({ a: f(r.a), b: f(r.b), changed: r.changed });
  return {
    version: 1,
    a: side(d.a),
    b: side(d.b),
    noiseRule: NOISE_RULE,
    resources: d.resources.map((r) => {
      const s = (r.a ?? r.b as ResourceEntry).stats;
      return { kind: s.kind, name: s.name, siteA: r.a?.stats.site ?? null, siteB: r.b?.stats.site ?? null, ...one(r, resource) };
    }),
    awaitSites: d.awaitSites.map((r) => {
      const g = (r.b ?? r.a) as SiteGroup;
      return {
        kind: g.kind, siteA: r.a?.siteText ?? null, siteB: r.b?.siteText ?? null, callee: g.site?.label ?? null, function: g.site?.fn ?? null,
        ...one(r, site),
      };
    }),
    taskGroups: d.taskGroups.map((r) => ({ name: (r.a ?? r.b as TaskGroup).name, ...one(r, tasks) })),
    tasks: { a: d.a.tasks, b: d.b.tasks },
    findings: d.findings ? { added: d.findings.added.map(finding), resolved: d.findings.resolved.map(finding) } : null,
  };
}
