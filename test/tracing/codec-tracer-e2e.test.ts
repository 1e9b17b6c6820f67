// End to end: a small program on the real runtime, traced to a file, decoded back.
// In-process through startTracing/stopTracing, and in a child process through
// ASYNC_TRACE and the runtime's public entry (auto-start on import, flush at exit).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeTrace } from '../../trace/decoder';
import type { EventOf, TraceEvent, TraceEventType } from '../../trace/events';
import { newEventLoop } from '../../runtime/loop';
import { createTask } from '../../runtime/task';
import { Lock } from '../../runtime/sync';
import { startTracing, stopTracing } from '../../runtime/tracer';

const repo = path.resolve(__dirname, '../..');
let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-e2e-')); });
afterEach(async () => { await stopTracing(); rmSync(dir, { recursive: true, force: true }); });

function only<T extends TraceEventType>(events: TraceEvent[], type: T): EventOf<T>[] {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

describe('tracer end to end', () => {
  it('records tasks, a contended lock and the wake-up between them', async () => {
    const file = path.join(dir, 'lock.atrace');
    startTracing({ target: file, program: 'lock.ts', root: dir });
    const loop = newEventLoop();
    await loop.runUntilComplete(async () => {
      const lock = new Lock({ name: 'L' });
      const worker = async (): Promise<void> => {
        await lock.acquire();
        try {
          const f = loop.createFuture<void>();
          loop.callSoon(() => f.setResult());
          await f;
        } finally {
          lock.release();
        }
      };
      const a = createTask(worker, { name: 'w1' });
      const b = createTask(worker, { name: 'w2' });
      await a;
      await b;
    });
    loop.close();
    await stopTracing();

    const t = decodeTrace(readFileSync(file));
    assert.equal(t.complete, true);
    const ev = t.events;
    for (let i = 1; i < ev.length; i++) assert.ok(ev[i].time >= ev[i - 1].time, 'time never decreases');

    const created = only(ev, 'taskCreated');
    const w1 = created.find((e) => e.name === 'w1')!;
    const w2 = created.find((e) => e.name === 'w2')!;
    assert.ok(w1 && w2, 'both workers created with their names');
    const done = only(ev, 'taskDone');
    for (const w of [w1, w2]) assert.deepEqual(done.filter((d) => d.taskId === w.taskId).map((d) => d.outcome), ['ok']);
    assert.equal(done.length, created.length, 'every task created is done');

    const lock = only(ev, 'resourceCreated').find((r) => r.name === 'L')!;
    assert.equal(lock.kind, 'lock');
    assert.deepEqual(only(ev, 'resourceAcquired').filter((e) => e.resourceId === lock.resourceId).map((e) => e.taskId), [w1.taskId, w2.taskId]);
    assert.deepEqual(only(ev, 'resourceWaitBegin').filter((e) => e.resourceId === lock.resourceId).map((e) => e.taskId), [w2.taskId]);
    assert.ok(only(ev, 'wake').some((e) => e.wokenTaskId === w2.taskId && e.wakerTaskId === w1.taskId), 'w1 woke w2');
  });

  it('starts from ASYNC_TRACE when the runtime is imported and flushes at exit', () => {
    const file = path.join(dir, 'env.atrace');
    const script = `
      const rt = require(${JSON.stringify(path.join(repo, 'runtime/index.ts'))});
      const loop = rt.newEventLoop();
      loop.runUntilComplete(async () => {
        const t = rt.createTask(async () => 42, { name: 'child' });
        await t;
      }).then(() => process.exit(0));
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: repo, env: { ...process.env, ASYNC_TRACE: file }, encoding: 'utf8', timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const t = decodeTrace(readFileSync(file));
    assert.equal(t.complete, true);
    assert.equal(t.header.pid > 0, true);
    const child = only(t.events, 'taskCreated').find((e) => e.name === 'child');
    assert.ok(child, 'child task created');
    assert.ok(only(t.events, 'taskDone').some((e) => e.taskId === child.taskId && e.outcome === 'ok'), 'child task done');
  });
});
