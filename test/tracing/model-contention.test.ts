// Contention numbers checked against event streams whose answer is known by
// construction (cli.md definitions: waits per acquisition, nearest-rank percentiles).
import assert from 'node:assert/strict';
import type { TraceEvent } from '../../trace/events';
import { TraceModel } from '../../trace/model';
import { statsJson } from '../../trace/stats';

const LOCK = 100;
const SITES = { created: 1, acquire: 2, release: 3 };

/** Three tasks each holding one lock for 100 ms, all asking at t=0: waits 0, 100, 200. */
function threeHolders(): TraceEvent[] {
  const ev: TraceEvent[] = [
    { type: 'sitesRegistered', time: 0, base: 1, sites: ['examples/lock.ts:8:15', 'examples/lock.ts:14:11', 'examples/lock.ts:16:7'] },
    { type: 'resourceCreated', time: 0, resourceId: LOCK, kind: 'lock', name: 'cache', site: SITES.created, capacity: 1 },
  ];
  for (const id of [1, 2, 3]) ev.push({ type: 'taskCreated', time: 0, taskId: id, parentId: 0, name: `t${id}`, site: 0 });
  ev.push({ type: 'resourceAcquired', time: 0, resourceId: LOCK, taskId: 1, site: SITES.acquire });
  ev.push({ type: 'resourceWaitBegin', time: 0, resourceId: LOCK, taskId: 2, site: SITES.acquire });
  ev.push({ type: 'resourceWaitBegin', time: 0, resourceId: LOCK, taskId: 3, site: SITES.acquire });
  ev.push({ type: 'resourceReleased', time: 100, resourceId: LOCK, taskId: 1, site: SITES.release });
  ev.push({ type: 'resourceAcquired', time: 100, resourceId: LOCK, taskId: 2, site: SITES.acquire });
  ev.push({ type: 'resourceReleased', time: 200, resourceId: LOCK, taskId: 2, site: SITES.release });
  ev.push({ type: 'resourceAcquired', time: 200, resourceId: LOCK, taskId: 3, site: SITES.acquire });
  ev.push({ type: 'resourceReleased', time: 300, resourceId: LOCK, taskId: 3, site: SITES.release });
  for (const id of [1, 2, 3]) ev.push({ type: 'taskDone', time: 300, taskId: id, outcome: 'ok', message: '' });
  return ev;
}

