import assert from 'node:assert/strict';
import type { TraceEvent } from './events';
import { TraceModel } from './model';
import { awaitName, parseSite } from './sites';
import { nearestRank } from './stats';

/** Events at explicit times, so expected spans are known exactly. */
function model(events: TraceEvent[]): TraceModel {
  const m = new TraceModel();
  m.apply(events);
  return m;
}

describe('trace model', () => {
  it('parses sites from the right so drive letters survive', () => {
    assert.deepEqual(parseSite('C:\\src\\a.ts:12:3'), { file: 'C:\\src\\a.ts', line: 12, col: 3 });
    assert.deepEqual(parseSite('examples/x.ts:1:1'), { file: 'examples/x.ts', line: 1, col: 1 });
    assert.equal(parseSite('nope'), undefined);
    assert.deepEqual(parseSite('src/a.ts:4:5\tfetchPage()'), { file: 'src/a.ts', line: 4, col: 5, label: 'fetchPage()' });
    assert.deepEqual(parseSite('C:\\src\\a.ts:4:5\tnew Promise()'), { file: 'C:\\src\\a.ts', line: 4, col: 5, label: 'new Promise()' });
    assert.equal(parseSite('nope\tlabel'), undefined);
    // The enclosing function comes after a second tab, with or without a label.
    assert.deepEqual(parseSite('src/a.ts:4:5\tsleep()\tCache.get'), { file: 'src/a.ts', line: 4, col: 5, label: 'sleep()', fn: 'Cache.get' });
    assert.deepEqual(parseSite('src/a.ts:4:5\t\tmain'), { file: 'src/a.ts', line: 4, col: 5, fn: 'main' });
    // Exports and the viewer name a labelled promise await by its call, every other await by its kind.
    assert.equal(awaitName('promise', parseSite('a.ts:1:1\tfetchPage()')), 'fetchPage()');
    assert.equal(awaitName('promise', parseSite('a.ts:1:1')), 'promise');
    assert.equal(awaitName('sleep', parseSite('a.ts:1:1\tsleep()')), 'sleep');
  });

  it('finds tasks by id whether ids are small, huge or re-declared (the latest declaration wins)', () => {
    const created = (taskId: number, name: string, parentId = 0): TraceEvent => ({ type: 'taskCreated', time: 0, taskId, parentId, name, site: 0 });
    const m = model([
      created(1, 'a'), created(4_000_000_000, 'huge', 1), created(70_000, 'far'), created(2, 'b', 4_000_000_000),
      created(70_000, 'far again'), created(4_000_000_000, 'huge again'), created(3, 'c', 70_000),
    ]);
    assert.equal(m.task(1)?.name, 'a');
    assert.equal(m.task(2)?.name, 'b');
    assert.equal(m.task(3)?.name, 'c');
    assert.equal(m.task(70_000)?.name, 'far again');
    assert.equal(m.task(4_000_000_000)?.name, 'huge again');
    assert.equal(m.task(5), undefined);
    assert.equal(m.task(69_999), undefined);
    assert.equal(m.task(4_000_000_001), undefined);
    // Children are added to the task of that id at the time (the first 'huge', the second 'far').
    assert.deepEqual(m.tasks.map((t) => [t.name, t.children]), [
      ['a', [4_000_000_000]], ['huge', [2]], ['far', []], ['b', []], ['far again', [3]], ['huge again', []], ['c', []],
    ]);
  });

  it('makes absolute (stack-captured) sites inside the root relative to it', () => {
    const m = new TraceModel();
    m.setHeader({ formatVersion: 1, clockOriginUnixMs: 0, program: 'p.ts', root: '/work/app/', runtimeVersion: '', nodeVersion: '', pid: 1 });
    m.apply([
      { type: 'sitesRegistered', time: 0, base: 1, sites: ['/work/app/src/p.ts:3:9', '/work/application/x.ts:1:1', 'src/q.ts:2:2'] },
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'a', site: 1 },
      { type: 'taskCreated', time: 0, taskId: 2, parentId: 0, name: 'b', site: 2 },
      { type: 'taskCreated', time: 0, taskId: 3, parentId: 0, name: 'c', site: 3 },
    ]);
    assert.deepEqual(m.tasks.map((t) => m.siteString(t.site!)), ['src/p.ts:3:9', '/work/application/x.ts:1:1', 'src/q.ts:2:2']);
  });

  it('nests the await of an async call above the awaits made inside it', () => {
    const m = model([
      { type: 'sitesRegistered', time: 0, base: 10, sites: ['main.ts:5:3', 'main.ts:2:3'] },
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 },
      { type: 'taskRunBegin', time: 0, taskId: 1 },
      { type: 'awaitBegin', time: 1, taskId: 1, kind: 'promise', targetId: 0, site: 10 },
      { type: 'awaitBegin', time: 1, taskId: 1, kind: 'sleep', targetId: 7, site: 11 },
      { type: 'taskRunEnd', time: 1, taskId: 1 },
      { type: 'wake', time: 50, wakerTaskId: 0, callbackId: 8, wokenTaskId: 1, targetId: 7 },
      { type: 'taskRunBegin', time: 50, taskId: 1 },
      { type: 'awaitEnd', time: 50, taskId: 1, targetId: 7, outcome: 'ok' },
      { type: 'awaitEnd', time: 51, taskId: 1, targetId: 0, outcome: 'ok' },
      { type: 'taskDone', time: 52, taskId: 1, outcome: 'ok', message: '' },
    ]);
    const main = m.task(1)!;
    assert.deepEqual([...main.awaits].map((a) => [a.kind, a.depth, a.begin, a.end]), [['promise', 0, 1, 51], ['sleep', 1, 1, 50]]);
    assert.equal(m.siteString(main.awaits.at(1)!.site!), 'main.ts:2:3');
    assert.equal(main.awaits.at(1)!.wake?.callbackId, 8);
    assert.equal(main.awaits.at(0)!.wake, undefined);
    assert.deepEqual(m.awaitChainAt(1, 20).map((a) => a.kind), ['promise', 'sleep']);
    assert.deepEqual(m.awaitChainAt(1, 50.5).map((a) => a.kind), ['promise']);
    assert.deepEqual([...main.runs], [{ begin: 0, end: 1 }, { begin: 50, end: 52 }]);
    assert.equal(main.outcome, 'ok');
    assert.equal(m.awaitsIn(1, 50.5, 60).length, 1);
  });

  it('keeps spans at one depth from overlapping when sibling awaits end out of order', () => {
    const m = model([
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 },
      { type: 'awaitBegin', time: 0, taskId: 1, kind: 'promise', targetId: 0, site: 0 },
      { type: 'awaitBegin', time: 1, taskId: 1, kind: 'sleep', targetId: 2, site: 0 },
      { type: 'awaitBegin', time: 2, taskId: 1, kind: 'sleep', targetId: 3, site: 0 },
      { type: 'awaitEnd', time: 3, taskId: 1, targetId: 2, outcome: 'ok' },
      { type: 'awaitBegin', time: 4, taskId: 1, kind: 'sleep', targetId: 4, site: 0 },
    ]);
    assert.deepEqual([...m.task(1)!.awaits].map((a) => a.depth), [0, 1, 2, 3]);
  });

  it('records task tree, callbacks, jobs, io waits, blocked loops and dropped counts', () => {
    const m = model([
      { type: 'sitesRegistered', time: 0, base: 1, sites: ['a.ts:3:1'] },
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 },
      { type: 'taskCreated', time: 1, taskId: 2, parentId: 1, name: 'child', site: 1 },
      { type: 'taskRenamed', time: 1, taskId: 2, name: 'worker' },
      { type: 'callbackScheduled', time: 2, handleId: 5, kind: 'later', delayMs: 10, site: 1 },
      { type: 'callbackBegin', time: 12, handleId: 5 },
      { type: 'callbackEnd', time: 13, handleId: 5 },
      { type: 'jobSubmitted', time: 14, jobId: 6, executorId: 9, fnName: 'hash', site: 1 },
      { type: 'jobStarted', time: 15, jobId: 6, workerIndex: 2 },
      { type: 'jobFinished', time: 20, jobId: 6, outcome: 'error', message: 'boom' },
      { type: 'ioWaitBegin', time: 21, streamId: 7, taskId: 2, op: 'read', peer: '127.0.0.1:80', site: 1 },
      { type: 'ioWaitEnd', time: 25, streamId: 7, taskId: 2, bytes: 42, outcome: 'ok' },
      { type: 'loopBlocked', time: 200, durationMs: 150 },
      { type: 'dropped', time: 201, count: 17 },
      { type: 'taskDone', time: 202, taskId: 2, outcome: 'cancelled', message: 'stop' },
    ]);
    assert.deepEqual(m.task(1)!.children, [2]);
    assert.equal(m.task(2)!.name, 'worker');
    assert.equal(m.task(2)!.site?.line, 3);
    assert.deepEqual(m.task(2)!.outcome, 'cancelled');
    assert.deepEqual(m.callbacks.map((c) => [c.handleId, c.kind, c.begin, c.end]), [[5, 'later', 12, 13]]);
    assert.deepEqual(m.jobs.map((j) => [j.fnName, j.submittedAt, j.startedAt, j.endedAt, j.workerIndex, j.outcome, j.message]), [['hash', 14, 15, 20, 2, 'error', 'boom']]);
    assert.deepEqual([...m.ioWaits].map((w) => [w.op, w.bytes, w.begin, w.end, w.peer]), [['read', 42, 21, 25, '127.0.0.1:80']]);
    assert.deepEqual(m.blocked, [{ begin: 50, end: 200, durationMs: 150 }]);
    assert.equal(m.droppedEvents, 17);
    assert.equal(m.eventCount, 15);
    assert.equal(m.endTime, 202);
  });

  it('grows incrementally: spans opened in one batch close in the next', () => {
    const m = new TraceModel();
    m.apply([
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 },
      { type: 'awaitBegin', time: 1, taskId: 1, kind: 'future', targetId: 3, site: 0 },
    ]);
    // A reader keeps the task's list (span objects are made on demand, so it reads them again).
    const awaits = m.task(1)!.awaits;
    assert.equal(awaits.end(0), undefined);
    m.apply([{ type: 'awaitEnd', time: 9, taskId: 1, targetId: 3, outcome: 'error' }]);
    assert.equal(awaits.end(0), 9);
    assert.equal(awaits.at(0)!.outcome, 'error');
  });

  it('computes nearest-rank percentiles', () => {
    assert.equal(nearestRank([0, 100, 200], 50), 100);
    assert.equal(nearestRank([0, 100, 200], 99), 200);
    assert.equal(nearestRank([5], 1), 5);
    assert.equal(nearestRank([], 50), 0);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(nearestRank(hundred, 99), 99);
    assert.equal(nearestRank(hundred, 50), 50);
  });

  it('a release by a task that holds nothing ends the oldest open hold; a holder\'s own release its latest (issue 16)', () => {
    const ev: TraceEvent[] = [
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'releaser', site: 0 },
      { type: 'resourceCreated', time: 0, resourceId: 9, kind: 'semaphore', name: 'permits', site: 0, capacity: 3 },
    ];
    for (const [i, task] of [2, 3, 2, 4].entries()) ev.push({ type: 'resourceAcquired', time: 1 + i, resourceId: 9, taskId: task, site: 0 });
    ev.push(
      { type: 'resourceReleased', time: 10, resourceId: 9, taskId: 1, site: 0 }, // oldest: 2's first
      { type: 'resourceReleased', time: 11, resourceId: 9, taskId: 2, site: 0 }, // 2's latest (its second)
      { type: 'resourceReleased', time: 12, resourceId: 9, taskId: 1, site: 0 }, // oldest open: 3's
      { type: 'resourceReleased', time: 13, resourceId: 9, taskId: 2, site: 0 }, // 2 holds nothing: oldest open, 4's
      { type: 'resourceReleased', time: 14, resourceId: 9, taskId: 1, site: 0 }, // nothing open
    );
    const m = model(ev);
    assert.deepEqual([...m.resource(9)!.holds].map((h) => [h.taskId, h.begin, h.end]), [[2, 1, 10], [3, 2, 12], [2, 3, 11], [4, 4, 13]]);
  });

  it('many awaits of one task open at once end in any order, each at its target, depths as nested (issue 16)', () => {
    const n = 40;
    const ev: TraceEvent[] = [{ type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 }];
    for (let i = 0; i < n; i++) ev.push({ type: 'awaitBegin', time: 1, taskId: 1, kind: 'future', targetId: 100 + (i % 30), site: 0 });
    // Oldest first, then an await begun while the deepest is still open.
    for (let i = 0; i < n - 1; i++) ev.push({ type: 'awaitEnd', time: 2 + i, taskId: 1, targetId: 100 + (i % 30), outcome: 'ok' });
    ev.push({ type: 'awaitBegin', time: 50, taskId: 1, kind: 'sleep', targetId: 7, site: 0 });
    const m = model(ev);
    const awaits = [...m.task(1)!.awaits];
    // The new await nests in the deepest one still open (the 10th).
    assert.deepEqual(awaits.map((a) => a.depth), [...Array.from({ length: n }, (_, i) => i), 10]);
    // A target awaited twice ends its innermost (latest) open await first.
    assert.equal(awaits[0].end, 2 + 30);
    assert.equal(awaits[30].end, 2);
    assert.equal(awaits[n - 1].end, 2 + 9);
    assert.deepEqual(awaits.filter((a) => a.end === undefined).map((a) => a.targetId), [100 + 9, 7]);
  });
});
