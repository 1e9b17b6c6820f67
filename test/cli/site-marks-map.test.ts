// Positions through the site marks: the transform's own source map (bundler/marked-text.ts)
// and its composition with esbuild's in a real bundle map every token the user wrote
// back to its own line and column; inserted marks map to the companion marks source,
// which the bundle map lists in ignoreList (with the runtime) so stepping skips it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SourceMapConsumer, type RawSourceMap } from 'source-map';
import { bundleProgram } from '../../bundler/bundle-program';
import { isMarksSource, marksSourcePath } from '../../bundler/marked-text';
import { markSites } from '../../bundler/site-marks';

const PROGRAM = [
  `import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';`,
  `const lock = new Lock({ name: 'gate' });`,
  `async function worker(n: number): Promise<number> {`,
  `  await sleep(1); await lock.acquire(); lock.release(); await sleep(n); if (n > 1) throw new Error('boom ' + n);`,
  `  const t = createTask(async () => { await sleep(0); return n; }, { name: \`inner-\${n}\` });`,
  `  return (await t) + (await gather([sleep(0), sleep(1)])).length;`,
  `}`,
  `run(async () => { await gather([createTask(() => worker(1)), createTask(() => worker(2))]).catch((e: unknown) => console.log(String(e))); });`,
  ``,
].join('\n');

/** 1-based line, 0-based column of every token start (a word or a punctuation character), as source maps count. */
function tokenStarts(text: string): { line: number; column: number; token: string }[] {
  const out: { line: number; column: number; token: string }[] = [];
  text.split('\n').forEach((l, i) => {
    for (const m of l.matchAll(/[A-Za-z0-9_$]+|[^\sA-Za-z0-9_$]/g)) out.push({ line: i + 1, column: m.index, token: m[0] });
  });
  return out;
}

function textAt(text: string, line: number, column: number, length: number): string {
  return text.split('\n')[line - 1].slice(column, column + length);
}

