/**
 * The webview's stylesheet, injected at start-up so the one bundle works in the
 * VS Code panel (which allows inline styles under its CSP) and standalone.
 *
 * Colours come from VS Code's theme variables (--vscode-*) with fallbacks for a
 * plain browser, where `prefers-color-scheme` picks light or dark. The chart's own
 * palette is a set of --at-* variables that the canvas renderer reads back through
 * getComputedStyle, so the canvas and the DOM always agree.
 */
const css = `
:root {
  --at-bg: var(--vscode-editor-background, #ffffff);
  --at-fg: var(--vscode-editor-foreground, #1f2328);
  --at-muted: var(--vscode-descriptionForeground, #636c76);
  --at-border: var(--vscode-panel-border, var(--vscode-widget-border, #d0d7de));
  --at-accent: var(--vscode-focusBorder, #0969da);
  --at-lane-alt: rgba(128, 128, 128, 0.07);
  --at-input-bg: var(--vscode-input-background, #ffffff);
  --at-input-fg: var(--vscode-input-foreground, #1f2328);
  --at-button-bg: var(--vscode-button-secondaryBackground, #eaeef2);
  --at-button-fg: var(--vscode-button-secondaryForeground, #1f2328);
  --at-hover-bg: var(--vscode-editorHoverWidget-background, #f6f8fa);
  --at-hover-border: var(--vscode-editorHoverWidget-border, #d0d7de);
  --at-row-hover: var(--vscode-list-hoverBackground, rgba(128,128,128,0.12));
  --at-row-selected: var(--vscode-list-activeSelectionBackground, rgba(9,105,218,0.18));
  --at-font: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  --at-mono: var(--vscode-editor-font-family, ui-monospace, "Cascadia Code", Menlo, monospace);
  --at-color-life: rgba(128, 128, 128, 0.28);
  --at-color-run: var(--vscode-charts-green, #2da44e);
  --at-color-hold: #8250df;
  --at-color-wait: var(--vscode-charts-red, #cf222e);
  --at-color-level: var(--vscode-charts-blue, #0969da);
  --at-color-await-sleep: #7aa6da;
  --at-color-await-lock: #e5534b;
  --at-color-await-semaphore: #e0823d;
  --at-color-await-event: #d4a72c;
  --at-color-await-condition: #c69026;
  --at-color-await-queue: #3fb4a8;
  --at-color-await-barrier: #a371f7;
  --at-color-await-future: #6e9be0;
  --at-color-await-task: #57ab5a;
  --at-color-await-gather: #8fb573;
  --at-color-await-wait: #9ab36d;
  --at-color-await-executor: #db61a2;
  --at-color-await-io: #4aa3c7;
  --at-color-await-timer: #96a0ad;
  --at-color-await-promise: #b4bcc6;
  /* End markers: a task that failed, a task that was cancelled (VS Code's error and warning colours). */
  --at-end-error: var(--vscode-errorForeground, #cf222e);
  --at-end-cancelled: var(--vscode-editorWarning-foreground, #bf8700);
}
@media (prefers-color-scheme: dark) {
  :root {
    --at-bg: var(--vscode-editor-background, #1e1e1e);
    --at-fg: var(--vscode-editor-foreground, #d4d4d4);
    --at-muted: var(--vscode-descriptionForeground, #9da5b4);
    --at-border: var(--vscode-panel-border, var(--vscode-widget-border, #3c3c3c));
    --at-accent: var(--vscode-focusBorder, #4da3ff);
    --at-input-bg: var(--vscode-input-background, #2b2b2b);
    --at-input-fg: var(--vscode-input-foreground, #d4d4d4);
    --at-button-bg: var(--vscode-button-secondaryBackground, #3a3d41);
    --at-button-fg: var(--vscode-button-secondaryForeground, #e0e0e0);
    --at-hover-bg: var(--vscode-editorHoverWidget-background, #252526);
    --at-hover-border: var(--vscode-editorHoverWidget-border, #454545);
    --at-end-error: var(--vscode-errorForeground, #f85149);
    --at-end-cancelled: var(--vscode-editorWarning-foreground, #d29922);
  }
}
body.vscode-high-contrast, body.vscode-high-contrast-light { --at-lane-alt: transparent; --at-color-life: transparent; --at-box-border: var(--vscode-contrastBorder, #6fc3df); }
/* High contrast: end markers in the theme's error and warning colours (HC fallbacks), ringed with the contrast border. */
body.vscode-high-contrast { --at-end-error: var(--vscode-errorForeground, #f48771); --at-end-cancelled: var(--vscode-editorWarning-foreground, #ffd700); --at-end-ring: var(--vscode-contrastBorder, #6fc3df); }
body.vscode-high-contrast-light { --at-end-error: var(--vscode-errorForeground, #b5200d); --at-end-cancelled: var(--vscode-editorWarning-foreground, #895503); --at-end-ring: var(--vscode-contrastBorder, #0f4a85); }
html, body { margin: 0; padding: 0; height: 100%; background: var(--at-bg); color: var(--at-fg); font-family: var(--at-font); font-size: 13px; }
/* A panel too short for chart, details and table scrolls as a whole rather than overlapping them. */
.at-root { display: flex; flex-direction: column; height: 100vh; overflow-x: hidden; overflow-y: auto; }
.at-toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 6px 8px; border-bottom: 1px solid var(--at-border); }
.at-title { font-weight: 600; margin-right: 8px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 30ch; }
.at-toolbar input, .at-toolbar select { background: var(--at-input-bg); color: var(--at-input-fg); border: 1px solid var(--at-border); padding: 3px 6px; font: inherit; }
.at-toolbar button, .at-details button { background: var(--at-button-bg); color: var(--at-button-fg); border: 1px solid var(--at-border); padding: 3px 8px; font: inherit; cursor: pointer; border-radius: 2px; }
.at-toolbar button:focus-visible, .at-details button:focus-visible, canvas:focus-visible, th:focus-visible, tr:focus-visible { outline: 1px solid var(--at-accent); outline-offset: -1px; }
.at-status { color: var(--at-muted); margin-left: auto; white-space: nowrap; }
.at-legend { display: flex; flex-wrap: wrap; gap: 4px 12px; padding: 4px 8px; border-bottom: 1px solid var(--at-border); color: var(--at-muted); font-size: 12px; }
.at-legend label { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; }
.at-legend input { margin: 0; }
.at-chip { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
/* Legend chips of the end markers: the same shape and glyph as on the canvas. */
.at-end-chip { display: inline-flex; align-items: center; justify-content: center; width: 12px; height: 12px; font: bold 10px/1 var(--at-font); box-sizing: border-box; }
.at-end-chip.at-end-error { border-radius: 50%; }
.at-end-chip.at-end-cancelled { border-radius: 1px; }
.at-main { display: flex; flex: 1 1 auto; min-height: 240px; }
.at-chart { position: relative; flex: 1 1 auto; min-width: 0; }
.at-chart canvas { position: absolute; inset: 0; width: 100%; height: 100%; cursor: default; }
.at-tooltip { position: absolute; pointer-events: none; background: var(--at-hover-bg); border: 1px solid var(--at-hover-border); padding: 4px 8px; font-size: 12px; max-width: 420px; white-space: pre-line; z-index: 2; box-shadow: 0 2px 8px rgba(0,0,0,0.2); }
.at-details { width: 300px; flex: 0 0 auto; border-left: 1px solid var(--at-border); padding: 8px; overflow: auto; font-size: 12px; }
.at-details h3 { margin: 0 0 6px; font-size: 13px; }
.at-details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; margin: 0 0 8px; }
.at-details dt { color: var(--at-muted); }
.at-details dd { margin: 0; word-break: break-all; }
.at-details ol { margin: 0; padding-left: 18px; font-family: var(--at-mono); }
.at-details .at-nav { display: flex; gap: 6px; margin: 8px 0; }
.at-link { color: var(--vscode-textLink-foreground, var(--at-accent)); cursor: pointer; text-decoration: underline; font-family: var(--at-mono); }
/* The table scrolls inside its own box both ways (headers stick to the top, resource names to the left). */
.at-table-wrap { flex: 0 0 auto; max-height: 32vh; min-height: 3.5em; max-width: 100%; overflow: auto; border-top: 1px solid var(--at-border); }
.at-table { border-collapse: collapse; width: 100%; font-size: 12px; font-variant-numeric: tabular-nums; }
.at-table th, .at-table td { padding: 3px 8px; text-align: right; border-bottom: 1px solid var(--at-border); white-space: nowrap; }
.at-table th:first-child, .at-table td:first-child, .at-table td.at-sites { text-align: left; }
.at-table th { position: sticky; top: 0; z-index: 1; background: var(--at-bg); cursor: pointer; user-select: none; }
.at-table th:first-child, .at-table td:first-child { position: sticky; left: 0; z-index: 1; background: var(--at-bg); box-shadow: inset -1px 0 0 var(--at-border); max-width: 24ch; overflow: hidden; text-overflow: ellipsis; }
.at-table th:first-child { z-index: 2; }
.at-table th[aria-sort="ascending"]::after { content: " ▲"; }
.at-table th[aria-sort="descending"]::after { content: " ▼"; }
.at-table tbody tr { cursor: pointer; }
.at-table tbody tr:hover { background: var(--at-row-hover); }
.at-table tbody tr[aria-selected="true"] { background: var(--at-row-selected); }
/* The sticky name cell is opaque (rows scroll under it): the row colour is layered over the background. */
.at-table tbody tr:hover td:first-child { background: linear-gradient(var(--at-row-hover), var(--at-row-hover)), var(--at-bg); }
.at-table tbody tr[aria-selected="true"] td:first-child { background: linear-gradient(var(--at-row-selected), var(--at-row-selected)), var(--at-bg); }
.at-sites { font-family: var(--at-mono); color: var(--at-muted); max-width: 28ch; overflow: hidden; text-overflow: ellipsis; }
.at-empty { position: absolute; inset: 0; display: flex; flex-direction: column; align-items: center; justify-content: center; padding: 2em; text-align: center; background: var(--at-bg); z-index: 3; }
.at-empty h1 { font-weight: 400; font-size: 1.6em; margin: 0 0 0.5em; }
.at-empty p { color: var(--at-muted); max-width: 40em; line-height: 1.5; }
[hidden] { display: none !important; }
/* A narrow panel (the editor split beside it): the details pane moves below the
   chart so the canvas keeps the full width; the chart keeps most of the height. */
@media (max-width: 799px) {
  .at-main { flex-direction: column; }
  .at-chart { flex: 1 1 60%; min-height: 160px; }
  .at-main { min-height: 260px; }
  .at-details { width: auto; flex: 0 1 auto; min-height: 64px; max-height: 30vh; border-left: none; border-top: 1px solid var(--at-border); }
  .at-table th, .at-table td { padding: 3px 5px; }
  .at-table th { white-space: normal; }
  .at-sites { max-width: 18ch; }
  .at-details dl { grid-template-columns: max-content 1fr max-content 1fr; }
  .at-title { max-width: 20ch; }
}
`;

/** Adds the stylesheet once; reuses the page's script nonce when it has one (CSP). */
export function installStyles(doc: Document): void {
  installStyleSheet(doc, 'at-styles', css);
}

/** Adds the stylesheet `text` as `<style id>` once, with the page's script nonce (CSP). */
export function installStyleSheet(doc: Document, id: string, text: string): void {
  if (doc.getElementById(id)) return;
  const style = doc.createElement('style');
  style.id = id;
  // Browsers hide the nonce attribute after load; the property keeps it.
  const nonce = [...doc.querySelectorAll('script')].map((s) => s.nonce).find((n) => n);
  if (nonce) style.setAttribute('nonce', nonce);
  style.textContent = text;
  doc.head.appendChild(style);
}
