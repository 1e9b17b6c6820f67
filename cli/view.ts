/**
 * `async-trace view FILE [-o OUT.html] [--inline]` (and `view A B`, the compare view,
 * always one page with both traces inside): a standalone HTML page with the
 * webview bundle (dist/webview/main.js, built by scripts/build.mjs) inlined. The trace
 * goes in a data file next to the page (`OUT.data.js`, the bytes in base64 parts), which
 * the bundle's standalone host loads as a script (webview/standalone-data.ts): a page
 * opened from file:// may load a sibling script, but Chromium blocks its fetch of a
 * sibling file. `--inline` puts the bytes inside the page instead (one file to mail
 * around; the whole trace is then one string in the page's DOM and heap). `--serve`:
 * see view-server.ts.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, writeFileSync, writeSync, statSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../bundler/bundle-program';

/** Text inside a <script> or <style> must not close the element early. */
function inlineSafe(text: string, tag: 'script' | 'style'): string {
  return text.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);
}

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function webviewBundle(): { js: string; css: string } | undefined {
  const dir = path.join(packageRoot(), 'dist', 'webview');
  const js = path.join(dir, 'main.js');
  if (!existsSync(js)) return undefined;
  const css = path.join(dir, 'main.css');
  return { js: readFileSync(js, 'utf8'), css: existsSync(css) ? readFileSync(css, 'utf8') : '' };
}

export interface WebviewBundle { js: string; css: string }

const base64Lines = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/.{1,76}/g, '$&\n');

export function viewerHtml(bytes: Uint8Array, title: string, bundle: WebviewBundle): string {
  return pageHtml(title, bundle, '', `\n${base64Lines(bytes)}`);
}

/**
 * The compare page (`view A B`): both traces inside it, as `atrace-data-a` and
 * `atrace-data-b` (webview/host.ts shows the compare view when both are there).
 */
export function compareHtml(a: { bytes: Uint8Array; title: string }, b: { bytes: Uint8Array; title: string }, bundle: WebviewBundle): string {
  const data = (id: string, t: { bytes: Uint8Array; title: string }) =>
    `<script type="application/octet-stream" id="${id}" data-title="${esc(t.title)}">\n${base64Lines(t.bytes)}</script>`;
  return pageShell(`${a.title} vs ${b.title}`, bundle, `${data('atrace-data-a', a)}\n${data('atrace-data-b', b)}`);
}

/**
 * A page whose trace is elsewhere: `attrs` are the data element's attributes
 * (`data-src` a sibling data script, `data-fetch` a URL; `data-bytes` the size).
 */
export function externalViewerHtml(title: string, bundle: WebviewBundle, attrs: { src?: string; fetch?: string; bytes: number }): string {
  const a = [attrs.src !== undefined ? ` data-src="${esc(encodeURIComponent(attrs.src))}"` : '', attrs.fetch !== undefined ? ` data-fetch="${esc(attrs.fetch)}"` : '', ` data-bytes="${attrs.bytes}"`].join('');
  return pageHtml(title, bundle, a, '');
}

function pageHtml(title: string, bundle: WebviewBundle, dataAttrs: string, dataText: string): string {
  return pageShell(title, bundle, `<script type="application/octet-stream" id="atrace-data" data-title="${esc(title)}"${dataAttrs}>${dataText}</script>`);
}

function pageShell(title: string, bundle: WebviewBundle, data: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} - async-trace</title>
<style>${inlineSafe(bundle.css, 'style')}</style>
</head>
<body>
${data}
<script>${inlineSafe(bundle.js, 'script')}</script>
</body>
</html>
`;
}

/** Bytes per `part(...)` call of a data file: a multiple of 3, so no part but the last has base64 padding. */
const DATA_PART_BYTES = 3 << 18;

/**
 * Writes the data script for `traceFile` to `out`, reading the trace in parts, so
 * neither the file nor its base64 is ever one piece in memory.
 */
export function writeDataScript(traceFile: string, out: string): number {
  const size = statSync(traceFile).size;
  const inFd = openSync(traceFile, 'r');
  const outFd = openSync(out, 'w');
  try {
    writeSync(outFd, `/* async-trace: the bytes of ${path.basename(traceFile).replace(/\*\//g, '* /')} for the page beside this file (webview/standalone-data.ts) */\nasyncTraceData.begin(${size});\n`);
    const buf = Buffer.alloc(DATA_PART_BYTES);
    for (;;) {
      let n = 0;
      // Fill whole parts (reads may return less), so only the last part is short.
      while (n < buf.length) {
        const r = readSync(inFd, buf, n, buf.length - n, null);
        if (r === 0) break;
        n += r;
      }
      if (n === 0) break;
      writeSync(outFd, `asyncTraceData.part("${buf.toString('base64', 0, n)}");\n`);
      if (n < buf.length) break;
    }
    writeSync(outFd, 'asyncTraceData.end();\n');
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
  return size;
}

export function requireBundle(): WebviewBundle {
  const bundle = webviewBundle();
  if (!bundle) throw new Error('the webview bundle (dist/webview/main.js) is not built; run `npm run build`');
  return bundle;
}

/**
 * Writes the page for `file` (default FILE.html beside it) and, unless `inline`, its
 * data file (PAGE.data.js beside the page); returns the page's path.
 */
export function writeViewer(file: string, title: string, out: string | undefined, options: { inline?: boolean } = {}): string {
  const bundle = requireBundle();
  const target = path.resolve(out ?? file.replace(/\.atrace$/, '') + '.html');
  if (options.inline) {
    writeFileSync(target, viewerHtml(new Uint8Array(readFileSync(file)), title, bundle));
    return target;
  }
  const data = target.replace(/\.html?$/i, '') + '.data.js';
  const size = writeDataScript(file, data);
  writeFileSync(target, externalViewerHtml(title, bundle, { src: path.basename(data), bytes: size }));
  return target;
}

/** `view A B`: one page holding both traces, OUT or `<A>-vs-<B>.html` beside B. */
export function writeCompareViewer(a: { file: string; bytes: Uint8Array }, b: { file: string; bytes: Uint8Array }, out: string | undefined): string {
  const bundle = requireBundle();
  const base = (f: string) => path.basename(f).replace(/\.atrace$/, '');
  const target = path.resolve(out ?? path.join(path.dirname(b.file), `${base(a.file)}-vs-${base(b.file)}.html`));
  writeFileSync(target, compareHtml({ bytes: a.bytes, title: path.basename(a.file) }, { bytes: b.bytes, title: path.basename(b.file) }, bundle));
  return target;
}
