// The host's small live state (trace/live-state.ts) against the whole model: at every
// point a live stream can stop (each whole batch), its snapshot and counts equal
// `snapshotFromModel` and the model's counts, on real recorded programs (locks,
// semaphores, queues, conditions, cancelled and cross-task releases) and on the
// synthetic long-run traces.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCrossReleaseTrace, writeOpenAwaitsTrace, writeSyntheticTrace } from '../bench/synthetic-trace';
import { recordProgram } from '../test/tracing/record-program';
import { TraceDecoder } from './decoder';
import { TraceFeed } from './feed';
import { TraceLiveState } from './live-state';
import { snapshotFromModel } from './program-snapshot';
import { usedRuntime } from './used-runtime';

const CONTENDED = `import { Condition, Lock, Queue, Semaphore, createTask, gather, run, sleep, timeout } from 'async-trace/runtime';
async function main(): Promise<void> {
  const lock = new Lock({ name: 'gate' });
  const sem = new Semaphore(2, { name: 'slots' });
  const q = new Queue<number>(1, { name: 'jobs' });
  const cond = new Condition(undefined, { name: 'ready' });
  const holder = async (i: number): Promise<void> => {
    await lock.acquire();
    try { await sleep(5 + i); } finally { lock.release(); }
    await sem.acquire();
    await sleep(3);
    sem.release();
  };
  const producer = async (): Promise<void> => { for (let i = 0; i < 6; i++) await q.put(i); };
  const consumer = async (): Promise<void> => { for (let i = 0; i < 6; i++) { await q.get(); await sleep(2); } };
  const waiter = async (): Promise<void> => { await cond.acquire(); try { await cond.wait(); } finally { cond.release(); } };
  const w = createTask(waiter, { name: 'cond-waiter' });
  const impatient = createTask(async () => {
    try { await timeout(4, async () => { await lock.acquire(); lock.release(); }); } catch { /* timed out */ }
  }, { name: 'impatient' });
  await gather([...[1, 2, 3, 4].map((i) => createTask(() => holder(i), { name: 'holder-' + i })),
    createTask(producer, { name: 'producer' }), createTask(consumer, { name: 'consumer' }), impatient]);
  await cond.acquire(); cond.notifyAll(); cond.release();
  await w;
}
run(main);
`;

/** Feeds `bytes` in `chunk`-byte pieces to the model and the live state, comparing after every piece. */
function compareAlong(bytes: Uint8Array, chunk: number): number {
  const feed = new TraceFeed();
  const live = new TraceLiveState(true);
  const decoder = new TraceDecoder();
  let checks = 0;
  for (let at = 0; at < bytes.length; at += chunk) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + chunk));
    feed.push(piece);
    decoder.pushTo(piece, live);
    const m = feed.model;
    assert.equal(live.eventCount, m.eventCount);
    if (!m.header) continue;
    assert.equal(live.taskCount, m.tasks.length);
    assert.equal(live.droppedEvents, m.droppedEvents);
    assert.equal(live.endTime, m.endTime);
    assert.equal(live.usedRuntime, usedRuntime(m));
    assert.deepEqual(live.taskNames, m.tasks.map((t) => t.name));
    assert.deepEqual(live.snapshot(), snapshotFromModel(m), `snapshot after ${at + piece.length} of ${bytes.length} bytes`);
    checks++;
  }
  return checks;
}

describe('TraceLiveState (the host\'s live state, no model)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-live-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('equals the model\'s snapshot and counts at every point of a recorded program with contention', async () => {
    const { file, model } = await recordProgram(dir, 'contended.ts', CONTENDED);
    assert.ok(model.resources.length >= 4 && model.tasks.length >= 8, 'the program declared its resources and tasks');
    const bytes = new Uint8Array(readFileSync(file));
    assert.ok(compareAlong(bytes, 512) > 3);
  });

  it('equals the model on the synthetic long-run traces (many requests, cross-task releases, open awaits)', () => {
    const traces: [string, (f: string) => void][] = [
      ['service', (f) => writeSyntheticTrace(f, 60_000, 50)],
      ['cross-release', (f) => writeCrossReleaseTrace(f, 3_000, 20)],
      ['open-awaits', (f) => writeOpenAwaitsTrace(f, 2_000, 100)],
    ];
    for (const [name, write] of traces) {
      const file = path.join(dir, `${name}.atrace`);
      write(file);
      assert.ok(compareAlong(new Uint8Array(readFileSync(file)), 16 * 1024) > 1, name);
    }
  });

  it('keeps only what is open: a finished service trace leaves no live task behind', () => {
    const file = path.join(dir, 'finished.atrace');
    writeSyntheticTrace(file, 60_000, 50);
    const live = new TraceLiveState();
    new TraceDecoder().pushTo(new Uint8Array(readFileSync(file)), live);
    const snap = live.snapshot();
    assert.ok(live.taskCount > 2000, `${live.taskCount} tasks were created`);
    assert.ok(snap.tasks.length < 300, `${snap.tasks.length} tasks still live`);
  });
});
