import assert from 'node:assert/strict';
import { statusText } from './status-line';
import { FixtureModel, sampleTrace } from './test-fixtures';

describe('status line', () => {
  const idle = { total: 0, decoded: 0 };

  it('counts tasks and events, and leaves out what has nothing to say', () => {
    const model = sampleTrace();
    model.eventCount = 12345;
    assert.equal(statusText(model, idle, '', ''), '5 tasks · 12,345 events');
  });

  it('says one task, drops, an early end and the revealed site', () => {
    const model = new FixtureModel();
    model.addTask(1, 0, 'main', 0, 1, 1);
    model.eventCount = 3;
    model.droppedEvents = 7;
    model.gaps = [{ begin: 0.5, end: 2, count: 7 }];
    assert.equal(statusText(model, idle, 'recording stopped early', 'src/a.ts:4:5'),
      '1 task · 3 events · 7 events missing (dropped by the tracer: its reader fell behind) in 1 gap: 500 µs–2 ms · recording stopped early · → src/a.ts:4:5');
  });

  it('shows decoding progress instead of the task count while a big trace loads', () => {
    assert.equal(statusText(sampleTrace(), { total: 1_000_000, decoded: 333_333 }, '', ''), 'loading 33% of 1,000,000 events');
  });
});
