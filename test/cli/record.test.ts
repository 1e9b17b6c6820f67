// `async-trace record` for real: build with site marks, run with tracing on, write the
// trace, print the summary after the program's own output, and exit with the
// program's exit code; arguments after the program reach it untouched.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeTrace } from '../../trace/decoder';
import { TraceModel } from '../../trace/model';
import { formatSite } from '../../trace/sites';

const root = path.resolve(__dirname, '../..');

const PROGRAM = `import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';
async function main(): Promise<void> {
  const lock = new Lock({ name: 'gate' });
  const worker = async (): Promise<void> => { await lock.acquire(); try { await sleep(5); } finally { lock.release(); } };
  await gather([createTask(worker, { name: 'a' }), createTask(worker, { name: 'b' })]);
  console.log('args=' + JSON.stringify(process.argv.slice(2)));
  process.exitCode = 7;
}
run(main);
`;

describe('async-trace record', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-record-'));
    writeFileSync(path.join(dir, 'prog.ts'), PROGRAM);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const record = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', require.resolve('tsx'), path.join(root, 'cli/main.ts'), 'record', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });

  it('runs the program traced, passes its arguments, prints a summary and exits with its code', () => {
    const r = record('-o', 'out/t.atrace', '--', 'prog.ts', '--flag', 'two words');
    assert.equal(r.status, 7, r.stderr);
    const [programOut, summary] = r.stdout.split('\ntrace ');
    assert.equal(programOut.trim(), 'args=["--flag","two words"]');
    assert.match(summary, /^out\/t\.atrace: prog\.ts, [\d.]+ ms, \d+ events/);
    assert.match(summary, /tasks: (\d+) total, \1 completed, 0 cancelled, 0 failed, 0 pending/);
    assert.match(summary, /lock gate at prog\.ts:3:16: 2 acquisitions, 1 contended/);
    const decoded = decodeTrace(new Uint8Array(readFileSync(path.join(dir, 'out/t.atrace'))));
    assert.ok(decoded.complete);
    assert.equal(decoded.header.program, 'prog.ts');
    assert.equal(decoded.header.root, dir);
  });

  it('--ring SIZE keeps only the most recent events and writes them at the end', () => {
    writeFileSync(path.join(dir, 'churn.ts'), `import { createTask, run, sleep } from 'async-trace/runtime';
async function main(): Promise<void> {
  for (let i = 0; i < 3000; i++) await createTask(async () => { await sleep(0); }, { name: 'req-' + i });
}
run(main);
`);
    const full = record('-o', 'full.atrace', '--', 'churn.ts');
    assert.equal(full.status, 0, full.stderr);
    const r = record('--ring', '64KB', '-o', 'ring.atrace', '--', 'churn.ts');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /trace ring\.atrace: churn\.ts/);
    const ring = decodeTrace(new Uint8Array(readFileSync(path.join(dir, 'ring.atrace'))));
    const all = decodeTrace(new Uint8Array(readFileSync(path.join(dir, 'full.atrace'))));
    assert.ok(ring.complete && all.complete);
    const names = (d: typeof ring) => d.events.flatMap((e) => (e.type === 'taskCreated' ? [e.name] : []));
    assert.ok(names(ring).includes('req-2999'), 'the last task is in the window');
    assert.ok(!names(ring).includes('req-0'), 'the first is not');
    assert.ok(names(ring).length < names(all).length / 2, `${names(ring).length} of ${names(all).length} tasks`);
    assert.ok(readFileSync(path.join(dir, 'ring.atrace')).length < 2 * 64 * 1024);
  });

  it('--ring refuses a size it cannot read, with exit 2', () => {
    const r = record('--ring', 'lots', '--', 'prog.ts');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--ring: ring size "lots" is not a size such as 64MB or 512KB/);
  });

  it('writes to .async-trace/<program>-<timestamp>.atrace by default', () => {
    const r = record('--', 'prog.ts');
    assert.equal(r.status, 7, r.stderr);
    const files = readdirSync(path.join(dir, '.async-trace')).filter((f) => f.endsWith('.atrace'));
    assert.equal(files.length, 1);
    assert.match(files[0], /^prog-\d{8}-\d{6}\.atrace$/);
    assert.ok(r.stdout.includes(`trace ${path.join('.async-trace', files[0])}: prog.ts`));
  });

  it('runs the program with the node given by --node', () => {
    const fakeNode = path.join(dir, 'fake-node.sh');
    writeFileSync(fakeNode, `#!/bin/sh\necho "fake node $#"\nexit 5\n`, { mode: 0o755 });
    const r = record('-o', 'fake.atrace', '--node', fakeNode, '--', 'prog.ts');
    assert.equal(r.status, 5);
    assert.match(r.stdout, /fake node 2/);
    assert.match(r.stderr, /nothing was traced: the program does not use async-trace\/runtime/);
    assert.ok(!existsSync(path.join(dir, 'fake.atrace')));
  });

  it('reports a program that does not build, with exit 1', () => {
    writeFileSync(path.join(dir, 'broken.ts'), 'const x = ;\n');
    const r = record('--', 'broken.ts');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /build of broken\.ts failed/);
  });

  it("reports a syntax error in the user's words, at the column they wrote, never naming the marks", () => {
    writeFileSync(path.join(dir, 'typo.ts'), `import { Lock, run } from 'async-trace/runtime';\nconst lock = new Lock();\nrun(async () => { await lock.acquire() lock.release(); });\n`);
    const r = record('--', 'typo.ts');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /build of typo\.ts failed/);
    assert.ok(r.stderr.includes('typo.ts:3:39: ERROR: Expected ";" but found "lock"'), r.stderr);
    assert.ok(!r.stderr.includes('__atrace'), r.stderr);
  });

  it('records a program that uses top-level await (built as an ES module)', () => {
    writeFileSync(path.join(dir, 'tla.ts'), `import { run, sleep } from 'async-trace/runtime';\nconst n = await Promise.resolve(2);\nawait run(async () => { await sleep(n); console.log('tla ' + n); });\n`);
    const r = record('-o', 'tla.atrace', '--', 'tla.ts');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^tla 2\n/);
    assert.match(r.stdout, /sleep +tla\.ts:3:25 +1x/);
  });

  it("reports a thrown error at the column the user wrote, with the user's line, not the marks", () => {
    const line4 = `  await sleep(1); await lock.acquire(); lock.release(); await sleep(1); throw new Error('boom');`;
    writeFileSync(path.join(dir, 'throws.ts'), [
      `import { Lock, run, sleep } from 'async-trace/runtime';`,
      `const lock = new Lock();`,
      `async function main(): Promise<void> {`,
      line4,
      `}`,
      `run(main);`,
      ``,
    ].join('\n'));
    const r = record('-o', 'throws.atrace', '--', 'throws.ts');
    assert.equal(r.status, 1, r.stderr);
    // V8 places the frame at `new Error`, as it would in the unmarked program.
    const col = line4.indexOf('new Error') + 1;
    assert.ok(r.stderr.includes(`at main (${path.join(dir, 'throws.ts')}:4:${col})`), r.stderr);
    assert.ok(r.stderr.includes(line4), `the crash shows the line as written:\n${r.stderr}`);
    assert.ok(!r.stderr.includes('__atrace'), r.stderr);
    // The trace has the throw site too, read once Node had taken the crash's line (runtime/error-sites.ts).
    const model = new TraceModel();
    const decoded = decodeTrace(new Uint8Array(readFileSync(path.join(dir, 'throws.atrace'))));
    model.setHeader(decoded.header);
    model.apply(decoded.events);
    const main = model.tasks.find((t) => t.outcome === 'error')!;
    assert.equal(main.errorSite && formatSite(main.errorSite), `throws.ts:4:${col}`);
  });

  it('on Ctrl-C of a hung program keeps the trace and prints the pending tasks, their await chains and what they wait for', async () => {
    const source = [
      `import { Event, Lock, createTask, gather, run, sleep } from 'async-trace/runtime';`,
      `const gate = new Lock({ name: 'gate' });`,
      `const never = new Event({ name: 'never' });`,
      `const accounts = new Lock({ name: 'accounts' });`,
      `const ledger = new Lock({ name: 'ledger' });`,
      `async function holdAndWait(): Promise<void> { await gate.acquire(); await never.wait(); }`,
      `async function cross(a: Lock, b: Lock): Promise<void> { await a.acquire(); await sleep(5); await b.acquire(); }`,
      `run(async () => {`,
      `  const tasks = [createTask(holdAndWait, { name: 'holder' }), createTask(() => gate.acquire(), { name: 'blocked' }),`,
      `    createTask(() => cross(accounts, ledger), { name: 'transfer-ab' }), createTask(() => cross(ledger, accounts), { name: 'transfer-ba' }),`,
      `    createTask(() => sleep(1e7), { name: 'idler' })]; // the timer keeps the process alive, as a server's socket would`,
      `  await sleep(20);`,
      `  console.log('hung');`,
      `  await gather(tasks);`,
      `});`,
      ``,
    ].join('\n');
    writeFileSync(path.join(dir, 'hang.ts'), source);
    const child = spawn(process.execPath, ['--import', require.resolve('tsx'), path.join(root, 'cli/main.ts'), 'record', '-o', 'hang.atrace', '--', 'hang.ts'], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('hung\n')) resolve();
      });
      child.on('exit', () => reject(new Error(`record exited before the program hung:\n${stdout}\n${stderr}`)));
    });
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stdout, /interrupted: the trace up to Ctrl-C is kept in hang\.atrace\n/);
    const dump = stdout.slice(stdout.indexOf('pending tasks'));
    assert.match(dump, /^pending tasks \(6\):/);
    assert.match(dump, /\n {2}holder \(task \d+, child of main\): waiting on event never\n {4}await never\.wait\(\) \(event\) at hang\.ts:6:69\n/);
    assert.match(dump, /\n {2}blocked \(task \d+, child of main\): waiting on lock gate \(held by holder\)\n {4}await lock at hang\.ts:9:80\n/);
    assert.match(dump, /\n {2}main \(task \d+\): waiting on gather\n {4}await gather\(\) \(gather\) at hang\.ts:14:3\n/);
    assert.match(dump, /\ndeadlock: transfer-ab → transfer-ba → transfer-ab\n/);
    const decoded = decodeTrace(new Uint8Array(readFileSync(path.join(dir, 'hang.atrace'))));
    assert.ok(decoded.complete, 'the trace up to the interrupt is whole');
  });

  it('says nothing was traced for a program that never uses the runtime (its marks load it), and leaves no empty trace', () => {
    // Awaits get site marks, so the built program loads the runtime and starts the tracer.
    writeFileSync(path.join(dir, 'plain.ts'), `async function main(): Promise<void> { const n = await Promise.resolve(3); console.log('plain ' + n); }\nvoid main();\n`);
    const r = record('-o', 'plain.atrace', '--', 'plain.ts');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^plain 3\n$/);
    assert.equal(r.stderr, 'async-trace: nothing was traced: the program does not use async-trace/runtime\n');
    assert.ok(!existsSync(path.join(dir, 'plain.atrace')), 'no trace of nothing is left behind');
  });
});
