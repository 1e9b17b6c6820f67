/**
 * The canvas renderer: draws a frame of boxes, lane labels, a time axis, outlines
 * and arrows. It knows tracks, colours and a TimeScale, nothing about tasks or
 * locks; the app decides what is selected and which arrows to draw.
 *
 * Per-frame cost follows visible pixels: for each visible track it picks the level
 * of detail whose merging is under a pixel, binary-searches the visible range, and
 * skips boxes that would paint only an already painted pixel column. Thin boxes (under
 * 3 px) and faint ones (merged from sparse spans) are written as pixels into one
 * chart-sized buffer, blitted once: a zoomed-out chart has tens of thousands of them,
 * and one canvas call each (a path rect, then filling the path) cost most of a frame.
 */
import { END_MARK_RADIUS, pickLod, visibleRange, type EndOutcome, type FlameLayout, type Lane, type Track } from './flame-layout';
import type { TimeScale } from './time-scale';

export interface Theme {
  bg: string; fg: string; muted: string; border: string; accent: string; laneAlt: string;
  /** High contrast: every box wide enough gets this outline. */
  boxBorder: string | undefined;
  /** Indexed by colour index (flame-layout COLOR_KEYS). */
  palette: string[];
  /** Text colour that reads on each palette entry. */
  paletteText: string[];
  /** End markers of tasks that failed or were cancelled. */
  endMarks: EndMarkColors;
  font: string;
}

export interface EndMarkColors {
  error: string; cancelled: string;
  /** The glyph drawn on each badge (!, ×): whichever of black and white reads better on it. */
  errorGlyph: string; cancelledGlyph: string;
  /** Ring around a badge that sets it off from the boxes under it (the background; the contrast border in high contrast). */
  ring: string;
}

/** A box to outline, in layout space. */
export interface Mark { begin: number; end: number; y: number; height: number }

/** An arrow between two points in (traceTime, layoutY). */
export interface Arrow { fromT: number; fromY: number; toT: number; toY: number; label: string }

export interface Frame {
  layout: FlameLayout;
  scale: TimeScale;
  scrollY: number;
  /** CSS px. */
  width: number;
  height: number;
  theme: Theme;
  selected: Mark | undefined;
  hovered: Mark | undefined;
  arrows: Arrow[];
  /** Label inside a raw box wide enough for text. */
  boxLabel(track: Track, index: number): string;
  /** Lane ids to highlight (the lane of a selected contention row). */
  highlightLane: string | undefined;
}

/** Width of the lane-label gutter at its widest (a wide panel). */
export const LABEL_WIDTH = 170;
/** The narrowest the gutter gets, enough for a short task name. */
export const MIN_LABEL_WIDTH = 80;

/**
 * The lane-label gutter for a canvas `width` CSS px wide: a quarter of the width,
 * between MIN_LABEL_WIDTH and LABEL_WIDTH, so a narrow panel keeps most of its
 * width for the chart. Everything that maps x to time uses this one function.
 */
export function labelWidthFor(width: number): number {
  return Math.round(Math.min(LABEL_WIDTH, Math.max(MIN_LABEL_WIDTH, width * 0.25)));
}

/** Alpha of a merged box by how much of it its spans cover: under 25%, 50%, 80%, and more. */
const DENSITY_ALPHA = [0.35, 0.55, 0.8, 1];
function densityStep(coverage: number): number {
  return coverage < 0.25 ? 0 : coverage < 0.5 ? 1 : coverage < 0.8 ? 2 : 3;
}
export const AXIS_HEIGHT = 22;

export interface DrawStats { boxes: number; tracks: number }

/**
 * Thin boxes of dense tracks for one frame, as pixels: one row of 32-bit RGBA per
 * track (all a track's boxes span the same rows), one pixel per CSS px column. The
 * rows are uploaded once and each is stretched over its track's height, so a frame
 * costs one upload and one blit per dense track whatever the number of boxes.
 */
class Raster {
  width = 0;
  private capacity = 0;
  private image: ImageData | undefined;
  pixels = new Uint32Array(0);
  private canvas: OffscreenCanvas | HTMLCanvasElement | undefined;
  private ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | undefined;
  /** Where each row used this frame goes, in canvas CSS px. */
  private rows: { top: number; height: number }[] = [];

