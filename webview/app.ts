/**
 * The flame-chart app: owns the view state (time scale, scroll, selection, filters),
 * rebuilds the layout when the model grows or filters change, and redraws at most
 * once per animation frame. Interaction (pointer, wheel, keys, buttons) only edits
 * view state. The other jobs live beside it: the DOM in app-shell.ts, saving the view
 * in view-state.ts, when to relayout in layout-throttle.ts, hit-testing in
 * chart-hit.ts, the tooltip in tooltip.ts, drawing in renderer.ts, meaning in
 * describe.ts; coordinates go through one Viewport (viewport.ts).
 *
 * Invariants:
 * - Selection is a SpanRef (model indices), so it survives layout rebuilds and live
 *   growth; zoom survives growth once the user has zoomed (until then, growth refits).
 * - View state is saved with host.setState after every change and restored on load
 *   (VS Code hides and revives webviews by reloading them).
 */
import type { AwaitKind, Site, TraceModelView } from '../trace/model-types';
import { buildShell, showEmptyState, type Shell } from './app-shell';
import { awaitFromPause, awaitStep } from './await-step';
import { markOf, spanAt } from './chart-hit';
import { wireChartInput } from './chart-input';
import { ContentionTable } from './contention-table';
import { boxLabel, describe } from './describe';
import { renderDetails } from './details';
import { defaultLayoutOptions, laneById, layoutTrace, locate, refKey, type FlameLayout, type LayoutOptions, type SpanRef } from './flame-layout';
import type { Host } from './host';
import { resourceLaneId } from './lane-id';
import { LayoutThrottle } from './layout-throttle';
import { renderLegend } from './legend';
import { drawPauseCursor, pauseAt, pauseBands } from './pause-bands';
import type { PausedMessage } from './protocol';
import { pausesNote } from '../trace/pauses';
import { drawFrame, type Arrow, type DrawStats, type Mark } from './renderer';
import { selectionArrows } from './selection-arrows';
import { pausedText, statusText } from './status-line';
import { readTheme, type Theme } from './theme';
import { TimeScale, type ViewX } from './time-scale';
import { Tooltip } from './tooltip';
import { loadViewState, saveViewState, type ViewState } from './view-state';
import { AXIS_HEIGHT, Viewport, type CanvasX, type CanvasY } from './viewport';

export class App {
  model: TraceModelView | undefined;
  layout: FlameLayout | undefined;
  scale = new TimeScale(0, 1);
  scrollY = 0;
  selection: SpanRef | undefined;
  hovered: SpanRef | undefined;
  selectedResource = 0;
  lastDraw: DrawStats = { boxes: 0, tracks: 0 };
  /** Layout options on top of the defaults and the filters (benchmarks turn levels of detail off). */
  layoutOverrides: Partial<LayoutOptions> = {};
  private userZoomed = false;
  private filter = '';
  private hidden = new Set<AwaitKind>();
  private theme: Theme;
  private readonly relayout = new LayoutThrottle(() => this.requestFrame());
  private frameRequested = false;
  private restored: ViewState | undefined;
  /** Names the trace on screen (ViewState.trace). */
  private trace: string | undefined;
  private width = 0;
  private height = 0;
  private readonly el: Shell;
  private readonly table: ContentionTable;
  /** Extra arrows and drawing over the chart each frame (findings-view.ts: a finding's spans, the critical path). */
  decoration: { arrows(): Arrow[]; draw(ctx: CanvasRenderingContext2D, view: Viewport): void } | undefined;
  private readonly tooltip: Tooltip;
  /** Where the debugger has the live program stopped (a cursor, the status line, N / P start there); undefined while it runs. */
  paused: PausedMessage | undefined;
  /** No selection was made since the stop: the next N / P starts from the stop. */
  private stepFromPause = false;

  constructor(container: HTMLElement, private readonly host: Host) {
    this.el = buildShell(container, { fit: () => this.fit(true), zoomToSelection: () => this.zoomToSelection(), step: (d) => this.step(d) });
    this.tooltip = new Tooltip(this.el.tooltip);
    this.theme = readTheme(container.ownerDocument);

    const saved = loadViewState(host);
    this.restored = saved;
    this.filter = saved?.filter ?? '';
    this.el.search.value = this.filter;
    this.hidden = new Set(saved?.hidden ?? []);
    this.table = new ContentionTable(this.el.table, saved?.sort ?? { key: 'totalWaitMs', descending: true },
      (id) => this.selectResource(id), () => this.save());
    this.buildLegend();
    this.wire();
    renderDetails(this.el.details, undefined, undefined, this.detailActions());
  }

