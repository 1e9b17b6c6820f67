// A program that never lets the loop run while it works (issue 14): 200,000 items
// through a Queue(100) to 50 workers sharing a lock, ~3M events in about a second of
// back-to-back hand-offs. Recorded to a file, nothing may be dropped and every task
// must be seen to complete; recorded through the recorder's socket (a reader that keeps
// up), likewise. The tracer's own writes must not depend on the loop yielding: the file
// sink writes from inside hooks past a small bound, the socket sink hands batches to the
// kernel from inside hooks. Real child processes, real recorder, real unix socket.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleProgram } from '../../bundler/bundle-program';
import { Recorder } from '../../extension/recorder';
import { readTraceModel } from '../../trace/feed';
import type { TraceModel } from '../../trace/model';

const BUSY = `import { Lock, Queue, createTask, gather, run } from 'async-trace/runtime';
async function main(): Promise<void> {
  const q = new Queue<number>({ maxsize: 100, name: 'work' });
  const lock = new Lock({ name: 'tally' });
  let sum = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const item = await q.get();
      if (item < 0) return;
      await lock.acquire();
      try { sum += item; } finally { lock.release(); }
    }
  };
  const workers = Array.from({ length: 50 }, (_, i) => createTask(worker, { name: 'worker-' + i }));
  const producer = createTask(async () => {
    for (let i = 0; i < 200000; i++) await q.put(i);
    for (let i = 0; i < 50; i++) await q.put(-1);
  }, { name: 'producer' });
  await gather([producer, ...workers]);
  console.log('sum ' + sum);
}
run(main);
`;

function modelOf(file: string): { model: TraceModel; complete: boolean } {
  return readTraceModel(new Uint8Array(readFileSync(file)));
}

function runChild(outFile: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string }> {
  const child = spawn(process.execPath, [outFile], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout })));
}

function assertWhole(model: TraceModel, complete: boolean): void {
  assert.ok(complete, 'the trace decodes to its end');
  assert.equal(model.droppedEvents, 0, 'no event dropped');
  assert.ok(model.eventCount > 2_000_000, `${model.eventCount} events`);
  assert.equal(model.tasks.length, 52);
  const unfinished = model.tasks.filter((t) => t.outcome !== 'ok').map((t) => t.name);
  assert.deepEqual(unfinished, [], 'every task completed');
  const tally = model.contention().find((r) => r.name === 'tally');
  assert.equal(tally?.acquisitions, 200_000, 'every acquisition of the lock is in the trace');
}

describe('a busy program that never yields to the loop, traced', function () {
  this.timeout(120_000);
  let dir: string;
  let outFile: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-busy-'));
    const entry = path.join(dir, 'busy.ts');
    writeFileSync(entry, BUSY);
    outFile = (await bundleProgram({ entry, root: dir, outDir: path.join(dir, '.build'), marks: true })).outFile;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('to a file: 0 dropped, every task completed', async () => {
    const file = path.join(dir, 'busy.atrace');
    const r = await runChild(outFile, dir, { ASYNC_TRACE: file, ASYNC_TRACE_ROOT: dir });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /sum 19999900000/);
    const { model, complete } = modelOf(file);
    assertWhole(model, complete);
  });

  it('through the recorder socket, a reader that keeps up: 0 dropped, every task completed', async () => {
    const file = path.join(dir, 'busy-socket.atrace');
    const recorder = await Recorder.open(file);
    try {
      const r = await runChild(outFile, dir, { ASYNC_TRACE: recorder.address, ASYNC_TRACE_ROOT: dir });
      assert.equal(r.status, 0);
      await recorder.drained();
      assert.notEqual(recorder.adoptSpill().kind, 'rejected');
    } finally {
      await recorder.close();
    }
    const { model, complete } = modelOf(file);
    assertWhole(model, complete);
  });
});
