/**
 * The findings of two runs as the diff pairs them: each run's analysis (trace/analysis)
 * reduced to kind, severity, message and `file:line:col` sites, the form diff.ts
 * matches across an edit through its site pairing.
 */
import { analyze } from '../analysis/analyze';
import type { Finding } from '../analysis/finding-types';
import type { TraceModelView } from '../model-types';
import type { DiffInput, FindingLike } from './diff';

export function findingLike(f: Finding): FindingLike {
  return { kind: f.kind, severity: f.severity, message: f.message, sites: f.sites.map((s) => `${s.file}:${s.line}:${s.col}`) };
}

/** Both runs' findings, for `diffTraces(a, b, findingsInput(a, b))`. */
export function findingsInput(a: TraceModelView, b: TraceModelView): DiffInput {
  return { findingsA: analyze(a).findings.map(findingLike), findingsB: analyze(b).findings.map(findingLike) };
}
