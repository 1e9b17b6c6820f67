// The build-time site transform (bundler/site-marks.ts): positions are the original TS
// positions, lines never move, and the rewritten code evaluates exactly what the
// original did, in the same order, with `this` intact. The rewritten code is run
// against a recording stand-in for the runtime's mark helpers.
import assert from 'node:assert/strict';
import { transformSync } from 'esbuild';
import { markSites } from '../../bundler/site-marks';

type Log = string[];

/** Runs rewritten TS as an async function body, with `__atrace` recording what it saw. */
async function runMarked(code: string, log: Log, scope: Record<string, unknown> = {}): Promise<unknown> {
  const body = code
    .replace(/import \{ __asyncTraceMarks as __atrace \} from "async-trace\/runtime\/internal";/, '')
    .replace(/var __atrace = require\("async-trace\/runtime\/internal"\)\.__asyncTraceMarks;/, '');
  const js = transformSync(`async function __main(){\n${body}\n}`, { loader: 'ts', format: 'esm' }).code;
  const marks = {
    reg: (sites: string[]) => { log.push(`reg ${sites.length}`); return 100; },
    pre: (site: number) => { log.push(`pre ${site}`); return site; },
    aw: (_m: number, v: unknown) => { log.push('aw'); return v; },
    p: (site: number, v: unknown) => { log.push(`p ${site}`); return v; },
    s: (site: number) => { log.push(`s ${site}`); },
    q: (v: unknown) => { log.push('q'); return v; },
  };
  const names = Object.keys(scope);
  const fn = new Function('__atrace', ...names, `${js}\nreturn __main();`) as (...a: unknown[]) => Promise<unknown>;
  return fn(marks, ...names.map((n) => scope[n]));
}

