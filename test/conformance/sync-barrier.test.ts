// Barrier conformance: behaviours of CPython test_asyncio/test_locks.py BarrierTests.
import assert from 'node:assert/strict';
import { Barrier, BrokenBarrierError, CancelledError, gather } from '../../runtime';
import { runV, idle, spawn, asPromise } from './sync-support';

describe('Barrier (asyncio BarrierTests)', () => {
  it('rejects fewer than one party with RangeError (test_barrier_parties)', () => runV(async () => {
    assert.throws(() => new Barrier(0), RangeError);
    assert.throws(() => new Barrier(-2), RangeError);
    const b = new Barrier(3);
    assert.equal(b.parties, 3);
    assert.equal(b.nWaiting, 0);
    assert.equal(b.broken, false);
  }));

  it('a one-party barrier passes at once with index 0 (test_wait_task_once)', () => runV(async () => {
    const b = new Barrier(1);
    assert.equal(await b.wait(), 0);
    assert.equal(await b.wait(), 0);
  }));

  it('counts arrivals in nWaiting while filling (test_filling_tasks_wait_for_others)', () => runV(async () => {
    const b = new Barrier(3);
    const t1 = spawn(() => b.wait());
    await idle();
    assert.equal(b.nWaiting, 1);
    const t2 = spawn(() => b.wait());
    await idle();
    assert.equal(b.nWaiting, 2);
    assert.equal(t1.done(), false);
    const last = await b.wait();
    assert.equal(last, 2);
    assert.deepEqual((await gather([t1, t2])).sort(), [0, 1]);
    assert.equal(b.nWaiting, 0);
  }));

  it('returns each party a distinct arrival index and can be reused (test_wait_task_multi, test_draining_state)', () => runV(async () => {
    const b = new Barrier(3);
    for (let round = 0; round < 3; round++) {
      const idx = await gather([spawn(() => b.wait()), spawn(() => b.wait()), spawn(() => b.wait())]);
      assert.deepEqual([...idx].sort(), [0, 1, 2]);
      assert.equal(b.nWaiting, 0);
      assert.equal(b.broken, false);
    }
  }));

  it('abort() breaks current and later waits with BrokenBarrierError until reset() (test_abort_barrier)', () => runV(async () => {
    const b = new Barrier(3);
    const t1 = spawn(() => b.wait());
    const t2 = spawn(() => b.wait());
    await idle();
    b.abort();
    assert.equal(b.broken, true);
    await assert.rejects(asPromise(t1), BrokenBarrierError);
    await assert.rejects(asPromise(t2), BrokenBarrierError);
    await assert.rejects(b.wait(), BrokenBarrierError);
    b.reset();
    assert.equal(b.broken, false);
    const idx = await gather([spawn(() => b.wait()), spawn(() => b.wait()), spawn(() => b.wait())]);
    assert.deepEqual([...idx].sort(), [0, 1, 2]);
  }));

  it('reset() with waiters raises BrokenBarrierError in them and leaves a usable barrier (test_reset_barrier_while_tasks_waiting)', () => runV(async () => {
    const b = new Barrier(3);
    const t1 = spawn(() => b.wait());
    const t2 = spawn(() => b.wait());
    await idle();
    b.reset();
    await assert.rejects(asPromise(t1), BrokenBarrierError);
    await assert.rejects(asPromise(t2), BrokenBarrierError);
    assert.equal(b.broken, false);
    assert.equal(b.nWaiting, 0);
    const idx = await gather([spawn(() => b.wait()), spawn(() => b.wait()), spawn(() => b.wait())]);
    assert.deepEqual([...idx].sort(), [0, 1, 2]);
  }));

  it('a cancelled party leaves without breaking the barrier (test_wait_cancelled)', () => runV(async () => {
    const b = new Barrier(2);
    const t1 = spawn(() => b.wait());
    await idle();
    assert.equal(b.nWaiting, 1);
    t1.cancel();
    await assert.rejects(asPromise(t1), CancelledError);
    assert.equal(b.nWaiting, 0);
    assert.equal(b.broken, false);
    const idx = await gather([spawn(() => b.wait()), spawn(() => b.wait())]);
    assert.deepEqual([...idx].sort(), [0, 1]);
  }));

  it('arrivals for the next cycle wait until the previous one has drained (test_draining_state)', () => runV(async () => {
    const b = new Barrier(2);
    const order: string[] = [];
    const party = (n: string) => spawn(async () => {
      await b.wait();
      order.push(`${n}1`);
      await b.wait();
      order.push(`${n}2`);
    });
    await gather([party('a'), party('b')]);
    assert.deepEqual(order.slice(0, 2).sort(), ['a1', 'b1']);
    assert.deepEqual(order.slice(2).sort(), ['a2', 'b2']);
  }));
});
