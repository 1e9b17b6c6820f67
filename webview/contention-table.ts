/**
 * The contention table: one row per lock/semaphore/queue from `model.contention()`,
 * sortable by any column (click or Enter on a header), a row click selects the
 * resource's lane. Rebuilt from scratch on update; the sort survives.
 */
import type { ResourceStats } from '../trace/model-types';
import { formatTime } from './format';

export type SortKey = 'name' | 'acquisitions' | 'contendedShare' | 'totalWaitMs' | 'avgWaitMs' | 'p50WaitMs' | 'p99WaitMs' | 'maxWaitMs' | 'maxWaiters' | 'totalHoldMs';
export interface SortState { key: SortKey; descending: boolean }

interface Column { key: SortKey; label: string; value(s: ResourceStats): number | string; text(s: ResourceStats): string }

const share = (s: ResourceStats) => (s.acquisitions + s.contended > 0 ? s.contended / Math.max(1, s.acquisitions) : 0);
const avg = (s: ResourceStats) => (s.contended ? s.totalWaitMs / s.contended : 0);
const ms = (v: number) => formatTime(v);

export const columns: readonly Column[] = [
  { key: 'name', label: 'Resource', value: (s) => `${s.kind} ${s.name}`, text: (s) => `${s.kind} ${s.name || `#${s.resourceId}`}` },
  { key: 'acquisitions', label: 'Acquisitions', value: (s) => s.acquisitions, text: (s) => String(s.acquisitions) },
  { key: 'contendedShare', label: 'Contended', value: share, text: (s) => `${Math.round(share(s) * 100)}%` },
  { key: 'totalWaitMs', label: 'Total wait', value: (s) => s.totalWaitMs, text: (s) => ms(s.totalWaitMs) },
  { key: 'avgWaitMs', label: 'Avg wait', value: avg, text: (s) => ms(avg(s)) },
  { key: 'p50WaitMs', label: 'p50', value: (s) => s.p50WaitMs, text: (s) => ms(s.p50WaitMs) },
  { key: 'p99WaitMs', label: 'p99', value: (s) => s.p99WaitMs, text: (s) => ms(s.p99WaitMs) },
  { key: 'maxWaitMs', label: 'Max wait', value: (s) => s.maxWaitMs, text: (s) => ms(s.maxWaitMs) },
  { key: 'maxWaiters', label: 'Max waiters', value: (s) => s.maxWaiters, text: (s) => String(s.maxWaiters) },
  { key: 'totalHoldMs', label: 'Hold time', value: (s) => s.totalHoldMs, text: (s) => ms(s.totalHoldMs) },
];

export function sortStats(stats: readonly ResourceStats[], sort: SortState): ResourceStats[] {
  const col = columns.find((c) => c.key === sort.key) ?? columns[3];
  const dir = sort.descending ? -1 : 1;
  return stats.slice().sort((a, b) => {
    const va = col.value(a), vb = col.value(b);
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c * dir || a.resourceId - b.resourceId;
  });
}

const NO_RESOURCES = 'No locks, semaphores or queues in this trace.';

export class ContentionTable {
  private stats: ResourceStats[] = [];
  private selected = 0;

  constructor(
    private readonly container: HTMLElement,
    public sort: SortState,
    private readonly onSelect: (resourceId: number) => void,
    private readonly onSort: (sort: SortState) => void,
  ) {}

  /** `note`: shown above the table (that debugger pauses are left out of the figures); '' for none. */
  update(stats: ResourceStats[], selectedResource: number, note = ''): void {
    this.note = note;
    this.stats = stats.filter((s) => s.kind === 'lock' || s.kind === 'semaphore' || s.kind === 'queue' || s.kind === 'condition');
    this.selected = selectedResource;
    this.empty = NO_RESOURCES;
    this.render();
  }

  /** No rows yet, only `message` (a big trace's model is still being decoded). */
  showMessage(message: string): void {
    this.stats = [];
    this.empty = message;
    this.render();
  }
  private empty = NO_RESOURCES;
  private note = '';

  /** Marks the row of `resourceId` selected (the chart selected something in its lane). */
  setSelected(resourceId: number): void {
    if (resourceId === this.selected) return;
    this.selected = resourceId;
    for (const tr of this.container.querySelectorAll<HTMLTableRowElement>('tbody tr[data-resource-id]')) {
      tr.setAttribute('aria-selected', String(Number(tr.dataset.resourceId) === resourceId));
    }
  }

  private render(): void {
    const doc = this.container.ownerDocument;
    const table = doc.createElement('table');
    table.className = 'at-table';
    table.setAttribute('aria-label', 'Contention per resource');
    if (this.note) {
      const caption = table.createCaption();
      caption.className = 'at-table-note';
      caption.textContent = this.note;
      caption.style.textAlign = 'left';
      caption.style.padding = '3px 8px';
      caption.style.opacity = '0.8';
    }
    const head = table.createTHead().insertRow();
    for (const c of columns) {
      const th = doc.createElement('th');
      th.textContent = c.label;
      th.dataset.key = c.key;
      th.tabIndex = 0;
      th.scope = 'col';
      if (c.key === this.sort.key) th.setAttribute('aria-sort', this.sort.descending ? 'descending' : 'ascending');
      const act = () => {
        this.sort = { key: c.key, descending: c.key === this.sort.key ? !this.sort.descending : c.key !== 'name' };
        this.onSort(this.sort);
        this.render();
      };
      th.addEventListener('click', act);
      th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); act(); } });
      head.appendChild(th);
    }
    const sitesTh = doc.createElement('th');
    sitesTh.textContent = 'Top wait / hold sites';
    head.appendChild(sitesTh);
    const body = table.createTBody();
    for (const s of sortStats(this.stats, this.sort)) {
      const tr = body.insertRow();
      tr.dataset.resourceId = String(s.resourceId);
      tr.tabIndex = 0;
      tr.setAttribute('aria-selected', String(s.resourceId === this.selected));
      for (const c of columns) tr.insertCell().textContent = c.text(s);
      const sites = tr.insertCell();
      sites.className = 'at-sites';
      const w = s.topWaitSites[0], h = s.topHoldSites[0];
      sites.textContent = [w && `wait ${w.site} ×${w.count}`, h && `hold ${h.site} ×${h.count}`].filter(Boolean).join(' · ');
      sites.title = [...s.topWaitSites.map((x) => `wait ${x.site} ×${x.count} ${formatTime(x.totalWaitMs)}`), ...s.topHoldSites.map((x) => `hold ${x.site} ×${x.count} ${formatTime(x.totalHoldMs)}`)].join('\n');
      const pick = () => { this.selected = s.resourceId; this.onSelect(s.resourceId); this.render(); };
      tr.addEventListener('click', pick);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') pick(); });
    }
    if (!this.stats.length) {
      const td = body.insertRow().insertCell();
      td.colSpan = columns.length + 1;
      td.textContent = this.empty;
      td.style.textAlign = 'left';
    }
    this.container.replaceChildren(table);
  }
}
