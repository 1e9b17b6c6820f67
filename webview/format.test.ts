import assert from 'node:assert/strict';
import { sortStats } from './contention-table';
import { normaliseChunk } from './host';
import { formatMs, formatTime, niceStep } from './format';
import { sampleTrace } from './test-fixtures';
import { TimeScale } from './time-scale';

describe('time scale and number formatting', () => {
  it('converts trace time to view x and back, and zooms around an anchor', () => {
    const s = new TimeScale(10, 0.5);
    assert.equal(s.toX(20), 20);
    assert.equal(s.toTime(20), 20);
    const z = s.zoomAt(20, 2);
    assert.equal(z.msPerPx, 0.25);
    assert.equal(z.toTime(20), 20, 'the anchor stays under the pointer');
    assert.equal(s.panBy(10).start, 5);
    assert.throws(() => new TimeScale(0, 0));
  });

  it('picks 1-2-5 axis steps', () => {
    assert.equal(niceStep(0.7), 1);
    assert.equal(niceStep(1.5), 2);
    assert.equal(niceStep(3), 5);
    assert.equal(niceStep(45), 50);
    assert.equal(niceStep(0.0003), 0.0005);
  });

  it('formats times with a unit that fits', () => {
    assert.equal(formatTime(0), '0 ms');
    assert.equal(formatTime(20.5), '20.5 ms');
    assert.equal(formatTime(1234.5678), '1.235 s');
    assert.equal(formatTime(0.0125), '12.5 µs');
    assert.equal(formatMs(40, 20), '40 ms');
    assert.equal(formatMs(2000, 1000), '2 s');
  });
});

describe('contention table order', () => {
  it('sorts by a column in either direction with ties broken by resource id', () => {
    const stats = sampleTrace().contention();
    assert.deepEqual(sortStats(stats, { key: 'totalWaitMs', descending: true }).map((s) => s.name), ['cache lock', 'results']);
    assert.deepEqual(sortStats(stats, { key: 'totalWaitMs', descending: false }).map((s) => s.name), ['results', 'cache lock']);
    assert.deepEqual(sortStats(stats, { key: 'name', descending: true }).map((s) => s.name), ['results', 'cache lock']);
  });
});

describe('host chunk normalisation', () => {
  it('turns ArrayBuffer and other views into Uint8Array chunks and leaves other messages alone', () => {
    const buf = new Uint8Array([1, 2, 3, 4]).buffer;
    assert.deepEqual((normaliseChunk({ type: 'chunk', bytes: buf }) as { bytes: Uint8Array }).bytes, new Uint8Array([1, 2, 3, 4]));
    assert.deepEqual((normaliseChunk({ type: 'chunk', bytes: new DataView(buf, 1, 2) }) as { bytes: Uint8Array }).bytes, new Uint8Array([2, 3]));
    const reset = { type: 'reset', title: 'x' };
    assert.equal(normaliseChunk(reset), reset);
  });
});
