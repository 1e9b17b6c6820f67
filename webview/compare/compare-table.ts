/**
 * The compare view's table of changes: the rows that changed beyond the noise rule,
 * biggest first, then (muted) the rows within the noise. Choosing a row asks the
 * compare app to select the row's spans on both charts.
 */
import { allRows, changedRows, type AnyRow, type TraceDiff } from '../../trace/diff/diff';
import { figureText, oneSided } from '../../trace/diff/format';
import { NOISE_RULE } from '../../trace/diff/noise';
import type { ResourceEntry, SiteGroup } from '../../trace/diff/collect';

function sideSite(x: unknown): string {
  if (!x) return '—';
  const e = x as Partial<ResourceEntry & SiteGroup>;
  if (e.siteText) return e.siteText;
  if (e.stats) return e.stats.site ?? '';
  return '';
}

export class CompareTable {
  rows: AnyRow[] = [];
  private selected = -1;

  constructor(private readonly container: HTMLElement, private readonly onPick: (row: AnyRow) => void) {}

  update(d: TraceDiff): void {
    const changed = changedRows(d);
    const quiet = allRows(d).filter((r) => r.changed.length === 0);
    this.rows = [...changed, ...quiet];
    this.selected = -1;
    const doc = this.container.ownerDocument;
    const table = doc.createElement('table');
    table.className = 'at-table at-compare-table';
    table.setAttribute('aria-label', 'Changes from run A to run B');
    const head = table.createTHead().insertRow();
    for (const label of ['Changed', 'A → B', 'Site in A', 'Site in B']) {
      const th = doc.createElement('th');
      th.textContent = label;
      th.scope = 'col';
      head.appendChild(th);
    }
    const body = table.createTBody();
    this.rows.forEach((r, i) => {
      const tr = body.insertRow();
      tr.dataset.row = String(i);
      tr.tabIndex = 0;
      tr.setAttribute('aria-selected', 'false');
      if (r.changed.length === 0) tr.className = 'at-noise';
      const name = tr.insertCell();
      name.textContent = r.title;
      name.title = r.title;
      const what = tr.insertCell();
      what.className = 'at-change';
      what.textContent = !r.a ? `only in B: ${oneSided(r)}` : !r.b ? `only in A: ${oneSided(r)}`
        : r.changed.length ? r.figures.filter((f) => f.changed).map(figureText).join('; ') : 'within the noise';
      const sa = tr.insertCell(), sb = tr.insertCell();
      sa.className = sb.className = 'at-sites';
      sa.textContent = sideSite(r.a);
      sb.textContent = sideSite(r.b);
      const pick = () => this.pick(i);
      tr.addEventListener('click', pick);
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') pick();
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const next = body.rows[i + (e.key === 'ArrowDown' ? 1 : -1)];
          next?.focus();
        }
      });
    });
    if (changed.length === 0) {
      const tr = body.insertRow(0);
      const td = tr.insertCell();
      td.colSpan = 4;
      td.className = 'at-compare-none';
      td.textContent = 'No changes beyond the run-to-run noise.';
    }
    const rule = doc.createElement('p');
    rule.className = 'at-compare-rule';
    rule.textContent = `Noise rule: ${NOISE_RULE}`;
    this.container.replaceChildren(table, rule);
  }

  pick(i: number): void {
    const row = this.rows[i];
    if (!row) return;
    this.selected = i;
    for (const tr of this.container.querySelectorAll<HTMLTableRowElement>('tbody tr[data-row]')) {
      tr.setAttribute('aria-selected', String(Number(tr.dataset.row) === i));
    }
    this.onPick(row);
  }

  get selectedIndex(): number { return this.selected; }
}