  // --- data -----------------------------------------------------------------

  /** The debugger stopped the live program (`p`) or let it go on (undefined). */
  setPaused(p: PausedMessage | undefined): void {
    this.paused = p;
    this.stepFromPause = p !== undefined;
    // Until the user zooms, the view keeps the stop in sight (it can be after the last event).
    if (p && !this.userZoomed) this.fit();
    this.requestFrame();
  }

  /** A new trace (or the same trace replayed after a reload, which keeps the saved view). */
  setModel(model: TraceModelView, title: string, trace: string = title): void {
    this.model = model;
    this.trace = trace;
    this.layout = undefined;
    this.paused = undefined;
    this.stepFromPause = false;
    this.loadingTotal = 0;
    this.el.title.textContent = title;
    this.el.title.title = title;
    this.el.empty.hidden = true;
    // The line revealed from the last trace means nothing in this one (a stale "→ file:line").
    this.revealed = '';
    // The saved view belongs to the trace it was saved with (a reload replays that one);
    // a different trace arriving first must not inherit its selection or zoom.
    const r = this.restored && (this.restored.trace === undefined || this.restored.trace === trace) ? this.restored : undefined;
    this.restored = undefined;
    if (r) {
      this.scale = new TimeScale(r.start, r.msPerPx);
      this.scrollY = r.scrollY;
      this.userZoomed = r.userZoomed;
      this.selection = r.selection;
      this.selectedResource = r.selectedResource;
    } else {
      this.userZoomed = false;
      this.selection = undefined;
      this.selectedResource = 0;
      this.scrollY = 0;
    }
    this.modelChanged();
  }

  /** The layout options in force: defaults, the filters, then the overrides. */
  layoutOptions(): LayoutOptions {
    return { ...defaultLayoutOptions, nameFilter: this.filter, hiddenKinds: this.hidden, ...this.layoutOverrides };
  }

  /**
   * Shows a coarse picture of a trace whose model is still being decoded (ingest.ts):
   * no relayout from the partial model until `loaded()`; `events` is how many the picture holds.
   */
  setProvisional(layout: FlameLayout, events: number): void {
    this.layout = layout;
    this.loadingTotal = events;
    this.relayout.markClean();
    if (!this.userZoomed) this.fit();
    this.scrollY = this.clampScroll(this.scrollY);
    // Contention needs the model: until then the table says so (rather than showing a previous trace's rows).
    this.table.showMessage('Contention: waiting for the trace to be decoded…');
    this.requestFrame();
  }

  /** The model behind a provisional picture has `decoded` events so far (the status line shows progress). */
  loadingProgress(decoded: number): void {
    this.loadingDecoded = decoded;
    // Only the status line changes: redrawing the (unchanged) chart every slice took frames from decoding.
    if (this.model) this.updateStatus(this.model);
  }

  /** The model is whole: lay it out for real on the next frame. */
  loaded(): void {
    this.loadingTotal = 0;
    this.relayoutNow();
    this.requestFrame();
  }

  /** Events in the provisional picture while the model is decoded; 0 when not loading. */
  private loadingTotal = 0;
  private loadingDecoded = 0;

  /** Filters changed: relayout on the next frame, without the live-growth throttle. */
  private relayoutNow(): void {
    this.relayout.markUrgent();
  }

  /** The model grew (live) or was replaced: relayout on the next frame (throttled while it streams). */
  modelChanged(): void {
    this.relayout.markDirty();
    this.requestFrame();
  }

  showEmpty(message: string, hint: string): void {
    this.model = undefined;
    this.layout = undefined;
    showEmptyState(this.el, message, hint);
  }

  ended(complete: boolean, message: string): void {
    // The program is gone: no stop to show any more.
    this.paused = undefined;
    this.stepFromPause = false;
    this.endMessage = complete ? '' : message || 'recording stopped early';
    this.requestFrame();
  }
  private endMessage = '';

  // --- view -----------------------------------------------------------------

  get canvas(): HTMLCanvasElement { return this.el.canvas; }

