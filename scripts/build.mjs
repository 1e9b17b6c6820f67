#!/usr/bin/env node
// One build for every entry of the product (see ../shared/design/style.md):
//   extension: node/cjs with `vscode` external, loaded by the extension host;
//   webview:   browser iife, loaded by the panel and by `async-trace view`;
//   runtime:   the library users import as `async-trace/runtime`, and the internal entry
//              (`async-trace/runtime/internal`) the tracer and the site marks use;
//   cli:       node, the `async-trace` bin.
// Flags: --watch rebuilds on change; --production minifies and drops sourcemaps;
// --outdir DIR writes somewhere other than dist/ (tests build the production bundles aside).
//
// The runtime bundles are the library users' own builds bundle again (a user's esbuild,
// webpack, or the program build of `record` / Trace Async Run when it does not keep
// them external). So after every build, a runtime bundle that imports or requires a
// package by a literal name is refused: a bundler would try to resolve it and fail.
// The runtime imports only Node's built-ins and its own files.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { packageImports } from './bundle-imports.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const outdirAt = process.argv.indexOf('--outdir');
const outdir = outdirAt >= 0 ? path.resolve(process.argv[outdirAt + 1]) : path.join(root, 'dist');

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

/** Every entry of the product; each must exist (a missing one is an error, never a smaller product). */
const entries = [
  // esbuild stays external: its JS API finds its native binary beside its own package;
  // typescript (the site plugin's parser) is 9 MB that node_modules already holds.
  { entryPoints: { 'extension/extension': 'extension/extension.ts' }, platform: 'node', format: 'cjs', external: ['vscode', 'esbuild', 'typescript'] },
  // The worker thread that builds a trace's model for findings and exports (extension/model-jobs.ts).
  { entryPoints: { 'extension/model-worker': 'extension/model-worker.ts' }, platform: 'node', format: 'cjs' },
  { entryPoints: { 'webview/main': 'webview/main.ts' }, platform: 'browser', format: 'iife', loader: { '.css': 'css' } },
  { entryPoints: { 'runtime/index': 'runtime/index.ts' }, platform: 'node', format: 'cjs', plugins: [runtimeInternalExternal] },
  { entryPoints: { 'runtime/internal': 'runtime/internal.ts' }, platform: 'node', format: 'cjs' },
  { entryPoints: { 'runtime/worker': 'runtime/executor/worker-main.ts' }, platform: 'node', format: 'cjs' },
  { entryPoints: { 'cli/async-trace': 'cli/main.ts' }, platform: 'node', format: 'cjs', external: ['esbuild', 'typescript'], banner: { js: '#!/usr/bin/env node' } },
];

const missing = entries.flatMap((e) => Object.values(e.entryPoints)).filter((src) => !existsSync(path.join(root, src)));
if (missing.length) {
  console.error(`build: entry source not found: ${missing.join(', ')} (moved or renamed? update the entries in scripts/build.mjs)`);
  process.exit(1);
}
const options = entries.map((e) => ({ ...common, ...e, outdir }));

function checkRuntimeBundles() {
  for (const name of ['runtime/index.js', 'runtime/internal.js', 'runtime/worker.js']) {
    const file = path.join(outdir, name);
    if (!existsSync(file)) continue;
    const bad = packageImports(readFileSync(file, 'utf8'));
    if (bad.length > 0) {
      console.error(`${path.relative(root, file)} imports ${bad.map((b) => `"${b}"`).join(', ')} by name: ` +
        'a bundler that bundles the runtime again would try to resolve it. Build the specifier at run time or drop the import.');
      process.exit(1);
    }
  }
}

if (watch) {
  for (const o of options) {
    const ctx = await esbuild.context(o);
    await ctx.watch();
  }
  console.log(`watching ${options.length} entries`);
} else {
  const t0 = Date.now();
  await Promise.all(options.map((o) => esbuild.build(o)));
  checkRuntimeBundles();
  console.log(`built ${options.length} entries in ${Date.now() - t0} ms`);
}
