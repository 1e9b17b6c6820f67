/**
 * The legend: what each colour means, and a checkbox per await kind that hides or
 * shows that kind in the chart (the kind filter). Rebuilt when the theme changes.
 */
import type { AwaitKind } from '../trace/model-types';
import { AWAIT_KINDS, awaitColor, colorOf, type EndOutcome } from './flame-layout';
import type { Theme } from './theme';

export function renderLegend(el: HTMLElement, theme: Theme, hidden: ReadonlySet<AwaitKind>, onToggle: (kind: AwaitKind, shown: boolean) => void): void {
  const doc = el.ownerDocument;
  const chip = (color: string) => { const c = doc.createElement('span'); c.className = 'at-chip'; c.style.background = color; return c; };
  const fixed: [string, string][] = [['running', theme.palette[colorOf('run')]], ['holds', theme.palette[colorOf('hold')]], ['waits (contended)', theme.palette[colorOf('wait')]], ['queue length', theme.palette[colorOf('level')]]];
  const items: HTMLElement[] = fixed.map(([label, color]) => { const s = doc.createElement('span'); s.append(chip(color), ` ${label}`); return s; });
  // End markers: the badge drawn at the end of a task that failed or was cancelled.
  const m = theme.endMarks;
  const ends: [EndOutcome, string, string, string, string][] = [['error', 'failed (error)', '!', m.error, m.errorGlyph], ['cancelled', 'cancelled', '×', m.cancelled, m.cancelledGlyph]];
  for (const [outcome, label, glyph, color, glyphColor] of ends) {
    const s = doc.createElement('span');
    s.dataset.end = outcome;
    const c = doc.createElement('span');
    c.className = `at-end-chip at-end-${outcome}`;
    c.setAttribute('aria-hidden', 'true');
    c.textContent = glyph;
    Object.assign(c.style, { background: color, color: glyphColor, boxShadow: `0 0 0 1px ${m.ring}` });
    s.append(c, ` ${label}`);
    items.push(s);
  }
  for (const kind of AWAIT_KINDS) {
    const label = doc.createElement('label');
    const box = doc.createElement('input');
    box.type = 'checkbox';
    box.checked = !hidden.has(kind);
    box.dataset.kind = kind;
    box.addEventListener('change', () => onToggle(kind, box.checked));
    label.append(box, chip(theme.palette[awaitColor(kind)]), ` ${kind}`);
    items.push(label);
  }
  el.replaceChildren(...items);
}
