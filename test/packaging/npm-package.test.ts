// The npm package as a user gets it: `npm pack` (prepack builds the production bundles
// and the type declarations), installed with npm into a fresh project in a temp folder;
// a TS program importing `async-trace/runtime` is type-checked by the project's own tsc
// against the shipped declarations, then recorded with the package's own CLI.
// Needs npm and the npm cache or registry (the package's dependencies and @types/node).
// Note: `npm pack` rebuilds this checkout's dist/ in production mode (prepack).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const PROGRAM = `import { Lock, Queue, createTask, gather, run, sleep, type Task } from 'async-trace/runtime';

const lock: Lock = new Lock({ name: 'till' });
const orders = new Queue<number>({ maxsize: 2 });

async function cashier(name: string): Promise<number> {
  let served = 0;
  for (;;) {
    const order = await orders.get();
    if (order < 0) return served;
    await lock.withLock(() => sleep(2));
    served += 1;
  }
}

run(async () => {
  const tasks: Task<number>[] = ['ann', 'bob'].map((n) => createTask(() => cashier(n), { name: n }));
  for (let i = 0; i < 6; i++) await orders.put(i);
  await orders.put(-1);
  await orders.put(-1);
  const served: number[] = await gather(tasks);
  console.log('served=' + served.reduce((a, b) => a + b, 0));
});
`;

function sh(cmd: string, args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 180_000, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('the npm package (npm pack, installed into a fresh project)', function () {
  this.timeout(300_000);
  let dir: string;
  let project: string;
  let tarball: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-npm-'));
    const packed = sh(npm, ['pack', '--pack-destination', dir], root);
    assert.equal(packed.status, 0, packed.out);
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tgz, packed.out);
    tarball = path.join(dir, tgz);
    project = path.join(dir, 'shop');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'shop', private: true, version: '1.0.0' }));
    const installed = sh(npm, ['install', '--prefer-offline', '--no-save', tarball, 'typescript@~6.0.3', '@types/node@20'], project);
    assert.equal(installed.status, 0, installed.out);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('ships the bundles, the declarations, README and LICENSE, and no sources, tests or benchmarks', () => {
    const list = sh('tar', ['-tzf', tarball], dir).out.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/runtime/index.js', 'dist/runtime/worker.js', 'dist/cli/async-trace.js', 'dist/webview/main.js', 'dist/types/runtime/index.d.ts']) {
      assert.ok(list.includes(f), `${f} is in the tarball`);
    }
    const unwanted = list.filter((f) => /(^|\/)(test|bench|examples)\/|\.test\.|\.map$|^runtime\/|^extension\/|\.ts$/.test(f) && !f.endsWith('.d.ts'));
    assert.deepEqual(unwanted, []);
  });

  const tsc = (compilerOptions: Record<string, unknown>, source: string): { status: number | null; out: string } => {
    const tsconfig = { compilerOptions: { ...compilerOptions, target: 'es2022', strict: true, noEmit: true, types: ['node'] }, files: ['shop.ts'] };
    writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(path.join(project, 'shop.ts'), source);
    return sh(process.execPath, [path.join(project, 'node_modules/typescript/bin/tsc'), '-p', '.'], project);
  };

  it('type-checks a TS program against the shipped declarations (module nodenext, declarations checked too)', () => {
    const ok = tsc({ module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false }, PROGRAM);
    assert.equal(ok.status, 0, ok.out);
  });

  it('type-checks it with bundler resolution, and catches a type error (the declarations are not `any`)', () => {
    const options = { module: 'esnext', moduleResolution: 'bundler', skipLibCheck: true };
    const ok = tsc(options, PROGRAM);
    assert.equal(ok.status, 0, ok.out);
    const bad = tsc(options, PROGRAM.replace("new Lock({ name: 'till' })", 'new Lock({ name: 42 })'));
    assert.notEqual(bad.status, 0, 'a number as a lock name is a type error');
    assert.match(bad.out, /shop\.ts\(3,\d+\): error TS2322/);
  });

  it('records the program with the installed CLI (npx async-trace record)', () => {
    writeFileSync(path.join(project, 'shop.ts'), PROGRAM);
    const r = sh(npm, ['exec', '--offline', '--', 'async-trace', 'record', '-o', 'shop.atrace', '--', 'shop.ts'], project);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /served=6/);
    assert.match(r.out, /lock till at shop\.ts:3:20/);
    assert.ok(existsSync(path.join(project, 'shop.atrace')));
  });
});
