// never-retrieved, failures and kept-alive pending-at-exit from the records that carry
// them (taskErrorThrown, taskErrorRetrieved, exitHandles), on hand-written events so the
// exact answer is known: the record order does not matter, and a trace without the
// records names no never-retrieved finding rather than a guessed one.
import assert from 'node:assert/strict';
import type { TraceEvent } from '../events';
import { TraceModel } from '../model';
import { analyze } from './analyze';
import { analysisJson } from './json';

function json(events: TraceEvent[]): ReturnType<typeof analysisJson> {
  const m = new TraceModel();
  m.apply(events);
  return analysisJson(m, analyze(m));
}

const failed = (taskId: number, name: string, at: number): TraceEvent[] => [
  { type: 'taskCreated', time: at, taskId, parentId: 0, name, site: 1 },
  { type: 'taskRunBegin', time: at, taskId },
  { type: 'taskDone', time: at + 1, taskId, outcome: 'error', message: `${name} broke` },
];

const sites: TraceEvent = { type: 'sitesRegistered', time: 0, base: 1, sites: ['app.ts:20:3', 'app.ts:7:11'] };

describe('never-retrieved and exit handles from their records', () => {
  it('a failure nobody retrieved is never-retrieved at its throw site, then its creation site', () => {
    const a = json([sites, ...failed(1, 'w1', 1), { type: 'taskErrorThrown', time: 5, taskId: 1, site: 2, retrieved: 0 }]);
    assert.deepEqual(a.findings.map((f) => [f.kind, f.tasks, f.sites]), [['never-retrieved', ['w1'], ['app.ts:7:11', 'app.ts:20:3']]]);
    assert.equal(a.findings[0].message, 'w1 failed and nobody retrieved its error: w1 broke (thrown at app.ts:7:11)');
    assert.deepEqual(a.failures, [{ task: 'w1', outcome: 'error', message: 'w1 broke', site: 'app.ts:7:11' }]);
  });

  it('retrieved at the failure, or later before or after the throw record: no finding', () => {
    const atFailure = json([sites, ...failed(1, 'w1', 1), { type: 'taskErrorThrown', time: 5, taskId: 1, site: 2, retrieved: 1 }]);
    const before = json([sites, ...failed(1, 'w1', 1), { type: 'taskErrorRetrieved', time: 3, taskId: 1 }, { type: 'taskErrorThrown', time: 5, taskId: 1, site: 2, retrieved: 0 }]);
    const after = json([sites, ...failed(1, 'w1', 1), { type: 'taskErrorThrown', time: 2, taskId: 1, site: 2, retrieved: 0 }, { type: 'taskErrorRetrieved', time: 3, taskId: 1 }]);
    for (const a of [atFailure, before, after]) {
      assert.deepEqual(a.findings, []);
      assert.equal(a.failures[0].site, 'app.ts:7:11');
    }
  });

  it('a trace without the records (older recordings) names the failure without a site and no never-retrieved', () => {
    const a = json([sites, ...failed(1, 'w1', 1)]);
    assert.deepEqual(a.findings, []);
    assert.deepEqual(a.failures, [{ task: 'w1', outcome: 'error', message: 'w1 broke', site: null }]);
  });

  it('no task pending and handles at the end: pending-at-exit names them, counted', () => {
    const done: TraceEvent[] = [
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 },
      { type: 'taskDone', time: 5, taskId: 1, outcome: 'ok', message: '' },
    ];
    const kept = json([...done, { type: 'exitHandles', time: 500, handles: ['Timeout', 'TCPServerWrap', 'Timeout'] }]);
    assert.deepEqual(kept.findings.map((f) => [f.kind, f.severity, f.message, f.durationMs]), [
      ['pending-at-exit', 'warning', "no task was pending, but the process was kept alive by Timeout x2, TCPServerWrap (Node's active resources when it was stopped)", 495],
    ]);
    assert.deepEqual(json([...done, { type: 'exitHandles', time: 6, handles: [] }]).findings, [], 'nothing kept it alive');
    assert.deepEqual(json(done).findings, [], 'not recorded: nothing said');
  });
});
