/**
 * The Findings pane wired to the chart: runs the analysis when the trace is complete,
 * and when a finding is selected selects its first span (the chart's own selection,
 * with its details and arrows), outlines its other spans, adds the arrows that explain
 * it and reveals its most telling line. The critical path, when switched on, is drawn
 * as a band along each segment's lane with a connector where it moves to another task.
 *
 * The finding's outlines and arrows show while the chart's selection is still the
 * finding's first span: clicking anything else in the chart leaves the finding.
 */
import { analyze } from '../trace/analysis/analyze';
import type { Analysis, Finding } from '../trace/analysis/finding-types';
import type { TraceModelView } from '../trace/model-types';
import type { App } from './app';
import { criticalPathMarks, findingArrows, findingRefs } from './finding-refs';
import { FindingsPane } from './findings-pane';
import { refKey, type SpanRef } from './flame-layout';
import { markOf } from './chart-hit';
import type { Arrow, Mark } from './renderer';
import { AXIS_HEIGHT, type Viewport } from './viewport';
import { readTheme } from './theme';

export class FindingsView {
  readonly pane: FindingsPane;
  analysis: Analysis | undefined;
  private model: TraceModelView | undefined;
  private current: { finding: Finding; refs: SpanRef[] } | undefined;
  private pathShown = false;

  constructor(private readonly app: App, container: HTMLElement) {
    this.pane = new FindingsPane(container, { select: (f) => this.select(f), showPath: (on) => { this.pathShown = on; app.requestFrame(); } });
    app.decoration = { arrows: () => this.arrows(), draw: (ctx, view) => this.draw(ctx, view) };
  }

  /** A new trace is coming: nothing to say until it is complete. */
  reset(): void {
    this.analysis = undefined;
    this.model = undefined;
    this.current = undefined;
    this.pane.showMessage('Findings: shown when the trace is complete.');
  }

  complete(model: TraceModelView): void {
    this.model = model;
    this.analysis = analyze(model);
    this.current = undefined;
    this.pane.update(model, this.analysis, this.pathShown);
    this.app.requestFrame();
  }

  select(f: Finding): void {
    const model = this.model;
    if (!model) return;
    const refs = findingRefs(model, f);
    this.current = { finding: f, refs };
    this.app.select(refs[0], false);
    if (f.sites[0]) this.app.reveal(f.sites[0]);
    this.app.requestFrame();
  }

  /** The selected finding while the chart still shows it selected. */
  private active(): { finding: Finding; refs: SpanRef[] } | undefined {
    const c = this.current;
    const sel = this.app.selection;
    if (!c || !c.refs[0] || !sel || refKey(sel) !== refKey(c.refs[0])) return undefined;
    return c;
  }

  private arrows(): Arrow[] {
    const c = this.active();
    return c && this.model && this.app.layout ? findingArrows(this.model, this.app.layout, c.finding) : [];
  }

  private draw(ctx: CanvasRenderingContext2D, view: Viewport): void {
    const c = this.active();
    const layout = this.app.layout;
    if (!layout || layout.provisional) return;
    const theme = readTheme(ctx.canvas.ownerDocument);
    const toX = (t: number) => view.canvasX(t);
    const toY = (y: number) => view.canvasY(y);
    ctx.save();
    ctx.beginPath();
    ctx.rect(view.gutter, AXIS_HEIGHT, view.chartWidth, view.chartHeight);
    ctx.clip();
    if (c) {
      ctx.strokeStyle = theme.accent;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([4, 3]);
      for (const ref of c.refs.slice(1)) {
        const m = markOf(layout, ref);
        if (m) ctx.strokeRect(toX(m.begin) + 0.75, toY(m.y) + 0.75, Math.max(2, toX(m.end) - toX(m.begin)) - 1.5, m.height - 1.5);
      }
      ctx.setLineDash([]);
    }
    const path = this.pathShown ? this.analysis?.criticalPath : undefined;
    if (path) drawPath(ctx, criticalPathMarks(layout, path), toX, toY, theme.accent);
    ctx.restore();
  }
}

function drawPath(ctx: CanvasRenderingContext2D, marks: (Mark & { taskId: number })[], toX: (t: number) => number, toY: (y: number) => number, color: string): void {
  ctx.fillStyle = color;
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  let prev: (Mark & { taskId: number }) | undefined;
  ctx.beginPath();
  for (const m of marks) {
    const x = toX(m.begin), w = Math.max(1, toX(m.end) - x);
    ctx.fillRect(x, toY(m.y), w, m.height);
    // Where the path moves to another task: a connector between the two lanes.
    if (prev && prev.taskId !== m.taskId) {
      ctx.moveTo(x, toY(prev.y + prev.height / 2));
      ctx.lineTo(x, toY(m.y + m.height / 2));
    }
    prev = m;
  }
  ctx.stroke();
}
