/**
 * What the analysis layer (trace/analysis/) tells about a trace: findings (something is
 * wrong, here), failures (tasks that ended failed or cancelled) and the critical path of
 * the root task. Ids and times are the model's (TraceTime, runtime ids), so the webview
 * can select what a finding points at; trace/analysis/json.ts turns them into the names
 * and site strings of `stats --json` (../shared/design/cli.md).
 */
import type { AwaitKind, Site, TraceTime } from '../model-types';

export type FindingKind = 'deadlock' | 'lock-held-across-await' | 'never-retrieved' | 'pending-at-exit' | 'blocked-loop';
export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** A span of the model a finding points at, so a viewer can select it. */
export type FindingSpan =
  | { type: 'await'; taskId: number; begin: TraceTime }
  | { type: 'wait'; resourceId: number; taskId: number; begin: TraceTime }
  | { type: 'hold'; resourceId: number; taskId: number; begin: TraceTime }
  | { type: 'run'; taskId: number; begin: TraceTime };

/** A second place that explains a finding (the other end of a cycle, the acquire of a hold). */
export interface RelatedSite { site: Site; message: string }

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  message: string;
  /** Tasks involved, the most telling first (for a deadlock: the cycle in order). */
  taskIds: number[];
  resourceIds: number[];
  /** The most telling site first (cli.md says which per kind). */
  sites: Site[];
  related: RelatedSite[];
  spans: FindingSpan[];
  /** When it began (model time). */
  at: TraceTime;
  durationMs: number;
}

export interface Failure {
  taskId: number;
  outcome: 'error' | 'cancelled';
  message: string;
  /** Where it was thrown; for a cancellation, where the task was waiting when cancelled. */
  site: Site | undefined;
  at: TraceTime;
}

export interface PathSegment {
  taskId: number;
  /** 'run' for a running slice (or a task that was ready but not yet run), else what was awaited. */
  kind: 'run' | AwaitKind;
  site: Site | undefined;
  begin: TraceTime;
  end: TraceTime;
}

export interface CriticalPath {
  taskId: number;
  begin: TraceTime;
  end: TraceTime;
  /** Time ordered, contiguous: they cover [begin, end] exactly. */
  segments: PathSegment[];
}

export interface Analysis {
  /** Most severe first, then by time. */
  findings: Finding[];
  failures: Failure[];
  criticalPath: CriticalPath | undefined;
}
