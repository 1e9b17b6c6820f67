/**
 * Paused time is not program time (issue 15): while a debugger has the program stopped
 * every clock keeps running, so a wait or hold that spans a pause would count the pause.
 * These helpers take the trace's pauses (`debuggerPaused` records, the model's `pauses`)
 * out of any interval: every figure that reports waits, holds or durations goes through
 * `unpausedMs`, so the figures agree with each other.
 *
 * Invariants: pauses are sorted by `begin` and do not overlap (the tracer writes one per
 * stop, after it ends; the model keeps them in that order). Queries are O(log n): a
 * prefix sum of the pauses' lengths is built once per length of the (append-only) list
 * and kept beside it, so a live trace that gains a pause gets a new one.
 */
import type { PauseSpan, TraceTime } from './model-types';

export type { PauseSpan };

/** Sum of the lengths of pauses[0 .. i-1] at index i, for the list's length when built. */
const prefixes = new WeakMap<readonly PauseSpan[], { n: number; sum: Float64Array }>();

function prefixOf(pauses: readonly PauseSpan[]): Float64Array {
  const c = prefixes.get(pauses);
  if (c && c.n === pauses.length) return c.sum;
  const sum = new Float64Array(pauses.length + 1);
  for (let i = 0; i < pauses.length; i++) sum[i + 1] = sum[i]! + (pauses[i]!.end - pauses[i]!.begin);
  prefixes.set(pauses, { n: pauses.length, sum });
  return sum;
}

/** Paused ms in (-∞, t]. */
function pausedUntil(t: TraceTime, pauses: readonly PauseSpan[], sum: Float64Array): number {
  // k = how many pauses begin before t.
  let lo = 0, hi = pauses.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pauses[mid]!.begin < t) lo = mid + 1; else hi = mid;
  }
  if (lo === 0) return 0;
  const last = pauses[lo - 1]!;
  return sum[lo - 1]! + (Math.min(t, last.end) - last.begin);
}

/** Paused ms within [begin, end] (0 when there are no pauses or end <= begin). */
export function pausedMs(begin: TraceTime, end: TraceTime, pauses: readonly PauseSpan[] | undefined): number {
  if (!pauses || pauses.length === 0 || !(end > begin)) return 0;
  const sum = prefixOf(pauses);
  return pausedUntil(end, pauses, sum) - pausedUntil(begin, pauses, sum);
}

/** The program time of [begin, end]: its length less the paused time inside it (a reversed interval is returned as it is). */
export function unpausedMs(begin: TraceTime, end: TraceTime, pauses: readonly PauseSpan[] | undefined): number {
  const d = end - begin;
  if (!pauses || pauses.length === 0 || !(d > 0)) return d;
  return Math.max(0, d - pausedMs(begin, end, pauses));
}

/**
 * Program time at trace time `t`: `t` less every paused ms before it. Monotonic (flat
 * during a pause), so intervals measured in it leave pauses out, and lengths that add
 * up in trace time (critical-path segments) still add up.
 */
export function programTime(t: TraceTime, pauses: readonly PauseSpan[] | undefined): TraceTime {
  if (!pauses || pauses.length === 0) return t;
  return t - pausedUntil(t, pauses, prefixOf(pauses));
}

/** Total paused ms of the trace. */
export function totalPausedMs(pauses: readonly PauseSpan[] | undefined): number {
  if (!pauses || pauses.length === 0) return 0;
  return prefixOf(pauses)[pauses.length]!;
}

/** "paused in debugger 3.0 s" (the webview's band label and tooltips). */
export function pauseLabel(p: PauseSpan): string {
  const ms = p.end - p.begin;
  return `paused in debugger ${ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`}`;
}

/** "(2 debugger pauses, 3.0 s, not counted)" for texts that show figures; '' without pauses. */
export function pausesNote(pauses: readonly PauseSpan[] | undefined): string {
  if (!pauses || pauses.length === 0) return '';
  const ms = totalPausedMs(pauses);
  const len = ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
  return `${pauses.length === 1 ? '1 debugger pause' : `${pauses.length} debugger pauses`} (${len}) excluded from waits, holds and durations`;
}

/**
 * Adds a pause of `durationMs` that ended at `end` to a sorted list (the model's), in
 * place: appended when it is the latest (always, for a tracer's records), else inserted
 * in order; one that overlaps its neighbour is merged with it.
 */
export function addPause(pauses: PauseSpan[], end: TraceTime, durationMs: number): void {
  const p: PauseSpan = { begin: end - Math.max(0, durationMs), end };
  let i = pauses.length;
  while (i > 0 && pauses[i - 1]!.begin > p.begin) i--;
  const prev = pauses[i - 1];
  if (prev && prev.end >= p.begin) { prev.end = Math.max(prev.end, p.end); return; }
  pauses.splice(i, 0, p);
  const next = pauses[i + 1];
  if (next && next.begin <= p.end) { p.end = Math.max(p.end, next.end); pauses.splice(i + 1, 1); }
}
