#!/usr/bin/env node
// One build for every entry of the product (see ../shared/design/style.md):
//   extension: node/cjs with `vscode` external, loaded by the extension host;
//   webview:   browser iife, loaded by the panel and by `async-trace view`;
//   runtime:   the library users import as `async-trace/runtime`;
//   cli:       node, the `async-trace` bin.
// Flags: --watch rebuilds on change; --production minifies and drops sourcemaps.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  target: 'es2022',
};

/** Every entry of the product; each must exist (a missing one is an error, never a smaller product). */
const entries = [
  // esbuild stays external: its JS API finds its native binary beside its own package;
  // typescript (the site plugin's parser) is 9 MB that node_modules already holds.
  { entryPoints: { 'extension/extension': 'extension/extension.ts' }, platform: 'node', format: 'cjs', external: ['vscode', 'esbuild', 'typescript'] },
  { entryPoints: { 'webview/main': 'webview/main.ts' }, platform: 'browser', format: 'iife', loader: { '.css': 'css' } },
  { entryPoints: { 'runtime/index': 'runtime/index.ts' }, platform: 'node', format: 'cjs' },
  { entryPoints: { 'runtime/worker': 'runtime/executor/worker-main.ts' }, platform: 'node', format: 'cjs' },
  { entryPoints: { 'cli/async-trace': 'cli/main.ts' }, platform: 'node', format: 'cjs', external: ['esbuild', 'typescript'], banner: { js: '#!/usr/bin/env node' } },
];

const missing = entries.flatMap((e) => Object.values(e.entryPoints)).filter((src) => !existsSync(path.join(root, src)));
if (missing.length) {
  console.error(`build: entry source not found: ${missing.join(', ')} (moved or renamed? update the entries in scripts/build.mjs)`);
  process.exit(1);
}
const options = entries.map((e) => ({ ...common, ...e, outdir: path.join(root, 'dist') }));

if (watch) {
  for (const o of options) {
    const ctx = await esbuild.context(o);
    await ctx.watch();
  }
  console.log(`watching ${options.length} entries`);
} else {
  const t0 = Date.now();
  await Promise.all(options.map((o) => esbuild.build(o)));
  console.log(`built ${options.length} entries in ${Date.now() - t0} ms`);
}
