/**
 * Bundles a user's program for a traced run: esbuild bundle for Node (CommonJS), with
 * sourcemaps and the site plugin. Shared by the CLI's `record` and the VS Code
 * extension's launch.
 */
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  /** The runtime the program was built against. */
  runtime: RuntimeChoice;
}

/** Which copy of `async-trace/runtime` a program is built against, and why. */
export interface RuntimeChoice {
  /** The runtime entry file (TS source in this repository, else a built dist/runtime/index.js). */
  entry: string;
  /** 'project': the user's project has async-trace installed; 'own': the copy that ships with this tool. */
  origin: 'project' | 'own';
  /** The package's version from its package.json. */
  version: string;
  /** The package's folder. */
  packageDir: string;
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

function versionOf(packageDir: string): string {
  try {
    return String((JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

/**
 * The runtime a program should be built against: the copy of `async-trace` installed in
 * the program's own project (found the way Node would resolve `async-trace/runtime` from
 * the program, so its version and its types are the ones the user's editor sees), else
 * this package's own. This package resolving to itself (its examples, its tests) counts
 * as its own copy, so the repository keeps building against the TS source.
 */
export function chooseRuntime(program: string): RuntimeChoice {
  const own = packageRoot();
  try {
    const entry = createRequire(path.resolve(program)).resolve('async-trace/runtime');
    const packageDir = path.resolve(path.dirname(entry), '..', '..');
    if (packageDir !== own && existsSync(path.join(packageDir, 'package.json'))) {
      return { entry, origin: 'project', version: versionOf(packageDir), packageDir };
    }
  } catch {
    // Not installed in the program's project: use this package's copy.
  }
  return { entry: defaultRuntimeEntry(), origin: 'own', version: versionOf(own), packageDir: own };
}

/** One line for the output channel and the CLI: which runtime, which version, from where. */
export function describeRuntime(r: RuntimeChoice): string {
  return r.origin === 'project'
    ? `async-trace ${r.version} installed in the project (${r.packageDir})`
    : `async-trace ${r.version} shipped with this tool (the project has no async-trace installed)`;
}

const TLA_IN_CJS = /Top-level await is currently not supported with the "cjs" output format/;

/**
 * CommonJS output by default (what the runtime and most dependencies expect); a program
 * that uses top-level await is built as an ES module instead (`.mjs`, with `require`
 * recreated for bundled CommonJS code).
 */
export async function bundleProgram(opts: BundleProgramOptions): Promise<BundledProgram> {
  const runtime: RuntimeChoice = opts.runtimeEntry
    ? { entry: opts.runtimeEntry, origin: 'own', version: versionOf(packageRoot()), packageDir: packageRoot() }
    : chooseRuntime(path.resolve(opts.root, opts.entry));
  try {
    return await buildEither(opts, runtime, true);
  } catch (e) {
    if (opts.marks === false || !isBuildFailure(e)) throw e;
    // Errors in the user's words: the marked text is not what the user wrote (a syntax
    // error read `Expected ";" but found "__atrace"`), so the same program is built
    // again, unmarked and unwritten, and its errors are reported instead. Only when the
    // unmarked program builds (the marks themselves broke it) do the first errors stand.
    try {
      await buildEither({ ...opts, marks: false }, runtime, false);
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

async function buildEither(opts: BundleProgramOptions, runtime: RuntimeChoice, write: boolean): Promise<BundledProgram> {
  try {
    return await buildAs('cjs', opts, runtime, write);
  } catch (e) {
    if (e instanceof Error && TLA_IN_CJS.test(e.message)) return buildAs('esm', opts, runtime, write);
    throw e;
  }
}

async function buildAs(format: 'cjs' | 'esm', opts: BundleProgramOptions, runtime: RuntimeChoice, write: boolean): Promise<BundledProgram> {
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
    plugins: [sitePlugin({ root: opts.root, runtimeEntry: runtime.entry, marks: opts.marks })],
  });
  const runtimeDirs = runtimeSourceDirs(runtime.entry);
  if (write) markIgnoredSources(`${outFile}.map`, runtimeDirs);
  return {
    outFile,
    warnings: result.warnings.map((w) => w.text),
    skipFiles: [...runtimeDirs.map((d) => `${d.split(path.sep).join('/')}/**`), MARKS_SOURCE_GLOB],
    runtime,
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