  constructor(private readonly doc: Document | undefined) {}

  begin(width: number): boolean {
    width = Math.max(1, Math.floor(width));
    this.rows.length = 0;
    if (width !== this.width || !this.ctx) return this.allocate(width, Math.max(this.capacity, 64));
    return true;
  }

  private allocate(width: number, capacity: number): boolean {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, capacity) : this.doc?.createElement('canvas');
    if (!canvas) return false;
    canvas.width = width; canvas.height = capacity;
    const ctx = (canvas.getContext('2d') ?? undefined) as typeof this.ctx;
    if (!ctx) return false;
    const image = ctx.createImageData(width, capacity);
    const pixels = new Uint32Array(image.data.buffer);
    // Rows already handed out this frame keep their pixels.
    if (this.width === width) pixels.set(this.pixels.subarray(0, this.rows.length * width));
    Object.assign(this, { canvas, ctx, image, pixels, width, capacity });
    return true;
  }

  /** A cleared row for a track drawn at [top, top + height) canvas CSS px; -1 if none can be had. */
  row(top: number, height: number): number {
    const r = this.rows.length;
    if (r >= this.capacity && !this.allocate(this.width, this.capacity * 2)) return -1;
    this.rows.push({ top, height });
    return r;
  }

  /** Paints columns [x0, x1) (chart-local CSS px) of `row`; `rgba` is ABGR in memory (little-endian hosts). */
  fill(row: number, x0: number, x1: number, rgba: number): void {
    const W = this.width;
    // Whole pixel columns: the one a box starts in, through the one its end rounds to (at least one).
    const c0 = Math.floor(x0);
    const e = Math.min(W, Math.max(c0 + 1, Math.round(x1)));
    const px = this.pixels;
    for (let i = row * W + Math.max(0, c0), end = row * W + e; i < end; i++) px[i] = rgba;
  }

  /** Draws this frame's rows onto `ctx` (chart left edge at `left`), then clears them. */
  blit(ctx: CanvasRenderingContext2D, left: number): void {
    const n = this.rows.length;
    if (!n || !this.ctx || !this.image || !this.canvas) return;
    this.ctx.putImageData(this.image, 0, 0, 0, 0, this.width, n);
    const smoothing = ctx.imageSmoothingEnabled;
    ctx.imageSmoothingEnabled = false;
    for (let r = 0; r < n; r++) {
      const { top, height } = this.rows[r];
      ctx.drawImage(this.canvas, 0, r, this.width, 1, left, top, this.width, height);
    }
    ctx.imageSmoothingEnabled = smoothing;
    this.pixels.fill(0, 0, n * this.width);
    this.rows.length = 0;
  }
}

const rasters = new WeakMap<CanvasRenderingContext2D, Raster>();

/** Palette entries as packed RGBA (alpha in the top byte), resolved through a canvas so any CSS colour works. */
const packedPalettes = new WeakMap<string[], Uint32Array>();
function packedPalette(palette: string[], doc: Document | undefined): Uint32Array {
  let packed = packedPalettes.get(palette);
  if (packed) return packed;
  packed = new Uint32Array(palette.length);
  const c = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : doc?.createElement('canvas');
  const ctx = c?.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null | undefined;
  palette.forEach((color, i) => {
    if (!ctx) return;
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    packed![i] = ((d[3] << 24) | (d[2] << 16) | (d[1] << 8) | d[0]) >>> 0;
  });
  packedPalettes.set(palette, packed);
  return packed;
}

/** `rgba` with its alpha scaled by `alpha`. */
function scaleAlpha(rgba: number, alpha: number): number {
  return ((Math.round((rgba >>> 24) * alpha) << 24) | (rgba & 0xffffff)) >>> 0;
}

