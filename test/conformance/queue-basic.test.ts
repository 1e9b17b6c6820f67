// Queue conformance: behaviours of CPython test_asyncio/test_queues.py (QueueBasicTests,
// QueueGetTests, QueuePutTests, _QueueJoinTests, LifoQueueTests, PriorityQueueTests).
import assert from 'node:assert/strict';
import {
  Queue, PriorityQueue, LifoQueue, QueueEmpty, QueueFull, CancelledError, TimeoutError, waitFor, gather,
} from '../../runtime';
import { runV, idle, spawn, asPromise } from './sync-support';

describe('Queue basics (asyncio QueueBasicTests)', () => {
  it('is unbounded by default and reports maxsize (test_maxsize)', () => runV(async () => {
    const q = new Queue<number>();
    assert.equal(q.maxsize, 0);
    for (let i = 0; i < 1000; i++) q.putNowait(i);
    assert.equal(q.full(), false);
    assert.equal(q.qsize(), 1000);
    assert.equal(new Queue(2).maxsize, 2);
    assert.equal(new Queue({ maxsize: 3, name: 'jobs' }).maxsize, 3);
  }));

  it('empty() and qsize() follow puts and gets (test_empty)', () => runV(async () => {
    const q = new Queue<string>();
    assert.equal(q.empty(), true);
    q.putNowait('a');
    assert.equal(q.empty(), false);
    assert.equal(q.qsize(), 1);
    assert.equal(q.getNowait(), 'a');
    assert.equal(q.empty(), true);
  }));

  it('full() is true at maxsize (test_full)', () => runV(async () => {
    const q = new Queue<number>(1);
    assert.equal(q.full(), false);
    q.putNowait(1);
    assert.equal(q.full(), true);
  }));

  it('hands items out first in, first out (test_order)', () => runV(async () => {
    const q = new Queue<number>();
    for (const i of [1, 3, 2]) q.putNowait(i);
    assert.deepEqual([q.getNowait(), q.getNowait(), q.getNowait()], [1, 3, 2]);
  }));

  it('keeps FIFO order across many puts and gets', () => runV(async () => {
    const q = new Queue<number>();
    const out: number[] = [];
    for (let i = 0; i < 500; i++) { q.putNowait(i); if (i % 3 === 0) out.push(q.getNowait()); }
    while (!q.empty()) out.push(q.getNowait());
    assert.deepEqual(out, Array.from({ length: 500 }, (_, i) => i));
  }));

  it('getNowait() on an empty queue throws QueueEmpty (test_nonblocking_get_exception)', () => runV(async () => {
    assert.throws(() => new Queue().getNowait(), QueueEmpty);
  }));

  it('putNowait() on a full queue throws QueueFull (test_nonblocking_put_exception)', () => runV(async () => {
    const q = new Queue<number>(1);
    q.putNowait(1);
    assert.throws(() => q.putNowait(2), QueueFull);
    assert.equal(q.qsize(), 1);
  }));
});

