/**
 * The details pane of the selected span: what it is, its times and site, the await
 * chain open at that moment (outermost first), and links to the waker, the spawner
 * and the awaited task. Every site is a link that reveals it; every task a link
 * that selects it. Pure DOM building from the model; actions go through callbacks.
 */
import type { Site, TraceModelView } from '../trace/model-types';
import { describe, taskName } from './describe';
import type { SpanRef } from './flame-layout';

export interface DetailsActions {
  reveal(site: Site): void;
  select(ref: SpanRef): void;
  step(dir: 1 | -1): void;
}

export function renderDetails(el: HTMLElement, model: TraceModelView | undefined, ref: SpanRef | undefined, act: DetailsActions): void {
  const doc = el.ownerDocument;
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K, text = '', cls = ''): HTMLElementTagNameMap[K] => {
    const e = doc.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const info = model && ref ? describe(model, ref) : undefined;
  if (!model || !ref || !info) {
    el.replaceChildren(make('h3', 'Nothing selected'), make('p', 'Click a span, a task or a lock wait to see its details and reveal its source line. Keys: n / p step through the task\'s awaits, W/S zoom, A/D pan, F fit, Z zoom to selection.'));
    return;
  }
  const siteLink = (site: Site) => {
    const a = make('span', model.siteString(site), 'at-link');
    a.tabIndex = 0;
    a.setAttribute('role', 'link');
    a.addEventListener('click', () => act.reveal(site));
    a.addEventListener('keydown', (e) => { if (e.key === 'Enter') act.reveal(site); });
    return a;
  };
  const taskLink = (id: number) => {
    const a = make('span', taskName(model, id), 'at-link');
    a.tabIndex = 0;
    a.setAttribute('role', 'link');
    a.addEventListener('click', () => act.select({ kind: 'task', taskId: id }));
    a.addEventListener('keydown', (e) => { if (e.key === 'Enter') act.select({ kind: 'task', taskId: id }); });
    return a;
  };
  const parts: HTMLElement[] = [make('h3', info.title)];
  const dl = make('dl');
  // 'woken by' appears below as a link.
  for (const [k, v] of info.rows.filter(([k]) => k !== 'woken by')) {
    dl.append(make('dt', k));
    const dd = make('dd');
    if ((k === 'site' || k === 'task site') && info.site) dd.append(siteLink(info.site)); else dd.textContent = v;
    dl.append(dd);
  }
  parts.push(dl);

  const links = make('dl');
  const task = info.taskId ? model.task(info.taskId) : undefined;
  if (task && task.parentId && model.task(task.parentId)) { links.append(make('dt', 'spawned by'), make('dd')); links.lastElementChild!.append(taskLink(task.parentId)); }
  if (ref.kind === 'await') {
    const a = model.task(ref.taskId)!.awaits.at(ref.index)!;
    if (a.wake && a.wake.wakerTaskId) { links.append(make('dt', 'woken by'), make('dd')); links.lastElementChild!.append(taskLink(a.wake.wakerTaskId)); }
    if (a.targetId && model.task(a.targetId)) { links.append(make('dt', 'awaited'), make('dd')); links.lastElementChild!.append(taskLink(a.targetId)); }
  }
  if (ref.kind === 'task' && task && task.children.length) {
    const dd = make('dd');
    task.children.slice(0, 12).forEach((c, i) => { if (i) dd.append(', '); dd.append(taskLink(c)); });
    if (task.children.length > 12) dd.append(` … ${task.children.length - 12} more`);
    links.append(make('dt', 'spawned'), dd);
  }
  if (links.childElementCount) parts.push(links);

  if (task) {
    const nav = make('div', '', 'at-nav');
    const prev = make('button', '◀ Prev await (p)');
    const next = make('button', 'Next await (n) ▶');
    prev.dataset.action = 'prev';
    next.dataset.action = 'next';
    prev.addEventListener('click', () => act.step(-1));
    next.addEventListener('click', () => act.step(1));
    nav.append(prev, next);
    parts.push(nav);
    const chain = model.awaitChainAt(task.id, info.begin + Math.min(1e-6, ((info.end ?? model.endTime) - info.begin) / 2));
    if (chain.length) {
      parts.push(make('h3', 'Await chain'));
      const ol = make('ol');
      ol.className = 'at-chain';
      for (const a of chain) {
        const li = make('li', `${a.kind} `);
        if (a.site) li.append(siteLink(a.site));
        ol.append(li);
      }
      parts.push(ol);
    }
  }
  el.replaceChildren(...parts);
}
