import assert from 'node:assert/strict';
import { boxLabel, describe as describeSpan } from './describe';
import { FixtureModel } from './test-fixtures';

describe('describe: what an await of the program\'s own call is called', () => {
  const model = (): FixtureModel => {
    const m = new FixtureModel();
    m.addTask(1, 0, 'main', 0, 50, 3);
    m.addAwait(1, 'promise', 0, 1, 40, 0, 7);
    m.addAwait(1, 'promise', 0, 41, 45, 0, 8);
    m.addAwait(1, 'sleep', 0, 2, 30, 1, 9);
    // Awaits are kept in begin order: the first promise, the sleep inside it, the second promise.
    const [outer, inner] = m.task(1)!.awaits;
    outer.site = { ...outer.site!, label: 'fetchPage()' };
    inner.site = { ...inner.site!, label: 'sleep()' };
    return m;
  };

  it('a promise await whose site is labelled shows the call; without a label, its kind', () => {
    const m = model();
    const labels = Array.from(m.task(1)!.awaits, (_, index) => boxLabel(m, { kind: 'await', taskId: 1, index }));
    // A runtime await keeps its kind (the colour legend's word), labelled or not.
    assert.deepEqual(labels, ['fetchPage()', 'sleep', 'promise']);
  });

  it('the tooltip and details name the call as what is awaited', () => {
    const m = model();
    const info = describeSpan(m, { kind: 'await', taskId: 1, index: 0 });
    assert.ok(info);
    assert.deepEqual(info.rows.find(([k]) => k === 'awaits'), ['awaits', 'promise: fetchPage()']);
  });
});
