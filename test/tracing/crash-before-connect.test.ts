// A program traced over the recorder's socket that dies before the socket connected
// (a crash at startup) or while bytes are still queued in Node: the tracer spills them
// beside the socket and the recorder adopts them, so the trace holds everything the
// program did. Real child processes, a real recorder (extension/recorder.ts has no
// vscode import), real unix sockets.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleProgram } from '../../bundler/bundle-program';
import { Recorder } from '../../extension/recorder';
import { readTraceModel } from '../../trace/feed';
import type { TraceModel } from '../../trace/model';

/**
 * Crashes in the first loop turns, before Node reports the socket connected: the tracer
 * writes to the kernel's connection directly (token line first), and spills what it
 * could not.
 */
const CRASH_AT_START = `import { createTask, run, sleep } from 'async-trace/runtime';
async function main(): Promise<void> {
  await createTask(async () => { await sleep(0); }, { name: 'early-bird' });
  throw new Error('crash at startup');
}
void run(main);
`;

/** Connects, then emits far more than the socket drains in one go and exits hard: bytes are still queued in Node. */
const EXIT_WITH_BACKLOG = `import { createTask, gather, run, sleep } from 'async-trace/runtime';
async function main(): Promise<void> {
  await sleep(200); // the socket connects meanwhile
  for (let round = 0; round < 20; round++) {
    await gather(Array.from({ length: 500 }, (_, i) => createTask(async () => i, { name: 'w' + round })));
  }
  await createTask(async () => {}, { name: 'last-one' });
  process.exit(7);
}
void run(main);
`;

/** Whether process `pid` has exited (a zombie not yet reaped counts: this process's loop is what reaps it). */
function exited(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * `stall`: once the program has connected, this process stops reading (its loop
 * blocked) until the program has exited, so the program's writes fill the kernel's
 * socket buffer and queue in Node, as with a slow reader.
 */
async function recordThroughSocket(dir: string, name: string, source: string, stall = false): Promise<{ status: number | null; stderr: string; model: TraceModel; spill: ReturnType<Recorder['adoptSpill']>; complete: boolean }> {
  const entry = path.join(dir, name);
  writeFileSync(entry, source);
  const built = await bundleProgram({ entry, root: dir, outDir: path.join(dir, '.build', name), marks: true });
  const traceFile = path.join(dir, `${name}.atrace`);
  let pid = 0;
  const recorder = await Recorder.open(traceFile, {
    onConnect: () => {
      if (!stall) return;
      const deadline = Date.now() + 30_000;
      while (!exited(pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    },
  });
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, ASYNC_TRACE: recorder.address, ASYNC_TRACE_ROOT: dir };
    // Not spawnSync: it would block this process's loop, and with it the recorder.
    const child = spawn(process.execPath, [built.outFile], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    pid = child.pid ?? 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await recorder.drained();
    const spill = recorder.adoptSpill();
    await recorder.close();
    const { model, complete } = readTraceModel(new Uint8Array(readFileSync(traceFile)));
    return { status, stderr, model, spill, complete };
  } finally {
    await recorder.close().catch(() => undefined);
  }
}

describe('a traced program that dies before its bytes reach the recorder', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-spill-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a crash at startup, before Node saw the socket connect: the whole trace arrives (straight to the kernel, or from the spill)', async () => {
    const r = await recordThroughSocket(dir, 'crash-start.ts', CRASH_AT_START);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /crash at startup/);
    assert.notEqual(r.spill.kind, 'rejected', JSON.stringify(r.spill));
    assert.ok(r.complete, 'the adopted trace decodes to its end');
    const early = r.model.tasks.find((t) => t.name === 'early-bird');
    assert.ok(early, 'the task created before the crash is in the trace');
    assert.equal(early.outcome, 'ok');
    const main = r.model.tasks.find((t) => t.outcome === 'error');
    assert.ok(main, 'the failing main task is in the trace with its error');
  });

  it('process.exit() with bytes still queued in Node: nothing is lost, none doubled', async () => {
    const r = await recordThroughSocket(dir, 'exit-backlog.ts', EXIT_WITH_BACKLOG, true);
    assert.equal(r.status, 7);
    assert.ok(r.complete, 'the trace decodes to its end');
    // The reader stalled, so bytes were queued at exit: the spill overlaps what arrived.
    assert.equal(r.spill.kind, 'adopted', JSON.stringify(r.spill));
    assert.ok((r.spill as { bytes: number }).bytes > 0);
    const workers = r.model.tasks.filter((t) => t.name.startsWith('w'));
    assert.equal(workers.length, 20 * 500);
    assert.equal(new Set(workers.map((t) => t.id)).size, workers.length, 'no task twice');
    assert.ok(r.model.tasks.some((t) => t.name === 'last-one'), 'the last task before exit is in the trace');
  });
});
