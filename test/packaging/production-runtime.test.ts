// The runtime as it ships: `scripts/build.mjs --production` (what `npm run package` and
// `npm pack` put in dist/), then a user's program built against that bundle and run
// traced, as the packaged extension and an installed CLI do. Regression: the minified
// bundle carried a literal `import("tsx/esm/api")`, and every program build failed with
// `Could not resolve "tsx/esm/api"` reported against dist/runtime/index.js.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleProgram } from '../../bundler/bundle-program';
import { decodeTrace } from '../../trace/decoder';

const root = path.resolve(__dirname, '../..');

const PROGRAM = `import { Lock, ThreadPoolExecutor, createTask, gather, getRunningLoop, run, sleep } from 'async-trace/runtime';
run(async () => {
  const lock = new Lock({ name: 'shelf' });
  const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
  const n = await getRunningLoop().runInExecutor(pool, (s: string) => s.length, 'four');
  await gather([1, 2].map((i) => createTask(() => lock.withLock(() => sleep(2)), { name: 'w' + i })));
  await pool.shutdown();
  console.log('n=' + n);
});
`;

describe('the production runtime bundle', function () {
  this.timeout(120_000);
  let dir: string;
  let dist: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-prod-'));
    dist = path.join(dir, 'dist');
    const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production', '--outdir', dist], { cwd: root, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('imports no package by a literal name (only Node built-ins and its own files)', async () => {
    const { packageImports } = await import('../../scripts/bundle-imports.mjs');
    for (const f of ['runtime/index.js', 'runtime/worker.js']) {
      assert.deepEqual(packageImports(readFileSync(path.join(dist, f), 'utf8')), [], f);
    }
  });

  it('refuses to build a runtime bundle that would import a package by name', async () => {
    const { packageImports } = await import('../../scripts/bundle-imports.mjs');
    assert.deepEqual(packageImports('x=await import("tsx/esm/api");require("node:fs");require("./worker.js");require("fs")'), ['tsx/esm/api']);
  });

  it('builds a program against it (kept external, not bundled again) and traces it, executor jobs included', async () => {
    const entry = path.join(dir, 'shop.ts');
    writeFileSync(entry, PROGRAM);
    const runtimeEntry = path.join(dist, 'runtime/index.js');
    const built = await bundleProgram({ entry, root: dir, outDir: path.join(dir, 'build'), runtimeEntry });
    const out = readFileSync(built.outFile, 'utf8');
    assert.ok(out.includes(JSON.stringify(runtimeEntry)), 'the program requires the shipped bundle by its path');
    assert.ok(out.length < 20_000, `the runtime is not bundled into the program again (${out.length} bytes)`);
    const trace = path.join(dir, 'shop.atrace');
    const r = spawnSync(process.execPath, [built.outFile], { cwd: dir, encoding: 'utf8', env: { ...process.env, ASYNC_TRACE: trace, ASYNC_TRACE_ROOT: dir } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /n=4/);
    const decoded = decodeTrace(new Uint8Array(readFileSync(trace)));
    assert.ok(decoded.complete);
    assert.equal(decoded.header.program, 'shop.ts');
    assert.ok(decoded.events.length > 10);
  });
});
