/**
 * The compare view: run A's chart above run B's on one time axis (each trace's time 0
 * is its first root task's start, aligned-model.ts), panning and zooming together,
 * and below them the table of changes (trace/diff) whose rows select the matching
 * spans on both charts: a resource's lane, an await site's slowest await, a group's
 * first task.
 */
import { diffTraces, type AnyRow, type TraceDiff } from '../../trace/diff/diff';
import { findingsInput } from '../../trace/diff/findings-input';
import { change } from '../../trace/diff/format';
import type { ResourceEntry, SiteGroup, TaskGroup } from '../../trace/diff/collect';
import type { TraceModelView } from '../../trace/model-types';
import { App } from '../app';
import { describe } from '../describe';
import type { SpanRef } from '../flame-layout';
import type { Host } from '../host';
import { installStyleSheet } from '../styles';
import { TimeScale } from '../time-scale';
import { alignedModel, type AlignedTrace } from './aligned-model';
import { CompareTable } from './compare-table';

export interface CompareSide { title: string; bytes: Uint8Array }

const css = `
.at-compare { display: flex; flex-direction: column; height: 100vh; overflow: hidden; }
.at-compare-head { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; padding: 6px 8px; border-bottom: 1px solid var(--at-border); }
.at-compare-head b { font-weight: 600; }
.at-compare-head .at-compare-summary { color: var(--at-muted); }
.at-compare-head button { background: var(--at-button-bg); color: var(--at-button-fg); border: 1px solid var(--at-border); padding: 3px 8px; font: inherit; cursor: pointer; border-radius: 2px; margin-left: auto; }
.at-compare-pane { position: relative; flex: 1 1 0; min-height: 140px; display: flex; flex-direction: column; border-bottom: 2px solid var(--at-border); }
.at-compare-pane > .at-compare-side { position: absolute; right: 8px; bottom: 4px; z-index: 2; font-weight: 700; color: var(--at-muted); pointer-events: none; }
.at-compare-pane > div:last-child { flex: 1 1 auto; min-height: 0; }
.at-compare-pane .at-root { height: 100%; }
.at-compare-pane .at-legend, .at-compare-pane .at-table-wrap { display: none; }
.at-compare-pane .at-main { min-height: 0; }
.at-compare-pane .at-details { width: 240px; }
.at-compare-tables { flex: 0 0 auto; max-height: 30vh; overflow: auto; }
.at-compare-table th, .at-compare-table td { text-align: left; }
.at-compare-table td:nth-child(2) { white-space: normal; min-width: 30ch; }
.at-compare-table tr.at-noise td { color: var(--at-muted); }
.at-compare-table td.at-compare-none { text-align: left; font-style: italic; }
.at-compare-rule { margin: 4px 8px 8px; color: var(--at-muted); font-size: 11px; }
`;

/** A host for one side: reveals and errors go to the real host; view state stays in memory. */
function sideHost(host: Host): Host {
  let state: unknown;
  return { ...host, getState: () => state, setState: (s) => { state = s; }, listen: () => undefined };
}

export class CompareApp {
  readonly a: App;
  readonly b: App;
  readonly table: CompareTable;
  diff: TraceDiff | undefined;
  private readonly summary: HTMLElement;
  private readonly titleEl: HTMLElement;
  private syncing = false;
  private readonly root: HTMLElement;

  constructor(container: HTMLElement, private readonly host: Host) {
    const doc = container.ownerDocument;
    installStyleSheet(doc, 'at-compare-styles', css);
    const el = (tag: string, cls: string) => { const e = doc.createElement(tag); e.className = cls; return e; };
    const root = el('div', 'at-compare');
    const head = el('div', 'at-compare-head');
    this.titleEl = doc.createElement('b');
    this.summary = el('span', 'at-compare-summary');
    const fit = doc.createElement('button');
    fit.textContent = 'Fit both';
    fit.title = 'Show both runs whole, on one time axis from each root task\'s start';
    fit.dataset.action = 'fit-both';
    fit.addEventListener('click', () => this.fitBoth());
    head.append(this.titleEl, this.summary, fit);
    const pane = (side: string) => {
      const p = el('div', 'at-compare-pane');
      p.dataset.side = side;
      const tag = el('span', 'at-compare-side');
      tag.textContent = side.toUpperCase();
      const inner = doc.createElement('div');
      p.append(tag, inner);
      return { p, inner };
    };
    const pa = pane('a'), pb = pane('b');
    const tables = el('div', 'at-compare-tables');
    root.append(head, pa.p, pb.p, tables);
    container.replaceChildren(root);
    this.root = root;
    this.a = new App(pa.inner, sideHost(host));
    this.b = new App(pb.inner, sideHost(host));
    // One time axis: whatever moves one chart moves the other.
    this.a.onViewChange = (src) => this.follow(src, this.b);
    this.b.onViewChange = (src) => this.follow(src, this.a);
    this.table = new CompareTable(tables, (row) => this.pickRow(row));
  }

