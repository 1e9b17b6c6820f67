/** The one-screen text summary printed by `record` and by `stats` without --json. */
import { missingText } from '../trace/gaps';
import type { StatsJsonV1 } from '../trace/stats';
import { shown } from './terminal-text';
import { criticalPathLines, failureLines, findingCount, findingLines } from './findings-text';

const f = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

export function formatSummary(s: StatsJsonV1, file: string): string {
  const lines: string[] = [];
  lines.push(`trace ${shown(file)}: ${s.program ? shown(s.program) : '(program unknown)'}, ${f(s.durationMs)} ms, ${s.events} events${s.droppedEvents ? `, ${s.droppedEvents} DROPPED` : ''}`);
  if (s.droppedEvents > 0) {
    const gaps = s.droppedRanges.map((g) => ({ begin: g.fromMs, end: g.toMs, count: g.count }));
    lines.push(`missing: ${missingText(s.droppedEvents, gaps, (ms) => `${f(ms)} ms`, 5)}`);
  }
  if (s.pauses && s.pauses.length > 0) {
    lines.push(`paused in the debugger: ${f(s.pausedMs ?? 0)} ms in ${s.pauses.length === 1 ? '1 pause' : `${s.pauses.length} pauses`}; `
      + 'waits, holds and await times below leave paused time out');
  }
  const t = s.tasks;
  if (s.findings.length > 0) {
    lines.push(`${findingCount(s.findings)} (most severe first):`);
    lines.push(...findingLines(s.findings, '  '));
  }
  lines.push(`tasks: ${t.total} total, ${t.completed} completed, ${t.cancelled} cancelled, ${t.failed} failed, ${t.pending} pending`
    + (t.unknown ? `, ${t.unknown} unknown (events dropped)` : ''));
  lines.push(...failureLines(s.failures));
  const resources = [...s.resources].sort((a, b) => b.totalWaitMs - a.totalWaitMs || b.acquisitions - a.acquisitions).slice(0, 8);
  if (resources.length > 0) {
    lines.push('resources (by total wait):');
    for (const r of resources) {
      lines.push(`  ${r.kind} ${r.name ? shown(r.name) : '(unnamed)'}${r.site ? ` at ${shown(r.site)}` : ''}: ${r.acquisitions} acquisitions, ${r.contended} contended, `
        + `wait ${f(r.totalWaitMs)} ms (p50 ${f(r.p50WaitMs)}, p99 ${f(r.p99WaitMs)}, max ${f(r.maxWaitMs)}), ${holdsOf(r.kind) ? `hold ${f(r.totalHoldMs)} ms, ` : ''}max waiters ${r.maxWaiters}`);
      const w = r.topWaitSites[0];
      if (w) lines.push(`    most waiting at ${shown(w.site)} (${w.count}x, ${f(w.totalWaitMs)} ms)`);
      const h = r.holdAwaitSites[0];
      if (h) lines.push(`    holders awaited most at ${h.site ?? '<unknown>'} (${h.kind}, ${h.count}x, ${f(h.totalMs)} ms; others waited ${f(h.othersWaitedMs)} ms meanwhile)`);
    }
    if (s.resources.length > resources.length) lines.push(`  ... and ${s.resources.length - resources.length} more`);
  }
  const sites = s.awaitSites.slice(0, 5);
  if (sites.length > 0) {
    lines.push('slowest await sites:');
    for (const a of sites) lines.push(`  ${a.kind.padEnd(9)} ${shown(a.site)}  ${a.count}x, total ${f(a.totalMs)} ms, max ${f(a.maxMs)} ms`);
  }
  lines.push(...criticalPathLines(s.criticalPath));
  return lines.join('\n') + '\n';
}

/** Only locks and semaphores are held (acquired, then released): a queue's, event's or barrier's "hold" would always read 0. */
function holdsOf(kind: string): boolean {
  return kind === 'lock' || kind === 'semaphore';
}
