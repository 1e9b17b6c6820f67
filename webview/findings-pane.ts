/**
 * The Findings pane: what the analysis (trace/analysis/) says is wrong with the trace,
 * most severe first, one row per finding with its sites; and the root task's critical
 * path with a switch that draws it on the chart. Selecting a row (click, Enter, ↑/↓)
 * hands the finding to `onSelect`, which selects its spans and reveals its line.
 * Pure DOM from the analysis; it never reads the chart.
 */
import type { Analysis, Finding } from '../trace/analysis/finding-types';
import type { TraceModelView } from '../trace/model-types';
import { formatTime } from './format';
import { unpausedMs } from '../trace/pauses';

export interface FindingsActions {
  select(finding: Finding): void;
  showPath(on: boolean): void;
}

const css = `
.at-findings { flex: 0 0 auto; max-height: 26vh; overflow: auto; border-top: 1px solid var(--at-border); font-size: 12px; }
.at-findings-head { display: flex; gap: 12px; align-items: center; padding: 4px 8px; position: sticky; top: 0; background: var(--at-bg); z-index: 1; }
.at-findings-head h2 { font-size: 12px; margin: 0; font-weight: 600; }
.at-findings-head .at-count { color: var(--at-muted); }
.at-findings-head label { margin-left: auto; display: inline-flex; gap: 4px; align-items: center; cursor: pointer; color: var(--at-muted); }
.at-findings ol { list-style: none; margin: 0; padding: 0; }
.at-findings li { display: grid; grid-template-columns: 5.5em 1fr; gap: 0 8px; padding: 3px 8px; cursor: pointer; border-bottom: 1px solid var(--at-border); }
.at-findings li:hover { background: var(--at-row-hover); }
.at-findings li[aria-selected="true"] { background: var(--at-row-selected); }
.at-findings li:focus-visible { outline: 1px solid var(--at-accent); outline-offset: -1px; }
.at-findings .at-sev { font-weight: 600; text-transform: uppercase; font-size: 10px; letter-spacing: 0.04em; padding-top: 2px; }
.at-findings .at-sev-error { color: var(--at-end-error); }
.at-findings .at-sev-warning { color: var(--at-end-cancelled); }
.at-findings .at-sev-info { color: var(--at-muted); }
.at-findings .at-kind { font-weight: 600; margin-right: 6px; }
.at-findings .at-where { grid-column: 2; font-family: var(--at-mono); color: var(--at-muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.at-findings .at-none { padding: 3px 8px; color: var(--at-muted); }
`;

function installCss(doc: Document): void {
  if (doc.getElementById('at-findings-styles')) return;
  const style = doc.createElement('style');
  style.id = 'at-findings-styles';
  const nonce = [...doc.querySelectorAll('script')].map((s) => s.nonce).find((n) => n);
  if (nonce) style.setAttribute('nonce', nonce);
  style.textContent = css;
  doc.head.appendChild(style);
}

export class FindingsPane {
  private findings: Finding[] = [];
  private selected = -1;

  constructor(private readonly container: HTMLElement, private readonly act: FindingsActions) {
    installCss(container.ownerDocument);
    container.classList.add('at-findings');
    container.setAttribute('aria-label', 'Findings');
    this.showMessage('Findings: shown when the trace is complete.');
  }

  showMessage(text: string): void {
    this.findings = [];
    this.selected = -1;
    const p = this.container.ownerDocument.createElement('div');
    p.className = 'at-none';
    p.textContent = text;
    this.container.replaceChildren(p);
  }

  /** The index of the selected finding, -1 for none. */
  get selectedIndex(): number { return this.selected; }

  update(model: TraceModelView, analysis: Analysis, pathShown: boolean): void {
    const doc = this.container.ownerDocument;
    const make = <K extends keyof HTMLElementTagNameMap>(tag: K, text = '', cls = ''): HTMLElementTagNameMap[K] => {
      const e = doc.createElement(tag);
      if (text) e.textContent = text;
      if (cls) e.className = cls;
      return e;
    };
    this.findings = analysis.findings;
    this.selected = -1;
    const head = make('div', '', 'at-findings-head');
    const counts = new Map<string, number>();
    for (const f of analysis.findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
    head.append(make('h2', 'Findings'), make('span', analysis.findings.length === 0 ? 'none'
      : ['error', 'warning', 'info'].filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}${counts.get(s)! > 1 ? 's' : ''}`).join(', '), 'at-count'));
    const cp = analysis.criticalPath;
    if (cp && cp.end > cp.begin) {
      const label = make('label');
      const box = make('input');
      box.type = 'checkbox';
      box.checked = pathShown;
      box.dataset.action = 'critical-path';
      box.addEventListener('change', () => this.act.showPath(box.checked));
      label.append(box, `Critical path of ${model.task(cp.taskId)?.name ?? 'the root task'} (${formatTime(unpausedMs(cp.begin, cp.end, model.pauses))})`);
      head.append(label);
    }
    const list = make('ol');
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Findings, most severe first');
    analysis.findings.forEach((f, i) => {
      const li = make('li');
      li.tabIndex = 0;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.kind = f.kind;
      li.dataset.severity = f.severity;
      const text = make('span');
      text.append(make('span', f.kind, 'at-kind'), f.message);
      li.append(make('span', f.severity, `at-sev at-sev-${f.severity}`), text);
      if (f.sites.length > 0) li.append(make('span', f.sites.map((s) => model.siteString(s)).join(' · '), 'at-where'));
      li.addEventListener('click', () => this.select(i));
      li.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.select(i); }
        const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : -1;
        if (next >= 0 && next < this.findings.length) { e.preventDefault(); this.select(next); (list.children[next] as HTMLElement).focus(); }
      });
      list.append(li);
    });
    if (analysis.findings.length === 0) list.append(make('li', 'No deadlocks, locks held across awaits, lost errors, tasks left pending or blocked loops found.', 'at-none'));
    this.container.replaceChildren(head, list);
  }

  select(i: number): void {
    const f = this.findings[i];
    if (!f) return;
    this.selected = i;
    this.container.querySelectorAll('li[role="option"]').forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    this.act.select(f);
  }
}
