// scripts/build.mjs, run for real on a copy of the repo's layout: every entry it lists
// must exist, and one that does not stops the build with its name (it used to be
// skipped silently, shipping a product without it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

describe('build script', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-build-'));
    for (const part of ['scripts', 'extension', 'webview', 'runtime', 'cli', 'trace', 'bundler', 'package.json']) {
      if (existsSync(path.join(root, part))) cpSync(path.join(root, part), path.join(dir, part), { recursive: true });
    }
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const build = () => spawnSync(process.execPath, [path.join(dir, 'scripts/build.mjs')], { cwd: dir, encoding: 'utf8' });

  it('builds every entry of the product', () => {
    const r = build();
    assert.equal(r.status, 0, r.stderr);
    for (const out of ['extension/extension.js', 'extension/model-worker.js', 'webview/main.js', 'runtime/index.js', 'runtime/worker.js', 'cli/async-trace.js']) {
      assert.ok(existsSync(path.join(dir, 'dist', out)), `dist/${out}`);
    }
    // The extension host keeps no trace model (issue 18): only its worker bundles one.
    assert.doesNotMatch(readFileSync(path.join(dir, 'dist/extension/extension.js'), 'utf8'), /\bTraceModel = class\b|\bclass TraceModel\b/);
    assert.match(readFileSync(path.join(dir, 'dist/extension/model-worker.js'), 'utf8'), /\bTraceModel = class\b|\bclass TraceModel\b/);
  });

  it('fails, naming the entry, when an entry source is missing', () => {
    rmSync(path.join(dir, 'webview/main.ts'));
    const r = build();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /entry source not found: webview\/main\.ts/);
    assert.ok(!existsSync(path.join(dir, 'dist')), 'nothing is built');
  });
});