export function drawFrame(ctx: CanvasRenderingContext2D, f: Frame): DrawStats {
  const { theme, scale, width, height } = f;
  const gutter = labelWidthFor(width);
  const chartW = Math.max(1, width - gutter);
  ctx.save();
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, width, height);
  ctx.font = theme.font;
  ctx.textBaseline = 'middle';
  const t0 = scale.start, t1 = scale.endFor(chartW);
  const top = f.scrollY, bottom = f.scrollY + height - AXIS_HEIGHT;
  const stats: DrawStats = { boxes: 0, tracks: 0 };

  // Lanes: background stripes, then boxes clipped to the chart area.
  ctx.save();
  ctx.beginPath();
  ctx.rect(gutter, AXIS_HEIGHT, chartW, height - AXIS_HEIGHT);
  ctx.clip();
  const sy = (y: number) => y - f.scrollY + AXIS_HEIGHT;
  const doc = (ctx.canvas as HTMLCanvasElement).ownerDocument as Document | undefined;
  let raster = rasters.get(ctx);
  if (!raster) { raster = new Raster(doc); rasters.set(ctx, raster); }
  // Pixels need a little-endian host (every browser VS Code runs on); else every box takes the path route.
  const px: PixelSink | undefined = LITTLE_ENDIAN && raster.begin(chartW)
    ? { raster, palette: packedPalette(theme.palette, doc), left: gutter } : undefined;
  const ended: Lane[] = [];
  f.layout.lanes.forEach((lane, li) => {
    if (lane.y + lane.height < top || lane.y > bottom) return;
    if (lane.end) ended.push(lane);
    if (li % 2 === 1 || lane.id === f.highlightLane) {
      ctx.fillStyle = lane.id === f.highlightLane ? withAlpha(theme.accent, 0.15) : theme.laneAlt;
      ctx.fillRect(gutter, sy(lane.y), chartW, lane.height);
    }
    for (const track of lane.tracks) {
      if (track.y + track.height < top || track.y > bottom) continue;
      stats.tracks++;
      stats.boxes += drawTrack(ctx, f, track, sy(track.y), t0, t1, chartW, px);
    }
  });
  px?.raster.blit(ctx, gutter);
  if (f.hovered) outline(ctx, f, f.hovered, theme.fg, 1);
  if (f.selected) outline(ctx, f, f.selected, theme.accent, 2);
  // End markers go over the boxes (the last run ends where the marker is) and over the outlines (a
  // hovered or selected task's outline ends on its marker and would cross the glyph), under arrows.
  drawEndMarks(ctx, f, ended, sy, t0, t1);
  for (const a of f.arrows) drawArrow(ctx, f, a);
  ctx.restore();

  // Lane labels in the left gutter.
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, AXIS_HEIGHT, gutter, height - AXIS_HEIGHT);
  ctx.strokeStyle = theme.border;
  ctx.beginPath(); ctx.moveTo(gutter - 0.5, AXIS_HEIGHT); ctx.lineTo(gutter - 0.5, height); ctx.stroke();
  ctx.save();
  ctx.beginPath(); ctx.rect(0, AXIS_HEIGHT, gutter - 4, height - AXIS_HEIGHT); ctx.clip();
  for (const lane of f.layout.lanes) {
    if (lane.y + lane.height < top || lane.y > bottom) continue;
    ctx.fillStyle = lane.kind === 'resource' ? theme.muted : theme.fg;
    const x = 6 + lane.indent * 12;
    ctx.fillText(lane.kind === 'resource' ? `◆ ${lane.label}` : lane.label, x, sy(lane.y) + 9);
  }
  // The end badges again at the gutter's edge, over the labels' tails: how a task ended shows in a column
  // that stays put while the chart is zoomed in away from the task's end.
  const badges: Record<EndOutcome, BadgeAt[]> = { error: [], cancelled: [] };
  const bx = gutterBadgeX(gutter);
  ctx.fillStyle = theme.bg;
  for (const lane of ended) {
    const cy = laneMiddle(lane, sy);
    ctx.fillRect(bx - GUTTER_BADGE_RADIUS - 3, cy - GUTTER_BADGE_RADIUS - 1, 2 * GUTTER_BADGE_RADIUS + 6, 2 * GUTTER_BADGE_RADIUS + 2);
    badges[lane.end!.outcome].push({ x: bx, cy });
  }
  drawBadges(ctx, badges.error, GUTTER_BADGE_RADIUS, 'error', theme.endMarks);
  drawBadges(ctx, badges.cancelled, GUTTER_BADGE_RADIUS, 'cancelled', theme.endMarks);
  ctx.restore();

  drawAxis(ctx, f, chartW);
  ctx.restore();
  return stats;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

