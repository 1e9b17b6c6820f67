/**
 * The HTML documents the trace panel loads. Set once per webview (re-assigning the
 * HTML reloads the page); everything after that is postMessage.
 *
 * Security: CSP `default-src 'none'`, scripts only with the per-load nonce, resources
 * only from the webview's own source (localResourceRoots = dist/webview).
 */
import { randomBytes } from 'node:crypto';

export interface PageResources {
  cspSource: string;
  /** Webview URI of dist/webview/main.js, or undefined when the webview bundle is not built. */
  script: string | undefined;
  /** Webview URI of dist/webview/main.css when the bundle emitted one. */
  style: string | undefined;
}

export const emptyState = {
  message: 'No trace yet',
  hint: 'Open a .ts or .js file that imports async-trace/runtime and run "Trace Async Run" from the Command Palette (F1), '
    + 'or open a saved .atrace file with "Async Trace: Open Trace File".',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function head(r: PageResources, nonce: string): string {
  const csp = [
    "default-src 'none'",
    `img-src ${r.cspSource} data:`,
    `font-src ${r.cspSource}`,
    `style-src ${r.cspSource} 'nonce-${nonce}' 'unsafe-inline'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Async Trace</title>${r.style ? `\n<link rel="stylesheet" href="${r.style}">` : ''}`;
}

/** The page: the webview bundle when built, else a minimal page that still shows the real empty state. */
export function panelHtml(r: PageResources): string {
  const nonce = randomBytes(18).toString('base64');
  if (r.script) {
    return `<!DOCTYPE html>
<html lang="en"><head>${head(r, nonce)}</head>
<body><div id="app"></div><script nonce="${nonce}" src="${r.script}"></script></body></html>`;
  }
  return `<!DOCTYPE html>
<html lang="en"><head>${head(r, nonce)}
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 2em; }
  h1 { font-weight: 400; font-size: 1.6em; }
  #hint { color: var(--vscode-descriptionForeground); max-width: 40em; line-height: 1.5; }
  #status { margin-top: 1.5em; font-family: var(--vscode-editor-font-family); }
</style></head>
<body>
<h1 id="message">${escapeHtml(emptyState.message)}</h1>
<p id="hint">${escapeHtml(emptyState.hint)}</p>
<p id="status"></p>
<script nonce="${nonce}">
  // Without the flame-chart bundle this page only reports what arrives.
  const api = acquireVsCodeApi();
  const text = (id, s) => { document.getElementById(id).textContent = s; };
  let bytes = 0;
  window.addEventListener('message', (e) => {
    const m = e.data;
    if (m.type === 'empty') { text('message', m.message); text('hint', m.hint); text('status', ''); bytes = 0; }
    else if (m.type === 'reset') { bytes = 0; text('message', m.title); text('hint', 'Recording…'); text('status', ''); }
    else if (m.type === 'chunk') { bytes += m.bytes.byteLength; text('status', bytes + ' bytes received'); }
    else if (m.type === 'end') { text('hint', m.message); }
  });
  api.postMessage({ type: 'ready' });
</script></body></html>`;
}
