// The flight recorder in a real child process (ASYNC_TRACE_RING): SIGUSR2 writes the
// recent window while the program carries on, the end of the program (a signal, a
// crash) writes the last window to the trace file, and a blocked loop writes one of its
// own. Each window decodes whole, with the long-lived tasks declared once and what they
// wait for.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleProgram } from '../../bundler/bundle-program';
import { decodeTrace } from '../../trace/decoder';
import { TraceModel } from '../../trace/model';

const PROGRAM = `import { Event, Lock, createTask, run, sleep } from 'async-trace/runtime';
const mode = process.argv[2];
function busy(ms: number): void { const end = performance.now() + ms; while (performance.now() < end) { /* spin */ } }
async function main(): Promise<void> {
  const lock = new Lock({ name: 'db' });
  const never = new Event({ name: 'never' });
  createTask(async () => { await lock.acquire(); await never.wait(); }, { name: 'holder' });
  createTask(async () => { await sleep(1); await lock.acquire(); }, { name: 'waiter' });
  await sleep(5);
  // Enough short tasks to turn a 256 KB ring over many times.
  for (let i = 0; i < 6000; i++) await createTask(async () => { await sleep(0); }, { name: 'req-' + i });
  if (mode === 'block') { busy(300); await sleep(50); return; }
  process.stdout.write('ready\\n');
  if (mode === 'crash') throw new Error('boom after the churn');
  await sleep(120_000);
}
run(main);
`;

function modelOf(file: string): TraceModel {
  const d = decodeTrace(new Uint8Array(readFileSync(file)));
  assert.ok(d.complete, `${file}: ${d.error}`);
  const m = new TraceModel();
  m.setHeader(d.header);
  m.apply(d.events);
  return m;
}

/** The window of a program that has been churning: the long-lived tasks are there once, waiting as they were (or, after a crash, cancelled by run()). */
function checkWindow(m: TraceModel, crashed = false): void {
  const named = (n: string) => m.tasks.filter((t) => t.name === n);
  assert.equal(named('holder').length, 1);
  assert.equal(named('waiter').length, 1);
  const holder = named('holder')[0];
  const waiter = named('waiter')[0];
  assert.ok(holder.createdAt > 0 && holder.createdAt === m.startTime, 'declared at the start of the window, which is not the start of the run');
  const db = m.resources.find((r) => r.name === 'db')!;
  if (crashed) {
    // run() cancels what is left when main fails: the awaits open across the cut end there.
    assert.deepEqual([...holder.awaits].map((a) => [a.kind, a.outcome]), [['event', 'cancelled']]);
    assert.deepEqual([...waiter.awaits].map((a) => [a.kind, a.outcome]), [['lock', 'cancelled']]);
    assert.equal(holder.outcome, 'cancelled');
    assert.equal(db.holds.length, 1);
    return;
  }
  assert.deepEqual(m.awaitChainAt(holder.id, m.endTime).map((a) => a.kind), ['event']);
  assert.deepEqual(m.awaitChainAt(waiter.id, m.endTime).map((a) => a.kind), ['lock']);
  assert.deepEqual(m.holdersAt(db.id, m.endTime).map((h) => h.taskId), [holder.id]);
  assert.ok(m.tasks.length < 3000, `${m.tasks.length} tasks: a window, not the whole run`);
  assert.ok(m.tasks.some((t) => t.name === 'req-5999' || t.name === 'req-5998'), 'the latest tasks are in it');
}

describe('flight recorder in a real process', function () {
  this.timeout(120_000);
  let dir: string;
  let program: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-ring-proc-'));
    const entry = path.join(dir, 'ring.ts');
    writeFileSync(entry, PROGRAM);
    program = (await bundleProgram({ entry, root: dir, outDir: path.join(dir, '.build') })).outFile;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function start(mode: string, file: string) {
    const env = { ...process.env, ASYNC_TRACE: file, ASYNC_TRACE_ROOT: dir, ASYNC_TRACE_RING: '256KB', ASYNC_TRACE_BLOCKED_MS: '100' };
    const child = spawn(process.execPath, [program, mode], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const until = async (what: () => boolean, label: string): Promise<void> => {
      const t0 = Date.now();
      while (!what()) {
        if (child.exitCode !== null || child.signalCode !== null) assert.fail(`exited before ${label}: ${stderr}`);
        if (Date.now() - t0 > 60_000) assert.fail(`no ${label}: ${stdout} ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    return { child, exited, until, out: () => stdout, err: () => stderr };
  }

  it('SIGUSR2 writes the recent window and the program carries on; its end writes the last window', async () => {
    const file = path.join(dir, 'signal.atrace');
    const p = start('signal', file);
    try {
      await p.until(() => p.out().includes('ready'), 'ready');
      p.child.kill('SIGUSR2');
      await p.until(() => /\(as asked\) written to (\S+): \d+ events\n/.test(p.err()), 'save message');
      const saved = /recent trace \(as asked\) written to (\S+): \d+ events/.exec(p.err())![1];
      assert.equal(saved, path.join(dir, 'signal.recent-1.atrace'));
      checkWindow(modelOf(saved));
      assert.equal(p.child.exitCode, null, 'still running');
      assert.ok(!existsSync(file), 'the trace file is written at the end, not before');
      p.child.kill('SIGTERM');
      assert.equal((await p.exited).signal, 'SIGTERM', 'ends as SIGTERM would have ended it');
      checkWindow(modelOf(file));
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  });

  it('a crash writes the last window, with the failure in it', async () => {
    const file = path.join(dir, 'crash.atrace');
    const p = start('crash', file);
    const r = await p.exited;
    assert.notEqual(r.code, 0);
    assert.match(p.err(), /boom after the churn/);
    const m = modelOf(file);
    checkWindow(m, true);
    const main = m.tasks.find((t) => t.outcome === 'error' && /boom/.test(t.message));
    assert.ok(main, 'the failed main task is in the window');
  });

  it('a blocked loop writes a window of its own, with the blocked turn in it', async () => {
    const file = path.join(dir, 'block.atrace');
    const p = start('block', file);
    const r = await p.exited;
    assert.equal(r.code, 0, p.err());
    assert.match(p.err(), /recent trace \(after a blocked loop\) written to .*block\.blocked-1\.atrace/);
    const m = modelOf(path.join(dir, 'block.blocked-1.atrace'));
    // The window ends with the block that triggered it (on a loaded machine an earlier
    // turn of the churn may be the one past the threshold).
    assert.ok(m.blocked.length > 0 && m.blocked.every((b) => b.durationMs > 100), JSON.stringify(m.blocked));
    assert.equal(m.blocked.at(-1)!.end, m.endTime, 'saved right at the block');
    assert.ok(modelOf(file).blocked.some((b) => b.durationMs >= 300), 'and the exit window has the 300 ms block');
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('block.')).sort(), ['block.atrace', 'block.blocked-1.atrace']);
  });
});
