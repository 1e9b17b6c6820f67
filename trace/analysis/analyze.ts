/**
 * The analysis layer's entry: the model in, findings (most severe first), failures and
 * the critical path out. Pure and shared by the CLI (`stats`, `check`), the extension
 * (diagnostics, CodeLens) and the webview (the Findings pane). Each finding kind lives
 * in its own module; this one orders them and lets one explain another (tasks in a
 * deadlock are not reported again as merely pending).
 */
import type { TraceModelView } from '../model-types';
import { findBlockedLoop } from './blocked';
import { criticalPath } from './critical-path';
import { findDeadlocks } from './deadlock';
import { failures, findNeverRetrieved } from './failures';
import { SEVERITY_RANK, type Analysis, type Finding } from './finding-types';
import { findHeldAcrossAwait, holdAwaitSites, type HoldAwaitSite } from './holds';
import { findPendingAtExit } from './pending';

export interface FullAnalysis extends Analysis {
  /** Per resource id: what holders awaited during their holds (for the stats). */
  holdAwaits: Map<number, HoldAwaitSite[]>;
}

export function analyze(model: TraceModelView): FullAnalysis {
  const deadlocks = findDeadlocks(model);
  const inDeadlock = new Set<string>();
  const stuckAtEnd = new Set<number>();
  for (const d of deadlocks) {
    for (const s of d.spans) if (s.type === 'await') inDeadlock.add(`${s.taskId}@${s.begin}`);
    if (d.at + d.durationMs >= model.endTime) for (const id of d.taskIds) stuckAtEnd.add(id);
  }
  const holdAwaits = holdAwaitSites(model);
  const findings: Finding[] = [
    ...deadlocks,
    ...findNeverRetrieved(model),
    ...findHeldAcrossAwait(model, holdAwaits, (taskId, begin) => inDeadlock.has(`${taskId}@${begin}`)),
    ...findPendingAtExit(model, stuckAtEnd),
    ...findBlockedLoop(model),
  ];
  return { findings: sortFindings(findings), failures: failures(model), criticalPath: criticalPath(model), holdAwaits };
}

/** Most severe first; then the longest-lasting (the most costly), then the earliest. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.durationMs - a.durationMs || a.at - b.at);
}
