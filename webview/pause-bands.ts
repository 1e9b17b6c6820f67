/**
 * Debugger pauses in the chart (issue 15): a band across every lane per pause, what
 * hovering one says, and, while the live program is stopped in the debugger, a cursor
 * at the stop (the trace shown ends there). The model's pauses are already in trace time
 * (trace/pauses.ts).
 */
import type { TraceModelView, TraceTime } from '../trace/model-types';
import { pauseLabel } from '../trace/pauses';
import type { SpanInfo } from './describe';
import { formatTime } from './format';
import type { Band } from './renderer';
import { withAlpha, type Theme } from './theme';
import { AXIS_HEIGHT, type Viewport } from './viewport';

/** The cursor's label at the top of the chart. */
export const PAUSE_CURSOR_LABEL = 'paused here';

/**
 * A vertical line across the chart at `at` (the stop's trace time), labelled at the top;
 * nothing when `at` is off screen. Drawn over everything: it is where the program is.
 */
export function drawPauseCursor(ctx: CanvasRenderingContext2D, view: Viewport, theme: Theme, at: number): void {
  const x = Math.round(view.canvasX(at)) + 0.5;
  if (x < view.gutter || x > view.width) return;
  ctx.save();
  ctx.strokeStyle = theme.accent;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(x, AXIS_HEIGHT);
  ctx.lineTo(x, view.height);
  ctx.stroke();
  ctx.font = theme.font;
  ctx.textBaseline = 'middle';
  const w = ctx.measureText(PAUSE_CURSOR_LABEL).width + 10;
  // The label sits left of the line when there is no room on its right (the stop is the trace's end).
  const left = x + 4 + w > view.width ? x - 4 - w : x + 4;
  ctx.fillStyle = withAlpha(theme.accent, 0.9);
  ctx.fillRect(left, AXIS_HEIGHT + 2, w, 16);
  ctx.fillStyle = theme.bg;
  ctx.fillText(PAUSE_CURSOR_LABEL, left + 5, AXIS_HEIGHT + 10);
  ctx.restore();
}

/** One band per pause, labelled "paused in debugger 3.0 s". */
export function pauseBands(model: TraceModelView): Band[] {
  return (model.pauses ?? []).map((p) => ({ begin: p.begin, end: p.end, label: pauseLabel(p) }));
}

/** The tooltip of the pause at time `t` (none outside pauses). */
export function pauseAt(model: TraceModelView, t: TraceTime): SpanInfo | undefined {
  const p = (model.pauses ?? []).find((x) => x.begin <= t && t <= x.end);
  if (!p) return undefined;
  const start = model.startTime;
  return {
    title: pauseLabel(p),
    taskId: 0,
    begin: p.begin,
    end: p.end,
    site: undefined,
    rows: [
      ['from', formatTime(p.begin - start)],
      ['to', formatTime(p.end - start)],
      ['note', 'the program was stopped: waits, holds and durations leave this time out'],
    ],
  };
}
