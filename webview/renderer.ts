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
import { END_MARK_RADIUS, type EndOutcome, type FlameLayout, type Lane, type Track } from './flame-layout';
import { formatMs, niceStep } from './format';
import type { LaneId } from './lane-id';
import { pickLod, visibleRange } from './levels-of-detail';
import { GUTTER_BADGE_RADIUS, gutterBadgeX } from './gutter';
import { LITTLE_ENDIAN, Raster, packedPalette, scaleAlpha } from './raster';
import { withAlpha, type EndMarkColors, type Theme } from './theme';
import { AXIS_HEIGHT, type CanvasY, type LayoutY, type Viewport } from './viewport';

/** A box to outline, in layout space. */
export interface Mark { begin: number; end: number; y: number; height: number }

/**
 * A time range drawn across the whole chart, every lane (a debugger pause: the program
 * did not run, whatever its lanes say), with a label at its top when it fits.
 */
export interface Band { begin: number; end: number; label: string }

/** An arrow between two points in (traceTime, layoutY). */
export interface Arrow { fromT: number; fromY: number; toT: number; toY: number; label: string }

export interface Frame {
  layout: FlameLayout;
  /** The frame's geometry: scale, canvas size (CSS px) and scroll. */
  view: Viewport;
  theme: Theme;
  selected: Mark | undefined;
  hovered: Mark | undefined;
  arrows: Arrow[];
  /** Label inside a raw box wide enough for text. */
  boxLabel(track: Track, index: number): string;
  /** The lane to highlight (the lane of a selected contention row). */
  highlightLane: LaneId | undefined;
  /** Ranges across every lane (debugger pauses), sorted; none when absent. */
  bands?: readonly Band[];
}

/** Alpha of a merged box by how much of it its spans cover: under 25%, 50%, 80%, and more. */
const DENSITY_ALPHA = [0.35, 0.55, 0.8, 1];
function densityStep(coverage: number): number {
  return coverage < 0.25 ? 0 : coverage < 0.5 ? 1 : coverage < 0.8 ? 2 : 3;
}

export interface DrawStats { boxes: number; tracks: number }

const rasters = new WeakMap<CanvasRenderingContext2D, Raster>();

export function drawFrame(ctx: CanvasRenderingContext2D, f: Frame): DrawStats {
  const { theme, view } = f;
  const { width, height, gutter, chartWidth: chartW } = view;
  ctx.save();
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, width, height);
  ctx.font = theme.font;
  ctx.textBaseline = 'middle';
  const t0 = view.startTime, t1 = view.endTime;
  const top = view.scrollY, bottom = view.scrollY + height - AXIS_HEIGHT;
  const stats: DrawStats = { boxes: 0, tracks: 0 };

  // Lanes: background stripes, then boxes clipped to the chart area.
  ctx.save();
  ctx.beginPath();
  ctx.rect(gutter, AXIS_HEIGHT, chartW, height - AXIS_HEIGHT);
  ctx.clip();
  const sy = (y: LayoutY) => view.canvasY(y);
  const doc = (ctx.canvas as HTMLCanvasElement).ownerDocument as Document | undefined;
  let raster = rasters.get(ctx);
  if (!raster) { raster = new Raster(doc); rasters.set(ctx, raster); }
  // Pixels need a little-endian host (every browser VS Code runs on); else every box takes the path route.
  const px: PixelSink | undefined = LITTLE_ENDIAN && raster.begin(chartW)
    ? { raster, palette: packedPalette(theme.palette, doc), left: gutter } : undefined;
  const ended: Lane[] = [];
  // Lanes are in y order: start at the first one on screen (a long trace has hundreds of thousands).
  const lanes = f.layout.lanes;
  const first = firstLaneBelow(lanes, top);
  for (let li = first; li < lanes.length && lanes[li].y <= bottom; li++) {
    const lane = lanes[li];
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
  }
  px?.raster.blit(ctx, gutter);
  // Bands go over the boxes (translucent): the boxes under a pause are not program time.
  if (f.bands) drawBands(ctx, f, f.bands, t0, t1);
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
  for (let li = first; li < lanes.length && lanes[li].y <= bottom; li++) {
    const lane = lanes[li];
    ctx.fillStyle = lane.kind === 'resource' ? theme.muted : theme.fg;
    const x = 6 + lane.indent * 12;
    // A lane taller than the view (a lock with forty rows of waits) keeps its label on
    // screen while any of it is: the label sticks below the axis, within the lane.
    const labelY = Math.max(Math.min(AXIS_HEIGHT, sy(lane.y) + lane.height - 18), sy(lane.y));
    ctx.fillText(lane.kind === 'resource' ? `◆ ${lane.label}` : lane.label, x, labelY + 9);
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

  drawAxis(ctx, f);
  ctx.restore();
  return stats;
}

/** Index of the first lane that reaches `y` (its bottom edge at or below it): lanes are sorted by y and do not overlap. */
function firstLaneBelow(lanes: readonly Lane[], y: LayoutY): number {
  let lo = 0, hi = lanes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lanes[mid].y + lanes[mid].height < y) lo = mid + 1; else hi = mid;
  }
  return lo;
}

