// Condition conformance: behaviours of CPython test_asyncio/test_locks.py ConditionTests.
import assert from 'node:assert/strict';
import { Condition, Lock, CancelledError, RuntimeError, TimeoutError, timeout } from '../../runtime';
import { runV, idle, spawn, asPromise } from './sync-support';

describe('Condition (asyncio ConditionTests)', () => {
  it('wait() without holding the lock throws RuntimeError (test_wait_unacquired)', () => runV(async () => {
    const cond = new Condition();
    await assert.rejects(cond.wait(), RuntimeError);
  }));

  it('notify() without holding the lock throws RuntimeError (test_notify_unacquired)', () => runV(async () => {
    const cond = new Condition();
    assert.throws(() => cond.notify(), RuntimeError);
    assert.throws(() => cond.notifyAll(), RuntimeError);
  }));

  it('wait() releases the lock while waiting and holds it again on return (test_wait)', () => runV(async () => {
    const cond = new Condition();
    const t = spawn(async () => {
      await cond.acquire();
      const r = await cond.wait();
      const held = cond.locked();
      cond.release();
      return [r, held] as const;
    });
    await idle();
    assert.equal(cond.locked(), false, 'the waiter released the lock');
    await cond.acquire();
    cond.notify();
    cond.release();
    assert.deepEqual(await t, [true, true]);
  }));

  it('notify(n) wakes n waiters in FIFO order (test_notify)', () => runV(async () => {
    const cond = new Condition();
    const order: number[] = [];
    const tasks = [1, 2, 3].map((n) => spawn(async () => {
      await cond.withLock(async () => { await cond.wait(); order.push(n); });
    }));
    await idle();
    await cond.withLock(() => cond.notify(1));
    await idle();
    assert.deepEqual(order, [1]);
    await cond.withLock(() => cond.notify(2));
    for (const t of tasks) await t;
    assert.deepEqual(order, [1, 2, 3]);
  }));

  it('notifyAll() wakes every waiter (test_notify_all)', () => runV(async () => {
    const cond = new Condition();
    let woken = 0;
    const tasks = [1, 2, 3, 4].map(() => spawn(async () => {
      await cond.withLock(async () => { await cond.wait(); woken++; });
    }));
    await idle();
    await cond.withLock(() => cond.notifyAll());
    for (const t of tasks) await t;
    assert.equal(woken, 4);
  }));

  it('a cancelled wait() still re-acquires the lock before raising (test_wait_cancel)', () => runV(async () => {
    const cond = new Condition();
    let heldOnCancel: boolean | undefined;
    const t = spawn(async () => {
      await cond.acquire();
      try {
        await cond.wait();
      } catch (e) {
        heldOnCancel = cond.locked();
        cond.release();
        throw e;
      }
    });
    await idle();
    t.cancel();
    await assert.rejects(asPromise(t), CancelledError);
    assert.equal(heldOnCancel, true);
    assert.equal(cond.locked(), false);
  }));

  it('a wait() cancelled while the lock is contended waits for the lock, then raises (test_wait_cancel_contested)', () => runV(async () => {
    const cond = new Condition();
    let held: boolean | undefined;
    const t = spawn(async () => {
      await cond.acquire();
      try { await cond.wait(); } finally { held = cond.locked(); cond.release(); }
    });
    await idle();
    await cond.acquire(); // main holds the lock
    t.cancel();
    await idle();
    assert.equal(t.done(), false, 'the waiter is blocked re-acquiring the lock');
    cond.release();
    await assert.rejects(asPromise(t), CancelledError);
    assert.equal(held, true);
  }));

  it('a waiter notified and then cancelled passes the notification on (test_cancelled_wakeup)', () => runV(async () => {
    const cond = new Condition();
    const got: string[] = [];
    const mk = (n: string) => spawn(async () => {
      await cond.withLock(async () => { await cond.wait(); got.push(n); });
    });
    const a = mk('a');
    const b = mk('b');
    await idle();
    await cond.acquire();
    cond.notify(1); // wakes a
    a.cancel();     // a will raise instead of using the notification
    cond.release();
    await assert.rejects(asPromise(a), CancelledError);
    await b;
    assert.deepEqual(got, ['b']);
  }));

  it('waitFor(pred) returns at once when pred already holds, else waits until it does (test_wait_for)', () => runV(async () => {
    const cond = new Condition();
    let value = 0;
    let calls = 0;
    await cond.acquire();
    assert.equal(await cond.waitFor(() => { calls++; return 'ready'; }), 'ready');
    assert.equal(calls, 1);
    cond.release();
    const t = spawn(() => cond.withLock(() => cond.waitFor(() => value >= 2 && value)));
    for (let i = 1; i <= 3; i++) {
      await idle();
      await cond.withLock(() => { value = i; cond.notify(); });
    }
    assert.equal(await t, 2);
  }));

  it('conditions can share one explicit lock (test_explicit_lock)', () => runV(async () => {
    const lock = new Lock();
    const c1 = new Condition(lock);
    const c2 = new Condition({ lock, name: 'c2' });
    assert.equal(c1.lock, lock);
    assert.equal(c2.lock, lock);
    await c1.acquire();
    assert.equal(lock.locked(), true);
    assert.equal(c2.locked(), true);
    c2.release();
    assert.equal(c1.locked(), false);
  }));

  it('notify(n) with more than the waiting count wakes them all and nothing more (test_notify_n)', () => runV(async () => {
    const cond = new Condition();
    let woken = 0;
    const tasks = [1, 2].map(() => spawn(() => cond.withLock(async () => { await cond.wait(); woken++; })));
    await idle();
    await cond.withLock(() => cond.notify(5));
    for (const t of tasks) await t;
    assert.equal(woken, 2);
    await cond.withLock(() => cond.notify(1)); // nobody waits: a no-op
  }));

  it('a waitFor() cancelled while waiting re-acquires the lock before raising (test_wait_for_cancel)', () => runV(async () => {
    const cond = new Condition();
    let held: boolean | undefined;
    const t = spawn(async () => {
      await cond.acquire();
      try { await cond.waitFor(() => false); } finally { held = cond.locked(); cond.release(); }
    });
    await idle();
    t.cancel();
    await assert.rejects(asPromise(t), CancelledError);
    assert.equal(held, true);
  }));

  it('a wait() inside timeout() that expires throws TimeoutError holding the lock (test_timeout_in_block)', () => runV(async () => {
    const cond = new Condition();
    await cond.acquire();
    await assert.rejects(timeout(10, () => cond.wait()), TimeoutError);
    assert.equal(cond.locked(), true);
    cond.release();
  }));

  it('waiters woken by one notifyAll() run one at a time under the lock', () => runV(async () => {
    const cond = new Condition();
    let inside = 0;
    let maxInside = 0;
    const tasks = [1, 2, 3].map(() => spawn(() => cond.withLock(async () => {
      await cond.wait();
      inside++;
      maxInside = Math.max(maxInside, inside);
      await idle();
      inside--;
    })));
    await idle();
    await cond.withLock(() => cond.notifyAll());
    for (const t of tasks) await t;
    assert.equal(maxInside, 1);
  }));

  it('await using cond.hold() holds the lock for a wait and releases it at the end of the scope', () => runV(async () => {
    const cond = new Condition();
    let ready = false;
    const t = spawn(async () => {
      await using _h = await cond.hold();
      await cond.waitFor(() => ready);
      return cond.locked();
    });
    await idle();
    {
      await using _h = await cond.hold();
      ready = true;
      cond.notifyAll();
    }
    assert.equal(await t, true);
    assert.equal(cond.locked(), false);
  }));
});
