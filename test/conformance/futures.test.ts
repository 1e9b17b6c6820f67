// Behaviours of asyncio.Future (CPython test_futures), ported.
import assert from 'node:assert/strict';
import { CancelledError, Future, InvalidStateError, getRunningLoop, isFuture, sleep, wrapFuture, ensureFuture } from '../../runtime';
import { runV } from './support';

describe('Future (test_futures)', () => {
  it('starts pending: not done, not cancelled, result() throws InvalidStateError', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    assert.equal(f.done(), false);
    assert.equal(f.cancelled(), false);
    assert.throws(() => f.result(), InvalidStateError);
    assert.throws(() => f.exception(), InvalidStateError);
  }));

  it('setResult makes it done with that result and no exception', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    f.setResult(42);
    assert.equal(f.done(), true);
    assert.equal(f.result(), 42);
    assert.equal(f.exception(), undefined);
  }));

  it('setResult on a done future throws InvalidStateError', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    f.setResult(1);
    assert.throws(() => f.setResult(2), InvalidStateError);
    assert.throws(() => f.setException(new Error('x')), InvalidStateError);
    assert.equal(f.result(), 1);
  }));

  it('setException makes result() throw that exception', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    const e = new Error('boom');
    f.setException(e);
    assert.equal(f.exception(), e);
    assert.throws(() => f.result(), (x) => x === e);
  }));

  it('cancel makes it cancelled; result() and exception() throw CancelledError', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    assert.equal(f.cancel('why'), true);
    assert.equal(f.cancelled(), true);
    assert.equal(f.done(), true);
    assert.throws(() => f.result(), (e) => e instanceof CancelledError && e.message === 'why');
    assert.throws(() => f.exception(), CancelledError);
  }));

  it('cancel on a done future returns false and changes nothing', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    f.setResult(3);
    assert.equal(f.cancel(), false);
    assert.equal(f.result(), 3);
  }));

  it('awaiting a future yields its result once set', () => runV(async () => {
    const loop = getRunningLoop();
    const f = loop.createFuture<string>();
    loop.callLater(5, () => f.setResult('ready'));
    assert.equal(await f, 'ready');
    assert.equal(loop.time(), 5);
  }));

  it('awaiting a failed future throws its exception', () => runV(async () => {
    const f = getRunningLoop().createFuture<string>();
    const e = new Error('bad');
    getRunningLoop().callSoon(() => f.setException(e));
    await assert.rejects(async () => f, (x) => x === e);
  }));

  it('awaiting a cancelled future throws CancelledError with the cancel message', () => runV(async () => {
    const f = getRunningLoop().createFuture<string>();
    f.cancel('gone');
    await assert.rejects(async () => f, (x) => x instanceof CancelledError && x.message === 'gone');
  }));

  it('done callbacks are never called synchronously, even on a done future', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    const seen: number[] = [];
    f.addDoneCallback(() => seen.push(1));
    f.setResult(1);
    assert.equal(seen.length, 0);
    f.addDoneCallback(() => seen.push(2));
    assert.equal(seen.length, 0);
    await sleep(0);
    assert.deepEqual(seen, [1, 2]);
  }));

  it('done callbacks run in registration order and receive the future', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    const seen: unknown[] = [];
    for (let i = 0; i < 3; i++) f.addDoneCallback((x) => seen.push([i, x === f]));
    f.setResult(0);
    await sleep(0);
    assert.deepEqual(seen, [[0, true], [1, true], [2, true]]);
  }));

  it('removeDoneCallback removes every registration and returns the count', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    const seen: string[] = [];
    const a = (): void => void seen.push('a');
    f.addDoneCallback(a);
    f.addDoneCallback(() => seen.push('b'));
    f.addDoneCallback(a);
    assert.equal(f.removeDoneCallback(a), 2);
    f.setResult(1);
    await sleep(0);
    assert.deepEqual(seen, ['b']);
  }));

  it('done callbacks keep registration order through removals and re-adds (test_future_callbacks order)', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    const seen: string[] = [];
    const cb = (name: string) => (): void => void seen.push(name);
    const a = cb('a');
    const b = cb('b');
    const c = cb('c');
    f.addDoneCallback(a);
    f.addDoneCallback(b);
    f.addDoneCallback(c);
    assert.equal(f.removeDoneCallback(a), 1);
    f.addDoneCallback(a);
    assert.equal(f.removeDoneCallback(cb('never added')), 0);
    f.setResult(1);
    await sleep(0);
    assert.deepEqual(seen, ['b', 'c', 'a']);
  }));

  it('done callbacks run on cancel too', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    let called = false;
    f.addDoneCallback((x) => { called = x.cancelled(); });
    f.cancel();
    await sleep(0);
    assert.equal(called, true);
  }));

  it('getLoop returns the loop that created it', () => runV(async () => {
    const loop = getRunningLoop();
    assert.equal(loop.createFuture().getLoop(), loop);
    assert.equal(new Future(loop).getLoop(), loop);
  }));

  it('every future has a distinct non-zero id', () => runV(async () => {
    const loop = getRunningLoop();
    const a = loop.createFuture();
    const b = loop.createFuture();
    assert.ok(a.id > 0 && b.id > 0 && a.id !== b.id);
  }));

  it('isFuture recognises futures and tasks, not promises', () => runV(async () => {
    assert.equal(isFuture(getRunningLoop().createFuture()), true);
    assert.equal(isFuture(Promise.resolve(1)), false);
    assert.equal(isFuture({ then() {} }), false);
  }));

  it('a future can be awaited by several tasks, all get the result', () => runV(async () => {
    const loop = getRunningLoop();
    const f = loop.createFuture<number>();
    const ts = [1, 2, 3].map(() => loop.createTask(async () => (await f) * 2));
    await sleep(0);
    f.setResult(21);
    for (const t of ts) assert.equal(await t, 42);
  }));

  it('then() chains like a promise', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    f.setResult(2);
    assert.equal(await f.then((x) => x + 1), 3);
  }));

  it('wrapFuture follows a resolving promise', () => runV(async () => {
    const f = wrapFuture(Promise.resolve(7));
    assert.equal(isFuture(f), true);
    assert.equal(await f, 7);
    assert.equal(f.result(), 7);
  }));

  it('wrapFuture follows a rejecting promise', () => runV(async () => {
    const e = new Error('r');
    const f = wrapFuture(Promise.reject(e));
    await assert.rejects(async () => f, (x) => x === e);
    assert.equal(f.exception(), e);
  }));

  it('ensureFuture returns a future unchanged and wraps a promise', () => runV(async () => {
    const f = getRunningLoop().createFuture();
    assert.equal(ensureFuture(f), f);
    const w = ensureFuture(Promise.resolve('x'));
    assert.equal(isFuture(w), true);
    assert.equal(await w, 'x');
  }));

  it('ensureFuture rejects a non-awaitable with TypeError', () => runV(async () => {
    assert.throws(() => ensureFuture(42 as unknown as Promise<number>), TypeError);
  }));
});