interface PixelSink { raster: Raster; palette: Uint32Array; left: number }

/** A track with at least this many boxes in view draws its thin ones as pixels (fewer are cheaper as canvas ops). */
const PIXEL_TRACK_MIN = 48;

function drawTrack(ctx: CanvasRenderingContext2D, f: Frame, track: Track, y: number, t0: number, t1: number, chartW: number, px: PixelSink | undefined): number {
  const { view, theme } = f;
  const gutter = view.gutter;
  const lod = pickLod(track, view.scale.msPerPx);
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
    let x0 = view.canvasX(lod.begins[i]);
    let x1 = view.canvasX(lod.ends[i]);
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
function drawEndMarks(ctx: CanvasRenderingContext2D, f: Frame, lanes: Lane[], sy: (y: LayoutY) => CanvasY, t0: number, t1: number): void {
  if (!lanes.length) return;
  const slop = (END_MARK_RADIUS + 2) * f.view.scale.msPerPx;
  const at: Record<EndOutcome, BadgeAt[]> = { error: [], cancelled: [] };
  const lines: Record<EndOutcome, Path2D | undefined> = { error: undefined, cancelled: undefined };
  for (const lane of lanes) {
    const end = lane.end!;
    if (end.time < t0 - slop || end.time > t1 + slop) continue;
    // Whole pixels: the line and glyph stay crisp at any zoom.
    const x = Math.round(f.view.canvasX(end.time));
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

/** Vertical middle of a lane's first row (where its label and its end badge sit), canvas px. */
function laneMiddle(lane: Lane, sy: (y: LayoutY) => CanvasY): CanvasY {
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

/** Visible bands: a translucent wash over every lane, hatched edges, and the label along the top when it fits. */
function drawBands(ctx: CanvasRenderingContext2D, f: Frame, bands: readonly Band[], t0: number, t1: number): void {
  const { view, theme } = f;
  for (const b of bands) {
    if (b.end < t0 || b.begin > t1) continue;
    const x0 = Math.max(view.gutter, view.canvasX(b.begin));
    const x1 = Math.min(view.width, Math.max(x0 + 2, view.canvasX(b.end)));
    ctx.fillStyle = withAlpha(theme.muted, 0.22);
    ctx.fillRect(x0, AXIS_HEIGHT, x1 - x0, view.height - AXIS_HEIGHT);
    ctx.strokeStyle = withAlpha(theme.muted, 0.8);
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(x0 + 0.5, AXIS_HEIGHT); ctx.lineTo(x0 + 0.5, view.height);
    ctx.moveTo(x1 - 0.5, AXIS_HEIGHT); ctx.lineTo(x1 - 0.5, view.height);
    ctx.stroke();
    ctx.setLineDash([]);
    const w = ctx.measureText(b.label).width;
    if (x1 - x0 >= w + 12) {
      ctx.fillStyle = withAlpha(theme.bg, 0.85);
      ctx.fillRect(x0 + 4, AXIS_HEIGHT + 3, w + 6, 16);
      ctx.fillStyle = theme.fg;
      ctx.fillText(b.label, x0 + 7, AXIS_HEIGHT + 11);
    }
  }
}

function outline(ctx: CanvasRenderingContext2D, f: Frame, m: Mark, color: string, width: number): void {
  const x0 = f.view.canvasX(m.begin);
  const x1 = Math.max(x0 + 2, f.view.canvasX(m.end));
  const y = f.view.canvasY(m.y);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.strokeRect(x0 + width / 2, y + width / 2, x1 - x0 - width, m.height - width);
  ctx.lineWidth = 1;
}

function drawArrow(ctx: CanvasRenderingContext2D, f: Frame, a: Arrow): void {
  const x0 = f.view.canvasX(a.fromT), y0 = f.view.canvasY(a.fromY);
  const x1 = f.view.canvasX(a.toT), y1 = f.view.canvasY(a.toY);
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

function drawAxis(ctx: CanvasRenderingContext2D, f: Frame): void {
  const { view, theme } = f;
  const scale = view.scale;
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, view.width, AXIS_HEIGHT);
  ctx.strokeStyle = theme.border;
  ctx.beginPath(); ctx.moveTo(0, AXIS_HEIGHT - 0.5); ctx.lineTo(view.width, AXIS_HEIGHT - 0.5); ctx.stroke();
  const step = niceStep(scale.msPerPx * 90);
  const first = Math.ceil(scale.start / step) * step;
  ctx.fillStyle = theme.muted;
  ctx.beginPath();
  for (let t = first; t <= view.endTime; t += step) {
    const x = Math.round(view.canvasX(t)) + 0.5;
    ctx.moveTo(x, AXIS_HEIGHT - 6); ctx.lineTo(x, AXIS_HEIGHT);
    ctx.fillText(formatMs(t, step), x + 3, AXIS_HEIGHT / 2 - 1);
  }
  ctx.stroke();
}
