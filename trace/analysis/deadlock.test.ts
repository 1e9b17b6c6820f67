import assert from 'node:assert/strict';
import { sweepOrder } from './deadlock';

/** The order the sweep needs, by a comparator: time, then ends before begins, then index. */
function reference(times: Float64Array, begins: Uint8Array): number[] {
  return [...times.keys()].sort((a, b) => times[a] - times[b] || begins[a] - begins[b] || a - b);
}

describe('the deadlock sweep order', () => {
  it('sorts by time, ends before begins at equal times, then in the order added', () => {
    // Ties, negative times, -0 beside 0, fractions, large and tiny magnitudes.
    const pool = [0, -0, 1, 1.5, 1.5000001, -3, -3.25, 1e-9, -1e-9, 2 ** 40, 123.456, 7, 7, 65536.5, -65536.5];
    let seed = 7;
    const rand = (k: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % k; };
    for (const n of [0, 1, 2, 17, 500]) {
      const times = new Float64Array(n), begins = new Uint8Array(n);
      for (let i = 0; i < n; i++) { times[i] = pool[rand(pool.length)]; begins[i] = rand(2); }
      assert.deepEqual([...sweepOrder(times, begins, n)], reference(times, begins), `n = ${n}`);
    }
  });

  it('reads only the first n changes of longer columns', () => {
    const times = Float64Array.from([5, 1, 3, 0, 0]), begins = Uint8Array.from([1, 1, 0, 0, 0]);
    assert.deepEqual([...sweepOrder(times, begins, 3)], [1, 2, 0]);
  });
});
