// The summary prints a hold time only for what can be held: a queue's "hold 0.00 ms" said nothing.
import assert from 'node:assert/strict';
import type { TraceEvent } from '../../trace/events';
import { TraceModel } from '../../trace/model';
import { statsJson } from '../../trace/stats';
import { formatSummary } from '../../cli/summary';

function lockAndQueue(): TraceEvent[] {
  const ev: TraceEvent[] = [
    { type: 'sitesRegistered', time: 0, base: 1, sites: ['p.ts:1:1', 'p.ts:2:1', 'p.ts:3:1'] },
    { type: 'resourceCreated', time: 0, resourceId: 100, kind: 'lock', name: 'shelf', site: 1, capacity: 1 },
    { type: 'resourceCreated', time: 0, resourceId: 200, kind: 'queue', name: 'orders', site: 2, capacity: 1 },
    { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 't1', site: 0 },
    { type: 'resourceAcquired', time: 0, resourceId: 100, taskId: 1, site: 3 },
    { type: 'resourceReleased', time: 40, resourceId: 100, taskId: 1, site: 3 },
    { type: 'resourceWaitBegin', time: 40, resourceId: 200, taskId: 1, site: 3 },
    { type: 'resourceAcquired', time: 50, resourceId: 200, taskId: 1, site: 3 },
    { type: 'taskDone', time: 60, taskId: 1, outcome: 'ok', message: '' },
  ];
  return ev;
}

describe('summary: hold times', () => {
  it('a lock shows its hold time, a queue none', () => {
    const m = new TraceModel();
    m.apply(lockAndQueue());
    const lines = formatSummary(statsJson(m), 'p.atrace').split('\n');
    const lock = lines.find((l) => l.includes('lock shelf'));
    const queue = lines.find((l) => l.includes('queue orders'));
    assert.ok(lock, lines.join('\n'));
    assert.ok(queue, lines.join('\n'));
    assert.match(lock, /hold 40(\.0+)? ms, max waiters/);
    assert.doesNotMatch(queue, /hold/);
    assert.match(queue, /wait 10(\.0+)? ms .*max waiters 1/);
  });
});