describe('build-time site marks', () => {
  it('records each await at the position of its await keyword, 1-based, in the original source', () => {
    const src = `import { sleep } from 'async-trace/runtime';\nasync function f() {\n  const x: number = 1;\n    await sleep(x);\n}\n`;
    const { sites, code } = markSites(src, '/p/a.ts', 'src/a.ts');
    assert.deepEqual(sites, ['src/a.ts:4:5\tsleep()\tf']);
    assert.equal(code.split('\n').slice(0, 5).length, 5);
    assert.equal(code.split('\n')[3], '    await __atrace.aw(__atrace.pre(__atraceSite(0)), sleep(x));');
  });

  it('labels an await of a call with the callee as written (what the viewer shows instead of "promise")', () => {
    const long = 'a'.repeat(50);
    const src = [
      'async function f(this: any, p: Promise<void>, url: string) {',
      '  await fetchPage(url);',
      '  await this.db.query(  1,',
      '    2);',
      '  await new Promise<void>((r) => setTimeout(r, 1));',
      '  await p;',
      '  await (await g());',
      `  await ${long}.go();`,
      '}',
    ].join('\n');
    const { sites } = markSites(src, '/p/l.ts', 'l.ts');
    assert.deepEqual(sites, [
      'l.ts:2:3\tfetchPage()\tf',
      'l.ts:3:3\tthis.db.query()\tf',
      'l.ts:5:3\tnew Promise()\tf',
      'l.ts:6:3\t\tf',
      'l.ts:7:3\t\tf',
      'l.ts:7:10\tg()\tf',
      `l.ts:8:3\t…${(long + '.go').slice(-39)}()\tf`,
    ]);
  });

  it('names the enclosing function of each site: named scopes outermost first, anonymous functions by what they are assigned to', () => {
    const src = [
      "import { Lock, sleep } from 'async-trace/runtime';",
      'class Cache {',
      '  lock = new Lock();',
      '  async get() { return this.lock.withLock(async () => { await sleep(1); }); }',
      '}',
      'async function main() { const worker = async () => { await sleep(2); }; await worker(); }',
      'const api = { async fetch() { await sleep(3); } };',
      'await sleep(4);',
    ].join('\n');
    assert.deepEqual(markSites(src, '/p/n.ts', 'n.ts').sites, [
      'n.ts:3:10\t\tCache',
      'n.ts:4:24\t\tCache.get',
      'n.ts:4:57\tsleep()\tCache.get',
      'n.ts:6:54\tsleep()\tmain.worker',
      'n.ts:6:73\tworker()\tmain',
      'n.ts:7:31\tsleep()\tfetch',
      'n.ts:8:1\tsleep()',
    ]);
  });

  it('keeps every original line on its line', () => {
    const src = `import { createTask, Lock } from 'async-trace/runtime';\nconst l = new Lock();\nasync function g(a: number) {\n  await (await h(a));\n  l.release();\n  return createTask(\n    g,\n    { name: 'n' },\n  );\n}\n`;
    const { code } = markSites(src, '/p/b.ts', 'b.ts');
    const orig = src.split('\n');
    const out = code.split('\n');
    for (let i = 0; i < orig.length - 1; i++) {
      for (const token of orig[i].match(/[A-Za-z]+/g) ?? []) assert.ok(out[i].includes(token), `line ${i + 1} keeps ${token}: ${out[i]}`);
    }
  });

  it('marks the await before its operand runs, and evaluates operands once, in order', async () => {
    const log: Log = [];
    const src = `log.push('a'); const v = await f(await g()); log.push('v=' + v); return v;`;
    const { code } = markSites(src, '/p/c.ts', 'c.ts');
    const result = await runMarked(code, log, {
      log,
      f: (x: number) => { log.push(`f(${x})`); return Promise.resolve(x + 1); },
      g: () => { log.push('g'); return 41; },
    });
    assert.equal(result, 42);
    assert.deepEqual(log, ['a', 'reg 2', 'pre 100', 'pre 101', 'g', 'aw', 'f(41)', 'aw', 'v=42']);
  });

  it('marks a runtime call just before the call, after its arguments, keeping `this`', async () => {
    const log: Log = [];
    const src = `import { createTask } from 'async-trace/runtime';\nconst loop = { n: 7, callLater(ms: number, cb: () => number) { log.push('callLater ' + this.n + ' ' + ms); return cb(); } };\nconst r = loop.callLater(arg('ms'), () => 5);\nconst t = createTask(...spread());\nconst z = loop.callLater.call(loop, 1, () => 0);\nreturn [r, t, z];`;
    const { code } = markSites(src, '/p/d.ts', 'd.ts');
    const result = await runMarked(code.replace(/^import .*$/m, ''), log, {
      log,
      arg: (x: string) => { log.push(`arg ${x}`); return 3; },
      spread: () => { log.push('spread'); return [1, 2]; },
      createTask: (a: number, b: number) => { log.push(`createTask ${a} ${b}`); return a + b; },
    });
    assert.deepEqual(result, [5, 3, 0]);
    assert.deepEqual(log, ['arg ms', 'reg 2', 'p 100', 'callLater 7 3', 'q', 'spread', 'p 101', 'createTask 1 2', 'q', 'callLater 7 1']);
  });

  it('marks zero-argument runtime calls and constructions', async () => {
    const log: Log = [];
    const src = `import { Lock } from 'async-trace/runtime';\nconst l = new Lock();\nl.release();\nreturn l.n;`;
    const { code, sites } = markSites(src, '/p/e.ts', 'e.ts');
    assert.deepEqual(sites, ['e.ts:2:11', 'e.ts:3:1']);
    const result = await runMarked(code.replace(/^import .*$/m, ''), log, {
      Lock: class { n = 0; release(): void { this.n++; log.push('release'); } },
    });
    assert.equal(result, 1);
    assert.deepEqual(log, ['reg 2', 's 100', 'q', 's 101', 'release', 'q']);
  });

  it('leaves modules without awaits or runtime calls untouched', () => {
    const src = `export const x = [1, 2].map((n) => n * 2);\nmap.get('k');\n`;
    assert.deepEqual(markSites(src, '/p/f.ts', 'f.ts'), { code: src, sites: [] });
  });

  it('binds the helpers with require in a CommonJS script, after its directives', () => {
    const src = `'use strict';\nconst fs = require('fs');\nasync function r() { await fs.promises.readFile('x'); }\nmodule.exports = r;\n`;
    const { code } = markSites(src, '/p/g.js', 'g.js');
    const lines = code.split('\n');
    assert.equal(lines[0], `'use strict';`);
    assert.ok(lines[1].startsWith('var __atrace = require("async-trace/runtime/internal").__asyncTraceMarks;const fs'));
    assert.ok(!code.includes('import '));
  });
});
