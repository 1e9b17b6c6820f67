/**
 * The noise rule of `async-trace diff`: a change smaller than the run-to-run spread of
 * a figure is not reported as a change. One recording cannot show how much a figure
 * moves between runs, but the figure's own samples can: a lock's total wait is a sum
 * of waits, and how much those waits differ from each other inside one run bounds how
 * much their sum moves when the run is repeated. Pure, no Node.
 */

/** The rule in words, printed by `async-trace diff` and its help, and put in its JSON. */
export const NOISE_RULE =
  'a figure counts as changed only when the difference is more than twice its run-to-run spread, '
  + 'at least 1 ms (1 for counts) and at least 10% of the larger value. The spread is estimated from each '
  + 'run\'s own samples: s·√n for a total of n waits whose standard deviation is s, s/√n for a mean, the larger '
  + 'distance to the values √(n·p·(1−p))+1 ranks either side for a percentile, √(n·q·(1−q)) for the number of contended acquisitions '
  + '(share q of n), √n for the n waits at a site that blocked on a resource, and for a group of tasks\' mean lifetime '
  + 'the spread of one typical task\'s waits added up (the tasks of a group move together); counts the program decides '
  + '(tasks, acquisitions, other awaits) have none. The two runs\' '
  + 'spreads add in quadrature. A percentile p is judged only over at least 1/(1−p) samples (p99: 100); '
  + 'below that it is one of the few largest waits, which a single stall decides.';

/** Below these a difference is never a change: timers fire with about 1 ms granularity. */
export const MIN_MS = 1;
export const MIN_COUNT = 1;
export const MIN_RELATIVE = 0.1;
/** How many spreads a difference must exceed. */
export const SPREADS = 2;

/** One figure of one row on both sides, with each side's estimated run-to-run spread. */
export interface Figure {
  a: number;
  b: number;
  spreadA: number;
  spreadB: number;
  unit: 'ms' | 'count';
  /** False for a figure too thin to judge (a tail percentile of few samples): shown, never reported as a change. */
  judged?: boolean;
}

export function isChange(f: Figure): boolean {
  if (f.judged === false) return false;
  const d = Math.abs(f.b - f.a);
  const floor = Math.max(f.unit === 'ms' ? MIN_MS : MIN_COUNT, MIN_RELATIVE * Math.max(Math.abs(f.a), Math.abs(f.b)));
  return d >= floor && d > SPREADS * Math.hypot(f.spreadA, f.spreadB);
}

/** Sample standard deviation; 0 for fewer than two samples (nothing to estimate from). */
export function stdDev(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return Math.sqrt(ss / (n - 1));
}

/** The samples of one figure in one run, and the spreads of the figures made from them. */
export class Samples {
  readonly sorted: number[];
  readonly total: number;
  private readonly sd: number;

  constructor(values: readonly number[]) {
    this.sorted = [...values].sort((x, y) => x - y);
    this.total = this.sorted.reduce((s, x) => s + x, 0);
    this.sd = stdDev(this.sorted);
  }

  get count(): number { return this.sorted.length; }
  get mean(): number { return this.count ? this.total / this.count : 0; }
  get max(): number { return this.count ? this.sorted[this.count - 1] : 0; }

  /** Spread of the sum: s·√n. */
  get totalSpread(): number { return this.sd * Math.sqrt(this.count); }
  /** Spread of the mean: s/√n. */
  get meanSpread(): number { return this.count ? this.sd / Math.sqrt(this.count) : 0; }
  /** Spread of how many of n trials came out one way, share q of them (binomial): √(n·q·(1−q)). */
  static shareSpread(k: number, n: number): number { return n > 0 ? Math.sqrt(k * (1 - k / n)) : 0; }

  /**
   * Spread of the nearest-rank percentile p: the rank of a sample percentile varies by
   * about √(n·p·(1−p)), one more so a tail percentile of few samples (p99 of 15 is their
   * maximum) is not judged by one gap; the larger distance from the value to the values
   * that many ranks either side (one side is cut short at the ends).
   */
  /** Enough samples that percentile p is not simply one of the few largest (or smallest). */
  judges(p: number): boolean {
    const q = Math.min(p, 100 - p) / 100;
    return q > 0 && this.count * q >= 1;
  }

  percentileSpread(p: number): number {
    const n = this.count;
    if (n < 2) return 0;
    const q = p / 100;
    const rank = Math.max(1, Math.ceil(q * n));
    const k = Math.ceil(Math.sqrt(n * q * (1 - q))) + 1;
    const v = this.sorted[rank - 1];
    const lo = this.sorted[Math.max(0, rank - 1 - k)];
    const hi = this.sorted[Math.min(n - 1, rank - 1 + k)];
    return Math.max(v - lo, hi - v);
  }
}
