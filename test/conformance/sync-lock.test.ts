// Lock conformance: behaviours of CPython test_asyncio/test_locks.py LockTests.
import assert from 'node:assert/strict';
import { Lock, CancelledError, RuntimeError, waitFor, timeout, TimeoutError, sleep } from '../../runtime';
import { runV, idle, spawn, asPromise } from './sync-support';

describe('Lock (asyncio LockTests)', () => {
  it('acquires an unlocked lock at once and reports locked()', () => runV(async () => {
    const lock = new Lock();
    assert.equal(lock.locked(), false);
    assert.equal(await lock.acquire(), true);
    assert.equal(lock.locked(), true);
    lock.release();
    assert.equal(lock.locked(), false);
  }));

  it('hands the lock to waiters in FIFO order', () => runV(async () => {
    const lock = new Lock();
    const order: number[] = [];
    await lock.acquire();
    const tasks = [1, 2, 3].map((n) => spawn(async () => {
      await lock.acquire();
      order.push(n);
      await idle();
      lock.release();
    }));
    await idle();
    assert.deepEqual(order, []);
    lock.release();
    for (const t of tasks) await t;
    assert.deepEqual(order, [1, 2, 3]);
  }));

  it('release() on an unlocked lock throws RuntimeError with a clear message', () => runV(async () => {
    const lock = new Lock();
    assert.throws(() => lock.release(), (e: unknown) => e instanceof RuntimeError && /not acquired/.test((e as Error).message));
  }));

  it('release() twice throws on the second call', () => runV(async () => {
    const lock = new Lock();
    await lock.acquire();
    lock.release();
    assert.throws(() => lock.release(), RuntimeError);
  }));

  it('a cancelled waiter does not get the lock and leaves the queue (test_acquire_cancel)', () => runV(async () => {
    const lock = new Lock();
    await lock.acquire();
    const t = spawn(() => lock.acquire());
    await idle();
    t.cancel();
    await assert.rejects(asPromise(t), CancelledError);
    assert.equal(t.cancelled(), true);
    lock.release();
    assert.equal(lock.locked(), false);
    assert.equal(await lock.acquire(), true);
  }));

  it('cancelling queued waiters lets the next live one acquire (test_cancel_race)', () => runV(async () => {
    const lock = new Lock();
    await lock.acquire();
    const got: string[] = [];
    const a = spawn(async () => { await lock.acquire(); got.push('a'); });
    const b = spawn(async () => { await lock.acquire(); got.push('b'); });
    const c = spawn(async () => { await lock.acquire(); got.push('c'); });
    await idle();
    a.cancel();
    await idle();
    lock.release();
    await idle();
    assert.deepEqual(got, ['b']);
    assert.equal(a.cancelled(), true);
    assert.equal(c.done(), false);
    lock.release();
    await c;
    assert.deepEqual(got, ['b', 'c']);
    lock.release();
    await b;
  }));

  it('a waiter cancelled after being woken passes the lock on (test_cancel_release_race)', () => runV(async () => {
    const lock = new Lock();
    await lock.acquire();
    const got: string[] = [];
    const a = spawn(async () => { await lock.acquire(); got.push('a'); lock.release(); });
    const b = spawn(async () => { await lock.acquire(); got.push('b'); lock.release(); });
    await idle();
    lock.release(); // wakes a ...
    a.cancel();     // ... which is cancelled before it runs
    await assert.rejects(asPromise(a), CancelledError);
    await b;
    assert.deepEqual(got, ['b']);
    assert.equal(lock.locked(), false);
  }));

  it('a newcomer does not jump ahead of a woken waiter (test_finished_waiter_cancelled)', () => runV(async () => {
    const lock = new Lock();
    await lock.acquire();
    const got: string[] = [];
    const a = spawn(async () => { await lock.acquire(); got.push('a'); lock.release(); });
    await idle();
    lock.release();
    // a is woken but has not run: the lock is free yet must not be taken by a newcomer.
    assert.equal(lock.locked(), false);
    const b = spawn(async () => { await lock.acquire(); got.push('b'); lock.release(); });
    await a;
    await b;
    assert.deepEqual(got, ['a', 'b']);
  }));

  it('an acquire that times out in waitFor leaves the lock usable', () => runV(async () => {
    const lock = new Lock();
    await lock.acquire();
    await assert.rejects(waitFor(spawn(() => lock.acquire()), 10), TimeoutError);
    lock.release();
    assert.equal(lock.locked(), false);
    await lock.acquire();
    lock.release();
  }));

  it('an acquire inside timeout() that expires throws TimeoutError and leaves the lock usable', () => runV(async () => {
    const lock = new Lock();
    await lock.acquire();
    await assert.rejects(timeout(10, () => lock.acquire()), TimeoutError);
    lock.release();
    assert.equal(lock.locked(), false);
    await lock.acquire();
    lock.release();
  }));

  it('withLock holds the lock during fn and releases it when fn throws (test_context_manager)', () => runV(async () => {
    const lock = new Lock();
    const r = await lock.withLock(async () => { assert.equal(lock.locked(), true); return 42; });
    assert.equal(r, 42);
    assert.equal(lock.locked(), false);
    await assert.rejects(lock.withLock(async () => { throw new Error('boom'); }), /boom/);
    assert.equal(lock.locked(), false);
  }));

  it('withLock serialises critical sections of concurrent tasks', () => runV(async () => {
    const lock = new Lock();
    let inside = 0;
    let maxInside = 0;
    const work = () => lock.withLock(async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      await sleep(5);
      inside--;
    });
    await Promise.all([spawn(work), spawn(work), spawn(work)]);
    assert.equal(maxInside, 1);
  }));

  it('await using lock.hold() releases at the end of the scope', () => runV(async () => {
    const lock = new Lock();
    {
      await using _held = await lock.hold();
      assert.equal(lock.locked(), true);
    }
    assert.equal(lock.locked(), false);
  }));

  it('a hold releases only once however often it is disposed', () => runV(async () => {
    const lock = new Lock();
    const h = await lock.hold();
    h.release();
    await h[Symbol.asyncDispose]();
    h[Symbol.dispose]();
    assert.equal(lock.locked(), false);
    await lock.acquire(); // still usable, not over-released
    assert.equal(lock.locked(), true);
  }));

  it('a lock is not owned: another task may release it and wake the next waiter', () => runV(async () => {
    const lock = new Lock();
    await lock.acquire();
    const waiter = spawn(async () => { await lock.acquire(); return 'got it'; });
    const releaser = spawn(async () => { lock.release(); });
    await releaser;
    assert.equal(await waiter, 'got it');
    assert.equal(lock.locked(), true);
  }));

  it('a woken-then-cancelled waiter gets one CancelledError, with the cancel message, at the acquire', () => runV(async () => {
    const lock = new Lock();
    await lock.acquire();
    const log: string[] = [];
    const a = spawn(async () => {
      try { await lock.acquire(); log.push('acquired'); } catch (e) { log.push(`acquire: ${(e as Error).message}`); }
      await sleep(1); // not cancelled again: the one request was delivered at the acquire
      log.push('slept');
      return 'done';
    });
    await idle();
    lock.release();
    a.cancel('bye');
    assert.equal(await a, 'done');
    assert.deepEqual(log, ['acquire: bye', 'slept']);
    assert.equal(lock.locked(), false, 'the wake-up was passed on (nobody else waits, so the lock is free)');
  }));
});