describe('Queue get and put waits (asyncio QueueGetTests, QueuePutTests)', () => {
  it('get() waits for a put (test_blocking_get_wait)', () => runV(async () => {
    const q = new Queue<string>();
    const t = spawn(() => q.get());
    await idle();
    assert.equal(t.done(), false);
    q.putNowait('x');
    assert.equal(await t, 'x');
  }));

  it('put() on a full queue waits for a get (test_blocking_put_wait)', () => runV(async () => {
    const q = new Queue<number>(1);
    await q.put(1);
    const t = spawn(() => q.put(2));
    await idle();
    assert.equal(t.done(), false);
    assert.equal(await q.get(), 1);
    await t;
    assert.equal(q.getNowait(), 2);
  }));

  it('blocked getters are served in FIFO order (test_get_with_waiting_putters)', () => runV(async () => {
    const q = new Queue<number>();
    const got: string[] = [];
    const a = spawn(async () => { got.push(`a${await q.get()}`); });
    const b = spawn(async () => { got.push(`b${await q.get()}`); });
    await idle();
    q.putNowait(1);
    q.putNowait(2);
    await gather([a, b]);
    assert.deepEqual(got, ['a1', 'b2']);
  }));

  it('a cancelled get() is removed from the getters and loses no item (test_cancelled_getters_not_being_held_in_self_getters)', () => runV(async () => {
    const q = new Queue<number>();
    const t = spawn(() => q.get());
    await idle();
    t.cancel();
    await assert.rejects(asPromise(t), CancelledError);
    q.putNowait(7);
    assert.equal(q.getNowait(), 7);
  }));

  it('a getter woken then cancelled passes the item to the next getter (test_cancelled_get_race)', () => runV(async () => {
    const q = new Queue<number>();
    const a = spawn(() => q.get());
    const b = spawn(() => q.get());
    await idle();
    q.putNowait(1); // wakes a
    a.cancel();
    await assert.rejects(asPromise(a), CancelledError);
    assert.equal(await b, 1);
    assert.equal(q.empty(), true);
  }));

  it('a putter woken then cancelled passes the free slot to the next putter (test_cancelled_put_race)', () => runV(async () => {
    const q = new Queue<string>(1);
    q.putNowait('x');
    const a = spawn(() => q.put('a'));
    const b = spawn(() => q.put('b'));
    await idle();
    assert.equal(q.getNowait(), 'x'); // wakes a
    a.cancel();
    await assert.rejects(asPromise(a), CancelledError);
    await b;
    assert.equal(q.getNowait(), 'b');
  }));

  it('a get() that times out leaves the queue consistent (test_get_with_timeout)', () => runV(async () => {
    const q = new Queue<number>();
    await assert.rejects(waitFor(spawn(() => q.get()), 20), TimeoutError);
    q.putNowait(5);
    assert.equal(await q.get(), 5);
  }));

  it('a bounded queue lets a producer and consumer run in lockstep', () => runV(async () => {
    const q = new Queue<number>(2);
    const out: number[] = [];
    const producer = spawn(async () => { for (let i = 0; i < 20; i++) await q.put(i); });
    const consumer = spawn(async () => { for (let i = 0; i < 20; i++) out.push(await q.get()); });
    await gather([producer, consumer]);
    assert.deepEqual(out, Array.from({ length: 20 }, (_, i) => i));
  }));
});

describe('Queue waits, more races (asyncio QueueGetTests, QueuePutTests)', () => {
  it('many blocked putters all complete as a consumer drains (test_why_are_putters_waiting)', () => runV(async () => {
    const q = new Queue<number>(2);
    const putters = [0, 1, 2, 3, 4, 5].map((i) => spawn(() => q.put(i)));
    await idle();
    assert.equal(q.qsize(), 2);
    const got: number[] = [];
    for (let i = 0; i < 6; i++) got.push(await q.get());
    await gather(putters);
    assert.deepEqual(got, [0, 1, 2, 3, 4, 5]);
  }));

  it('a put() with waiting getters hands the item to the first getter (test_put_with_waiting_getters)', () => runV(async () => {
    const q = new Queue<string>();
    const t = spawn(() => q.get());
    await idle();
    await q.put('a');
    assert.equal(await t, 'a');
    assert.equal(q.qsize(), 0);
  }));

  it('a cancelled put() is removed from the putters and puts nothing (test_cancelled_puts_not_being_held_in_self_putters)', () => runV(async () => {
    const q = new Queue<number>(1);
    q.putNowait(1);
    const t = spawn(() => q.put(2));
    await idle();
    t.cancel();
    await assert.rejects(asPromise(t), CancelledError);
    assert.equal(q.getNowait(), 1);
    assert.equal(q.empty(), true);
    q.putNowait(3);
    assert.equal(q.full(), true);
  }));

  it('a maxsize that is not a number is refused with TypeError', () => runV(async () => {
    assert.throws(() => new Queue({ maxsize: Number.NaN }), TypeError);
    assert.throws(() => new Queue({ maxsize: '3' as unknown as number }), TypeError);
  }));
});

