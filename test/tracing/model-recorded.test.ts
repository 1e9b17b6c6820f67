// The model built from real recorded programs (runtime + tracer + site plugin): await
// nesting through async calls, sites at the original TS lines, wake edges, and the
// contention numbers of a lock whose answer is known by construction. Checks are on
// structure and counts, never on how long something took.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { statsJson } from '../../trace/stats';
import { recordProgram } from './record-program';

const NESTED = `import { run, sleep } from 'async-trace/runtime';
async function fetchPage(): Promise<string> {
  await sleep(20);
  return 'page';
}
async function main(): Promise<void> {
  const page = await fetchPage();
  await new Promise<void>((resolve) => setTimeout(resolve, 5));
  console.log(page);
}
run(main);
`;

const THREE_HOLDERS = `import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';
async function main(): Promise<void> {
  const lock = new Lock({ name: 'shared' });
  const hold = async (): Promise<void> => {
    await lock.acquire();
    try {
      await sleep(30);
    } finally {
      lock.release();
    }
  };
  await gather([1, 2, 3].map((i) => createTask(hold, { name: 'holder-' + i })));
}
run(main);
`;

const PLAIN_WAIT = `import { createTask, run } from 'async-trace/runtime';
async function main(): Promise<void> {
  await createTask(async () => {
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
    let x = 0;
    for (let i = 0; i < 1000; i++) x += i;
    return x;
  }, { name: 'waiter' });
}
run(main);
`;

describe('model of recorded programs', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-rec-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a task waiting on a plain promise (a timer) is not running meanwhile', async () => {
    const { model } = await recordProgram(dir, 'plain-wait.ts', PLAIN_WAIT);
    const t = model.tasks.find((x) => x.name === 'waiter');
    assert.ok(t, 'the waiter task is in the trace');
    const wait = [...t.awaits].find((a) => a.kind === 'promise');
    assert.ok(wait && wait.end !== undefined, 'the plain-promise await is recorded and ended');
    assert.ok(wait.end - wait.begin >= 40, `the await spans the 50 ms timer: ${wait.end - wait.begin} ms`);
    // No running slice overlaps the wait (before: one slice ran straight through it). The
    // await's begin carries the step's warm clock reading (runtime/tracer/tracer.ts,
    // "Times"), early by the JavaScript run since, which on a cold first step under load
    // has measured up to 1.8 ms; a slice through the wait would span its 50 ms.
    const overlap = [...t.runs].filter((r) => r.begin < wait.end! - 10 && (r.end ?? Infinity) > wait.begin + 10);
    assert.deepEqual(overlap, [], 'running slices during the wait');
    assert.ok(t.runs.length >= 2, 'a slice before the wait and one after');
  });

  it('nests main → await fetchPage() → await sleep() with both sites at their TS lines', async () => {
    const { model, stdout } = await recordProgram(dir, 'nested.ts', NESTED);
    assert.match(stdout, /page/);
    const main = model.tasks.find((t) => t.name === 'main') ?? model.tasks[0];
    const awaits = [...main.awaits].map((a) => ({ kind: a.kind, depth: a.depth, site: a.site && model.siteString(a.site) }));
    assert.deepEqual(awaits, [
      { kind: 'promise', depth: 0, site: 'nested.ts:7:16' },
      { kind: 'sleep', depth: 1, site: 'nested.ts:3:3' },
      { kind: 'promise', depth: 0, site: 'nested.ts:8:3' },
    ]);
    const [outer, inner] = main.awaits;
    assert.ok(outer.begin <= inner.begin && inner.end! <= outer.end!, 'the sleep lies inside the fetchPage await');
    // What each await awaits, as the viewer names it (build-time labels).
    assert.deepEqual([...main.awaits].map((a) => a.site?.label), ['fetchPage()', 'sleep()', 'new Promise()']);
    assert.deepEqual(model.awaitChainAt(main.id, (inner.begin + inner.end!) / 2).map((a) => a.kind), ['promise', 'sleep']);
    assert.ok(inner.wake, 'the sleep was woken');
    assert.equal(inner.wake!.wakerTaskId, 0);
    assert.notEqual(inner.wake!.callbackId, 0, 'by the timer callback');
    assert.equal(main.outcome, 'ok');
  });

  it('three tasks holding one lock: 3 acquisitions, 2 contended, 2 waiting at most', async () => {
    const { model } = await recordProgram(dir, 'holders.ts', THREE_HOLDERS);
    const s = model.contention().find((r) => r.name === 'shared');
    assert.ok(s, 'the lock is in the stats');
    assert.equal(s.kind, 'lock');
    assert.equal(s.site, 'holders.ts:3:16');
    assert.equal(s.acquisitions, 3);
    assert.equal(s.contended, 2);
    assert.equal(s.maxWaiters, 2);
    assert.deepEqual(s.topWaitSites.map((w) => [w.site, w.count]), [['holders.ts:5:5', 2]]);
    assert.deepEqual(s.topHoldSites.map((w) => [w.site, w.count]), [['holders.ts:5:5', 3]]);
    const r = model.resource(s.resourceId)!;
    assert.equal(r.holds.length, 3);
    for (let i = 1; i < r.holds.length; i++) assert.ok(r.holds.at(i)!.begin >= r.holds.at(i - 1)!.end!, 'one holder at a time');
    // The second waiter waited through two holds, the first through one: waits rank 0 < p50 < max.
    assert.equal(s.p50WaitMs, r.waits.at(0)!.end! - r.waits.at(0)!.begin);
    assert.equal(s.maxWaitMs, r.waits.at(1)!.end! - r.waits.at(1)!.begin);
    assert.ok(s.maxWaitMs > s.p50WaitMs && s.p50WaitMs > 0);
    assert.equal(s.totalWaitMs, s.p50WaitMs + s.maxWaitMs);
    assert.equal([...r.holds].every((h) => h.releaseSite && model.siteString(h.releaseSite) === 'holders.ts:9:7'), true);
    // Each lock wait is also an await of kind lock whose wake comes from the previous holder.
    const holderIds = new Set([...r.holds].map((h) => h.taskId));
    for (const t of model.tasks.filter((x) => holderIds.has(x.id))) {
      for (const a of [...t.awaits].filter((x) => x.kind === 'lock')) assert.ok(a.wake && holderIds.has(a.wake.wakerTaskId), `${t.name} woken by a holder`);
    }
    const json = statsJson(model);
    assert.deepEqual(json.tasks, { total: model.tasks.length, completed: model.tasks.length, cancelled: 0, failed: 0, pending: 0, unknown: 0 });
  });

  it('falls back to stack capture without build-time marks, with sites at TS lines relative to the root', async () => {
    const src = `import { createTask, run, sleep } from 'async-trace/runtime';
async function main(): Promise<void> {
  const t = createTask(async () => { await sleep(1); }, { name: 'spawned' });
  await t;
}
run(main);
`;
    const { model } = await recordProgram(dir, 'fallback.ts', src, false);
    const spawned = model.tasks.find((t) => t.name === 'spawned');
    assert.ok(spawned?.site, 'the spawned task has a captured site');
    assert.equal(spawned.site.file, 'fallback.ts');
    assert.equal(spawned.site.line, 3);
  });
});
