/**
 * The one conversion between trace time (ms since the trace's origin) and view
 * pixels. Everything that places or hit-tests a box goes through a TimeScale, so
 * "where is t on screen" has a single answer. Immutable: pan and zoom return a new
 * scale, which keeps the previous frame's geometry valid while the next is built.
 *
 * Invariant: `msPerPx > 0`; `viewX = (traceTime - start) / msPerPx`.
 */
import type { TraceTime } from '../trace/model-types';

/** Horizontal CSS pixels from the left edge of the chart's time area. */
export type ViewX = number;

export class TimeScale {
  constructor(readonly start: TraceTime, readonly msPerPx: number) {
    if (!(msPerPx > 0) || !Number.isFinite(msPerPx)) throw new RangeError(`msPerPx must be > 0, got ${msPerPx}`);
  }

  /** The scale that shows [from, to] in `width` pixels. */
  static fit(from: TraceTime, to: TraceTime, width: number): TimeScale {
    const span = Math.max(to - from, 1e-3);
    return new TimeScale(from, span / Math.max(width, 1));
  }

  toX(t: TraceTime): ViewX { return (t - this.start) / this.msPerPx; }
  toTime(x: ViewX): TraceTime { return this.start + x * this.msPerPx; }
  /** Trace time at the right edge of a view `width` pixels wide. */
  endFor(width: number): TraceTime { return this.start + width * this.msPerPx; }

  panBy(dx: ViewX): TimeScale { return new TimeScale(this.start - dx * this.msPerPx, this.msPerPx); }

  /** Zooms by `factor` (>1 zooms in) keeping the time under `anchorX` fixed. */
  zoomAt(anchorX: ViewX, factor: number, minMsPerPx = 1e-6, maxMsPerPx = 1e9): TimeScale {
    const t = this.toTime(anchorX);
    const msPerPx = Math.min(maxMsPerPx, Math.max(minMsPerPx, this.msPerPx / factor));
    return new TimeScale(t - anchorX * msPerPx, msPerPx);
  }
}
