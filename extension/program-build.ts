/**
 * Builds the program to trace with the project's bundler (bundler/bundle-program.ts:
 * esbuild bundle for Node, linked sourcemaps, the site plugin) into a cache folder, so
 * js-debug maps breakpoints and stepping back to the TS source. Build errors come back
 * as data (absolute file, 1-based line, 0-based column) for diagnostics; the caller
 * launches nothing then.
 */
import { buildDirFor } from '../bundler/build-cache';
import path from 'node:path';
import type { Message } from 'esbuild';
import { bundleProgram, type RuntimeChoice } from '../bundler/bundle-program';

export interface BuildProblem {
  /** Absolute path of the file, or undefined when esbuild gave no location. */
  file: string | undefined;
  /** 1-based. */
  line: number;
  /** 0-based, as esbuild and vscode.Position count. */
  column: number;
  length: number;
  message: string;
}

export type BuildResult =
  | { ok: true; outFile: string; outDir: string; skipFiles: string[]; runtime: RuntimeChoice }
  | { ok: false; problems: BuildProblem[] };

export interface BuildRequest {
  program: string;
  /** Folder the program's sites are relative to and problems are reported against. */
  root: string;
  cacheDir: string;
}

function problemsOf(messages: readonly Message[], root: string): BuildProblem[] {
  return messages.map((m) => ({
    file: m.location ? path.resolve(root, m.location.file) : undefined,
    line: m.location?.line ?? 1,
    column: m.location?.column ?? 0,
    length: m.location?.length ?? 0,
    message: m.text,
  }));
}


/** Bundles the program into its cache folder for a debug launch; never throws: failures come back as problems. */
export async function buildForLaunch(req: BuildRequest): Promise<BuildResult> {
  const outDir = buildDirFor(req.cacheDir, req.program);
  try {
    const built = await bundleProgram({ entry: req.program, root: req.root, outDir });
    return { ok: true, outFile: built.outFile, outDir, skipFiles: built.skipFiles, runtime: built.runtime };
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) return { ok: false, problems: problemsOf(errors, req.root) };
    return { ok: false, problems: [{ file: undefined, line: 1, column: 0, length: 0, message: e instanceof Error ? e.message : String(e) }] };
  }
}
