/**
 * Words for a diff's rows, shared by the CLI's text and the compare view's table. Pure.
 */
import type { ResourceEntry, SiteGroup, TaskGroup } from './collect';
import type { DiffRow, NamedFigure } from './diff';

/** Milliseconds with 3 significant-ish digits (612, 40.2, 5.13). */
export const fmtMs = (ms: number): string => (Math.abs(ms) >= 100 ? ms.toFixed(0) : Math.abs(ms) >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const signed = (x: number, unit: string): string => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${unit === 'ms' ? fmtMs(Math.abs(x)) : String(Math.abs(x))}${unit === 'ms' ? ' ms' : ''}`;
const pct = (a: number, b: number): string => (a === 0 ? '' : `, ${b >= a ? '+' : '−'}${Math.round((Math.abs(b - a) / a) * 100)}%`);

/** `a → b (±Δ, ±%)` for a duration, also for the whole run's duration. */
export function change(a: number, b: number, unit: 'ms' | 'count' = 'ms'): string {
  const v = (x: number) => (unit === 'ms' ? fmtMs(x) : String(x));
  return `${v(a)} → ${v(b)}${unit === 'ms' ? ' ms' : ''} (${signed(b - a, unit)}${pct(a, b)})`;
}

const LABELS: Record<string, string> = {
  totalWaitMs: 'wait', totalHoldMs: 'hold', p50WaitMs: 'p50 wait', p99WaitMs: 'p99 wait', acquisitions: 'acquisitions',
  contended: 'contended', totalMs: 'total', meanMs: 'mean', count: 'count', failed: 'failed', cancelled: 'cancelled', pending: 'pending',
};

/** `wait 923 → 165 ms (−757 ms, −82%)`. */
export function figureText(n: NamedFigure): string {
  return `${LABELS[n.name] ?? n.name} ${change(n.fig.a, n.fig.b, n.fig.unit)}`;
}

/** What a row holds on the one side it exists on. */
export function oneSided(row: DiffRow<ResourceEntry> | DiffRow<SiteGroup> | DiffRow<TaskGroup>): string {
  const x = (row.a ?? row.b) as ResourceEntry | SiteGroup | TaskGroup;
  if ('stats' in x) return `${x.stats.acquisitions} acquisitions, wait ${fmtMs(x.stats.totalWaitMs)} ms`;
  if ('durations' in x) return `${x.durations.count}x, total ${fmtMs(x.durations.total)} ms`;
  return `${x.lifetimes.count} tasks, mean ${fmtMs(x.lifetimes.mean)} ms`;
}
