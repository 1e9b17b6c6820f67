// Misuse gets a clear error of the right class.
import assert from 'node:assert/strict';
import {
  RuntimeError, createTask, gather, getRunningLoop, newEventLoop, run, sleep, timeout, wait, waitFor, type Future,
} from '../../runtime';
import { runV } from './support';

describe('bad input', () => {
  it('awaiting a pending future of a closed loop is a RuntimeError', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    let fut!: Future<number>;
    await loop.runUntilComplete(async () => { fut = loop.createFuture<number>(); });
    loop.close();
    await assert.rejects(async () => fut, (e) => e instanceof RuntimeError && /closed/.test((e as Error).message));
  });

  it('a task awaiting a closed loop\'s future gets a RuntimeError', async () => {
    const old = newEventLoop({ clock: 'virtual' });
    let fut!: Future<number>;
    await old.runUntilComplete(async () => { fut = old.createFuture<number>(); });
    old.close();
    await assert.rejects(run(async () => fut), RuntimeError);
  });

  it('scheduling on a closed loop is a RuntimeError', () => {
    const loop = newEventLoop();
    loop.close();
    assert.throws(() => loop.callSoon(() => undefined), RuntimeError);
    assert.throws(() => loop.callLater(1, () => undefined), RuntimeError);
    assert.throws(() => loop.createTask(async () => 1), RuntimeError);
  });

  it('running a closed loop is a RuntimeError', async () => {
    const loop = newEventLoop();
    loop.close();
    assert.throws(() => loop.runForever(), RuntimeError);
    await assert.rejects(loop.runUntilComplete(async () => 1), RuntimeError);
  });

  it('a negative sleep is a RangeError', () => runV(async () => {
    assert.throws(() => sleep(-1), RangeError);
  }));

  it('a NaN or non-number sleep is a TypeError', () => runV(async () => {
    assert.throws(() => sleep(Number.NaN), TypeError);
    assert.throws(() => sleep('10' as unknown as number), TypeError);
  }));

  it('a negative callLater delay is a RangeError', () => runV(async () => {
    assert.throws(() => getRunningLoop().callLater(-5, () => undefined), RangeError);
  }));

  it('negative timeouts for timeout, waitFor and wait are RangeErrors', () => runV(async () => {
    assert.throws(() => timeout(-1, async () => 1), RangeError);
    assert.throws(() => waitFor(sleep(1), -1), RangeError);
    await assert.rejects(wait([sleep(1)], { timeout: -1 }), RangeError);
  }));

  it('a non-function task body is a TypeError', () => runV(async () => {
    assert.throws(() => createTask(Promise.resolve(1) as unknown as () => Promise<number>), TypeError);
    assert.throws(() => createTask(null as unknown as () => Promise<number>), TypeError);
  }));

  it('run() with a started promise instead of a function is a TypeError', async () => {
    await assert.rejects(run(Promise.resolve(1) as unknown as () => Promise<number>), TypeError);
  });

  it('a non-function callback is a TypeError', () => runV(async () => {
    assert.throws(() => getRunningLoop().callSoon(42 as unknown as () => void), TypeError);
  }));

  it('gather of a non-iterable is a TypeError', () => runV(async () => {
    assert.throws(() => gather(42 as unknown as []), TypeError);
  }));

  it('wait with an unknown returnWhen is a TypeError', () => runV(async () => {
    await assert.rejects(wait([sleep(1)], { returnWhen: 'SOMETIMES' as 'ALL_COMPLETED' }), TypeError);
  }));

  it('createTask outside a running loop is a RuntimeError', () => {
    assert.throws(() => createTask(async () => 1), RuntimeError);
  });

  it('a setExceptionHandler argument that is not a function is a TypeError', () => runV(async () => {
    assert.throws(() => getRunningLoop().setExceptionHandler(5 as unknown as null), TypeError);
  }));
});
