/**
 * The area under a step function built from intervals (how many are open at each time),
 * for "how long did others wait during [a, b]" in O(log n) per question instead of a
 * scan of every wait. Pure.
 */
import type { TraceTime } from '../model-types';

export class StepArea {
  /** Breakpoint times, ascending; `count[i]` holds on [times[i], times[i+1]); `area[i]` is the integral up to times[i]. */
  private readonly times: Float64Array;
  private readonly count: Float64Array;
  private readonly area: Float64Array;

  /** Intervals as columns: `begins[i]` to `ends[i]` (an open end is passed as the trace's end). Both arrays are sorted in place. */
  constructor(begins: Float64Array, ends: Float64Array) {
    const n = begins.length;
    for (let i = 0; i < n; i++) if (ends[i] < begins[i]) ends[i] = begins[i];
    begins.sort();
    ends.sort();
    const times: number[] = [];
    const count: number[] = [];
    let open = 0, bi = 0, ei = 0;
    while (bi < n || ei < n) {
      const t = ei >= n || (bi < n && begins[bi] < ends[ei]) ? begins[bi] : ends[ei];
      while (ei < n && ends[ei] === t) { open--; ei++; }
      while (bi < n && begins[bi] === t) { open++; bi++; }
      times.push(t);
      count.push(open);
    }
    this.times = Float64Array.from(times);
    this.count = Float64Array.from(count);
    this.area = new Float64Array(times.length);
    for (let i = 1; i < times.length; i++) this.area[i] = this.area[i - 1] + this.count[i - 1] * (times[i] - times[i - 1]);
  }

  /** Integral from the first breakpoint to `t`. */
  private upTo(t: TraceTime): number {
    const ts = this.times;
    if (ts.length === 0 || t <= ts[0]) return 0;
    let lo = 0, hi = ts.length - 1;
    // Last breakpoint <= t.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ts[mid] <= t) lo = mid; else hi = mid - 1;
    }
    return this.area[lo] + this.count[lo] * (t - ts[lo]);
  }

  /** Open-interval time summed over [a, b]: two open intervals for 10 ms make 20. */
  between(a: TraceTime, b: TraceTime): number {
    return b <= a ? 0 : this.upTo(b) - this.upTo(a);
  }
}
