// Event conformance: behaviours of CPython test_asyncio/test_locks.py EventTests.
import assert from 'node:assert/strict';
import { Event, CancelledError, waitFor, TimeoutError } from '../../runtime';
import { runV, idle, spawn, asPromise } from './sync-support';

describe('Event (asyncio EventTests)', () => {
  it('starts cleared; set() and clear() flip isSet()', () => runV(async () => {
    const ev = new Event();
    assert.equal(ev.isSet(), false);
    ev.set();
    assert.equal(ev.isSet(), true);
    ev.clear();
    assert.equal(ev.isSet(), false);
  }));

  it('wait() on a set event returns true at once (test_wait_on_set)', () => runV(async () => {
    const ev = new Event();
    ev.set();
    assert.equal(await ev.wait(), true);
  }));

  it('set() wakes every waiter, in the order they waited (test_wait)', () => runV(async () => {
    const ev = new Event();
    const order: number[] = [];
    const tasks = [1, 2, 3].map((n) => spawn(async () => { assert.equal(await ev.wait(), true); order.push(n); }));
    await idle();
    assert.deepEqual(order, []);
    ev.set();
    for (const t of tasks) await t;
    assert.deepEqual(order, [1, 2, 3]);
  }));

  it('a cancelled waiter raises CancelledError and others still wake (test_wait_cancel)', () => runV(async () => {
    const ev = new Event();
    const a = spawn(() => ev.wait());
    const b = spawn(() => ev.wait());
    await idle();
    a.cancel();
    await assert.rejects(asPromise(a), CancelledError);
    ev.set();
    assert.equal(await b, true);
  }));

  it('after clear(), new waits block until the next set() (test_clear)', () => runV(async () => {
    const ev = new Event();
    ev.set();
    ev.clear();
    const t = spawn(() => ev.wait());
    await idle();
    assert.equal(t.done(), false);
    ev.set();
    assert.equal(await t, true);
  }));

  it('waiters woken by set() return true even if clear() runs before they resume (test_clear_with_waiters)', () => runV(async () => {
    const ev = new Event();
    const t = spawn(() => ev.wait());
    await idle();
    ev.set();
    ev.clear();
    assert.equal(ev.isSet(), false);
    assert.equal(await t, true);
  }));

  it('waitFor on an event that is never set times out with TimeoutError', () => runV(async () => {
    const ev = new Event();
    await assert.rejects(waitFor(spawn(() => ev.wait()), 50), TimeoutError);
    ev.set();
    assert.equal(await ev.wait(), true);
  }));

  it('waits that time out again and again do not pile up, and set() still wakes the live waiter', () => runV(async () => {
    const ev = new Event();
    for (let i = 0; i < 1000; i++) await assert.rejects(waitFor(spawn(() => ev.wait()), 1), TimeoutError);
    const live = spawn(() => ev.wait());
    await idle();
    // The waiter list is private; a leak here would keep a future per abandoned wait.
    const kept = (ev as unknown as { waiters: unknown[] }).waiters.length;
    assert.ok(kept <= 64, `waiters kept after 1000 abandoned waits: ${kept}`);
    ev.set();
    assert.equal(await live, true);
  }));
});
