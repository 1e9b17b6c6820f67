/**
 * The esbuild plugin that puts build-time site marks into the user's program
 * (site-marks.ts does the rewriting) and makes every import of the runtime resolve to
 * one copy, so the marks and the program share the runtime's state (hooks, site table).
 * Files under node_modules and the runtime's own folder are left alone.
 *
 * A built runtime (a .js bundle: the npm package's dist, the extension's own copy) stays
 * external: the program requires it by absolute path at run time instead of bundling it
 * again. Re-bundling a finished bundle would make esbuild resolve every import written
 * in it, including optional ones meant for run time only (the executor worker's import
 * of tsx), and a bundle has already resolved everything it needs.
 */
import type { Plugin } from 'esbuild';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { inlineSourceMap } from './marked-text';
import { markSites, RUNTIME_SPECIFIER } from './site-marks';

export interface SitePluginOptions {
  /** Folder that site paths are relative to (the program's root). */
  root: string;
  /** The runtime entry every `async-trace/runtime` import resolves to. */
  runtimeEntry: string;
  /** Whether to rewrite sources (false: resolve the runtime only, for stack-capture builds). */
  marks?: boolean;
}

const LOADERS: Record<string, 'ts' | 'tsx' | 'js' | 'jsx'> = {
  '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx',
};

/** Site path of a file: relative to root with forward slashes when inside it, else absolute. */
export function sitePath(root: string, file: string): string {
  const rel = path.relative(root, file);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  return (inside ? rel : file).split(path.sep).join('/');
}

export function sitePlugin(opts: SitePluginOptions): Plugin {
  const runtimeDir = path.dirname(path.resolve(opts.runtimeEntry));
  const internalEntry = path.join(runtimeDir, `internal${path.extname(opts.runtimeEntry)}`);
  const skip = (file: string): boolean =>
    file.split(path.sep).includes('node_modules') || file === runtimeDir || file.startsWith(runtimeDir + path.sep);
  return {
    name: 'async-trace-sites',
    setup(build) {
      const entry = path.resolve(opts.runtimeEntry);
      const prebuilt = /\.[cm]?js$/.test(entry);
      build.onResolve({ filter: /^async-trace\/runtime$/ }, () => ({ path: entry, external: prebuilt }));
      // The internal entry (the marks import it) beside the public one: one runtime, shared.
      // A built runtime from before the internal entry existed exports the marks publicly.
      const internal = prebuilt && !existsSync(internalEntry) ? entry : internalEntry;
      build.onResolve({ filter: /^async-trace\/runtime\/internal$/ }, () => ({ path: internal, external: prebuilt }));
      if (opts.marks === false) return;
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (skip(args.path) || args.path.endsWith('.d.ts')) return undefined;
        const loader = LOADERS[path.extname(args.path)];
        if (!loader) return undefined;
        const text = await readFile(args.path, 'utf8');
        const { code, map } = markSites(text, args.path, sitePath(opts.root, args.path));
        // The map inline: esbuild composes it with the bundle's, so positions are the user's.
        const contents = map ? `${code}\n${inlineSourceMap(map)}\n` : code;
        return { contents, loader, resolveDir: path.dirname(args.path) };
      });
    },
  };
}

export { RUNTIME_SPECIFIER };
