/**
 * Bundles a user's program for a traced run: esbuild bundle for Node (CommonJS), with
 * sourcemaps and the site plugin. Shared by the CLI's `record` and the VS Code
 * extension's launch.
 */
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { sitePlugin } from './site-plugin';

export interface BundleProgramOptions {
  /** The program's entry (.ts or .js). */
  entry: string;
  /** Folder that sites are relative to (usually the working folder). */
  root: string;
  /** Where the bundle goes. */
  outDir: string;
  /** The runtime entry; defaults to this package's runtime (source when present, else dist). */
  runtimeEntry?: string;
  /** Build-time site marks (default true); false builds for the stack-capture fallback. */
  marks?: boolean;
}

export interface BundledProgram {
  outFile: string;
  warnings: string[];
}

/** This package's root: bundler/ sits in it (as source), dist/cli/ sits in it (bundled). */
export function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..');
}

/** The runtime every import of `async-trace/runtime` should resolve to. */
export function defaultRuntimeEntry(): string {
  const root = packageRoot();
  const source = path.join(root, 'runtime', 'index.ts');
  return existsSync(source) ? source : path.join(root, 'dist', 'runtime', 'index.js');
}

const TLA_IN_CJS = /Top-level await is currently not supported with the "cjs" output format/;

/**
 * CommonJS output by default (what the runtime and most dependencies expect); a program
 * that uses top-level await is built as an ES module instead (`.mjs`, with `require`
 * recreated for bundled CommonJS code).
 */
export async function bundleProgram(opts: BundleProgramOptions): Promise<BundledProgram> {
  try {
    return await buildAs('cjs', opts);
  } catch (e) {
    if (e instanceof Error && TLA_IN_CJS.test(e.message)) return buildAs('esm', opts);
    throw e;
  }
}

async function buildAs(format: 'cjs' | 'esm', opts: BundleProgramOptions): Promise<BundledProgram> {
  const entry = path.resolve(opts.root, opts.entry);
  mkdirSync(opts.outDir, { recursive: true });
  const outFile = path.join(opts.outDir, `${path.basename(entry).replace(/\.[cm]?[jt]sx?$/, '')}.${format === 'cjs' ? 'cjs' : 'mjs'}`);
  // The program sees itself as argv[1] (as under `node PROGRAM`), and so the tracer's
  // header names the program rather than the bundle.
  // `__asyncTraceSiteMarks` tells the tracer the program carries build-time site marks,
  // so it does not fall back to stack capture (runtime/tracer/index.ts).
  const argv1 = `process.argv[1] = ${JSON.stringify(entry)};${opts.marks === false ? '' : ' globalThis.__asyncTraceSiteMarks = true;'}`;
  const esmRequire = `import { createRequire as __atraceCreateRequire } from 'node:module'; const require = __atraceCreateRequire(import.meta.url);`;
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    sourcemap: 'linked',
    banner: { js: format === 'cjs' ? argv1 : `${esmRequire} ${argv1}` },
    logLevel: 'silent',
    absWorkingDir: opts.root,
    plugins: [sitePlugin({ root: opts.root, runtimeEntry: opts.runtimeEntry ?? defaultRuntimeEntry(), marks: opts.marks })],
  });
  return { outFile, warnings: result.warnings.map((w) => w.text) };
}