describe('contention statistics', () => {
  it('three tasks holding a lock 100 ms each: waits 0, 100, 200', () => {
    const m = new TraceModel();
    m.apply(threeHolders());
    const [s] = m.contention();
    assert.equal(s.kind, 'lock');
    assert.equal(s.name, 'cache');
    assert.equal(s.site, 'examples/lock.ts:8:15');
    assert.equal(s.acquisitions, 3);
    assert.equal(s.contended, 2);
    assert.equal(s.totalWaitMs, 300);
    assert.equal(s.maxWaitMs, 200);
    assert.equal(s.p50WaitMs, 100);
    assert.equal(s.p99WaitMs, 200);
    assert.equal(s.totalHoldMs, 300);
    assert.equal(s.maxHoldMs, 100);
    assert.equal(s.maxWaiters, 2);
    assert.deepEqual(s.topWaitSites, [{ site: 'examples/lock.ts:14:11', count: 2, totalWaitMs: 300 }]);
    assert.deepEqual(s.topHoldSites, [{ site: 'examples/lock.ts:14:11', count: 3, totalHoldMs: 300 }]);
  });

  it('answers who held the lock at a time', () => {
    const m = new TraceModel();
    m.apply(threeHolders());
    assert.deepEqual(m.holdersAt(LOCK, 50).map((h) => h.taskId), [1]);
    assert.deepEqual(m.holdersAt(LOCK, 150).map((h) => h.taskId), [2]);
    assert.deepEqual(m.holdersAt(LOCK, 250).map((h) => h.taskId), [3]);
    assert.deepEqual(m.holdersAt(LOCK, 300), []);
    assert.equal(m.resource(LOCK)!.holds.at(1)!.releaseSite?.line, 16);
  });

  it('a cancelled wait counts as a contended wait (wait figures, max waiters) but not as an acquisition', () => {
    const m = new TraceModel();
    m.apply([
      { type: 'resourceCreated', time: 0, resourceId: 5, kind: 'semaphore', name: 's', site: 0, capacity: 1 },
      { type: 'resourceAcquired', time: 0, resourceId: 5, taskId: 1, site: 0 },
      { type: 'resourceWaitBegin', time: 1, resourceId: 5, taskId: 2, site: 0 },
      { type: 'resourceWaitAbandoned', time: 11, resourceId: 5, taskId: 2, outcome: 'cancelled' },
      { type: 'resourceReleased', time: 20, resourceId: 5, taskId: 1, site: 0 },
    ]);
    const [s] = m.contention();
    assert.equal(s.acquisitions, 1);
    assert.equal(s.contended, 1);
    assert.equal(s.totalWaitMs, 10);
    assert.equal(s.maxWaitMs, 10);
    assert.equal(s.maxWaiters, 1);
    assert.equal(s.totalHoldMs, 20);
    assert.equal(m.resource(5)!.waits.at(0)!.outcome, 'cancelled');
  });

  it('a wait still open when the trace ends (a deadlock) counts as contended, up to the end', () => {
    const m = new TraceModel();
    m.apply([
      { type: 'resourceCreated', time: 0, resourceId: 5, kind: 'lock', name: 'l', site: 0, capacity: 1 },
      { type: 'resourceAcquired', time: 0, resourceId: 5, taskId: 1, site: 0 },
      { type: 'resourceWaitBegin', time: 4, resourceId: 5, taskId: 2, site: 0 },
      { type: 'taskRunBegin', time: 50, taskId: 1 },
    ]);
    const [s] = m.contention();
    assert.equal(s.acquisitions, 1);
    assert.equal(s.contended, 1);
    assert.equal(s.totalWaitMs, 46);
  });

  it('writes the stats JSON version 1 with cli.md fields', () => {
    const m = new TraceModel();
    m.setHeader({ formatVersion: 1, clockOriginUnixMs: 0, program: 'examples/lock.ts', root: '/x', runtimeVersion: '0.1.0', nodeVersion: 'v20', pid: 1 });
    m.apply(threeHolders());
    const j = statsJson(m);
    assert.deepEqual(Object.keys(j), ['version', 'program', 'durationMs', 'events', 'droppedEvents', 'droppedRanges', 'tasks', 'resources', 'awaitSites', 'findings', 'failures', 'criticalPath']);
    assert.equal(j.version, 1);
    assert.equal(j.program, 'examples/lock.ts');
    assert.equal(j.durationMs, 300);
    assert.deepEqual(j.tasks, { total: 3, completed: 3, cancelled: 0, failed: 0, pending: 0, unknown: 0 });
    assert.deepEqual(j.droppedRanges, []);
    assert.deepEqual(Object.keys(j.resources[0]), ['kind', 'name', 'site', 'acquisitions', 'contended', 'totalWaitMs', 'maxWaitMs', 'p50WaitMs', 'p99WaitMs', 'totalHoldMs', 'maxHoldMs', 'maxWaiters', 'topWaitSites', 'topHoldSites', 'holdAwaitSites']);
  });

  it('a queue: every get is an acquisition, blocked gets and blocked puts are the contended waits', () => {
    const m = new TraceModel();
    const Q = 9;
    m.apply([
      { type: 'resourceCreated', time: 0, resourceId: Q, kind: 'queue', name: 'q', site: 0, capacity: 1 },
      // Task 1 gets from an empty queue: blocked 0 → 10.
      { type: 'resourceWaitBegin', time: 0, resourceId: Q, taskId: 1, site: 0 },
      { type: 'resourceSignal', time: 10, resourceId: Q, taskId: 2, signal: 'put', site: 0 },
      { type: 'resourceAcquired', time: 10, resourceId: Q, taskId: 1, site: 0 },
      { type: 'resourceSignal', time: 10, resourceId: Q, taskId: 1, signal: 'get', site: 0 },
      // Two puts fill it; the third blocks 20 → 50 until a get makes room.
      { type: 'resourceSignal', time: 20, resourceId: Q, taskId: 2, signal: 'put', site: 0 },
      { type: 'resourceWaitBegin', time: 20, resourceId: Q, taskId: 2, site: 0 },
      { type: 'resourceSignal', time: 50, resourceId: Q, taskId: 3, signal: 'get', site: 0 },
      { type: 'resourceSignal', time: 50, resourceId: Q, taskId: 2, signal: 'put', site: 0 },
      { type: 'resourceSignal', time: 60, resourceId: Q, taskId: 3, signal: 'get', site: 0 },
    ]);
    const [s] = m.contention();
    assert.equal(s.acquisitions, 3);
    assert.equal(s.contended, 2);
    assert.equal(s.totalWaitMs, 40);
    assert.equal(s.maxWaitMs, 30);
    assert.equal(s.p50WaitMs, 0, 'waits 0, 0, 10, 30');
    assert.equal(s.maxWaiters, 1);
  });

  it('a condition: a notified wait is a contended wait', () => {
    const m = new TraceModel();
    m.apply([
      { type: 'resourceCreated', time: 0, resourceId: 4, kind: 'condition', name: 'c', site: 0, capacity: 0 },
      { type: 'resourceWaitBegin', time: 0, resourceId: 4, taskId: 1, site: 0 },
      { type: 'resourceSignal', time: 25, resourceId: 4, taskId: 2, signal: 'notify', site: 0 },
      { type: 'resourceWaitAbandoned', time: 25, resourceId: 4, taskId: 1, outcome: 'ok' },
    ]);
    const [s] = m.contention();
    assert.equal(s.contended, 1);
    assert.equal(s.totalWaitMs, 25);
    assert.equal(m.resource(4)!.signals[0].signal, 'notify');
  });
});
