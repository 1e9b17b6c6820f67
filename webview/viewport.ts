/**
 * The chart's coordinate spaces, and the one object that converts between them:
 *
 *   traceTime  ms since the trace's origin: model times and layout box extents.
 *   viewX      CSS px from the left edge of the chart's time area (TimeScale).
 *   canvasX    CSS px from the canvas's left edge: the label gutter, then viewX.
 *   layoutY    CSS px from the top of the lane area before scrolling (flame-layout).
 *   canvasY    CSS px from the canvas's top edge: the time axis, then layoutY scrolled.
 *
 * A Viewport is one frame's geometry (scale, size, scroll), immutable like TimeScale,
 * so drawing and hit-testing the same frame place every box at the same pixel.
 */
import type { TraceTime } from '../trace/model-types';
import { labelWidthFor } from './gutter';
import type { TimeScale, ViewX } from './time-scale';

export type CanvasX = number;
export type CanvasY = number;
export type LayoutY = number;

/** Height of the time axis across the top of the canvas, CSS px. */
export const AXIS_HEIGHT = 22;

export class Viewport {
  /** canvasX of viewX 0: the width of the label gutter. */
  readonly gutter: number;
  /** Width of the time area, CSS px (at least 1). */
  readonly chartWidth: number;

  /** `width` and `height` are the canvas's, CSS px; `scrollY` is the layoutY at the top of the lane area. */
  constructor(readonly scale: TimeScale, readonly width: number, readonly height: number, readonly scrollY: LayoutY) {
    this.gutter = labelWidthFor(width);
    this.chartWidth = Math.max(1, width - this.gutter);
  }

  /** Height of the lane area (canvas minus axis), CSS px (at least 1). */
  get chartHeight(): number { return Math.max(1, this.height - AXIS_HEIGHT); }

  /** traceTime at the left and right edges of the time area. */
  get startTime(): TraceTime { return this.scale.start; }
  get endTime(): TraceTime { return this.scale.endFor(this.chartWidth); }

  canvasX(t: TraceTime): CanvasX { return this.gutter + this.scale.toX(t); }
  viewX(x: CanvasX): ViewX { return x - this.gutter; }
  timeAt(x: CanvasX): TraceTime { return this.scale.toTime(x - this.gutter); }

  canvasY(y: LayoutY): CanvasY { return y - this.scrollY + AXIS_HEIGHT; }
  layoutY(y: CanvasY): LayoutY { return y - AXIS_HEIGHT + this.scrollY; }
}