interface PixelSink { raster: Raster; palette: Uint32Array; left: number }

/** A track with at least this many boxes in view draws its thin ones as pixels (fewer are cheaper as canvas ops). */
const PIXEL_TRACK_MIN = 48;

function drawTrack(ctx: CanvasRenderingContext2D, f: Frame, track: Track, y: number, t0: number, t1: number, chartW: number, px: PixelSink | undefined): number {
  const { scale, theme } = f;
  const gutter = labelWidthFor(f.width);
  const lod = pickLod(track, scale.msPerPx);
  const [lo, hi] = visibleRange(lod, t0, t1);
  const h = track.height - 2;
  let lastColor = -1;
  let paintedTo = -Infinity;
  let drawn = 0;
  const thin = new Map<number, Path2D>();
  // Dense tracks of full-height boxes put thin and faint boxes in a pixel row. Not step tracks (boxes of
  // varying height) nor faint ones (the task lifetime lies under the runs: it stays a canvas op, drawn first).
  const row = px && !track.faint && !lod.fill && hi - lo >= PIXEL_TRACK_MIN ? px.raster.row(y + 1, h) : -1;
  ctx.globalAlpha = track.faint ? 0.9 : 1;
  for (let i = lo; i < hi; i++) {
    let x0 = gutter + scale.toX(lod.begins[i]);
    let x1 = gutter + scale.toX(lod.ends[i]);
    // Sub-pixel boxes widen to one pixel; a box that only repaints a painted pixel is skipped.
    if (x1 - x0 < 1) { x1 = x0 + 1; if (Math.floor(x0) <= paintedTo - 1 && x1 <= paintedTo) continue; }
    x0 = Math.max(x0, gutter - 1); x1 = Math.min(x1, gutter + chartW + 1);
    const c = lod.colors[i];
    const fill = lod.fill ? lod.fill[i] : 1;
    const bh = Math.max(2, h * fill);
    paintedTo = Math.max(paintedTo, x1);
    drawn++;
    // A merged box of sparse spans (runs every few µs) is drawn fainter, in 4 steps, so density still shows.
    const density = lod.covered ? densityStep(lod.covered[i] / Math.max(1e-12, lod.ends[i] - lod.begins[i])) : 3;
    if ((x1 - x0 < 3 || density < 3) && row >= 0) {
      px!.raster.fill(row, x0 - px!.left, x1 - px!.left, scaleAlpha(px!.palette[c], DENSITY_ALPHA[density]));
      continue;
    }
    if (x1 - x0 < 3 || density < 3) {
      // Without pixels: thin and faint boxes go into one path per colour and density, filled once.
      const key = c * 4 + density;
      let path = thin.get(key);
      if (!path) { path = new Path2D(); thin.set(key, path); }
      path.rect(x0, y + 1 + h - bh, x1 - x0, bh);
      continue;
    }
    if (c !== lastColor) { ctx.fillStyle = theme.palette[c]; lastColor = c; }
    ctx.fillRect(x0, y + 1 + h - bh, x1 - x0, bh);
    if (theme.boxBorder) { ctx.strokeStyle = theme.boxBorder; ctx.strokeRect(x0 + 0.5, y + 1.5 + h - bh, x1 - x0 - 1, bh - 1); }
    if (lod.resolution === 0 && x1 - x0 > 36 && !track.faint) {
      const text = f.boxLabel(track, i);
      if (text) {
        // Step tracks (queue length) fill only part of the row: their text sits on the background.
        ctx.fillStyle = track.fill ? theme.fg : theme.paletteText[c];
        const tx = Math.max(x0, gutter) + 3, room = x1 - tx - 2;
        // Clipping is costly: clip only text that may not fit (7 px a character is an upper bound at 12 px).
        if (text.length * 7 <= room) ctx.fillText(text, tx, y + track.height / 2);
        else {
          ctx.save();
          ctx.beginPath(); ctx.rect(x0, y, x1 - x0 - 2, track.height); ctx.clip();
          ctx.fillText(text, tx, y + track.height / 2);
          ctx.restore();
        }
        lastColor = -1;
      }
    }
  }
  const base = ctx.globalAlpha;
  for (const [key, path] of thin) {
    ctx.fillStyle = theme.palette[key >> 2];
    ctx.globalAlpha = base * DENSITY_ALPHA[key & 3];
    ctx.fill(path);
  }
  ctx.globalAlpha = 1;
  return drawn;
}

