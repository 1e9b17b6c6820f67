import assert from 'node:assert/strict';
import { LayoutThrottle } from './layout-throttle';

/** A throttle on a hand-driven clock: layouts "take" `cost` ms, timers are recorded, not run. */
function setup(cost: number) {
  let now = 1000;
  const timers: { at: number; fn: () => void }[] = [];
  let wakes = 0;
  const throttle = new LayoutThrottle(() => wakes++, () => now, (ms, fn) => timers.push({ at: now + ms, fn }));
  let layouts = 0;
  const layout = () => { layouts++; now += cost; };
  return {
    throttle, timers, layout,
    get layouts() { return layouts; }, get wakes() { return wakes; },
    advance(ms: number) { now += ms; },
  };
}

describe('layout throttle', () => {
  it('lays out at once when nothing is laid out yet, and only when something changed', () => {
    const t = setup(10);
    assert.equal(t.throttle.run(false, t.layout), false, 'nothing changed');
    t.throttle.markDirty();
    assert.equal(t.throttle.run(false, t.layout), true);
    assert.equal(t.throttle.run(true, t.layout), false, 'done: no longer dirty');
    assert.equal(t.layouts, 1);
  });

  it('waits 4x the last layout\'s cost from its start while the model grows, with one wake-up', () => {
    const t = setup(10);
    t.throttle.markDirty();
    t.throttle.run(false, t.layout); // started at 1000, took 10 ms: the next is due at 1040
    t.throttle.markDirty();
    t.advance(5);
    assert.equal(t.throttle.run(true, t.layout), false);
    assert.equal(t.throttle.run(true, t.layout), false);
    assert.deepEqual(t.timers.map((x) => x.at), [1040], 'one timer, at the due time');
    t.timers[0].fn();
    assert.equal(t.wakes, 1);
    t.advance(25); // now 1040
    assert.equal(t.throttle.run(true, t.layout), true);
    assert.equal(t.layouts, 2);
  });

  it('skips the wait for a change the user made', () => {
    const t = setup(10);
    t.throttle.markDirty();
    t.throttle.run(false, t.layout);
    t.throttle.markUrgent();
    assert.equal(t.throttle.run(true, t.layout), true);
    assert.equal(t.timers.length, 0);
  });

  it('has nothing due once a layout came from elsewhere', () => {
    const t = setup(10);
    t.throttle.markDirty();
    t.throttle.markClean();
    assert.equal(t.throttle.run(false, t.layout), false);
    assert.equal(t.layouts, 0);
  });
});
