/**
 * `async-trace diff A.atrace B.atrace [--json]`: what changed between two recordings
 * (trace/diff). Text: the changes, biggest first, then what exists in one run only;
 * figures that moved less than their run-to-run spread are left out and counted, and
 * the rule is printed. JSON: the version 1 document of cli.md.
 */
import { shown, terminalJson } from './terminal-text';
import { allRows, changedRows, diffTraces, type TraceDiff } from '../trace/diff/diff';
import { findingsInput } from '../trace/diff/findings-input';
import { change, figureText, oneSided } from '../trace/diff/format';
import { diffJson } from '../trace/diff/json';
import { NOISE_RULE } from '../trace/diff/noise';
import { parseArgs } from './args';
import { UsageError } from './errors';
import type { Io } from './io';
import { loadTrace } from './load-trace';

export function formatDiff(d: TraceDiff, fileA: string, fileB: string): string {
  const out: string[] = [];
  const prog = d.a.program === d.b.program ? d.a.program : `${d.a.program} → ${d.b.program}`;
  out.push(`diff ${fileA} → ${fileB}${prog ? ` (${prog})` : ''}`);
  out.push(`  duration ${change(d.a.durationMs, d.b.durationMs)}, `
    + `tasks ${d.a.tasks.total} → ${d.b.tasks.total}, failed ${d.a.tasks.failed} → ${d.b.tasks.failed}, events ${d.a.events} → ${d.b.events}`);
  const changed = changedRows(d);
  const paired = changed.filter((r) => r.a && r.b);
  const onlyA = changed.filter((r) => !r.b), onlyB = changed.filter((r) => !r.a);
  if (paired.length === 0) out.push('no changes beyond the run-to-run noise');
  else {
    out.push('changes, biggest first:');
    for (const r of paired) {
      out.push(`  ${r.title}`);
      out.push(`      ${r.figures.filter((x) => x.changed).map(figureText).join('; ')}`);
    }
  }
  if (onlyA.length) { out.push('only in A (gone in B):'); for (const r of onlyA) out.push(`  ${r.title}: ${oneSided(r)}`); }
  if (onlyB.length) { out.push('only in B (new):'); for (const r of onlyB) out.push(`  ${r.title}: ${oneSided(r)}`); }
  if (d.findings) {
    for (const x of d.findings.resolved) out.push(`finding resolved: ${x.kind}${x.sites[0] ? ` at ${x.sites[0]}` : ''}${x.message ? `: ${x.message}` : ''}`);
    for (const x of d.findings.added) out.push(`finding added: ${x.kind}${x.sites[0] ? ` at ${x.sites[0]}` : ''}${x.message ? `: ${x.message}` : ''}`);
    if (!d.findings.resolved.length && !d.findings.added.length) out.push(`findings: the same in both (${d.findings.kept})`);
  }
  const total = allRows(d).length;
  if (total > changed.length) out.push(`not shown: ${total - changed.length} of ${total} rows (resources, await sites, task groups) that moved less than their run-to-run noise`);
  out.push(`noise rule: ${NOISE_RULE}`);
  return out.join('\n') + '\n';
}

export function diffCommand(argv: readonly string[], io: Io): number {
  const a = parseArgs(argv, [], ['--json']);
  if (a.positionals.length !== 2) throw new UsageError('diff needs two trace files, A.atrace B.atrace');
  const [fileA, fileB] = a.positionals;
  const ta = loadTrace(fileA), tb = loadTrace(fileB);
  const d = diffTraces(ta.model, tb.model, findingsInput(ta.model, tb.model));
  // Names and messages come from the traced programs: escaped for the terminal (terminal-text.ts).
  io.out(a.flags.has('--json') ? terminalJson(diffJson(d), 2) + '\n' : formatDiff(d, fileA, fileB).split('\n').map(shown).join('\n'));
  return 0;
}
