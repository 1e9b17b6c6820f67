// Findings on the chart, pure: a finding's spans become the refs the chart selects
// (waits of several tasks from one instant told apart by task), a deadlock's arrows
// run from each holder's grant to its waiter, and the critical path lies on its lanes.
import assert from 'node:assert/strict';
import { analyze } from '../trace/analysis/analyze';
import type { TraceEvent } from '../trace/events';
import { TraceModel } from '../trace/model';
import { criticalPathMarks, findingArrows, findingRefs, spanRef } from './finding-refs';
import { defaultLayoutOptions, layoutTrace } from './flame-layout';

/** Two tasks take locks 10 and 11 in opposite order and wait for each other from t=5. */
function deadlock(): TraceModel {
  const ev: TraceEvent[] = [
    { type: 'sitesRegistered', time: 0, base: 1, sites: ['a.ts:1:1', 'a.ts:2:1'] },
    { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 },
    { type: 'taskCreated', time: 0, taskId: 2, parentId: 1, name: 'ab', site: 0 },
    { type: 'taskCreated', time: 0, taskId: 3, parentId: 1, name: 'ba', site: 0 },
    { type: 'resourceCreated', time: 0, resourceId: 10, kind: 'lock', name: 'x', site: 0, capacity: 1 },
    { type: 'resourceCreated', time: 0, resourceId: 11, kind: 'lock', name: 'y', site: 0, capacity: 1 },
    { type: 'taskRunBegin', time: 0, taskId: 1 },
    { type: 'awaitBegin', time: 0.5, taskId: 1, kind: 'task', targetId: 2, site: 2 },
    { type: 'taskRunEnd', time: 0.5, taskId: 1 },
    { type: 'resourceAcquired', time: 1, resourceId: 10, taskId: 2, site: 1 },
    { type: 'resourceAcquired', time: 2, resourceId: 11, taskId: 3, site: 1 },
    { type: 'resourceWaitBegin', time: 5, resourceId: 11, taskId: 2, site: 2 },
    { type: 'awaitBegin', time: 5, taskId: 2, kind: 'lock', targetId: 11, site: 2 },
    { type: 'resourceWaitBegin', time: 5, resourceId: 10, taskId: 3, site: 2 },
    { type: 'awaitBegin', time: 5, taskId: 3, kind: 'lock', targetId: 10, site: 2 },
    { type: 'taskRunBegin', time: 9, taskId: 1 },
    { type: 'taskRunEnd', time: 9.5, taskId: 1 },
  ];
  const m = new TraceModel();
  m.apply(ev);
  return m;
}

describe('findings on the chart', () => {
  it('maps a deadlock to the waits, awaits and holds of both tasks', () => {
    const m = deadlock();
    const [d] = analyze(m).findings.filter((f) => f.kind === 'deadlock');
    assert.ok(d, 'a deadlock is found');
    const refs = findingRefs(m, d);
    assert.ok(refs.some((r) => r.kind === 'wait' && r.resourceId === 10));
    assert.ok(refs.some((r) => r.kind === 'wait' && r.resourceId === 11));
    assert.ok(refs.some((r) => r.kind === 'await' && r.taskId === 3 && m.task(3)!.awaits.targetId(r.index) === 10));
    assert.ok(refs.some((r) => r.kind === 'hold' && r.resourceId === 11));
  });

  it('tells apart waits of several tasks that began at the same instant', () => {
    const m = deadlock();
    assert.deepEqual(spanRef(m, { type: 'wait', resourceId: 10, taskId: 3, begin: 5 }), { kind: 'wait', resourceId: 10, index: 0 });
    assert.equal(spanRef(m, { type: 'wait', resourceId: 10, taskId: 2, begin: 5 }), undefined, 'task 2 never waited for lock 10');
    assert.equal(spanRef(m, { type: 'await', taskId: 2, begin: 4 }), undefined, 'no await begins then');
  });

  it('draws a deadlock\'s arrows from each holder\'s grant to its waiter, and the critical path on its lanes', () => {
    const m = deadlock();
    const a = analyze(m);
    const layout = layoutTrace(m, defaultLayoutOptions);
    const lane = (id: number) => layout.lanes.find((l) => l.id === `t${id}`)!;
    const d = a.findings.find((f) => f.kind === 'deadlock')!;
    const arrows = findingArrows(m, layout, d);
    assert.equal(arrows.length, 2);
    for (const arrow of arrows) {
      assert.ok(arrow.fromT === 1 || arrow.fromT === 2, `from a grant (${arrow.fromT})`);
      assert.equal(arrow.toT, 5);
      assert.notEqual(arrow.fromY, arrow.toY);
    }
    const marks = criticalPathMarks(layout, a.criticalPath!);
    assert.ok(marks.length > 0);
    for (const mk of marks) assert.ok(mk.y >= lane(mk.taskId).y && mk.y < lane(mk.taskId).y + lane(mk.taskId).height);
  });
});