/** A badge's centre, canvas CSS px. */
interface BadgeAt { x: number; cy: number }

/**
 * End markers of the visible lanes that have one: a line down the lane at the end
 * time (solid for an error, dashed for a cancel) and a badge in its first row, told
 * apart by shape and glyph as well as colour: a circle with "!" for an error, a square
 * with "×" for a cancel. Batched per outcome (a few canvas calls whatever the count).
 */
function drawEndMarks(ctx: CanvasRenderingContext2D, f: Frame, lanes: Lane[], sy: (y: number) => number, t0: number, t1: number): void {
  if (!lanes.length) return;
  const slop = (END_MARK_RADIUS + 2) * f.scale.msPerPx;
  const gutter = labelWidthFor(f.width);
  const at: Record<EndOutcome, BadgeAt[]> = { error: [], cancelled: [] };
  const lines: Record<EndOutcome, Path2D | undefined> = { error: undefined, cancelled: undefined };
  for (const lane of lanes) {
    const end = lane.end!;
    if (end.time < t0 - slop || end.time > t1 + slop) continue;
    // Whole pixels: the line and glyph stay crisp at any zoom.
    const x = Math.round(gutter + f.scale.toX(end.time));
    const line = (lines[end.outcome] ??= new Path2D());
    line.moveTo(x, sy(lane.y) + 1); line.lineTo(x, sy(lane.y) + lane.height - 1);
    at[end.outcome].push({ x, cy: laneMiddle(lane, sy) });
  }
  const colors = f.theme.endMarks;
  ctx.lineWidth = 2;
  if (lines.error) { ctx.strokeStyle = colors.error; ctx.stroke(lines.error); }
  if (lines.cancelled) {
    ctx.strokeStyle = colors.cancelled;
    ctx.setLineDash([4, 3]);
    ctx.stroke(lines.cancelled);
    ctx.setLineDash([]);
  }
  drawBadges(ctx, at.error, END_MARK_RADIUS, 'error', colors);
  drawBadges(ctx, at.cancelled, END_MARK_RADIUS, 'cancelled', colors);
  ctx.lineWidth = 1;
}

/** The smaller end badge in the label gutter: its radius, and its centre x for a gutter `gutter` px wide. */
export const GUTTER_BADGE_RADIUS = 6;
export function gutterBadgeX(gutter: number): number { return gutter - 6 - GUTTER_BADGE_RADIUS; }

/** Vertical middle of a lane's first row (where its label and its end badge sit), canvas px. */
function laneMiddle(lane: Lane, sy: (y: number) => number): number {
  const row = lane.tracks[0];
  return Math.round(sy(row ? row.y : lane.y) + (row ? row.height : 18) / 2);
}

