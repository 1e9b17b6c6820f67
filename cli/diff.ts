/**
 * `async-trace diff A.atrace B.atrace [--json]`: what changed between two recordings
 * (trace/diff). Text: the changes, biggest first, then what exists in one run only;
 * figures that moved less than their run-to-run spread are left out and counted, and
 * the rule is printed. JSON: the version 1 document of cli.md.
 */
import type { ResourceEntry, SiteGroup, TaskGroup } from '../trace/diff/collect';
import { diffTraces, type DiffRow, type NamedFigure, type TraceDiff } from '../trace/diff/diff';
import { diffJson } from '../trace/diff/json';
import { NOISE_RULE } from '../trace/diff/noise';
import { parseArgs } from './args';
import { UsageError } from './errors';
import type { Io } from './io';
import { loadTrace } from './load-trace';

const f = (ms: number): string => (Math.abs(ms) >= 100 ? ms.toFixed(0) : Math.abs(ms) >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const signed = (x: number, unit: string): string => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${unit === 'ms' ? f(Math.abs(x)) : String(Math.abs(x))}${unit === 'ms' ? ' ms' : ''}`;
const pct = (a: number, b: number): string => (a === 0 ? '' : `, ${b >= a ? '+' : '−'}${Math.round((Math.abs(b - a) / a) * 100)}%`);

const LABELS: Record<string, string> = {
  totalWaitMs: 'wait', totalHoldMs: 'hold', p50WaitMs: 'p50 wait', p99WaitMs: 'p99 wait', acquisitions: 'acquisitions',
  contended: 'contended', totalMs: 'total', meanMs: 'mean', count: 'count', failed: 'failed', cancelled: 'cancelled', pending: 'pending',
};

function figureText(n: NamedFigure): string {
  const { a, b, unit } = n.fig;
  const v = (x: number) => (unit === 'ms' ? `${f(x)}` : String(x));
  return `${LABELS[n.name] ?? n.name} ${v(a)} → ${v(b)}${unit === 'ms' ? ' ms' : ''} (${signed(b - a, unit)}${pct(a, b)})`;
}

function where(r: DiffRow<SiteGroup>): string {
  const g = (r.b ?? r.a) as SiteGroup;
  const sites = r.a && r.b && r.a.siteText !== r.b.siteText ? `${r.a.siteText} → ${r.b.siteText}` : g.siteText;
  // The callee as written (`done.get()`), with the kind when the callee does not say it.
  const label = g.site?.label;
  const name = !label ? g.kind : g.kind === 'promise' || label.toLowerCase().includes(g.kind) ? label : `${label} (${g.kind})`;
  return `${name} at ${sites}${g.site?.fn ? ` in ${g.site.fn}` : ''}`;
}

type AnyRow = { row: DiffRow<unknown>; title: string };

function rowsOf(d: TraceDiff): AnyRow[] {
  return [
    ...d.resources.map((row) => ({ row: row as DiffRow<unknown>, title: row.title })),
    ...d.awaitSites.map((row) => ({ row: row as DiffRow<unknown>, title: where(row) })),
    ...d.taskGroups.map((row) => ({ row: row as DiffRow<unknown>, title: row.title })),
  ];
}

/** What a row holds on the side it exists on, for rows found in one run only. */
function oneSided(r: AnyRow): string {
  const x = (r.row.a ?? r.row.b) as ResourceEntry | SiteGroup | TaskGroup;
  if ('stats' in x) return `${x.stats.acquisitions} acquisitions, wait ${f(x.stats.totalWaitMs)} ms`;
  if ('durations' in x) return `${x.durations.count}x, total ${f(x.durations.total)} ms`;
  return `${x.lifetimes.count} tasks, mean ${f(x.lifetimes.mean)} ms`;
}

export function formatDiff(d: TraceDiff, fileA: string, fileB: string): string {
  const out: string[] = [];
  const prog = d.a.program === d.b.program ? d.a.program : `${d.a.program} → ${d.b.program}`;
  out.push(`diff ${fileA} → ${fileB}${prog ? ` (${prog})` : ''}`);
  out.push(`  duration ${f(d.a.durationMs)} → ${f(d.b.durationMs)} ms (${signed(d.b.durationMs - d.a.durationMs, 'ms')}${pct(d.a.durationMs, d.b.durationMs)}), `
    + `tasks ${d.a.tasks.total} → ${d.b.tasks.total}, failed ${d.a.tasks.failed} → ${d.b.tasks.failed}, events ${d.a.events} → ${d.b.events}`);
  const rows = rowsOf(d);
  const changed = rows.filter((r) => r.row.changed.length > 0).sort((x, y) => y.row.magnitudeMs - x.row.magnitudeMs);
  const paired = changed.filter((r) => r.row.a && r.row.b);
  const onlyA = changed.filter((r) => !r.row.b), onlyB = changed.filter((r) => !r.row.a);
  if (paired.length === 0) out.push('no changes beyond the run-to-run noise');
  else {
    out.push('changes, biggest first:');
    for (const r of paired) {
      out.push(`  ${r.title}`);
      out.push(`      ${r.row.figures.filter((x) => x.changed).map(figureText).join('; ')}`);
    }
  }
  if (onlyA.length) { out.push('only in A (gone in B):'); for (const r of onlyA) out.push(`  ${r.title}: ${oneSided(r)}`); }
  if (onlyB.length) { out.push('only in B (new):'); for (const r of onlyB) out.push(`  ${r.title}: ${oneSided(r)}`); }
  if (d.findings) {
    for (const x of d.findings.resolved) out.push(`finding resolved: ${x.kind}${x.sites[0] ? ` at ${x.sites[0]}` : ''}${x.message ? `: ${x.message}` : ''}`);
    for (const x of d.findings.added) out.push(`finding added: ${x.kind}${x.sites[0] ? ` at ${x.sites[0]}` : ''}${x.message ? `: ${x.message}` : ''}`);
    if (!d.findings.resolved.length && !d.findings.added.length) out.push(`findings: the same in both (${d.findings.kept})`);
  }
  const quiet = rows.length - changed.length;
  if (quiet > 0) out.push(`not shown: ${quiet} of ${rows.length} rows (resources, await sites, task groups) that moved less than their run-to-run noise`);
  out.push(`noise rule: ${NOISE_RULE}`);
  return out.join('\n') + '\n';
}

export function diffCommand(argv: readonly string[], io: Io): number {
  const a = parseArgs(argv, [], ['--json']);
  if (a.positionals.length !== 2) throw new UsageError('diff needs two trace files, A.atrace B.atrace');
  const [fileA, fileB] = a.positionals;
  const ta = loadTrace(fileA), tb = loadTrace(fileB);
  const d = diffTraces(ta.model, tb.model);
  io.out(a.flags.has('--json') ? JSON.stringify(diffJson(d), null, 2) + '\n' : formatDiff(d, fileA, fileB));
  return 0;
}
