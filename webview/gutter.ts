/**
 * The lane-label gutter left of the chart: how wide it is for a canvas width, and where
 * its end badges sit. The renderer draws by it and hit-testing reads it, so a label
 * click and a label drawn agree.
 */

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

/** The smaller end badge in the label gutter: its radius, and its centre x for a gutter `gutter` px wide. */
export const GUTTER_BADGE_RADIUS = 6;
export function gutterBadgeX(gutter: number): number { return gutter - 6 - GUTTER_BADGE_RADIUS; }
