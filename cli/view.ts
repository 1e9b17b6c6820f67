/**
 * `async-trace view FILE [-o OUT.html]`: a standalone HTML page with the webview bundle
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

export function viewerHtml(bytes: Uint8Array, title: string, bundle: { js: string; css: string }): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/.{1,76}/g, '$&\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} - async-trace</title>
<style>${inlineSafe(bundle.css, 'style')}</style>
</head>
<body>
<script type="application/octet-stream" id="atrace-data" data-title="${esc(title)}">
${b64}</script>
<script>${inlineSafe(bundle.js, 'script')}</script>
</body>
</html>
`;
}

export function writeViewer(file: string, bytes: Uint8Array, title: string, out: string | undefined): string {
  const bundle = webviewBundle();
  if (!bundle) throw new Error('the webview bundle (dist/webview/main.js) is not built; run `npm run build`');
  const target = path.resolve(out ?? file.replace(/\.atrace$/, '') + '.html');
  writeFileSync(target, viewerHtml(bytes, title, bundle));
  return target;
}
