/**
 * Reads the chart's colours from the stylesheet's --at-* variables (which resolve
 * to VS Code's --vscode-* theme colours or the standalone fallbacks), so the canvas
 * follows theme changes: call `readTheme` again when the body's class changes.
 */
import { COLOR_KEYS } from './flame-layout';

/** The chart's colours and font, as the canvas draws them. */
export interface Theme {
  bg: string; fg: string; muted: string; border: string; accent: string; laneAlt: string;
  /** High contrast: every box wide enough gets this outline. */
  boxBorder: string | undefined;
  /** Indexed by colour index (flame-layout COLOR_KEYS). */
  palette: string[];
  /** Text colour that reads on each palette entry. */
  paletteText: string[];
  /** End markers of tasks that failed or were cancelled. */
  endMarks: EndMarkColors;
  font: string;
}

export interface EndMarkColors {
  error: string; cancelled: string;
  /** The glyph drawn on each badge (!, ×): whichever of black and white reads better on it. */
  errorGlyph: string; cancelledGlyph: string;
  /** Ring around a badge that sets it off from the boxes under it (the background; the contrast border in high contrast). */
  ring: string;
}

export function readTheme(doc: Document): Theme {
  // Variables are read from body: VS Code marks high contrast with a body class.
  const cs = getComputedStyle(doc.body ?? doc.documentElement);
  const probe = doc.createElement('canvas').getContext('2d');
  const v = (name: string, fallback: string) => normalise(probe, cs.getPropertyValue(name).trim() || fallback);
  const palette = COLOR_KEYS.map((k) => v(`--at-color-${k}`, '#888888'));
  const bg = v('--at-bg', '#ffffff');
  const fg = v('--at-fg', '#000000');
  const endError = v('--at-end-error', '#cf222e'), endCancelled = v('--at-end-cancelled', '#bf8700');
  // Black or white, whichever contrasts more with the badge (relative luminance 0.179 is where they tie).
  const glyph = (c: string) => (luminance(probe, c) > 0.179 ? '#000000' : '#ffffff');
  const fontSize = 12;
  const family = cs.getPropertyValue('--at-font').trim() || 'sans-serif';
  return {
    bg, fg,
    muted: v('--at-muted', '#666666'),
    border: v('--at-border', '#cccccc'),
    accent: v('--at-accent', '#0066cc'),
    laneAlt: v('--at-lane-alt', 'rgba(128,128,128,0.07)'),
    boxBorder: cs.getPropertyValue('--at-box-border').trim() ? v('--at-box-border', '') : undefined,
    palette,
    paletteText: palette.map((c) => (luminance(probe, c) > 0.45 ? '#111111' : '#ffffff')),
    endMarks: {
      error: endError, cancelled: endCancelled, errorGlyph: glyph(endError), cancelledGlyph: glyph(endCancelled),
      ring: v('--at-end-ring', bg),
    },
    font: `${fontSize}px ${family}`,
  };
}

/** Canvas-normalised colour (#rrggbb or rgba()), so later parsing sees one syntax. */
function normalise(ctx: CanvasRenderingContext2D | null, c: string): string {
  if (!ctx) return c;
  ctx.fillStyle = '#000000';
  ctx.fillStyle = c;
  return String(ctx.fillStyle);
}

/** Relative luminance 0..1 (alpha ignored). */
export function luminance(ctx: CanvasRenderingContext2D | null, c: string): number {
  const n = normalise(ctx, c);
  let r = 0, g = 0, b = 0;
  const hex = /^#([0-9a-f]{6})$/i.exec(n);
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/.exec(n);
  if (hex) { const x = parseInt(hex[1], 16); r = x >> 16; g = (x >> 8) & 255; b = x & 255; }
  else if (rgb) { r = +rgb[1]; g = +rgb[2]; b = +rgb[3]; }
  const lin = (u: number) => { const s = u / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** `color` with alpha, for #rrggbb and rgb()/rgba() values; others unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  const hex = /^#([0-9a-f]{6})$/i.exec(c);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(c);
  return rgb ? `rgba(${rgb[1]},${rgb[2]},${rgb[3]}, ${alpha})` : c;
}
