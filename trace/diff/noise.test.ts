import assert from 'node:assert/strict';
import { isChange, Samples } from './noise';

describe('diff noise rule', () => {
  it('reports a difference only beyond twice the runs\' spreads in quadrature', () => {
    assert.equal(isChange({ a: 100, b: 130, spreadA: 6, spreadB: 8, unit: 'ms' }), true); // 30 > 2·10
    assert.equal(isChange({ a: 100, b: 119, spreadA: 6, spreadB: 8, unit: 'ms' }), false); // 19 < 20
  });

  it('never reports less than 1 ms, 1 in a count, or 10% of the larger value', () => {
    assert.equal(isChange({ a: 0.2, b: 1.1, spreadA: 0, spreadB: 0, unit: 'ms' }), false);
    assert.equal(isChange({ a: 0.2, b: 1.3, spreadA: 0, spreadB: 0, unit: 'ms' }), true);
    assert.equal(isChange({ a: 300, b: 325, spreadA: 0, spreadB: 0, unit: 'ms' }), false);
    assert.equal(isChange({ a: 30, b: 31, spreadA: 0, spreadB: 0, unit: 'count' }), false);
    assert.equal(isChange({ a: 10, b: 12, spreadA: 0, spreadB: 0, unit: 'count' }), true);
    assert.equal(isChange({ a: 10, b: 100, spreadA: 0, spreadB: 0, unit: 'ms', judged: false }), false);
  });

  it('estimates spreads from one run\'s samples', () => {
    const s = new Samples([10, 12, 14, 16, 18]);
    assert.equal(s.total, 70);
    assert.equal(s.mean, 14);
    const sd = Math.sqrt(10);
    assert.ok(Math.abs(s.totalSpread - sd * Math.sqrt(5)) < 1e-9);
    assert.ok(Math.abs(s.meanSpread - sd / Math.sqrt(5)) < 1e-9);
    assert.equal(new Samples([7]).totalSpread, 0);
    assert.equal(Samples.shareSpread(5, 20), Math.sqrt(20 * 0.25 * 0.75));
    // p50 of 1..9 is 5; ±(⌈√(9·.25)⌉+1 = 3) ranks: 2 and 8, so 3.
    assert.equal(new Samples([1, 2, 3, 4, 5, 6, 7, 8, 9]).percentileSpread(50), 3);
    // A tail percentile over few samples is not judged (one stall decides it).
    assert.equal(new Samples(new Array(99).fill(1)).judges(99), false);
    assert.equal(new Samples(new Array(100).fill(1)).judges(99), true);
    assert.equal(new Samples([1, 2]).judges(50), true);
  });
});
