/**
 * The hover tooltip over the chart: a span's title and its rows, placed beside the
 * pointer and kept inside the chart (flipped above the pointer near the bottom).
 */
import type { SpanInfo } from './describe';

export class Tooltip {
  constructor(private readonly el: HTMLElement) {}

  /** Shows `info` for the pointer at chart (x, y) in a chart `width` x `height` CSS px; hides when there is none. */
  show(info: SpanInfo | undefined, x: number, y: number, width: number, height: number): void {
    const tip = this.el;
    if (!info) { this.hide(); return; }
    const b = tip.ownerDocument.createElement('b');
    b.textContent = info.title;
    tip.replaceChildren(b, '\n' + info.rows.map(([k, v]) => `${k}: ${v}`).join('\n'));
    tip.hidden = false;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = `${Math.min(x + 14, Math.max(0, width - w - 4))}px`;
    tip.style.top = `${y + 16 + h > height ? Math.max(0, y - h - 8) : y + 16}px`;
  }

  hide(): void { this.el.hidden = true; }
}
