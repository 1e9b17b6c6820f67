/**
 * Findings, failures and the critical path as text: the top of `stats` (and `record`'s
 * summary) and the whole of `check`. Most severe first, as the analysis orders them.
 * Every line is escaped for the terminal: messages carry task and resource names from
 * the traced program (terminal-text.ts).
 */
import type { StatsJsonV1 } from '../trace/stats';
import { shown } from './terminal-text';

const f = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

export function findingLines(findings: StatsJsonV1['findings'], indent = ''): string[] {
  const lines: string[] = [];
  for (const x of findings) {
    // Messages carry the program's own names and error messages: escaped, never raw (terminal-text.ts).
    lines.push(`${indent}${x.severity} ${x.kind}: ${shown(x.message)}`);
    if (x.sites.length > 0) lines.push(`${indent}    at ${x.sites.map(shown).join(', ')}`);
  }
  return lines.map(shown);
}

/** "2 findings: 1 error, 1 warning" */
export function findingCount(findings: StatsJsonV1['findings']): string {
  if (findings.length === 0) return 'no findings';
  const by = new Map<string, number>();
  for (const x of findings) by.set(x.severity, (by.get(x.severity) ?? 0) + 1);
  const parts = ['error', 'warning', 'info'].filter((s) => by.has(s)).map((s) => `${by.get(s)} ${s}${by.get(s)! > 1 ? 's' : ''}`);
  return `${findings.length} finding${findings.length > 1 ? 's' : ''}: ${parts.join(', ')}`;
}

export function failureLines(failures: StatsJsonV1['failures'], limit = 10): string[] {
  if (failures.length === 0) return [];
  const lines = ['failed or cancelled tasks:'];
  for (const x of failures.slice(0, limit)) {
    const where = x.site ? ` (${x.outcome === 'error' ? 'thrown at' : 'waiting at'} ${shown(x.site)})` : '';
    lines.push(`  ${shown(x.task)} ${x.outcome === 'error' ? 'failed' : 'cancelled'}: ${x.message ? shown(x.message) : '(no message)'}${where}`);
  }
  if (failures.length > limit) lines.push(`  ... and ${failures.length - limit} more`);
  return lines.map(shown);
}

/** The critical path in a few lines: its biggest parts by (task, kind, site). */
export function criticalPathLines(cp: StatsJsonV1['criticalPath'], limit = 5): string[] {
  if (!cp || cp.durationMs <= 0) return [];
  const parts = new Map<string, { label: string; ms: number }>();
  for (const s of cp.segments) {
    const label = `${shown(s.task)} ${s.kind === 'run' ? 'running' : s.kind}${s.site ? ` at ${shown(s.site)}` : ''}`;
    const p = parts.get(label);
    if (p) p.ms += s.ms; else parts.set(label, { label, ms: s.ms });
  }
  const top = [...parts.values()].sort((a, b) => b.ms - a.ms).slice(0, limit);
  const lines = [`critical path of ${shown(cp.task)} (${f(cp.durationMs)} ms, ${cp.segments.length} segments), biggest parts:`];
  for (const p of top) lines.push(`  ${f(p.ms).padStart(7)} ms ${((100 * p.ms) / cp.durationMs).toFixed(0).padStart(3)}%  ${p.label}`);
  return lines.map(shown);
}
