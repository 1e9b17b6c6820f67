// Semaphore conformance: behaviours of CPython test_asyncio/test_locks.py SemaphoreTests.
import assert from 'node:assert/strict';
import { Semaphore, BoundedSemaphore, CancelledError, gather } from '../../runtime';
import { runV, idle, spawn, asPromise } from './sync-support';

describe('Semaphore and BoundedSemaphore (asyncio SemaphoreTests)', () => {
  it('rejects a negative or fractional initial value with RangeError (test_initial_value_zero)', () => runV(async () => {
    assert.throws(() => new Semaphore(-1), RangeError);
    assert.throws(() => new Semaphore(1.5), RangeError);
    const zero = new Semaphore(0);
    assert.equal(zero.locked(), true);
  }));

  it('counts down on acquire and is locked() at zero (test_semaphore)', () => runV(async () => {
    const sem = new Semaphore(2);
    assert.equal(sem.locked(), false);
    await sem.acquire();
    assert.equal(sem.level, 1);
    await sem.acquire();
    assert.equal(sem.locked(), true);
    sem.release();
    assert.equal(sem.locked(), false);
    sem.release();
    assert.equal(sem.level, 2);
  }));

  it('lets waiters in FIFO order as slots free up (test_acquire)', () => runV(async () => {
    const sem = new Semaphore(1);
    const order: number[] = [];
    await sem.acquire();
    const tasks = [1, 2, 3].map((n) => spawn(async () => { await sem.acquire(); order.push(n); }));
    await idle();
    assert.deepEqual(order, []);
    sem.release();
    await idle();
    assert.deepEqual(order, [1]);
    sem.release();
    sem.release();
    for (const t of tasks) await t;
    assert.deepEqual(order, [1, 2, 3]);
  }));

  it('a cancelled waiter does not consume a slot (test_acquire_cancel)', () => runV(async () => {
    const sem = new Semaphore(0);
    const t = spawn(() => sem.acquire());
    await idle();
    t.cancel();
    await assert.rejects(asPromise(t), CancelledError);
    assert.equal(sem.level, 0);
    sem.release();
    assert.equal(sem.locked(), false);
  }));

  it('a waiter cancelled after being handed a slot gives it to the next waiter (test_acquire_cancel_before_awoken)', () => runV(async () => {
    const sem = new Semaphore(0);
    const got: string[] = [];
    const a = spawn(async () => { await sem.acquire(); got.push('a'); });
    const b = spawn(async () => { await sem.acquire(); got.push('b'); });
    const c = spawn(async () => { await sem.acquire(); got.push('c'); });
    await idle();
    sem.release(); // hands the slot to a
    a.cancel();
    await assert.rejects(asPromise(a), CancelledError);
    await b;
    await idle();
    assert.deepEqual(got, ['b']);
    assert.equal(c.done(), false);
    sem.release();
    await c;
    assert.equal(sem.level, 0);
  }));

  it('does not hang when every waiter is cancelled while a slot is pending (test_acquire_hang)', () => runV(async () => {
    const sem = new Semaphore(0);
    const a = spawn(() => sem.acquire());
    const b = spawn(() => sem.acquire());
    await idle();
    sem.release();
    a.cancel();
    b.cancel();
    await assert.rejects(asPromise(a), CancelledError);
    await assert.rejects(asPromise(b), CancelledError);
    assert.equal(sem.locked(), false);
    assert.equal(sem.level, 1);
  }));

  it('a newcomer cannot take a slot handed to a waiter (test_acquire_fifo_order)', () => runV(async () => {
    const sem = new Semaphore(1);
    const order: string[] = [];
    await sem.acquire();
    const a = spawn(async () => { await sem.acquire(); order.push('a'); sem.release(); });
    await idle();
    sem.release();
    assert.equal(sem.locked(), true, 'the slot is reserved for a');
    const b = spawn(async () => { await sem.acquire(); order.push('b'); sem.release(); });
    await gather([a, b]);
    assert.deepEqual(order, ['a', 'b']);
  }));

  it('several releases wake as many waiters, in order (test_acquire_fifo_order_2)', () => runV(async () => {
    const sem = new Semaphore(0);
    const order: number[] = [];
    const tasks = [1, 2, 3, 4].map((n) => spawn(async () => { await sem.acquire(); order.push(n); }));
    await idle();
    sem.release();
    sem.release();
    await idle();
    assert.deepEqual(order, [1, 2]);
    sem.release();
    sem.release();
    for (const t of tasks) await t;
    assert.deepEqual(order, [1, 2, 3, 4]);
  }));

  it('withLock and hold() release the slot however the body ends', () => runV(async () => {
    const sem = new Semaphore(1);
    await assert.rejects(sem.withLock(async () => { assert.equal(sem.locked(), true); throw new Error('x'); }), /x/);
    assert.equal(sem.level, 1);
    {
      await using _h = await sem.hold();
      assert.equal(sem.level, 0);
    }
    assert.equal(sem.level, 1);
  }));

  it('a plain Semaphore may be released above its initial value (test_release_not_acquired)', () => runV(async () => {
    const sem = new Semaphore(1);
    sem.release();
    assert.equal(sem.level, 2);
  }));

  it('BoundedSemaphore refuses a release past the initial value with RangeError (test_bounded)', () => runV(async () => {
    const sem = new BoundedSemaphore(2);
    assert.throws(() => sem.release(), (e: unknown) => e instanceof RangeError && /released too many times/.test((e as Error).message));
    await sem.acquire();
    sem.release();
    assert.throws(() => sem.release(), RangeError);
    assert.equal(sem.level, 2);
  }));

  it('a release burst while woken waiters have not run yet keeps newcomers behind them (test_acquire_fifo_order_4)', () => runV(async () => {
    const sem = new Semaphore(0);
    const order: string[] = [];
    const a = spawn(async () => { await sem.acquire(); order.push('a'); });
    await idle();
    sem.release();
    sem.release();
    sem.release();
    // a holds a reserved slot but has not run: two slots are free, yet FIFO still applies.
    assert.equal(sem.level, 2);
    const b = spawn(async () => { await sem.acquire(); order.push('b'); });
    const c = spawn(async () => { await sem.acquire(); order.push('c'); });
    const d = spawn(async () => { await sem.acquire(); order.push('d'); });
    await idle();
    assert.deepEqual(order, ['a', 'b', 'c']);
    assert.equal(d.done(), false);
    sem.release();
    await gather([a, b, c, d]);
    assert.deepEqual(order, ['a', 'b', 'c', 'd']);
  }));
});
