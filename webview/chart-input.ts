/**
 * Pointer, wheel and keyboard input of the chart, turned into view commands on a
 * ChartInputTarget (the app). Pointer positions are canvasX/canvasY; zoom anchors
 * and pans are viewX deltas (viewport.ts names the spaces); the target maps points to boxes. Keys: W/S zoom, A/D pan, arrows/PageUp/PageDown scroll,
 * N/P step through awaits (from the first task when nothing is selected), Enter
 * reveals the selection's line, F fit, Z zoom to selection, Esc clear, / search.
 * Wheel scrolls (shift: pans); with Ctrl/Cmd/Alt (and trackpad pinch) it zooms at
 * the pointer. A drag pans both ways; a click without movement selects.
 */
import type { SpanRef } from './flame-layout';
import { AXIS_HEIGHT, type CanvasX, type CanvasY, type Viewport } from './viewport';
import type { ViewX } from './time-scale';

export interface ChartInputTarget {
  /** The current frame's geometry (gutter, chart size). */
  viewport(): Viewport;
  hitAt(x: CanvasX, y: CanvasY): SpanRef | undefined;
  /** The pointer is over `ref` (undefined: nothing, or left the chart) at canvas (x, y). */
  hover(ref: SpanRef | undefined, x: CanvasX, y: CanvasY): void;
  select(ref: SpanRef | undefined): void;
  zoomAt(x: ViewX, factor: number): void;
  panBy(dx: ViewX, dy: number): void;
  step(dir: 1 | -1): void;
  fit(user: boolean): void;
  zoomToSelection(): void;
  revealSelection(): void;
}

export function wireChartInput(app: ChartInputTarget, canvas: HTMLCanvasElement, search: HTMLInputElement): void {
  const win = canvas.ownerDocument.defaultView!;
  const pos = (e: MouseEvent) => { const r = canvas.getBoundingClientRect(); return { x: e.clientX - r.left, y: e.clientY - r.top }; };
  let drag: { x: number; y: number; moved: boolean } | undefined;
  canvas.addEventListener('mousedown', (e) => { drag = { ...pos(e), moved: false }; canvas.focus(); });
  win.addEventListener('mouseup', (e) => {
    if (!drag) return;
    const d = drag;
    drag = undefined;
    if (!d.moved && e.target === canvas) {
      const p = pos(e);
      const ref = app.hitAt(p.x, p.y);
      if (ref) app.select(ref); else if (p.y >= AXIS_HEIGHT) app.select(undefined);
    }
  });
  win.addEventListener('mousemove', (e) => {
    const p = pos(e);
    if (drag) {
      const dx = p.x - drag.x, dy = p.y - drag.y;
      if (drag.moved || Math.abs(dx) + Math.abs(dy) > 3) {
        drag.moved = true;
        drag.x = p.x; drag.y = p.y;
        app.panBy(dx, dy);
        app.hover(undefined, p.x, p.y);
        return;
      }
    }
    app.hover(e.target === canvas ? app.hitAt(p.x, p.y) : undefined, p.x, p.y);
  });
  canvas.addEventListener('mouseleave', () => app.hover(undefined, 0, 0));
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const p = pos(e);
    const view = app.viewport();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? view.chartHeight : 1;
    if (e.ctrlKey || e.metaKey || e.altKey) app.zoomAt(Math.max(0, view.viewX(p.x)), Math.exp(-e.deltaY * unit * 0.003));
    else app.panBy(-e.deltaX * unit - (e.shiftKey ? e.deltaY * unit : 0), e.shiftKey ? 0 : -e.deltaY * unit);
    // The chart moved under a pointer that did not: what it is over now, not the span it left.
    app.hover(app.hitAt(p.x, p.y), p.x, p.y);
  }, { passive: false });
  win.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) { if (e.key === 'Escape') t.blur(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const { chartWidth, chartHeight } = app.viewport();
    const cx = chartWidth / 2;
    const page = chartHeight * 0.9;
    const commands: Record<string, () => void> = {
      w: () => app.zoomAt(cx, 1.25),
      s: () => app.zoomAt(cx, 0.8),
      a: () => app.panBy(chartWidth * 0.1, 0),
      d: () => app.panBy(-chartWidth * 0.1, 0),
      n: () => app.step(1),
      p: () => app.step(-1),
      f: () => app.fit(true),
      z: () => app.zoomToSelection(),
      escape: () => app.select(undefined),
      enter: () => app.revealSelection(),
      arrowdown: () => app.panBy(0, -40),
      arrowup: () => app.panBy(0, 40),
      pagedown: () => app.panBy(0, -page),
      pageup: () => app.panBy(0, page),
      '/': () => search.focus(),
    };
    const key = e.key.toLowerCase();
    const run = commands[key];
    // Enter belongs to whatever has focus (a button, a row); on the chart it reveals.
    if (!run || (key === 'enter' && t !== canvas)) return;
    e.preventDefault();
    run();
  });
}
