import assert from 'node:assert/strict';
import type { TraceEvent } from '../events';
import { TraceModel } from '../model';
import { findPendingAtExit } from './pending';

describe('pending-at-exit at scale (issue 16)', () => {
  it('groups more pending tasks than a call takes arguments, each wait described from one scan', () => {
    const n = 130_000;
    const ev: TraceEvent[] = [
      { type: 'sitesRegistered', time: 0, base: 1, sites: ['a.ts:1:1', 'a.ts:2:1'] },
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 1 },
      { type: 'resourceCreated', time: 0, resourceId: 5, kind: 'lock', name: 'L', site: 1, capacity: 1 },
      { type: 'resourceAcquired', time: 0, resourceId: 5, taskId: 1, site: 1 },
    ];
    for (let i = 0; i < n; i++) {
      const id = 100 + i;
      const time = 1 + i / 1000;
      ev.push({ type: 'taskCreated', time, taskId: id, parentId: 1, name: `w${i}`, site: 1 });
      if (i % 2 === 0) {
        ev.push({ type: 'resourceWaitBegin', time, resourceId: 5, taskId: id, site: 2 }, { type: 'awaitBegin', time, taskId: id, kind: 'lock', targetId: 5, site: 2 });
      } else {
        ev.push({ type: 'ioWaitBegin', time, streamId: 7, taskId: id, op: 'read', peer: 'db', site: 2 }, { type: 'awaitBegin', time, taskId: id, kind: 'io', targetId: 7, site: 2 });
      }
    }
    const m = new TraceModel();
    m.apply(ev);
    const findings = findPendingAtExit(m, new Set());
    const lock = findings.find((f) => f.message.includes('waits for lock L, held by main'));
    const io = findings.find((f) => f.message.includes('waits for I/O (read db)'));
    assert.equal(lock?.taskIds.length, n / 2);
    assert.equal(io?.taskIds.length, n / 2);
    assert.equal(lock.at, 1);
    assert.equal(io.at, 1.001);
  });
});