describe('Queue taskDone and join (asyncio _QueueJoinTests)', () => {
  it('join() returns at once on a queue with nothing unfinished (test_join_empty_queue)', () => runV(async () => {
    const q = new Queue<number>();
    await q.join();
    q.putNowait(1);
    q.getNowait();
    q.taskDone();
    await q.join();
  }));

  it('join() waits until every item put is marked done (test_task_done)', () => runV(async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 5; i++) q.putNowait(i);
    let processed = 0;
    const workers = [1, 2].map(() => spawn(async () => {
      while (true) {
        await q.get();
        await idle();
        processed++;
        q.taskDone();
      }
    }));
    await q.join();
    assert.equal(processed, 5);
    for (const w of workers) w.cancel();
    await Promise.allSettled(workers);
  }));

  it('taskDone() more often than items were put throws RangeError (test_task_done_underflow)', () => runV(async () => {
    const q = new Queue<number>();
    assert.throws(() => q.taskDone(), RangeError);
    q.putNowait(1);
    q.taskDone();
    assert.throws(() => q.taskDone(), /too many times/);
  }));
});

describe('LifoQueue and PriorityQueue (asyncio LifoQueueTests, PriorityQueueTests)', () => {
  it('LifoQueue hands out the most recent item first (test_order)', () => runV(async () => {
    const q = new LifoQueue<number>();
    for (const i of [1, 3, 2]) q.putNowait(i);
    assert.deepEqual([q.getNowait(), q.getNowait(), q.getNowait()], [2, 3, 1]);
  }));

  it('PriorityQueue hands out the smallest item first (test_order)', () => runV(async () => {
    const q = new PriorityQueue<number>();
    for (const i of [5, 1, 4, 2, 3, 0]) q.putNowait(i);
    const out: number[] = [];
    while (!q.empty()) out.push(q.getNowait());
    assert.deepEqual(out, [0, 1, 2, 3, 4, 5]);
  }));

  it('PriorityQueue orders [priority, payload] tuples element-wise like Python', () => runV(async () => {
    const q = new PriorityQueue<[number, string]>();
    q.putNowait([2, 'b']);
    q.putNowait([1, 'z']);
    q.putNowait([2, 'a']);
    assert.deepEqual([q.getNowait(), q.getNowait(), q.getNowait()], [[1, 'z'], [2, 'a'], [2, 'b']]);
  }));

  it('PriorityQueue uses the compare option', () => runV(async () => {
    const q = new PriorityQueue<{ p: number }>({ compare: (a, b) => b.p - a.p, maxsize: 10 });
    for (const p of [3, 9, 1, 7]) q.putNowait({ p });
    const out: number[] = [];
    while (!q.empty()) out.push(q.getNowait().p);
    assert.deepEqual(out, [9, 7, 3, 1]);
    assert.equal(q.maxsize, 10);
  }));

  it('PriorityQueue sorts a large random input', () => runV(async () => {
    const q = new PriorityQueue<number>();
    let seed = 12345;
    const input = Array.from({ length: 300 }, () => (seed = (seed * 1103515245 + 12345) % 2147483648));
    for (const x of input) q.putNowait(x);
    const out: number[] = [];
    while (!q.empty()) out.push(q.getNowait());
    assert.deepEqual(out, [...input].sort((a, b) => a - b));
  }));

  it('a bounded PriorityQueue blocks put() when full', () => runV(async () => {
    const q = new PriorityQueue<number>(1);
    q.putNowait(2);
    const t = spawn(() => q.put(1));
    await idle();
    assert.equal(t.done(), false);
    assert.equal(await q.get(), 2);
    await t;
    assert.equal(q.getNowait(), 1);
  }));
});