  /** Where the Findings pane goes: between the chart and the contention table. */
  get findingsElement(): HTMLElement { return this.el.findings; }

  /** Page coordinates of the centre of a span's box (for tests and automation); undefined when not laid out. */
  pointOf(ref: SpanRef): { x: number; y: number } | undefined {
    const m = this.mark(ref);
    if (!m) return undefined;
    const r = this.el.canvas.getBoundingClientRect();
    const view = this.viewport();
    // The visible part of the box: clipped to the time area.
    const x0 = Math.max(view.gutter, view.canvasX(m.begin)), x1 = Math.min(view.gutter + view.chartWidth, view.canvasX(m.end));
    return { x: r.left + (x0 + x1) / 2, y: r.top + view.canvasY(m.y) + m.height / 2 };
  }

  /** This frame's geometry: scale, canvas size and scroll, and the conversions between their spaces. */
  viewport(): Viewport { return new Viewport(this.scale, this.width, this.height, this.scrollY); }

  /** The lane-label gutter at the current width (narrower in a narrow panel). */
  get labelWidth(): number { return this.viewport().gutter; }

  get chartWidth(): number { return this.viewport().chartWidth; }

  /** The chart's width, measuring the page first if nothing was drawn yet. */
  measuredChartWidth(): number {
    this.measure();
    return this.chartWidth;
  }

  fit(user = false): void {
    if (!this.model) return;
    // A provisional picture spans the whole trace while the model holds only what is decoded so far.
    const { startTime } = this.layout?.provisional ? this.layout : this.model;
    let { endTime } = this.layout?.provisional ? this.layout : this.model;
    if (this.paused) endTime = Math.max(endTime, this.paused.at);
    const pad = Math.max((endTime - startTime) * 0.02, 1e-3);
    this.scale = TimeScale.fit(startTime - pad, endTime + pad, this.chartWidth);
    if (user) { this.userZoomed = false; this.changed(); }
  }

  zoomToSelection(): void {
    const info = this.model && this.selection ? describe(this.model, this.selection) : undefined;
    if (!info || !this.model) return;
    const end = info.end ?? this.model.endTime;
    const pad = Math.max((end - info.begin) * 0.25, 1e-3);
    this.scale = TimeScale.fit(info.begin - pad, end + pad, this.chartWidth);
    this.userZoomed = true;
    this.ensureVisibleY();
    this.changed();
  }

  zoomAt(x: ViewX, factor: number): void {
    this.scale = this.scale.zoomAt(x, factor, 1e-7, 1e7);
    this.userZoomed = true;
    this.changed();
  }

  panBy(dx: ViewX, dy: number): void {
    this.scale = this.scale.panBy(dx);
    this.scrollY = this.clampScroll(this.scrollY - dy);
    if (dx) this.userZoomed = true;
    this.changed();
  }

  private clampScroll(y: number): number {
    const max = Math.max(0, (this.layout?.height ?? 0) - (this.height - AXIS_HEIGHT) + 20);
    return Math.min(max, Math.max(0, y));
  }

  select(ref: SpanRef | undefined, reveal = true): void {
    // An end marker stands for its task: selecting it selects the task (whose details show outcome and message).
    if (ref?.kind === 'end') ref = { kind: 'task', taskId: ref.taskId };
    this.selection = ref;
    this.stepFromPause = false;
    if (ref && 'resourceId' in ref) this.selectedResource = ref.resourceId;
    if (ref && reveal) {
      const site = this.model && describe(this.model, ref)?.site;
      if (site) this.reveal(site);
    }
    this.changed();
  }

  selectResource(resourceId: number): void {
    this.selectedResource = resourceId;
    const lane = this.layout && laneById(this.layout, resourceLaneId(resourceId));
    if (lane) this.scrollY = this.clampScroll(lane.y - 40);
    const res = this.model?.resource(resourceId);
    const first = res?.waits.length ? { kind: 'wait' as const, resourceId, index: 0 } : res?.holds.length ? { kind: 'hold' as const, resourceId, index: 0 } : undefined;
    this.selection = first;
    this.changed();
  }

  /** Reveals the selection's site again (Enter). */
  revealSelection(): void {
    const site = this.model && this.selection ? describe(this.model, this.selection)?.site : undefined;
    if (site) this.reveal(site);
  }

