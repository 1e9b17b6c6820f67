import assert from 'node:assert/strict';
import type { AwaitKind } from '../trace/model-types';
import { awaitFromPause, awaitStep } from './await-step';
import { sampleTrace } from './test-fixtures';

describe('stepping through a task\'s awaits', () => {
  const model = sampleTrace();
  // fetch-1 (task 3): awaits 0 sleep and 1 promise from 3.5 ms, 2 lock at 20.5, 3 sleep at 33, 4 queue at 44.
  const none = new Set<AwaitKind>();
  const at = (index: number) => ({ kind: 'await' as const, taskId: 3, index });

  it('goes from an await to the next and previous of its task, and stops at the ends', () => {
    assert.deepEqual(awaitStep(model, at(2), 1, none), at(3));
    assert.deepEqual(awaitStep(model, at(2), -1, none), at(1));
    assert.equal(awaitStep(model, at(4), 1, none), undefined);
    assert.equal(awaitStep(model, at(0), -1, none), undefined);
  });

  it('steps over awaits of hidden kinds', () => {
    assert.deepEqual(awaitStep(model, at(2), 1, new Set<AwaitKind>(['sleep'])), at(4));
  });

  it('from a run or the task, goes to the first await at or after it, or the last before it', () => {
    const run = { kind: 'run' as const, taskId: 3, index: 1 }; // 20 to 20.5 ms
    assert.deepEqual(awaitStep(model, run, 1, none), at(2));
    assert.deepEqual(awaitStep(model, run, -1, none), at(1));
    assert.deepEqual(awaitStep(model, { kind: 'task', taskId: 3 }, 1, none), at(0));
    assert.equal(awaitStep(model, { kind: 'task', taskId: 3 }, -1, none), undefined, 'nothing before the task began');
  });

  it('while stopped in the debugger, starts from the await of the stopped task nearest the stop', () => {
    // fetch-1 stopped at 25 ms: its lock wait began at 20.5, its sleep at 33.
    const stop = { at: 25, taskId: 3 };
    assert.deepEqual(awaitFromPause(model, stop, 1, none), at(3));
    assert.deepEqual(awaitFromPause(model, stop, -1, none), at(2));
    // Nothing after the stop (the trace ends there while stopped): N lands on the last one before it.
    assert.deepEqual(awaitFromPause(model, { at: 1000, taskId: 3 }, 1, none), at(4));
    assert.deepEqual(awaitFromPause(model, { at: 0, taskId: 3 }, -1, none), at(0));
    // Hidden kinds are skipped: with sleeps hidden, N from 25 goes to the queue wait at 44.
    assert.deepEqual(awaitFromPause(model, stop, 1, new Set<AwaitKind>(['sleep'])), at(4));
  });

  it('stopped outside any task, starts from the nearest await of any task', () => {
    const ref = awaitFromPause(model, { at: 20.4, taskId: 0 }, 1, none);
    assert.ok(ref && ref.kind === 'await');
    const a = model.task(ref.taskId)!.awaits.at(ref.index)!;
    const all = model.tasks.flatMap((t) => [...t.awaits].map((x) => x.begin)).filter((b) => b >= 20.4);
    assert.equal(a.begin, Math.min(...all));
  });
});
