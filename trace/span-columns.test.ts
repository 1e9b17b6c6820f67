import assert from 'node:assert/strict';
import { TraceModel } from './model';
import type { TraceEvent } from './events';

describe('span columns', () => {
  it('keeps each task\'s runs and awaits in order while many tasks interleave (segments move as they grow)', () => {
    const ev: TraceEvent[] = [];
    const tasks = 7, rounds = 40;
    for (let k = 1; k <= tasks; k++) ev.push({ type: 'taskCreated', time: 0, taskId: k, parentId: 0, name: `t${k}`, site: 0 });
    let time = 1;
    for (let i = 0; i < rounds; i++) {
      for (let k = 1; k <= tasks; k++) {
        ev.push({ type: 'taskRunBegin', time: time++, taskId: k });
        ev.push({ type: 'awaitBegin', time: time++, taskId: k, kind: 'sleep', targetId: 1000 * k + i, site: 0 });
        ev.push({ type: 'taskRunEnd', time: time++, taskId: k });
      }
      for (let k = tasks; k >= 1; k--) ev.push({ type: 'awaitEnd', time: time++, taskId: k, targetId: 1000 * k + i, outcome: k % 2 ? 'ok' : 'cancelled' });
    }
    const m = new TraceModel();
    m.apply(ev);
    for (let k = 1; k <= tasks; k++) {
      const t = m.task(k)!;
      assert.equal(t.runs.length, rounds);
      assert.equal(t.awaits.length, rounds);
      const awaits = [...t.awaits];
      assert.deepEqual(awaits.map((a) => a.targetId), Array.from({ length: rounds }, (_, i) => 1000 * k + i));
      assert.ok(awaits.every((a) => a.taskId === k && a.depth === 0 && a.outcome === (k % 2 ? 'ok' : 'cancelled') && a.end! > a.begin));
      for (let i = 1; i < rounds; i++) assert.ok(t.runs.begin(i) > t.runs.end(i - 1)!, 'runs in time order, closed');
      assert.deepEqual(t.awaits.at(3), awaits[3]);
      assert.equal(t.awaits.kind(3), 'sleep');
    }
  });

  it('reads nothing outside 0..length-1 (no counting from the end)', () => {
    const m = new TraceModel();
    m.apply([
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 },
      { type: 'taskRunBegin', time: 1, taskId: 1 },
      { type: 'awaitBegin', time: 2, taskId: 1, kind: 'future', targetId: 5, site: 0 },
    ]);
    const t = m.task(1)!;
    assert.equal(t.awaits.at(-1), undefined);
    assert.equal(t.awaits.at(1), undefined);
    assert.equal(t.runs.at(-1), undefined);
    assert.deepEqual(t.runs.at(0), { begin: 1, end: undefined });
    assert.equal(t.awaits.end(0), undefined);
    assert.equal(t.awaits.outcome(0), undefined);
  });
});
