#!/usr/bin/env node
// One build for every entry of the product (see ../shared/design/style.md):
//   extension: node/cjs with `vscode` external, loaded by the extension host;
//   webview:   browser iife, loaded by the panel and by `async-trace view`;
//   runtime:   the library users import as `async-trace/runtime`, and the internal entry
//              (`async-trace/runtime/internal`) the tracer and the site marks use;
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

/**
 * The public runtime entry re-exports from ./internal; built, it must require
 * ./internal.js instead of bundling a second copy of the runtime (two `hooks`, two
 * site tables: a program importing both entries would trace nothing).
 */
const runtimeInternalExternal = {
  name: 'runtime-internal-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/internal$/, namespace: 'file' }, (args) =>
      path.resolve(args.resolveDir) === path.join(root, 'runtime') ? { path: './internal.js', external: true } : undefined);
  },
};

/** Every entry of the product; an entry whose source is not there yet is skipped. */
const entries = [
  // esbuild stays external: its JS API finds its native binary beside its own package;
  // typescript (the site plugin's parser) is 9 MB that node_modules already holds.
  { entryPoints: { 'extension/extension': 'extension/extension.ts' }, platform: 'node', format: 'cjs', external: ['vscode', 'esbuild', 'typescript'] },
  { entryPoints: { 'webview/main': 'webview/main.ts' }, platform: 'browser', format: 'iife', loader: { '.css': 'css' } },
  { entryPoints: { 'runtime/index': 'runtime/index.ts' }, platform: 'node', format: 'cjs', plugins: [runtimeInternalExternal] },
  { entryPoints: { 'runtime/internal': 'runtime/internal.ts' }, platform: 'node', format: 'cjs' },
  { entryPoints: { 'runtime/worker': 'runtime/executor/worker-main.ts' }, platform: 'node', format: 'cjs' },
  { entryPoints: { 'cli/async-trace': 'cli/main.ts' }, platform: 'node', format: 'cjs', external: ['esbuild', 'typescript'], banner: { js: '#!/usr/bin/env node' } },
];

const active = entries.filter((e) => Object.values(e.entryPoints).every((src) => existsSync(path.join(root, src))));
const options = active.map((e) => ({ ...common, ...e, outdir: path.join(root, 'dist') }));

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
