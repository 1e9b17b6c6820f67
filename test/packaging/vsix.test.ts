// `npm run package` (scripts/package-vsix.mjs): one .vsix per VS Code target, each with
// its own platform's esbuild binary and only what the extension loads at run time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function pack(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/package-vsix.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

function entries(vsix: string): string[] {
  const r = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

describe('packaging the extension per platform', function () {
  this.timeout(240_000);

  it('packages this machine\'s target and a foreign one, each with its own esbuild binary and nothing else', () => {
    const r = pack('--target', 'linux-x64,win32-x64');
    assert.equal(r.status, 0, r.out);
    for (const [target, binary] of [['linux-x64', 'linux-x64/bin/esbuild'], ['win32-x64', 'win32-x64/esbuild.exe']]) {
      const files = entries(path.join(root, 'dist', `async-trace-${target}.vsix`));
      const own = `extension/node_modules/@esbuild/${target}/`;
      assert.ok(files.includes(`extension/node_modules/@esbuild/${binary}`), `${target} carries its binary`);
      assert.deepEqual(files.filter((f) => f.startsWith('extension/node_modules/@esbuild/') && !f.startsWith(own)), [], `${target} carries no other platform's binary`);
      for (const f of ['extension/dist/extension/extension.js', 'extension/dist/runtime/index.js', 'extension/dist/runtime/worker.js', 'extension/dist/webview/main.js', 'extension/node_modules/esbuild/lib/main.js', 'extension/node_modules/typescript/lib/typescript.js']) {
        assert.ok(files.includes(f), `${target} has ${f}`);
      }
      const unwanted = files.filter((f) => /\.map$|\.test\.|^extension\/(runtime|trace|webview|extension|test|bench|examples)\/|node_modules\/esbuild\/bin\//.test(f));
      assert.deepEqual(unwanted, [], `${target} ships no sources, tests, sourcemaps or esbuild's own bin`);
    }
  });

  it('refuses an unknown target and names the valid ones', () => {
    const r = pack('--target', 'beos-x64');
    assert.equal(r.status, 1);
    assert.match(r.out, /unknown target beos-x64; one of win32-x64, .*darwin-arm64/);
  });
});
