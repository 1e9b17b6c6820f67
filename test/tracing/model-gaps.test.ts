// Honest gaps (issue 14): when the tracer dropped events, the model does not invent
// states. A task with no end that was last seen before a gap is "unknown (events
// dropped)", not "pending"; one seen after the last gap is pending. The stats (JSON and
// text) and the panel's status say how many events are missing and over which ranges.
import assert from 'node:assert/strict';
import { formatSummary } from '../../cli/summary';
import type { TraceEvent } from '../../trace/events';
import { droppedAfter, missingText, taskState } from '../../trace/gaps';
import { TraceModel } from '../../trace/model';
import { statsJson } from '../../trace/stats';

/** main (1) spawns early (2) and late (3); events are dropped between 10 and 20 ms, and 40 and 50. */
function gappyTrace(): TraceEvent[] {
  return [
    { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 },
    { type: 'taskCreated', time: 1, taskId: 2, parentId: 1, name: 'early', site: 0 },
    { type: 'taskRunBegin', time: 2, taskId: 2 },
    { type: 'awaitBegin', time: 10, taskId: 2, kind: 'sleep', targetId: 9, site: 0 },
    { type: 'dropped', time: 20, count: 1234 },
    { type: 'taskCreated', time: 30, taskId: 3, parentId: 1, name: 'late', site: 0 },
    { type: 'taskRunBegin', time: 40, taskId: 1 },
    { type: 'dropped', time: 50, count: 6 },
    { type: 'taskRunBegin', time: 55, taskId: 3 },
    { type: 'awaitBegin', time: 56, taskId: 3, kind: 'sleep', targetId: 10, site: 0 },
  ];
}

function modelOf(events: TraceEvent[]): TraceModel {
  const m = new TraceModel();
  m.setHeader({ formatVersion: 1, clockOriginUnixMs: 0, program: 'gappy.ts', root: '/x', runtimeVersion: '0.1.0', nodeVersion: 'v20', pid: 1 });
  m.apply(events);
  return m;
}

describe('dropped events in the model', () => {
  it('records each gap from the last event before it to its dropped record, with the count', () => {
    const m = modelOf(gappyTrace());
    assert.deepEqual(m.gaps, [{ begin: 10, end: 20, count: 1234 }, { begin: 40, end: 50, count: 6 }]);
    assert.equal(m.droppedEvents, 1240);
  });

  it('calls a task without an end last seen before a gap unknown, not pending; one seen after every gap pending', () => {
    const m = modelOf(gappyTrace());
    assert.equal(taskState(m, m.task(2)!), 'unknown', 'early: last seen at 10, events dropped after');
    assert.equal(taskState(m, m.task(1)!), 'unknown', 'main: last seen at 40, before the second gap');
    assert.equal(taskState(m, m.task(3)!), 'pending', 'late: seen at 56, after the last gap');
    assert.equal(droppedAfter(m.gaps, m.task(2)!.awaits.at(0)!.begin), true, 'the open sleep of early may have ended unseen');
    assert.equal(droppedAfter(m.gaps, m.task(3)!.awaits.at(0)!.begin), false);
  });

  it('without drops a task without an end is pending', () => {
    const m = modelOf(gappyTrace().filter((e) => e.type !== 'dropped'));
    assert.deepEqual(m.gaps, []);
    assert.deepEqual(m.tasks.map((t) => taskState(m, t)), ['pending', 'pending', 'pending']);
  });

  it('stats --json counts unknown tasks apart and lists the dropped ranges (fields added, none changed)', () => {
    const j = statsJson(modelOf(gappyTrace()));
    assert.deepEqual(j.tasks, { total: 3, completed: 0, cancelled: 0, failed: 0, pending: 1, unknown: 2 });
    assert.equal(j.droppedEvents, 1240);
    assert.deepEqual(j.droppedRanges, [{ fromMs: 10, toMs: 20, count: 1234 }, { fromMs: 40, toMs: 50, count: 6 }]);
  });

  it('the text summary says how many events are missing, when, and which tasks are unknown', () => {
    const text = formatSummary(statsJson(modelOf(gappyTrace())), 'gappy.atrace');
    assert.match(text, /1240 DROPPED/);
    assert.match(text, /^missing: 1,240 events missing \(dropped by the tracer: its reader fell behind\) in 2 gaps: 10\.0 ms–20\.0 ms, 40\.0 ms–50\.0 ms$/m);
    assert.match(text, /tasks: 3 total, 0 completed, 0 cancelled, 0 failed, 1 pending, 2 unknown \(events dropped\)/);
  });

  it('names the first ranges and how many more', () => {
    const gaps = [1, 2, 3, 4, 5].map((i) => ({ begin: i * 10, end: i * 10 + 1, count: 1 }));
    assert.equal(missingText(5, gaps, (ms) => `${ms} ms`, 2), '5 events missing (dropped by the tracer: its reader fell behind) in 5 gaps: 10 ms–11 ms, 20 ms–21 ms, 3 more');
  });
});
