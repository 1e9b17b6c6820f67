import assert from 'node:assert/strict';
import { encodeTrace } from './encoder';
import type { TraceEvent } from './events';
import type { TraceHeader } from './model-types';
import { readTraceModel } from './feed';
import { addPause, pausedMs, pauseLabel, programTime, totalPausedMs, unpausedMs, type PauseSpan } from './pauses';
import { awaitSiteFigures } from './analysis/site-figures';
import { awaitSiteStats, statsJson } from './stats';

const header: TraceHeader = { formatVersion: 1, clockOriginUnixMs: 1_700_000_000_000, program: 'p.ts', root: '/r', runtimeVersion: '0', nodeVersion: 'v22', pid: 1 };

describe('paused time (trace/pauses.ts)', () => {
  const pauses: PauseSpan[] = [{ begin: 10, end: 20 }, { begin: 30, end: 35 }, { begin: 100, end: 3100 }];

  it('takes the paused part out of an interval', () => {
    assert.equal(unpausedMs(0, 5, pauses), 5);
    assert.equal(unpausedMs(0, 40, pauses), 25);
    assert.equal(unpausedMs(15, 32, pauses), 17 - 5 - 2);
    assert.equal(unpausedMs(12, 18, pauses), 0); // wholly inside a pause
    assert.equal(unpausedMs(20, 30, pauses), 10); // between pauses, touching both
    // The example: a 3.2 s wait spanning a 3 s pause counts 0.2 s.
    assert.ok(Math.abs(unpausedMs(0, 3200, [{ begin: 100, end: 3100 }]) - 200) < 1e-9);
    assert.equal(pausedMs(0, 1e9, pauses), 3015);
    assert.equal(totalPausedMs(pauses), 3015);
    assert.equal(unpausedMs(5, 1, pauses), -4); // a reversed interval is left as it was
    assert.equal(unpausedMs(0, 50, undefined), 50);
    assert.equal(unpausedMs(0, 50, []), 50);
  });

  it('agrees with a direct overlap sum on random intervals', () => {
    let seed = 7;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    const list: PauseSpan[] = [];
    for (let i = 0; i < 200; i++) addPause(list, i * 10 + 2 + rnd() * 6, rnd() * 4);
    for (let i = 0; i < 1000; i++) {
      const a = rnd() * 2100, b = a + rnd() * 300;
      const direct = list.reduce((s, p) => s + Math.max(0, Math.min(b, p.end) - Math.max(a, p.begin)), 0);
      assert.ok(Math.abs(pausedMs(a, b, list) - direct) < 1e-9, `[${a}, ${b}]`);
    }
  });

  it('keeps pauses sorted and merges overlapping ones', () => {
    const list: PauseSpan[] = [];
    addPause(list, 50, 10);
    addPause(list, 20, 5);
    addPause(list, 45, 10); // overlaps [40, 50]
    assert.deepEqual(list, [{ begin: 15, end: 20 }, { begin: 35, end: 50 }]);
    // A pause added to a list already queried is seen by the next query.
    assert.equal(totalPausedMs(list), 20);
    addPause(list, 100, 30);
    assert.equal(totalPausedMs(list), 50);
  });

  it('labels a pause for the chart', () => {
    assert.equal(pauseLabel({ begin: 0, end: 3000 }), 'paused in debugger 3.0 s');
    assert.equal(pauseLabel({ begin: 0, end: 250 }), 'paused in debugger 250 ms');
  });

  it('leaves a 3 s debugger pause out of lock waits, holds, await times and stats --json', () => {
    // holder takes the lock at 10 and is paused 3 s inside its hold (110 .. 3110), releases at 3210;
    // waiter asks at 20 and gets it at 3210: 3190 ms of wall time, 190 ms of program time.
    const events: TraceEvent[] = [
      { type: 'sitesRegistered', time: 0, base: 1, sites: ['p.ts:3:9', 'p.ts:7:5'] },
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'holder', site: 0 },
      { type: 'taskCreated', time: 0, taskId: 2, parentId: 0, name: 'waiter', site: 0 },
      { type: 'resourceCreated', time: 1, resourceId: 100, kind: 'lock', name: 'db', site: 1, capacity: 1 },
      { type: 'resourceAcquired', time: 10, resourceId: 100, taskId: 1, site: 1 },
      { type: 'awaitBegin', time: 20, taskId: 2, kind: 'lock', targetId: 100, site: 2 },
      { type: 'resourceWaitBegin', time: 20, resourceId: 100, taskId: 2, site: 2 },
      // written 0.5 ms after the pause ended
      { type: 'debuggerPaused', time: 3110.5, endedBeforeUs: 500, durationMs: 3000 },
      { type: 'resourceReleased', time: 3210, resourceId: 100, taskId: 1, site: 1 },
      { type: 'resourceAcquired', time: 3210, resourceId: 100, taskId: 2, site: 2 },
      { type: 'awaitEnd', time: 3210, taskId: 2, targetId: 100, outcome: 'ok' },
      { type: 'resourceReleased', time: 3220, resourceId: 100, taskId: 2, site: 2 },
    ];
    const { model } = readTraceModel(encodeTrace(header, events));
    assert.deepEqual(model.pauses, [{ begin: 110, end: 3110 }]);
    const [lock] = model.contention();
    assert.equal(lock!.totalWaitMs, 190);
    assert.equal(lock!.maxWaitMs, 190);
    assert.equal(lock!.p99WaitMs, 190);
    assert.equal(lock!.totalHoldMs, 200 + 10);
    assert.equal(lock!.maxHoldMs, 200);
    assert.equal(lock!.topWaitSites[0]!.totalWaitMs, 190);
    assert.equal(awaitSiteStats(model)[0]!.totalMs, 190);
    const json = statsJson(model);
    assert.equal(json.pausedMs, 3000);
    assert.deepEqual(json.pauses, [{ fromMs: 110, toMs: 3110 }]);
    assert.equal(json.resources[0]!.totalWaitMs, 190);
    // The critical path is program time too, and its segments still add up.
    assert.equal(json.criticalPath!.durationMs, 3220 - 3000);
    assert.equal(json.criticalPath!.segments.reduce((x, g) => x + g.ms, 0), 220);
    // CodeLens figures of the waiter's await site.
    const [fig] = awaitSiteFigures(model);
    assert.equal(fig!.totalMs, 190);
    assert.equal(programTime(3110, model.pauses), 110);
    assert.equal(programTime(3210, model.pauses), 210);
  });

  it('adds no pause fields to stats --json of a trace without pauses', () => {
    const { model } = readTraceModel(encodeTrace(header, [{ type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 }]));
    assert.deepEqual(model.pauses, []);
    const json = statsJson(model);
    assert.equal('pausedMs' in json, false);
    assert.equal('pauses' in json, false);
  });
});
