// Wake order (issue 14, "Queue fidelity"): a waiter woken first is served first, and a
// waiter that another task overtakes anyway re-checks and waits again; a blocked get,
// put or acquire never fails because someone else took the item, the slot or the lock.
// asyncio gives this because woken tasks run in wake order; here a woken task's code
// may resume a few microtasks later than another task woken after it, so the
// primitives must keep the woken waiter's claim until it resumes.
//
// Each case wakes the blocked waiter A, then wakes B (waiting on an Event) in the same
// synchronous step, from task code and from a loop callback (the two wake paths).
import assert from 'node:assert/strict';
import {
  Queue, PriorityQueue, LifoQueue, Lock, Semaphore, BoundedSemaphore, Condition, Event, getRunningLoop,
} from '../../runtime';
import { runV, idle, spawn } from './sync-support';

type From = 'task code' | 'a loop callback';
const FROM: From[] = ['task code', 'a loop callback'];

/** Runs `wake` now (task code) or from a callSoon callback, and lets everyone run. */
async function wakeFrom(from: From, wake: () => void): Promise<void> {
  if (from === 'task code') wake();
  else getRunningLoop().callSoon(wake);
  await idle();
}

describe('blocked waiters are served in wake order, never failed by an overtaker (issue 14)', () => {
  for (const from of FROM) {
    for (const Kind of [Queue, LifoQueue, PriorityQueue]) {
      it(`${Kind.name}: a getter woken by a put gets the item although a task woken after it asks too (from ${from})`, () => runV(async () => {
        const q = new Kind<number>();
        const ev = new Event();
        const got: string[] = [];
        const a = spawn(async () => { got.push(`A:${await q.get()}`); });
        const b = spawn(async () => { await ev.wait(); got.push(`B:${await q.get()}`); });
        await idle();
        await wakeFrom(from, () => { q.putNowait(1); ev.set(); });
        assert.deepEqual(got, ['A:1'], 'A, woken first, got the item; B waits in line');
        assert.equal(b.done(), false);
        q.putNowait(2);
        await a;
        await b;
        assert.deepEqual(got, ['A:1', 'B:2']);
      }));
    }

    it(`Queue: a putter woken by a get puts its item although a task woken after it puts too (from ${from})`, () => runV(async () => {
      const q = new Queue<string>(1);
      q.putNowait('first');
      const ev = new Event();
      const a = spawn(() => q.put('A'));
      const b = spawn(async () => { await ev.wait(); await q.put('B'); });
      await idle();
      let taken = '';
      await wakeFrom(from, () => { taken = q.getNowait(); ev.set(); });
      assert.equal(taken, 'first');
      assert.equal(a.done(), true, 'A, woken first, put its item');
      assert.equal(a.exception(), undefined);
      assert.equal(b.done(), false, 'B waits for a slot');
      assert.equal(q.getNowait(), 'A');
      await idle();
      await b;
      assert.equal(q.getNowait(), 'B', 'no item was lost');
    }));

    it(`Lock: a waiter woken by a release takes the lock although a task woken after it asks too (from ${from})`, () => runV(async () => {
      const lock = new Lock();
      await lock.acquire();
      const ev = new Event();
      const order: string[] = [];
      const a = spawn(async () => { await lock.acquire(); order.push('A'); await idle(); lock.release(); });
      const b = spawn(async () => { await ev.wait(); await lock.acquire(); order.push('B'); lock.release(); });
      await idle();
      await wakeFrom(from, () => { lock.release(); ev.set(); });
      await a;
      await b;
      assert.deepEqual(order, ['A', 'B']);
    }));

    for (const Kind of [Semaphore, BoundedSemaphore]) {
      it(`${Kind.name}: a waiter woken by a release takes the slot although a task woken after it asks too (from ${from})`, () => runV(async () => {
        const sem = new Kind(1);
        await sem.acquire();
        const ev = new Event();
        const order: string[] = [];
        const a = spawn(async () => { await sem.acquire(); order.push('A'); await idle(); sem.release(); });
        const b = spawn(async () => { await ev.wait(); await sem.acquire(); order.push('B'); sem.release(); });
        await idle();
        await wakeFrom(from, () => { sem.release(); ev.set(); });
        await a;
        await b;
        assert.deepEqual(order, ['A', 'B']);
      }));
    }

    it(`Condition: a notified waiter re-takes the lock before a task woken after it (from ${from})`, () => runV(async () => {
      const cond = new Condition();
      const ev = new Event();
      const order: string[] = [];
      const a = spawn(async () => { await cond.withLock(async () => { await cond.wait(); order.push('A'); await idle(); }); });
      const b = spawn(async () => { await ev.wait(); await cond.withLock(() => { order.push('B'); }); });
      await idle();
      await cond.acquire();
      await wakeFrom(from, () => { cond.notify(); cond.release(); ev.set(); });
      await a;
      await b;
      assert.deepEqual(order, ['A', 'B']);
    }));
  }

  it('Queue: a getter overtaken by getNowait() in the waking code waits again and gets the next item', () => runV(async () => {
    const q = new Queue<number>();
    const a = spawn(() => q.get());
    await idle();
    q.putNowait(1);
    assert.equal(q.getNowait(), 1, 'getNowait takes the item at once, as in asyncio');
    await idle();
    assert.equal(a.done(), false, 'A waits again instead of throwing QueueEmpty');
    q.putNowait(2);
    assert.equal(await a, 2);
  }));

  it('Queue: a putter overtaken by putNowait() in the waking code waits again, keeping its item', () => runV(async () => {
    const q = new Queue<string>(1);
    q.putNowait('x');
    const a = spawn(() => q.put('A'));
    await idle();
    assert.equal(q.getNowait(), 'x');
    q.putNowait('y');
    await idle();
    assert.equal(a.done(), false, 'A waits again instead of throwing QueueFull');
    assert.equal(q.getNowait(), 'y');
    await a;
    assert.equal(q.getNowait(), 'A');
  }));

  it('Queue: several getters woken by several puts are served in the order they waited', () => runV(async () => {
    const q = new Queue<number>();
    const ev = new Event();
    const got: string[] = [];
    const getters = ['A', 'B', 'C'].map((n) => spawn(async () => { got.push(`${n}:${await q.get()}`); }));
    const late = spawn(async () => { await ev.wait(); got.push(`late:${await q.get()}`); });
    await idle();
    q.putNowait(1);
    q.putNowait(2);
    ev.set();
    q.putNowait(3);
    await idle();
    assert.deepEqual(got, ['A:1', 'B:2', 'C:3']);
    q.putNowait(4);
    for (const t of [...getters, late]) await t;
    assert.deepEqual(got, ['A:1', 'B:2', 'C:3', 'late:4']);
  }));
});
