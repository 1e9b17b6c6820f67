// sleep, gather, wait, asCompleted, shield (CPython test_tasks), ported.
import assert from 'node:assert/strict';
import {
  ALL_COMPLETED, CancelledError, FIRST_COMPLETED, FIRST_EXCEPTION, TimeoutError, asCompleted, createTask,
  gather, getRunningLoop, shield, sleep, wait, type Future,
} from '../../runtime';
import { runV } from './support';

const after = <T>(ms: number, v: T) => createTask(async () => { await sleep(ms); return v; });
const failAfter = (ms: number, e: Error) => createTask(async () => { await sleep(ms); throw e; });

describe('sleep', () => {
  it('sleep(ms) resumes after exactly ms of loop time', () => runV(async () => {
    const loop = getRunningLoop();
    await sleep(250);
    assert.equal(loop.time(), 250);
  }));

  it('sleep(ms, value) resolves with the value', () => runV(async () => {
    assert.equal(await sleep(10, 'v'), 'v');
  }));

  it('sleep(0) yields to other ready tasks without advancing time', () => runV(async () => {
    const log: string[] = [];
    createTask(async () => { log.push('other'); });
    await sleep(0);
    assert.deepEqual(log, ['other']);
    assert.equal(getRunningLoop().time(), 0);
  }));

  it('sleepers wake in order of their deadlines', () => runV(async () => {
    const log: number[] = [];
    const ts = [30, 10, 20].map((ms) => createTask(async () => { await sleep(ms); log.push(ms); }));
    await gather(ts);
    assert.deepEqual(log, [10, 20, 30]);
  }));

  it('cancelling a sleep cancels its timer', () => runV(async () => {
    const loop = getRunningLoop();
    const s = sleep(1000);
    s.cancel();
    await sleep(1);
    assert.equal(loop.time(), 1);
  }));
});

describe('gather', () => {
  it('returns results in argument order, not completion order', () => runV(async () => {
    const r = await gather([after(30, 'a'), after(10, 'b'), after(20, 'c')]);
    assert.deepEqual(r, ['a', 'b', 'c']);
    assert.equal(getRunningLoop().time(), 30);
  }));

  it('of an empty list resolves to an empty list', () => runV(async () => {
    assert.deepEqual(await gather([]), []);
  }));

  it('accepts futures, tasks and plain promises', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    f.setResult(1);
    assert.deepEqual(await gather([f, after(1, 2), Promise.resolve(3)]), [1, 2, 3]);
  }));

  it('fails with the first exception and leaves the other children running', () => runV(async () => {
    const e = new Error('first');
    const slow = after(50, 'slow');
    await assert.rejects(async () => gather([failAfter(10, e), slow]), (x) => x === e);
    assert.equal(slow.done(), false);
    assert.equal(await slow, 'slow');
  }));

  it('with returnExceptions puts errors in place of results', () => runV(async () => {
    const e = new Error('bad');
    const r = await gather([after(5, 1), failAfter(1, e)], { returnExceptions: true });
    assert.deepEqual(r, [1, e]);
  }));

  it('with returnExceptions reports a cancelled child as a CancelledError', () => runV(async () => {
    const c = after(100, 1);
    const g = gather([c, after(5, 2)], { returnExceptions: true });
    await sleep(1);
    c.cancel();
    const r = await g;
    assert.ok(r[0] instanceof CancelledError);
    assert.equal(r[1], 2);
  }));

  it('a cancelled child fails the gather with CancelledError without returnExceptions', () => runV(async () => {
    const c = after(100, 1);
    const g = gather([c, after(5, 2)]);
    await sleep(1);
    c.cancel();
    await assert.rejects(async () => g, CancelledError);
  }));

  it('cancelling the gather cancels every child', () => runV(async () => {
    const a = after(100, 1);
    const b = after(100, 2);
    const g = gather([a, b]);
    await sleep(1);
    assert.equal(g.cancel(), true);
    await assert.rejects(async () => g, CancelledError);
    assert.equal(a.cancelled(), true);
    assert.equal(b.cancelled(), true);
  }));

  it('cancelling a task awaiting a gather cancels the gather children', () => runV(async () => {
    const a = after(100, 1);
    const outer = createTask(async () => gather([a]));
    await sleep(1);
    outer.cancel();
    await assert.rejects(async () => outer, CancelledError);
    assert.equal(a.cancelled(), true);
  }));

  it('the same awaitable twice gives its result twice', () => runV(async () => {
    const a = after(1, 'x');
    assert.deepEqual(await gather([a, a]), ['x', 'x']);
  }));
});

