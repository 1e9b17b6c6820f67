/**
 * Numbers for people: axis tick steps and labels, and times and durations in tooltips,
 * details and tables. One unit rule everywhere (µs, ms, s by magnitude).
 */

/** 1, 2 or 5 times a power of ten, at least `min`. */
export function niceStep(min: number): number {
  const p = 10 ** Math.floor(Math.log10(min));
  for (const m of [1, 2, 5, 10]) if (m * p >= min) return m * p;
  return 10 * p;
}

/** A duration or time in ms with a unit that fits its magnitude (`precision` hints the digits). */
export function formatMs(ms: number, precision = Math.abs(ms)): string {
  const a = Math.max(Math.abs(precision), 1e-9);
  if (a >= 1000) return `${trim(ms / 1000, a / 1000)} s`;
  if (a >= 1) return `${trim(ms, a)} ms`;
  return `${trim(ms * 1000, a * 1000)} µs`;
}

/** A time or duration for reading (tooltips, details, tables): up to 3 decimals, trailing zeros dropped. */
export function formatTime(ms: number): string {
  const a = Math.abs(ms);
  const fixed = (v: number, d: number) => String(Number(v.toFixed(d)));
  if (a === 0) return '0 ms';
  if (a >= 1000) return `${fixed(ms / 1000, 3)} s`;
  if (a >= 1) return `${fixed(ms, 3)} ms`;
  return `${fixed(ms * 1000, 1)} µs`;
}

function trim(v: number, step: number): string {
  const digits = step >= 1 ? (Number.isInteger(v) ? 0 : 1) : Math.min(6, Math.ceil(-Math.log10(step)) + 1);
  return v.toFixed(digits);
}