describe('site marks source map', () => {
  it('maps every token of the rewritten module back to its own line and column in the original', async () => {
    const file = '/p/src/prog.ts';
    const { code, map } = markSites(PROGRAM, file, 'src/prog.ts');
    assert.ok(map, 'a marked module has a map');
    assert.ok(code.includes('__atrace.aw('), 'the program was marked');
    await SourceMapConsumer.with(map, null, (c) => {
      for (const t of tokenStarts(PROGRAM)) {
        const g = c.generatedPositionFor({ source: file, line: t.line, column: t.column, bias: SourceMapConsumer.LEAST_UPPER_BOUND });
        assert.ok(g.line !== null && g.column !== null, `${t.token} at ${t.line}:${t.column} is mapped`);
        assert.equal(textAt(code, g.line, g.column, t.token.length), t.token, `${t.token} at ${t.line}:${t.column} lands on itself`);
        const back = c.originalPositionFor({ line: g.line, column: g.column });
        assert.deepEqual([back.source, back.line, back.column], [file, t.line, t.column], `${t.token} maps back to ${t.line}:${t.column}`);
      }
    });
  });

  it('maps inserted marks to the companion marks source, whose content is the rewritten text', async () => {
    const file = '/p/src/prog.ts';
    const { code, map } = markSites(PROGRAM, file, 'src/prog.ts');
    assert.ok(map);
    assert.deepEqual([...map.sources].sort(), [file, marksSourcePath(file)].sort());
    await SourceMapConsumer.with(map, null, (c) => {
      assert.equal(c.sourceContentFor(file), PROGRAM, 'the user file keeps the text the user wrote');
      assert.equal(c.sourceContentFor(marksSourcePath(file)), code);
      let inserted = 0;
      code.split('\n').forEach((l, i) => {
        for (const m of l.matchAll(/__atrace[A-Za-z]*/g)) {
          const o = c.originalPositionFor({ line: i + 1, column: m.index });
          assert.equal(o.source, marksSourcePath(file), `${m[0]} at ${i + 1}:${m.index} belongs to the marks source`);
          assert.deepEqual([o.line, o.column], [i + 1, m.index]);
          inserted++;
        }
      });
      assert.ok(inserted > 20, `checked ${inserted} inserted names`);
    });
  });

  it('keeps columns in a CommonJS script, whose helpers are bound on its first line', async () => {
    const src = `'use strict';\nconst { sleep } = require('async-trace/runtime');\nasync function f() { await sleep(1); return missing(); }\nmodule.exports = f;\n`;
    const { code, map } = markSites(src, '/p/s.cjs', 's.cjs');
    assert.ok(map);
    assert.match(code.split('\n')[1], /^var __atrace = require/);
    await SourceMapConsumer.with(map, null, (c) => {
      for (const t of tokenStarts(src)) {
        const g = c.generatedPositionFor({ source: '/p/s.cjs', line: t.line, column: t.column, bias: SourceMapConsumer.LEAST_UPPER_BOUND });
        assert.equal(textAt(code, g.line!, g.column!, t.token.length), t.token, `${t.token} at ${t.line}:${t.column}`);
      }
    });
  });

  describe('composed with the bundle map', function () {
    this.timeout(60_000);
    let dir: string;
    let bundle: string;
    let raw: RawSourceMap & { ignoreList: number[] };
    let skipFiles: string[];
    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'atrace-map-'));
      writeFileSync(path.join(dir, 'prog.ts'), PROGRAM);
      const built = await bundleProgram({ entry: 'prog.ts', root: dir, outDir: path.join(dir, 'out') });
      bundle = readFileSync(built.outFile, 'utf8');
      raw = JSON.parse(readFileSync(`${built.outFile}.map`, 'utf8')) as typeof raw;
      skipFiles = built.skipFiles;
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const userSource = (): string => raw.sources.find((s) => s.endsWith('/prog.ts'))!;

    it('maps each word the bundle kept from the program to the same word in the original, at its own column', async () => {
      await SourceMapConsumer.with(raw, null, (c) => {
        let checked = 0;
        const seen = new Set<string>();
        c.eachMapping((m) => {
          if (m.source !== path.resolve(dir, 'out', userSource()) && !m.source.endsWith('/prog.ts')) return;
          const word = /^\s*([A-Za-z_$][\w$]*)/.exec(bundle.split('\n')[m.generatedLine - 1].slice(m.generatedColumn))?.[1];
          if (word === undefined) return;
          const original = /^[A-Za-z_$][\w$]*/.exec(PROGRAM.split('\n')[m.originalLine - 1].slice(m.originalColumn))?.[0];
          // esbuild's own rewrites: top-level const/let become var, a clashing name gets a digit.
          const same = original === word || (word === 'var' && (original === 'const' || original === 'let')) || (original !== undefined && new RegExp(`^${original.replace(/\$/g, '\\$')}\\d+$`).test(word));
          assert.ok(same, `bundle ${m.generatedLine}:${m.generatedColumn} '${word}' maps to prog.ts ${m.originalLine}:${m.originalColumn} '${original}'`);
          assert.ok(!word.startsWith('__atrace'), `inserted ${word} never maps into the user's file`);
          seen.add(`${m.originalLine}:${m.originalColumn}`);
          checked++;
        });
        assert.ok(checked > 40, `checked ${checked} mappings`);
        // The throw and the calls after the marks on line 4 are each mapped at their own column.
        const line4 = PROGRAM.split('\n')[3];
        for (const word of ['throw', 'Error', 'release', 'acquire']) assert.ok(seen.has(`4:${line4.indexOf(word)}`), `${word} at 4:${line4.indexOf(word)} is mapped`);
      });
    });

    it("keeps the user's text as the source content and lists the runtime and the marks in ignoreList", () => {
      const i = raw.sources.indexOf(userSource());
      assert.equal(raw.sourcesContent?.[i], PROGRAM);
      const ignored = raw.ignoreList.map((k) => raw.sources[k]);
      assert.ok(!ignored.includes(userSource()), 'the program itself is not ignored');
      assert.ok(ignored.some((s) => isMarksSource(s)), 'the marks source is ignored');
      assert.ok(ignored.some((s) => s.endsWith('runtime/sync/lock.ts')), 'the runtime is ignored');
      const notIgnored = raw.sources.filter((_, k) => !raw.ignoreList.includes(k));
      assert.deepEqual(notIgnored, [userSource()], 'only the program is left to step through');
      assert.ok(skipFiles.some((g) => g.endsWith('/runtime/**')) && skipFiles.includes('**/*.atrace-marks.*'), skipFiles.join(', '));
    });
  });
});