  private follow(src: App, other: App): void {
    if (this.syncing) return;
    this.syncing = true;
    other.setView(src.scale.start, src.scale.msPerPx);
    this.syncing = false;
  }

  show(a: CompareSide, b: CompareSide): void {
    let ta: AlignedTrace, tb: AlignedTrace;
    try {
      ta = alignedModel(a.bytes);
    } catch (e) { this.fail(a.title, e); return; }
    try {
      tb = alignedModel(b.bytes);
    } catch (e) { this.fail(b.title, e); return; }
    this.a.setModel(ta.model, `A: ${a.title}`);
    this.b.setModel(tb.model, `B: ${b.title}`);
    if (ta.problem) this.a.ended(false, ta.problem);
    if (tb.problem) this.b.ended(false, tb.problem);
    this.diff = diffTraces(ta.model, tb.model, findingsInput(ta.model, tb.model));
    const d = this.diff;
    this.titleEl.textContent = `Compare A: ${a.title} → B: ${b.title}`;
    this.summary.textContent = `duration ${change(d.a.durationMs, d.b.durationMs)} · tasks ${d.a.tasks.total} → ${d.b.tasks.total} · time from each root task's start`;
    this.table.update(d);
    this.fitBoth();
  }

  /** A file that is not a readable trace: say which and why instead of showing half a comparison. */
  private fail(title: string, e: unknown): void {
    const message = `${title} is not a readable async-trace file: ${e instanceof Error ? e.message : String(e)}`;
    const doc = this.root.ownerDocument;
    const box = doc.createElement('div');
    box.className = 'at-empty';
    const h1 = doc.createElement('h1');
    h1.textContent = 'These traces cannot be compared';
    const p = doc.createElement('p');
    p.textContent = message;
    box.append(h1, p);
    this.root.replaceChildren(box);
    this.host.post({ type: 'error', message });
  }

  /** Both runs whole on the shared axis. */
  fitBoth(): void {
    const ma = this.a.model, mb = this.b.model;
    if (!ma || !mb) return;
    const from = Math.min(ma.startTime, mb.startTime), to = Math.max(ma.endTime, mb.endTime);
    const pad = Math.max((to - from) * 0.02, 1e-3);
    const s = TimeScale.fit(from - pad, to + pad, this.a.measuredChartWidth());
    this.a.setView(s.start, s.msPerPx);
    this.b.setView(s.start, s.msPerPx);
  }

  /** The spans a row stands for on each side. */
  refsOf(row: AnyRow): { a: SpanRef | undefined; b: SpanRef | undefined } {
    const ref = (x: ResourceEntry | SiteGroup | TaskGroup | undefined, model: TraceModelView | undefined): SpanRef | undefined => {
      if (!x || !model) return undefined;
      if ('durations' in x) return { kind: 'await', taskId: x.slowest.taskId, index: x.slowest.index };
      if ('taskIds' in x) return { kind: 'task', taskId: x.taskIds[0] };
      const r = model.resource(x.stats.resourceId);
      if (r?.waits.length) {
        // The longest wait: where the change shows most.
        let best = 0, bestMs = -Infinity, i = 0;
        for (const w of r.waits) { const ms = (w.end ?? model.endTime) - w.begin; if (ms > bestMs) { best = i; bestMs = ms; } i++; }
        return { kind: 'wait', resourceId: r.id, index: best };
      }
      return r?.holds.length ? { kind: 'hold', resourceId: r.id, index: 0 } : undefined;
    };
    return { a: ref(row.a, this.a.model), b: ref(row.b, this.b.model) };
  }

  pickRow(row: AnyRow): void {
    const refs = this.refsOf(row);
    let from = Infinity, to = -Infinity;
    for (const [app, r] of [[this.a, refs.a], [this.b, refs.b]] as const) {
      if (!r || !app.model) continue;
      app.selectInView(r);
      const info = describe(app.model, r);
      if (info) { from = Math.min(from, info.begin); to = Math.max(to, info.end ?? app.model.endTime); }
    }
    if (from < to) {
      const pad = Math.max((to - from) * 0.3, 1e-3);
      const s = TimeScale.fit(from - pad, to + pad, this.a.measuredChartWidth());
      this.a.setView(s.start, s.msPerPx);
      this.b.setView(s.start, s.msPerPx);
    }
    const site = refs.b && this.b.model ? describe(this.b.model, refs.b)?.site : undefined;
    if (site) this.host.post({ type: 'reveal', site });
  }
}
