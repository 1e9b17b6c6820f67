import assert from 'node:assert/strict';
import { pausedText, statusText } from './status-line';
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

  it('says first where the debugger has the program stopped, in which task', () => {
    const model = sampleTrace();
    model.eventCount = 10;
    const paused = pausedText({ where: 'cook.ts:12', taskId: 3, task: 'cook-2', held: 0 });
    assert.equal(paused, "Paused at cook.ts:12 in task 'cook-2'");
    assert.equal(statusText(model, idle, '', '', paused), "Paused at cook.ts:12 in task 'cook-2' · 5 tasks · 10 events");
    assert.equal(pausedText({ where: 'main.ts:3', taskId: 0, task: '', held: 0 }), 'Paused at main.ts:3 outside any task');
    assert.match(pausedText({ where: 'a.ts:1', taskId: 2, task: 'w', held: 4096 }), /stops 4,096 bytes short of it/);
    assert.equal(pausedText(undefined), '');
  });
});