  reveal(site: Site): void {
    this.host.post({ type: 'reveal', site });
    this.revealed = this.model ? this.model.siteString(site) : `${site.file}:${site.line}`;
    this.requestFrame();
  }
  private revealed = '';

  /** Select the next/previous await of the selected task, in time order. */
  step(dir: 1 | -1): void {
    const model = this.model;
    if (!model) return;
    // Stopped in the debugger, and nothing picked since: from the stop, not from the start.
    if (this.paused && this.stepFromPause) {
      const target = awaitFromPause(model, this.paused, dir, this.hidden);
      if (target) {
        this.select(target);
        this.ensureVisible();
        return;
      }
    }
    if (!this.selection) {
      // Keyboard entry point: start from the first task lane shown.
      const lane = this.layout?.lanes.find((l) => l.kind === 'task');
      if (!lane) return;
      this.selection = { kind: 'task', taskId: lane.taskId };
    }
    const target = awaitStep(model, this.selection, dir, this.hidden);
    if (!target) return;
    this.select(target);
    this.ensureVisible();
  }

  /** Pan/scroll so the selection is on screen (without changing zoom). */
  private ensureVisible(): void {
    const info = this.model && this.selection ? describe(this.model, this.selection) : undefined;
    if (!info || !this.model) return;
    const end = info.end ?? this.model.endTime;
    const view = this.viewport();
    const t0 = view.startTime, t1 = view.endTime;
    if (info.begin < t0 || end > t1) {
      const w = t1 - t0;
      const start = end - info.begin < w * 0.8 ? info.begin - (w - (end - info.begin)) / 2 : info.begin - w * 0.1;
      this.scale = new TimeScale(start, this.scale.msPerPx);
      this.userZoomed = true;
    }
    this.ensureVisibleY();
    this.changed();
  }

  private ensureVisibleY(): void {
    const where = this.layout && this.selection ? locate(this.layout, this.selection) : undefined;
    if (!where) return;
    const viewH = this.height - AXIS_HEIGHT;
    if (where.track.y < this.scrollY || where.track.y + where.track.height > this.scrollY + viewH) this.scrollY = this.clampScroll(where.lane.y - viewH / 3);
  }

  private changed(): void {
    this.save();
    this.requestFrame();
    this.onViewChange?.(this);
  }

  /** Called after every change made through the UI (pan, zoom, fit, selection): a compare view keeps its charts on one axis. */
  onViewChange: ((app: App) => void) | undefined;

  /** Shows time from `start` at `msPerPx` without reporting a view change (the other chart of a compare view moved). */
  setView(start: number, msPerPx: number): void {
    this.scale = new TimeScale(start, msPerPx);
    this.userZoomed = true;
    this.save();
    this.requestFrame();
  }

  /** Selects `ref` without revealing its site and scrolls its lane into view, leaving the time axis alone (a compare table row). */
  selectInView(ref: SpanRef): void {
    this.selection = ref;
    if ('resourceId' in ref) this.selectedResource = ref.resourceId;
    this.ensureVisibleY();
    this.save();
    this.requestFrame();
  }

  private save(): void {
    saveViewState(this.host, {
      v: 1, start: this.scale.start, msPerPx: this.scale.msPerPx, scrollY: this.scrollY, userZoomed: this.userZoomed,
      selection: this.selection, filter: this.filter, hidden: [...this.hidden], sort: this.table.sort, selectedResource: this.selectedResource,
      trace: this.model ? this.trace : undefined,
    });
  }

  requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => { this.frameRequested = false; this.draw(); });
  }

  /** Relayout if needed and draw now. */
  draw(): void {
    const model = this.model;
    this.measure();
    // While a provisional picture shows (loadingTotal > 0), the partial model is not laid out: loaded() does it.
    if (model && !this.loadingTotal) {
      this.relayout.run(!!this.layout, () => {
        this.layout = layoutTrace(model, this.layoutOptions());
        if (!this.userZoomed) this.fit();
        this.scrollY = this.clampScroll(this.scrollY);
        this.table.update(model.contention(), this.selectedResource, pausesNote(model.pauses));
      });
    }
    const ctx = this.el.canvas.getContext('2d');
    if (!ctx || !this.layout || !model) return;
    this.table.setSelected(this.selectedResource);
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.lastDraw = drawFrame(ctx, {
      layout: this.layout, view: this.viewport(), theme: this.theme,
      selected: this.mark(this.selection), hovered: this.mark(this.hovered), arrows: [...(this.selection ? selectionArrows(model, this.layout, this.selection) : []), ...(this.decoration?.arrows() ?? [])],
      boxLabel: (track, i) => boxLabel(model, track.ref(i)), highlightLane: this.selectedResource ? resourceLaneId(this.selectedResource) : undefined,
      bands: pauseBands(model),
    });
    this.decoration?.draw(ctx, this.viewport());
    if (this.paused) drawPauseCursor(ctx, this.viewport(), this.theme, this.paused.at);
    // The DOM parts change rarely: touch them only when their content changes (a DOM write forces layout on the next frame).
    const detailsKey = `${this.selection ? refKey(this.selection) : ''}|${model.eventCount}`;
    if (detailsKey !== this.detailsKey) {
      this.detailsKey = detailsKey;
      renderDetails(this.el.details, model, this.selection, this.detailActions());
    }
    this.updateStatus(model);
  }

  private updateStatus(model: TraceModelView): void {
    const status = statusText(model, { total: this.loadingTotal, decoded: this.loadingDecoded }, this.endMessage, this.revealed, pausedText(this.paused));
    if (this.el.status.textContent !== status) this.el.status.textContent = status;
  }
  private detailsKey = '';
  /** The chart's size from the ResizeObserver (reading layout every frame would force it). */
  private observedSize: { w: number; h: number } | undefined;

  private measure(): void {
    if (!this.observedSize) { const r = this.el.chart.getBoundingClientRect(); this.observedSize = { w: r.width, h: r.height }; }
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.floor(this.observedSize.w)), h = Math.max(1, Math.floor(this.observedSize.h));
    if (w !== this.width || h !== this.height) {
      const wasFit = !this.userZoomed;
      this.width = w; this.height = h;
      this.el.canvas.width = Math.round(w * dpr);
      this.el.canvas.height = Math.round(h * dpr);
      if (wasFit && this.model) this.fit();
    }
  }

  private mark(ref: SpanRef | undefined): Mark | undefined {
    return ref && this.layout ? markOf(this.layout, ref) : undefined;
  }

  private detailActions() {
    return { reveal: (s: Site) => this.reveal(s), select: (r: SpanRef) => { this.select(r); this.ensureVisible(); }, step: (d: 1 | -1) => this.step(d) };
  }

  private buildLegend(): void {
    renderLegend(this.el.legend, this.theme, this.hidden, (kind, shown) => {
      if (shown) this.hidden.delete(kind); else this.hidden.add(kind);
      this.relayoutNow();
      this.changed();
    });
  }

  // --- input (chart-input.ts drives these) --------------------------------------

  private wire(): void {
    const { canvas, search, chart } = this.el;
    wireChartInput(this, canvas, search);
    search.addEventListener('input', () => { this.filter = search.value; this.relayoutNow(); this.changed(); });
    new ResizeObserver((entries) => {
      const r = entries[entries.length - 1].contentRect;
      this.observedSize = { w: r.width, h: r.height };
      this.requestFrame();
    }).observe(chart);
    const retheme = () => { this.theme = readTheme(canvas.ownerDocument); this.buildLegend(); this.requestFrame(); };
    new MutationObserver(retheme).observe(canvas.ownerDocument.body, { attributes: true, attributeFilter: ['class'] });
    canvas.ownerDocument.defaultView?.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', retheme);
  }

  /** The span under canvas point (x, y); in the label gutter, the lane's task. */
  hitAt(x: CanvasX, y: CanvasY): SpanRef | undefined {
    return this.layout ? spanAt(this.layout, this.viewport(), x, y) : undefined;
  }

  hover(ref: SpanRef | undefined, x: CanvasX, y: CanvasY): void {
    if ((ref && refKey(ref)) !== (this.hovered && refKey(this.hovered))) { this.hovered = ref; this.requestFrame(); }
    const view = this.viewport();
    // Off any box, inside a debugger pause: say so.
    const pause = !ref && this.model && x >= view.gutter && y >= AXIS_HEIGHT ? pauseAt(this.model, view.scale.toTime(x - view.gutter)) : undefined;
    this.tooltip.show(ref && this.model ? describe(this.model, ref) : pause, x, y, this.width, this.height);
  }
}
