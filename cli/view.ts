/**
 * `async-trace view FILE [-o OUT.html]` (and `view A B`, the compare view): a standalone HTML page with the webview bundle
 * (dist/webview/main.js, built by scripts/build.mjs) inlined and the trace bytes in
 * `<script type="application/octet-stream" id="atrace-data">` as base64, which the
 * bundle's standalone host reads (webview/host.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

/** One trace as a data script the standalone host reads (`id` atrace-data, or atrace-data-a/-b to compare). */
function dataScript(id: string, bytes: Uint8Array, title: string): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/.{1,76}/g, '$&\n');
  return `<script type="application/octet-stream" id="${id}" data-title="${esc(title)}">\n${b64}</script>`;
}

function page(title: string, data: string, bundle: { js: string; css: string }): string {
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

export function viewerHtml(bytes: Uint8Array, title: string, bundle: { js: string; css: string }): string {
  return page(title, dataScript('atrace-data', bytes, title), bundle);
}

/** The compare page (`view A B`): both traces, A first. */
export function compareHtml(a: { bytes: Uint8Array; title: string }, b: { bytes: Uint8Array; title: string }, bundle: { js: string; css: string }): string {
  return page(`${a.title} vs ${b.title}`, `${dataScript('atrace-data-a', a.bytes, a.title)}\n${dataScript('atrace-data-b', b.bytes, b.title)}`, bundle);
}

function bundleOrThrow(): { js: string; css: string } {
  const bundle = webviewBundle();
  if (!bundle) throw new Error('the webview bundle (dist/webview/main.js) is not built; run `npm run build`');
  return bundle;
}

export function writeViewer(file: string, bytes: Uint8Array, title: string, out: string | undefined): string {
  const bundle = bundleOrThrow();
  const target = path.resolve(out ?? file.replace(/\.atrace$/, '') + '.html');
  writeFileSync(target, viewerHtml(bytes, title, bundle));
  return target;
}

/** `view A B`: writes OUT, or `<A>-vs-<B>.html` beside B. */
export function writeCompareViewer(a: { file: string; bytes: Uint8Array }, b: { file: string; bytes: Uint8Array }, out: string | undefined): string {
  const bundle = bundleOrThrow();
  const base = (f: string) => path.basename(f).replace(/\.atrace$/, '');
  const target = path.resolve(out ?? path.join(path.dirname(b.file), `${base(a.file)}-vs-${base(b.file)}.html`));
  writeFileSync(target, compareHtml({ bytes: a.bytes, title: path.basename(a.file) }, { bytes: b.bytes, title: path.basename(b.file) }, bundle));
  return target;
}
