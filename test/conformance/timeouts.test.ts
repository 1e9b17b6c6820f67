// timeout / timeoutAt / waitFor (CPython test_timeouts, test_waitfor), ported.
import assert from 'node:assert/strict';
import { CancelledError, TimeoutError, createTask, currentTask, getRunningLoop, sleep, timeout, timeoutAt, waitFor } from '../../runtime';
import { runV } from './support';

describe('timeout / waitFor (test_timeouts, test_waitfor)', () => {
  it('timeout returns the body result when it finishes in time', () => runV(async () => {
    assert.equal(await timeout(100, async () => { await sleep(10); return 'ok'; }), 'ok');
    assert.equal(getRunningLoop().time(), 10);
  }));

  it('timeout throws TimeoutError at the deadline and the body saw CancelledError', () => runV(async () => {
    let seen: unknown;
    await assert.rejects(
      timeout(50, async () => { try { await sleep(1000); } catch (e) { seen = e; throw e; } }),
      TimeoutError,
    );
    assert.ok(seen instanceof CancelledError);
    assert.equal(getRunningLoop().time(), 50);
  }));

  it('the TimeoutError has the CancelledError as its cause', () => runV(async () => {
    const err = await timeout(1, () => sleep(10)).catch((e: unknown) => e);
    assert.ok(err instanceof TimeoutError);
    assert.ok((err as Error).cause instanceof CancelledError);
  }));

  it('after an expired timeout the task is not left cancelling', () => runV(async () => {
    await assert.rejects(timeout(1, () => sleep(10)), TimeoutError);
    assert.equal(currentTask()!.cancelling(), 0);
    await sleep(5);
    assert.equal(getRunningLoop().time(), 6);
  }));

  it('a body that swallows the cancel and returns makes timeout return normally', () => runV(async () => {
    const r = await timeout(5, async () => {
      try { await sleep(100); } catch { return 'swallowed'; }
      return 'slept';
    });
    assert.equal(r, 'swallowed');
    assert.equal(currentTask()!.cancelling(), 0);
  }));

  it('an outside cancel stays a CancelledError, not a TimeoutError', () => runV(async () => {
    const t = createTask(() => timeout(1000, () => sleep(500)));
    await sleep(10);
    t.cancel();
    await assert.rejects(async () => t, (e) => e instanceof CancelledError && !(e instanceof TimeoutError));
  }));

  it('nested timeouts: the inner expiring raises in the inner scope only', () => runV(async () => {
    const r = await timeout(100, async () => {
      try { await timeout(10, () => sleep(50)); } catch (e) { return e instanceof TimeoutError ? 'inner' : 'other'; }
      return 'none';
    });
    assert.equal(r, 'inner');
    assert.equal(getRunningLoop().time(), 10);
  }));

  it('nested timeouts: the outer expiring first is a TimeoutError of the outer', () => runV(async () => {
    let innerSaw: unknown;
    const err = await timeout(10, async () => {
      try { await timeout(100, () => sleep(50)); } catch (e) { innerSaw = e; throw e; }
    }).catch((e: unknown) => e);
    assert.ok(err instanceof TimeoutError);
    assert.ok(innerSaw instanceof CancelledError && !(innerSaw instanceof TimeoutError));
  }));

  it('timeout(null) never expires', () => runV(async () => {
    assert.equal(await timeout(null, async () => { await sleep(10000); return 1; }), 1);
  }));

  it('timeout(0) expires at the first await', () => runV(async () => {
    await assert.rejects(timeout(0, () => sleep(1)), TimeoutError);
    assert.equal(getRunningLoop().time(), 0);
  }));

  it('timeoutAt uses absolute loop time', () => runV(async () => {
    await sleep(100);
    await assert.rejects(timeoutAt(130, () => sleep(1000)), TimeoutError);
    assert.equal(getRunningLoop().time(), 130);
  }));

  it('timeoutAt in the past expires immediately', () => runV(async () => {
    await sleep(10);
    await assert.rejects(timeoutAt(5, () => sleep(1)), TimeoutError);
  }));

  it('timeout outside a task is a RuntimeError', async () => {
    await assert.rejects(timeout(1, async () => 1), { name: 'RuntimeError' });
  });

  it('waitFor returns the result when in time', () => runV(async () => {
    const t = createTask(async () => { await sleep(10); return 'v'; });
    assert.equal(await waitFor(t, 100), 'v');
  }));

  it('waitFor cancels the awaitable on expiry and throws TimeoutError', () => runV(async () => {
    const t = createTask(async () => { await sleep(1000); return 'v'; });
    await assert.rejects(waitFor(t, 20), TimeoutError);
    assert.equal(t.cancelled(), true);
    assert.equal(getRunningLoop().time(), 20);
  }));

  it('waitFor waits for the cancelled task to finish its cleanup', () => runV(async () => {
    const log: string[] = [];
    const t = createTask(async () => {
      try { await sleep(1000); } finally { await sleep(5); log.push('cleaned'); }
    });
    await assert.rejects(waitFor(t, 10), TimeoutError);
    assert.deepEqual(log, ['cleaned']);
    assert.equal(getRunningLoop().time(), 15);
  }));

  it('waitFor with null waits without a limit', () => runV(async () => {
    assert.equal(await waitFor(sleep(500, 'late'), null), 'late');
  }));

  it('waitFor wraps a plain promise', () => runV(async () => {
    assert.equal(await waitFor(Promise.resolve(3), 10), 3);
  }));

  it('waitFor passes the inner error through', () => runV(async () => {
    const e = new Error('inner');
    const t = createTask(async () => { await sleep(1); throw e; });
    await assert.rejects(waitFor(t, 100), (x) => x === e);
  }));
});
