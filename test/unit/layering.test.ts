// The architecture's dependency rules (../shared/design/architecture.md), checked on
// the real source: only extension/ may import `vscode`; nothing imports extension/;
// runtime/ may import from trace/ only the encoder side, never the model or the UI;
// trace/ imports nothing from runtime/; product modules import no cycle.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

function filesUnder(dir: string): string[] {
  const abs = path.join(root, dir);
  let names: string[];
  try { names = readdirSync(abs); } catch { return []; }
  return names.flatMap((n) => {
    const p = path.join(dir, n);
    if (n === 'node_modules' || n === 'dist' || n.startsWith('.')) return [];
    return statSync(path.join(root, p)).isDirectory() ? filesUnder(p) : SOURCE.test(n) ? [p] : [];
  });
}

/** Every module specifier a file imports, requires or re-exports. */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push(m[2]);
  return out;
}

/** The source without its type-only imports, which are erased and so create no runtime dependency. */
export function withoutTypeImports(source: string): string {
  return source.replace(/^\s*(?:import|export)\s+type\s[^;]*?from\s*(['"])[^'"]+\1;?/gm, '');
}

/** The source without imports that bring only types (`import type`, or every name marked `type`): esbuild drops them. */
export function withoutErasedImports(source: string): string {
  return withoutTypeImports(source).replace(/^\s*(?:import|export)\s*\{([^}]*)\}\s*from\s*(['"])[^'"]+\2;?/gm,
    (all, names: string) => (names.split(',').map((n) => n.trim()).filter(Boolean).every((n) => n.startsWith('type ')) ? '' : all));
}

/** Import cycles among `files` (each as the files on it, in import order), following only imports that stay at run time. */
export function importCycles(files: string[], read: (f: string) => string): string[][] {
  const known = new Set(files);
  // A relative specifier names `x.ts`, `x/index.ts` or the file itself.
  const resolve = (file: string, spec: string): string | undefined => {
    if (!spec.startsWith('.')) return undefined;
    const target = path.normalize(path.join(path.dirname(file), spec));
    return [`${target}.ts`, path.join(target, 'index.ts'), target].find((c) => known.has(c));
  };
  const edges = new Map(files.map((f) => [f, importsOf(withoutErasedImports(read(f))).map((s) => resolve(f, s)).filter((t): t is string => t !== undefined)]));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of edges.get(f) ?? []) {
      if (state.get(t) === 'open') cycles.push(stack.slice(stack.indexOf(t)));
      else if (!state.has(t) && edges.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return cycles;
}

function resolvesInto(file: string, spec: string, folder: string): boolean {
  if (!spec.startsWith('.')) return false;
  const target = path.normalize(path.join(path.dirname(file), spec));
  return target === folder || target.startsWith(folder + path.sep);
}

/** The repository's source files (every folder but node_modules, dist and dot-folders). */
function allSourceFiles(): string[] {
  return readdirSync(root).filter((n) => {
    if (n === 'node_modules' || n === 'dist' || n.startsWith('.')) return false;
    return statSync(path.join(root, n)).isDirectory();
  }).flatMap(filesUnder);
}

/** The file a relative specifier names, among `files` (extension and index.ts resolution as TypeScript does). */
function resolveIn(files: Set<string>, from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const t = path.normalize(path.join(path.dirname(from), spec));
  const stem = t.replace(/\.[cm]?js$/, '');
  return [t, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, path.join(t, 'index.ts')].find((c) => files.has(c));
}

/**
 * The import cycles among `graph`'s files (value imports: type-only ones are erased),
 * each as its strongly connected component, sorted (Tarjan's algorithm).
 */
export function cycleComponents(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    const selfLoop = (graph.get(v) ?? []).includes(v);
    if (scc.length > 1 || selfLoop) cycles.push(scc.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('layering', () => {
  it('recognises every import form it checks', () => {
    const src = `import a from 'vscode';\nimport type { B } from "../extension/x";\nconst c = require('vscode');\nconst d = await import('./e');\nexport * from '../extension';\nimport './side-effect';`;
    assert.deepEqual(importsOf(src), ['vscode', '../extension/x', 'vscode', './e', '../extension', './side-effect']);
  });

  for (const folder of ['runtime', 'trace', 'webview', 'cli', 'bundler']) {
    it(`${folder}/ does not import vscode`, () => {
      const offenders = filesUnder(folder).filter((f) => importsOf(readFileSync(path.join(root, f), 'utf8')).includes('vscode'));
      assert.deepEqual(offenders, []);
    });
  }

  it('nothing outside extension/ imports extension/ (tests and benches: only its vscode-free modules)', () => {
    const files = ['runtime', 'trace', 'webview', 'cli', 'bundler', 'test', 'bench', 'examples', 'scripts'].flatMap(filesUnder)
      .filter((f) => !f.startsWith(path.join('test', 'vscode') + path.sep));
    // A test may drive an extension module that runs under plain Node (the recorder)
    // against the real runtime, and a bench may measure one (the host's live state and
    // its trace worker); product code may not depend on extension/ at all.
    const plainNode = (f: string, spec: string): boolean => {
      const target = path.normalize(path.join(path.dirname(f), spec));
      const file = [target, `${target}.ts`, path.join(target, 'index.ts')].find((c) => {
        try { return statSync(path.join(root, c)).isFile(); } catch { return false; }
      });
      return file !== undefined && !importsOf(readFileSync(path.join(root, file), 'utf8')).includes('vscode');
    };
    const offenders = files.filter((f) => importsOf(readFileSync(path.join(root, f), 'utf8'))
      .some((s) => resolvesInto(f, s, 'extension') && !((f.startsWith('test' + path.sep) || f.startsWith('bench' + path.sep)) && plainNode(f, s))));
    assert.deepEqual(offenders, []);
  });

  it('strips type-only imports and keeps the others', () => {
    const src = `import type { A } from '../trace/model-types';\nexport type { B } from '../trace/model';\nimport { C } from '../trace/encoder';`;
    assert.deepEqual(importsOf(withoutTypeImports(src)), ['../trace/encoder']);
  });

  it('runtime/ imports from trace/ only the codec side (types excepted)', () => {
    // The decoder too: the flight recorder (runtime/tracer/ring-sink.ts) decodes the
    // batches its ring lets go of, and re-encodes a saved window. Never the model or UI.
    const allowed = /^trace\/(format|encoder|decoder|codec|events|site-table|vocabulary|records|transport|tracer-settings)/;
    const offenders = filesUnder('runtime').flatMap((f) =>
      importsOf(withoutTypeImports(readFileSync(path.join(root, f), 'utf8')))
        .filter((s) => resolvesInto(f, s, 'trace'))
        .map((s) => path.relative(root, path.join(root, path.dirname(f), s)))
        .filter((t) => !allowed.test(t))
        .map((t) => `${f} -> ${t}`));
    assert.deepEqual(offenders, []);
  });

  it('finds an import cycle, and ignores one closed only by type imports', () => {
    const src: Record<string, string> = {
      [path.join('webview', 'a.ts')]: `import { b } from './b';`,
      [path.join('webview', 'b.ts')]: `import { c } from './c';\nimport type { A } from './a';`,
      [path.join('webview', 'c.ts')]: `import { type B } from './b';\nimport { a } from './a';`,
    };
    const cycles = importCycles(Object.keys(src), (f) => src[f]);
    assert.equal(cycles.length, 1);
    assert.deepEqual([...cycles[0]].sort(), ['a.ts', 'b.ts', 'c.ts'].map((n) => path.join('webview', n)));
    src[path.join('webview', 'c.ts')] = `import { type B } from './b';`;
    assert.deepEqual(importCycles(Object.keys(src), (f) => src[f]), []);
  });

  it('product modules import no cycle', () => {
    const product = ['runtime', 'trace', 'webview', 'extension', 'cli', 'bundler'].flatMap(filesUnder)
      .filter((f) => /\.ts$/.test(f) && !/\.test\.ts$/.test(f));
    const cycles = importCycles(product, (f) => readFileSync(path.join(root, f), 'utf8'))
      .map((c) => c.join(' -> '));
    assert.deepEqual(cycles, []);
  });

  it('trace/ imports nothing from runtime/, types included (the runtime takes its vocabulary from trace/)', () => {
    const offenders = filesUnder('trace').flatMap((f) =>
      importsOf(readFileSync(path.join(root, f), 'utf8'))
        .filter((s) => resolvesInto(f, s, 'runtime'))
        .map((s) => `${f} -> ${s}`));
    assert.deepEqual(offenders, []);
  });

  it('trace/ and webview/ use no Node built-ins (they run in the webview too)', () => {
    const files = [...filesUnder('trace'), ...filesUnder('webview')].filter((f) => !/\.test\.ts$|[/\\]test[/\\]/.test(f));
    const offenders = files.filter((f) => importsOf(readFileSync(path.join(root, f), 'utf8')).some((s) => s.startsWith('node:') || ['fs', 'path', 'net', 'os', 'child_process', 'worker_threads'].includes(s)));
    assert.deepEqual(offenders, []);
  });

  it('finds an import cycle and ignores type-only imports', () => {
    const graph = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']], ['e.ts', ['e.ts']]]);
    assert.deepEqual(cycleComponents(graph), [['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
    assert.deepEqual(cycleComponents(new Map([['a.ts', ['b.ts']], ['b.ts', []]])), []);
  });

  it('no module imports itself back through others (every folder, value imports)', () => {
    const files = allSourceFiles();
    const known = new Set(files);
    const graph = new Map(files.map((f) => [f, importsOf(withoutErasedImports(readFileSync(path.join(root, f), 'utf8')))
      .map((s) => resolveIn(known, f, s)).filter((t): t is string => t !== undefined)]));
    assert.deepEqual(cycleComponents(graph), []);
  });
});