describe('wait', () => {
  it('ALL_COMPLETED waits for every future', () => runV(async () => {
    const a = after(10, 1);
    const b = after(20, 2);
    const { done, pending } = await wait([a, b], { returnWhen: ALL_COMPLETED });
    assert.equal(done.size, 2);
    assert.equal(pending.size, 0);
    assert.equal(getRunningLoop().time(), 20);
  }));

  it('FIRST_COMPLETED returns as soon as one is done', () => runV(async () => {
    const a = after(10, 1);
    const b = after(20, 2);
    const { done, pending } = await wait([a, b], { returnWhen: FIRST_COMPLETED });
    assert.deepEqual([...done], [a]);
    assert.deepEqual([...pending], [b]);
    assert.equal(getRunningLoop().time(), 10);
    await b;
  }));

  it('FIRST_EXCEPTION returns at the first failure', () => runV(async () => {
    const a = after(50, 1);
    const b = failAfter(10, new Error('x'));
    const { done, pending } = await wait([a, b], { returnWhen: FIRST_EXCEPTION });
    assert.deepEqual([...done], [b]);
    assert.deepEqual([...pending], [a]);
    assert.equal(getRunningLoop().time(), 10);
    b.exception();
    a.cancel();
  }));

  it('FIRST_EXCEPTION without failures waits for all', () => runV(async () => {
    const { done } = await wait([after(10, 1), after(20, 2)], { returnWhen: FIRST_EXCEPTION });
    assert.equal(done.size, 2);
    assert.equal(getRunningLoop().time(), 20);
  }));

  it('a timeout returns what is done and does not cancel the rest', () => runV(async () => {
    const a = after(10, 1);
    const b = after(100, 2);
    const { done, pending } = await wait([a, b], { timeout: 50 });
    assert.deepEqual([...done], [a]);
    assert.deepEqual([...pending], [b]);
    assert.equal(getRunningLoop().time(), 50);
    assert.equal(b.cancelled(), false);
    assert.equal(await b, 2);
  }));

  it('returns at once when the condition already holds', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    f.setResult(1);
    const { done } = await wait([f, after(100, 2)], { returnWhen: FIRST_COMPLETED });
    assert.deepEqual([...done], [f]);
    assert.equal(getRunningLoop().time(), 0);
  }));

  it('rejects an empty set', () => runV(async () => {
    await assert.rejects(async () => wait([]), TypeError);
  }));
});

describe('asCompleted', () => {
  it('for await yields results in completion order', () => runV(async () => {
    const out: string[] = [];
    for await (const v of asCompleted([after(30, 'c'), after(10, 'a'), after(20, 'b')])) out.push(v);
    assert.deepEqual(out, ['a', 'b', 'c']);
  }));

  it('plain iteration yields awaitables settling in completion order', () => runV(async () => {
    const out: number[] = [];
    for (const next of asCompleted([after(20, 2), after(10, 1)])) out.push(await next);
    assert.deepEqual(out, [1, 2]);
  }));

  it('an error surfaces at its place in completion order', () => runV(async () => {
    const e = new Error('mid');
    const it = asCompleted([after(10, 1), failAfter(20, e), after(30, 3)])[Symbol.iterator]();
    assert.equal(await it.next().value, 1);
    await assert.rejects(async () => it.next().value!, (x) => x === e);
    assert.equal(await it.next().value, 3);
  }));

  it('a timeout throws TimeoutError for what has not completed', () => runV(async () => {
    const out: unknown[] = [];
    const slow = after(100, 'slow');
    for (const next of asCompleted([after(10, 'fast'), slow], { timeout: 50 })) {
      try { out.push(await next); } catch (e) { out.push(e instanceof TimeoutError ? 'timeout' : e); }
    }
    assert.deepEqual(out, ['fast', 'timeout']);
    assert.equal(slow.cancelled(), false);
    slow.cancel();
  }));
});

describe('shield', () => {
  it('passes the result through', () => runV(async () => {
    assert.equal(await shield(after(5, 'r')), 'r');
  }));

  it('cancelling the awaiter does not cancel the shielded task', () => runV(async () => {
    const inner = after(50, 'inner');
    const outer = createTask(async () => shield(inner));
    await sleep(1);
    outer.cancel();
    await assert.rejects(async () => outer, CancelledError);
    assert.equal(inner.cancelled(), false);
    assert.equal(await inner, 'inner');
  }));

  it('cancelling the inner task cancels the shield', () => runV(async () => {
    const inner = after(50, 1);
    const s: Future<number> = shield(inner);
    await sleep(1);
    inner.cancel();
    await assert.rejects(async () => s, CancelledError);
  }));

  it('an inner failure is passed through', () => runV(async () => {
    const e = new Error('f');
    await assert.rejects(async () => shield(failAfter(5, e)), (x) => x === e);
  }));
});
