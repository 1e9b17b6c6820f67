// Whose runtime a program is built against: the copy of async-trace installed in the
// program's own project (its version, the types the user's editor sees), else the tool's
// own. The project's copy here is a production build with a version of its own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleProgram, chooseRuntime, describeRuntime, packageRoot } from '../../bundler/bundle-program';

const root = path.resolve(__dirname, '../..');
const PROGRAM = `import { run, sleep } from 'async-trace/runtime';\nrun(async () => { await sleep(1); console.log('ran'); });\n`;

describe('whose runtime a program is built against', function () {
  this.timeout(120_000);
  let dir: string;
  let project: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-choice-'));
    project = path.join(dir, 'shop');
    const pkg = path.join(project, 'node_modules/async-trace');
    const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production', '--outdir', path.join(pkg, 'dist')], { cwd: root, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({
      name: 'async-trace', version: '0.0.7-user', exports: { './runtime': { default: './dist/runtime/index.js' } },
    }));
    mkdirSync(path.join(project, 'src'), { recursive: true });
    writeFileSync(path.join(project, 'src/main.ts'), PROGRAM);
    mkdirSync(path.join(dir, 'loose'));
    writeFileSync(path.join(dir, 'loose/main.ts'), PROGRAM);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the copy installed in the program\'s project, and says so with its version', async () => {
    const choice = chooseRuntime(path.join(project, 'src/main.ts'));
    assert.equal(choice.origin, 'project');
    assert.equal(choice.version, '0.0.7-user');
    assert.equal(choice.entry, path.join(project, 'node_modules/async-trace/dist/runtime/index.js'));
    assert.match(describeRuntime(choice), /^async-trace 0\.0\.7-user installed in the project \(/);
    const built = await bundleProgram({ entry: 'src/main.ts', root: project, outDir: path.join(dir, 'out-project') });
    assert.equal(built.runtime.origin, 'project');
    assert.ok(readFileSync(built.outFile, 'utf8').includes(JSON.stringify(choice.entry)), 'the program requires the project\'s copy');
    const r = spawnSync(process.execPath, [built.outFile], { cwd: project, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'ran');
  });

  it('uses the tool\'s own copy when the project has none', () => {
    const choice = chooseRuntime(path.join(dir, 'loose/main.ts'));
    assert.equal(choice.origin, 'own');
    assert.equal(choice.packageDir, packageRoot());
    assert.match(describeRuntime(choice), /shipped with this tool \(the project has no async-trace installed\)/);
  });

  it('counts this repository resolving to itself (its examples) as its own copy, built from source', () => {
    const choice = chooseRuntime(path.join(root, 'examples/lock-contention.ts'));
    assert.equal(choice.origin, 'own');
    assert.equal(choice.entry, path.join(root, 'runtime/index.ts'));
  });
});
