// Queue shutdown and async iteration: behaviours of CPython test_asyncio/test_queues.py
// _QueueShutdownTestMixin (Python 3.13's Queue.shutdown).
import assert from 'node:assert/strict';
import { Queue, QueueShutDown, PriorityQueue, LifoQueue, gather } from '../../runtime';
import { runV, idle, spawn, asPromise } from './sync-support';

describe('Queue shutdown (asyncio _QueueShutdownTestMixin)', () => {
  it('put() and putNowait() after shutdown throw QueueShutDown with a clear message (test_shutdown_empty)', () => runV(async () => {
    const q = new Queue<number>();
    q.shutdown();
    await assert.rejects(q.put(1), (e: unknown) => e instanceof QueueShutDown && /shut down/.test((e as Error).message));
    assert.throws(() => q.putNowait(1), QueueShutDown);
  }));

  it('get() after shutdown drains the remaining items, then throws QueueShutDown (test_shutdown_nonempty)', () => runV(async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    q.shutdown();
    assert.equal(await q.get(), 1);
    assert.equal(q.getNowait(), 2);
    await assert.rejects(q.get(), QueueShutDown);
    assert.throws(() => q.getNowait(), QueueShutDown);
  }));

  it('shutdown() wakes blocked getters with QueueShutDown (test_shutdown_get_waiting)', () => runV(async () => {
    const q = new Queue<number>();
    const a = spawn(() => q.get());
    const b = spawn(() => q.get());
    await idle();
    q.shutdown();
    await assert.rejects(asPromise(a), QueueShutDown);
    await assert.rejects(asPromise(b), QueueShutDown);
  }));

  it('shutdown() wakes blocked putters with QueueShutDown (test_shutdown_put_waiting)', () => runV(async () => {
    const q = new Queue<number>(1);
    q.putNowait(0);
    const a = spawn(() => q.put(1));
    await idle();
    q.shutdown();
    await assert.rejects(asPromise(a), QueueShutDown);
    assert.equal(q.qsize(), 1);
  }));

  it('shutdown(true) drops the items, counts them done and releases join() (test_shutdown_immediate)', () => runV(async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.putNowait(2);
    const joiner = spawn(() => q.join());
    await idle();
    assert.equal(joiner.done(), false);
    q.shutdown(true);
    assert.equal(q.qsize(), 0);
    await joiner;
    await assert.rejects(q.get(), QueueShutDown);
  }));

  it('a plain shutdown keeps join() waiting for the items still unfinished (test_shutdown_allowed_transitions)', () => runV(async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.shutdown();
    const joiner = spawn(() => q.join());
    await idle();
    assert.equal(joiner.done(), false);
    q.getNowait();
    q.taskDone();
    await joiner;
  }));

  it('for await yields every item until the queue is shut down and empty', () => runV(async () => {
    const q = new Queue<number>();
    const seen: number[] = [];
    const consumer = spawn(async () => { for await (const x of q) seen.push(x); return 'ended'; });
    for (let i = 0; i < 5; i++) await q.put(i);
    await idle();
    q.putNowait(99);
    q.shutdown();
    assert.equal(await consumer, 'ended');
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 99]);
  }));

  it('several consumers iterating one queue share the items and all stop at shutdown', () => runV(async () => {
    const q = new Queue<number>(2);
    const seen: number[][] = [[], [], []];
    const consumers = seen.map((list) => spawn(async () => { for await (const x of q) { list.push(x); await idle(); } }));
    for (let i = 0; i < 12; i++) await q.put(i);
    q.shutdown();
    await gather(consumers);
    assert.deepEqual(seen.flat().sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i));
  }));

  it('PriorityQueue and LifoQueue shut down the same way', () => runV(async () => {
    for (const q of [new PriorityQueue<number>(), new LifoQueue<number>()]) {
      q.putNowait(1);
      q.shutdown();
      assert.throws(() => q.putNowait(2), QueueShutDown);
      assert.equal(q.getNowait(), 1);
      assert.throws(() => q.getNowait(), QueueShutDown);
    }
  }));
});
