/**
 * The app's DOM: toolbar (title, search, buttons, status), legend, the chart (canvas
 * and tooltip), the details pane, the contention table and the empty-state box. Built
 * once per page; the app fills the parts in and never rebuilds the frame. The Findings
 * pane's place sits between the chart and the table.
 */

export interface Shell {
  root: HTMLElement; title: HTMLElement; status: HTMLElement; search: HTMLInputElement; legend: HTMLElement; chart: HTMLElement;
  canvas: HTMLCanvasElement; tooltip: HTMLElement; details: HTMLElement;
  /** The Findings pane's place (findings-view.ts fills it), between the chart and the table. */
  findings: HTMLElement;
  table: HTMLElement; empty: HTMLElement;
}

/** What the toolbar buttons do. */
export interface ToolbarActions {
  fit(): void;
  zoomToSelection(): void;
  step(dir: 1 | -1): void;
}

/** Builds the shell into `container` (replacing what it held). */
export function buildShell(container: HTMLElement, actions: ToolbarActions): Shell {
  const doc = container.ownerDocument;
  const h = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] => {
    const e = doc.createElement(tag);
    e.className = cls;
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const root = h('div', 'at-root');
  const toolbar = h('div', 'at-toolbar', { role: 'toolbar' });
  const title = h('span', 'at-title');
  const search = h('input', 'at-search', { type: 'search', placeholder: 'Filter tasks by name  ( / )', 'aria-label': 'Filter tasks by name' });
  const button = (label: string, action: string, tip: string) => { const b = h('button', '', { 'data-action': action, title: tip }); b.textContent = label; toolbar.append(b); return b; };
  toolbar.append(title, search);
  button('Fit', 'fit', 'Fit the whole trace (F)').addEventListener('click', () => actions.fit());
  button('Zoom to selection', 'zoom-selection', 'Zoom to the selected span (Z)').addEventListener('click', () => actions.zoomToSelection());
  button('◀ Prev await', 'prev', 'Previous await of the selected task (P)').addEventListener('click', () => actions.step(-1));
  button('Next await ▶', 'next', 'Next await of the selected task (N)').addEventListener('click', () => actions.step(1));
  const status = h('span', 'at-status', { 'aria-live': 'polite' });
  toolbar.append(status);
  const legend = h('div', 'at-legend', { 'aria-label': 'Await kinds (uncheck to hide)' });
  const main = h('div', 'at-main');
  const chart = h('div', 'at-chart');
  const canvas = h('canvas', '', { tabindex: '0', 'aria-label': 'Task and await flame chart' });
  const tooltip = h('div', 'at-tooltip', { role: 'tooltip' });
  tooltip.hidden = true;
  const details = h('div', 'at-details', { 'aria-label': 'Selection details' });
  chart.append(canvas, tooltip);
  main.append(chart, details);
  const findings = h('div', 'at-findings');
  const table = h('div', 'at-table-wrap');
  const empty = h('div', 'at-empty');
  empty.hidden = true;
  root.append(toolbar, legend, main, findings, table, empty);
  container.replaceChildren(root);
  return { root, title, status, search, legend, chart, canvas, tooltip, details, findings, table, empty };
}

/** Shows the empty state (no trace yet): a heading and a hint. */
export function showEmptyState(shell: Shell, message: string, hint: string): void {
  const doc = shell.root.ownerDocument;
  shell.empty.replaceChildren();
  const h1 = doc.createElement('h1');
  h1.textContent = message;
  const p = doc.createElement('p');
  p.textContent = hint;
  shell.empty.append(h1, p);
  shell.empty.hidden = false;
}
