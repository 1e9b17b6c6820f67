import assert from 'node:assert/strict';
import { defaultCompare, PriorityQueue } from './priority-queue';

describe('PriorityQueue ordering', () => {
  it('defaultCompare orders numbers and strings with < and >', () => {
    assert.ok(defaultCompare(1, 2) < 0);
    assert.ok(defaultCompare(2, 1) > 0);
    assert.equal(defaultCompare(3, 3), 0);
    assert.ok(defaultCompare('apple', 'banana') < 0);
  });

  it('defaultCompare orders arrays element-wise, a shorter prefix first (Python tuple order)', () => {
    assert.ok(defaultCompare([1, 'b'], [1, 'c']) < 0);
    assert.ok(defaultCompare([2], [1, 'z']) > 0);
    assert.ok(defaultCompare([1], [1, 'a']) < 0);
    assert.equal(defaultCompare([1, [2, 3]], [1, [2, 3]]), 0);
  });

  it('hands out the current minimum through interleaved puts and gets (checked against a sorted model)', () => {
    const q = new PriorityQueue<number>();
    const model: number[] = [];
    let seed = 7;
    for (let i = 0; i < 300; i++) {
      seed = (seed * 48271) % 2147483647;
      const x = seed % 1000;
      q.putNowait(x);
      model.push(x);
      model.sort((a, b) => a - b);
      if (seed % 3 === 0) assert.equal(q.getNowait(), model.shift());
      assert.equal(q.qsize(), model.length);
    }
    while (!q.empty()) assert.equal(q.getNowait(), model.shift());
    assert.equal(model.length, 0);
  });
});
