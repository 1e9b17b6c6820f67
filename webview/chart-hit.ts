/**
 * Canvas points to spans and spans to boxes, for one frame's Viewport: what is under
 * the pointer (a box, an end badge, or in the label gutter a lane's task or its badge),
 * and where a span's box is (for outlines and for tests that click it).
 */
import { hitEndMark, hitTest, laneAt, locate, type FlameLayout, type SpanRef } from './flame-layout';
import { GUTTER_BADGE_RADIUS, gutterBadgeX } from './gutter';
import type { Mark } from './renderer';
import { AXIS_HEIGHT, type CanvasX, type CanvasY, type Viewport } from './viewport';

/** The span under canvas point (x, y); in the label gutter, the lane's task (or its end badge). */
export function spanAt(layout: FlameLayout, view: Viewport, x: CanvasX, y: CanvasY): SpanRef | undefined {
  // A provisional layout has no refs to hit.
  if (layout.provisional || y < AXIS_HEIGHT) return undefined;
  const ly = view.layoutY(y);
  if (x < view.gutter) {
    const lane = laneAt(layout, ly);
    if (lane?.kind !== 'task') return undefined;
    // The end badge in the gutter answers like the one in the chart.
    const row = lane.tracks[0];
    const onBadge = lane.end && row && ly < row.y + row.height && Math.abs(x - gutterBadgeX(view.gutter)) <= GUTTER_BADGE_RADIUS + 1;
    return onBadge ? { kind: 'end', taskId: lane.taskId } : { kind: 'task', taskId: lane.taskId };
  }
  const t = view.timeAt(x);
  const msPerPx = view.scale.msPerPx;
  return hitEndMark(layout, t, ly, msPerPx) ?? hitTest(layout, t, ly, msPerPx * 2);
}

/** A span's box in layout space (traceTime, layoutY); undefined when it is not laid out (filtered). */
export function markOf(layout: FlameLayout, ref: SpanRef): Mark | undefined {
  const where = locate(layout, ref);
  if (!where) return undefined;
  const raw = where.track.lods[0];
  return { begin: raw.begins[where.index], end: raw.ends[where.index], y: where.track.y, height: where.track.height };
}
