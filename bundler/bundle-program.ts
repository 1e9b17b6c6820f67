/**
 * Bundles a user's program for a traced run: esbuild bundle for Node (CommonJS), with
 * sourcemaps and the site plugin. Shared by the CLI's `record` and the VS Code
 * extension's launch.
 */
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isMarksSource, MARKS_SOURCE_GLOB } from './marked-text';
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
  /**
   * js-debug `skipFiles` globs for code the user never wrote (the runtime's sources, the
   * marks companion sources): stepping never stops there. The bundle's map lists the
   * same sources in `ignoreList`.
   */
  skipFiles: string[];
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
    return await buildEither(opts, true);
  } catch (e) {
    if (opts.marks === false || !isBuildFailure(e)) throw e;
    // Errors in the user's words: the marked text is not what the user wrote (a syntax
    // error read `Expected ";" but found "__atrace"`), so the same program is built
    // again, unmarked and unwritten, and its errors are reported instead. Only when the
    // unmarked program builds (the marks themselves broke it) do the first errors stand.
    try {
      await buildEither({ ...opts, marks: false }, false);
    } catch (plain) {
      if (isBuildFailure(plain)) throw plain;
    }
    throw e;
  }
}

/** An esbuild failure (errors with locations), as opposed to an I/O or internal error. */
function isBuildFailure(e: unknown): e is esbuild.BuildFailure {
  return e instanceof Error && Array.isArray((e as Partial<esbuild.BuildFailure>).errors) && (e as esbuild.BuildFailure).errors.length > 0;
}

async function buildEither(opts: BundleProgramOptions, write: boolean): Promise<BundledProgram> {
  try {
    return await buildAs('cjs', opts, write);
  } catch (e) {
    if (e instanceof Error && TLA_IN_CJS.test(e.message)) return buildAs('esm', opts, write);
    throw e;
  }
}

async function buildAs(format: 'cjs' | 'esm', opts: BundleProgramOptions, write: boolean): Promise<BundledProgram> {
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
    write,
    absWorkingDir: opts.root,
    plugins: [sitePlugin({ root: opts.root, runtimeEntry: opts.runtimeEntry ?? defaultRuntimeEntry(), marks: opts.marks })],
  });
  const runtimeDirs = runtimeSourceDirs(opts.runtimeEntry ?? defaultRuntimeEntry());
  if (write) markIgnoredSources(`${outFile}.map`, runtimeDirs);
  return {
    outFile,
    warnings: result.warnings.map((w) => w.text),
    skipFiles: [...runtimeDirs.map((d) => `${d.split(path.sep).join('/')}/**`), MARKS_SOURCE_GLOB],
  };
}

/**
 * Folders whose sources are the runtime's, not the user's: the runtime entry's folder,
 * and in the package it comes from (`<pkg>/runtime/index.ts` or
 * `<pkg>/dist/runtime/index.js`) its runtime/, trace/ (the encoder it bundles) and dist/.
 */
export function runtimeSourceDirs(runtimeEntry: string): string[] {
  const dir = path.dirname(path.resolve(runtimeEntry));
  if (path.basename(dir) !== 'runtime') return [dir];
  const parent = path.dirname(dir);
  const pkg = path.basename(parent) === 'dist' ? path.dirname(parent) : parent;
  return [...new Set([dir, ...['runtime', 'trace', 'dist'].map((d) => path.join(pkg, d))])];
}

/**
 * Lists the runtime's sources and the marks companions in the bundle map's `ignoreList`
 * (and its older name `x_google_ignoreList`), so debuggers that read it step over them.
 */
function markIgnoredSources(mapFile: string, runtimeDirs: readonly string[]): void {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; ignoreList?: number[]; x_google_ignoreList?: number[] };
  const base = path.dirname(mapFile);
  const inside = (file: string): boolean => runtimeDirs.some((d) => file === d || file.startsWith(d + path.sep));
  const ignored: number[] = [];
  map.sources.forEach((s, i) => {
    const file = path.resolve(base, s);
    if (inside(file) || isMarksSource(file)) ignored.push(i);
  });
  map.ignoreList = ignored;
  map.x_google_ignoreList = ignored;
  writeFileSync(mapFile, JSON.stringify(map));
}
