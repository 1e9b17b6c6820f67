/**
 * Levels of detail of a track: coarser copies of its boxes, each merging neighbours
 * closer than its resolution, so a frame draws about a box per pixel whatever the
 * number of spans; and the searches a frame and a hit test make in a level.
 *
 * Invariants: within a level boxes are sorted by begin and do not overlap, so begins
 * and ends are both sorted (a visible range is two binary searches); `lods[0]` is the
 * raw level (resolution 0) and each next level has a coarser resolution.
 */
import type { TraceTime } from '../trace/model-types';

export interface Lod {
  /** Neighbours closer than this (ms) were merged. 0 for the raw level. */
  resolution: number;
  begins: Float64Array;
  ends: Float64Array;
  colors: Uint8Array;
  /** Merged levels: ms of each box actually covered by spans (≤ its length), so a box made of sparse runs can be drawn fainter. */
  covered?: Float64Array;
  /** Step-function tracks (queue length): per box, the fraction (0..1] of the height to fill; a merged box takes the peak of its parts. */
  fill?: Float32Array;
}

/** Coarser copies of a track, each merging neighbours closer than 4x the previous resolution. */
export function buildLods(raw: Lod): Lod[] {
  const lods = [raw];
  const n = raw.begins.length;
  if (n < 64) return lods;
  const span = raw.ends[n - 1] - raw.begins[0];
  let resolution = span / 2 ** 22;
  let prev = raw;
  while (prev.begins.length > 64 && resolution < span) {
    resolution *= 4;
    // Most steps of the ladder merge too little to keep: count first, build only the kept ones.
    const m = mergedCount(prev, resolution);
    if (m < prev.begins.length * 0.9) { const next = mergeLod(prev, resolution, m); lods.push(next); prev = next; }
  }
  return lods;
}

/**
 * Whether box (b, e) joins the merged box [mb, me) at `resolution`. Step tracks (queue
 * length) are contiguous: merging by gap would swallow the whole track, so their merged
 * boxes stop at `resolution` long (about a pixel), each showing its peak. Others merge
 * neighbours closer than `resolution` when one of the two is shorter than it.
 */
function joins(mb: number, me: number, b: number, e: number, resolution: number, step: boolean): boolean {
  return b - me < resolution && (step ? e - mb <= resolution : me - mb < resolution || e - b < resolution);
}

/** How many boxes mergeLod(src, resolution) makes, without making them. */
function mergedCount(src: Lod, resolution: number): number {
  const n = src.begins.length, begins = src.begins, ends = src.ends, step = !!src.fill;
  let m = 0, mb = 0, me = 0;
  for (let i = 0; i < n; i++) {
    const b = begins[i], e = ends[i];
    if (m > 0 && joins(mb, me, b, e, resolution, step)) { if (e > me) me = e; } else { m++; mb = b; me = e; }
  }
  return m;
}

/** `src` merged at `resolution` into `m` boxes (mergedCount's answer). */
function mergeLod(src: Lod, resolution: number, m: number): Lod {
  const n = src.begins.length;
  const begins = new Float64Array(m), ends = new Float64Array(m), colors = new Uint8Array(m), covered = new Float64Array(m);
  const srcFill = src.fill, fill = srcFill ? new Float32Array(m) : undefined;
  let k = 0;
  let longest = 0;
  for (let i = 0; i < n; i++) {
    const b = src.begins[i], e = src.ends[i];
    const cover = src.covered ? src.covered[i] : e - b;
    if (k > 0 && joins(begins[k - 1], ends[k - 1], b, e, resolution, !!fill)) {
      // Merge: the merged box takes the colour of its longest part.
      if (e - b > longest) { longest = e - b; colors[k - 1] = src.colors[i]; }
      if (e > ends[k - 1]) ends[k - 1] = e;
      covered[k - 1] += cover;
      // A merged step of the queue length shows its peak (a burst must not vanish when zoomed out).
      if (fill && srcFill![i] > fill[k - 1]) fill[k - 1] = srcFill![i];
    } else {
      begins[k] = b; ends[k] = e; colors[k] = src.colors[i]; covered[k] = cover; longest = e - b;
      if (fill) fill[k] = srcFill![i];
      k++;
    }
  }
  const lod: Lod = { resolution, begins, ends, colors, covered };
  if (fill) lod.fill = fill;
  return lod;
}

/** Index range [lo, hi) of boxes in `lod` that overlap [from, to]. */
export function visibleRange(lod: Lod, from: TraceTime, to: TraceTime): [number, number] {
  const lo = lowerBound(lod.ends, from);
  const hi = lowerBound(lod.begins, to, true);
  return [lo, Math.max(lo, hi)];
}

/** First index whose value is >= x (or > x when `strict`). */
function lowerBound(a: Float64Array, x: number, strict = false): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? a[mid] <= x : a[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** The coarsest level whose merging stays under one pixel at `msPerPx`. */
export function pickLod(track: { lods: Lod[] }, msPerPx: number): Lod {
  let best = track.lods[0];
  for (const l of track.lods) if (l.resolution <= msPerPx) best = l;
  return best;
}