/** End badges of one outcome centred on `at`: circles and "!" for an error, squares and "×" for a cancel, ringed. */
function drawBadges(ctx: CanvasRenderingContext2D, at: BadgeAt[], r: number, outcome: EndOutcome, colors: EndMarkColors): void {
  if (!at.length) return;
  const error = outcome === 'error';
  const shapes = new Path2D(), glyphs = new Path2D();
  // Glyphs as shapes, not text: the same at every font and size.
  const g = Math.max(2, Math.round(r * 0.45));
  for (const { x, cy } of at) {
    if (error) {
      shapes.moveTo(x + r, cy); shapes.arc(x, cy, r, 0, Math.PI * 2);
      glyphs.rect(x - 1, cy - g - 1, 2, 2 * g - 1); glyphs.rect(x - 1, cy + g, 2, 2);
    } else {
      shapes.rect(x - r + 0.5, cy - r + 0.5, 2 * r - 1, 2 * r - 1);
      glyphs.moveTo(x - g, cy - g); glyphs.lineTo(x + g, cy + g);
      glyphs.moveTo(x + g, cy - g); glyphs.lineTo(x - g, cy + g);
    }
  }
  ctx.fillStyle = error ? colors.error : colors.cancelled;
  ctx.fill(shapes);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = colors.ring;
  ctx.stroke(shapes);
  if (error) { ctx.fillStyle = colors.errorGlyph; ctx.fill(glyphs); } else { ctx.lineWidth = 2; ctx.strokeStyle = colors.cancelledGlyph; ctx.stroke(glyphs); }
  ctx.lineWidth = 1;
}

function outline(ctx: CanvasRenderingContext2D, f: Frame, m: Mark, color: string, width: number): void {
  const x0 = labelWidthFor(f.width) + f.scale.toX(m.begin);
  const x1 = Math.max(x0 + 2, labelWidthFor(f.width) + f.scale.toX(m.end));
  const y = m.y - f.scrollY + AXIS_HEIGHT;
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.strokeRect(x0 + width / 2, y + width / 2, x1 - x0 - width, m.height - width);
  ctx.lineWidth = 1;
}

function drawArrow(ctx: CanvasRenderingContext2D, f: Frame, a: Arrow): void {
  const x0 = labelWidthFor(f.width) + f.scale.toX(a.fromT), y0 = a.fromY - f.scrollY + AXIS_HEIGHT;
  const x1 = labelWidthFor(f.width) + f.scale.toX(a.toT), y1 = a.toY - f.scrollY + AXIS_HEIGHT;
  const bend = Math.max(20, Math.abs(x1 - x0) / 2);
  ctx.strokeStyle = f.theme.accent;
  ctx.fillStyle = f.theme.accent;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.bezierCurveTo(x0 + bend, y0, x1 - bend, y1, x1, y1);
  ctx.stroke();
  // The curve ends horizontally (its last control point is level with the tip), so the head points right.
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - 8, y1 - 4);
  ctx.lineTo(x1 - 8, y1 + 4);
  ctx.closePath();
  ctx.fill();
  ctx.beginPath(); ctx.arc(x0, y0, 3, 0, Math.PI * 2); ctx.fill();
  if (a.label) {
    ctx.fillStyle = f.theme.fg;
    ctx.fillText(a.label, (x0 + x1) / 2 + 4, (y0 + y1) / 2 - 8);
  }
  ctx.lineWidth = 1;
}

function drawAxis(ctx: CanvasRenderingContext2D, f: Frame, chartW: number): void {
  const { scale, theme } = f;
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, f.width, AXIS_HEIGHT);
  ctx.strokeStyle = theme.border;
  ctx.beginPath(); ctx.moveTo(0, AXIS_HEIGHT - 0.5); ctx.lineTo(f.width, AXIS_HEIGHT - 0.5); ctx.stroke();
  const step = niceStep(scale.msPerPx * 90);
  const first = Math.ceil(scale.start / step) * step;
  ctx.fillStyle = theme.muted;
  ctx.beginPath();
  for (let t = first; t <= scale.endFor(chartW); t += step) {
    const x = Math.round(labelWidthFor(f.width) + scale.toX(t)) + 0.5;
    ctx.moveTo(x, AXIS_HEIGHT - 6); ctx.lineTo(x, AXIS_HEIGHT);
    ctx.fillText(formatMs(t, step), x + 3, AXIS_HEIGHT / 2 - 1);
  }
  ctx.stroke();
}

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

/** `color` with alpha, for #rrggbb and rgb()/rgba() values; others unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  const hex = /^#([0-9a-f]{6})$/i.exec(c);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(c);
  return rgb ? `rgba(${rgb[1]},${rgb[2]},${rgb[3]}, ${alpha})` : c;
}
