// The event loop (CPython test_events / test_base_events behaviours), ported.
import assert from 'node:assert/strict';
import {
  RuntimeError, createTask, getEventLoop, getRunningLoop, newEventLoop, run, sleep, type ExceptionContext,
} from '../../runtime';
import { runV } from './support';

describe('event loop', () => {
  it('callSoon runs callbacks in FIFO order with their arguments', () => runV(async () => {
    const loop = getRunningLoop();
    const log: unknown[] = [];
    loop.callSoon((a: number, b: string) => log.push([a, b]), 1, 'x');
    loop.callSoon(() => log.push('second'));
    await sleep(0);
    assert.deepEqual(log, [[1, 'x'], 'second']);
  }));

  it('a callback scheduled by a callback runs in a later turn, after those already ready', () => runV(async () => {
    const loop = getRunningLoop();
    const log: string[] = [];
    loop.callSoon(() => { log.push('a'); loop.callSoon(() => log.push('c')); });
    loop.callSoon(() => log.push('b'));
    await sleep(0);
    await sleep(0);
    assert.deepEqual(log, ['a', 'b', 'c']);
  }));

  it('a cancelled handle does not run', () => runV(async () => {
    const loop = getRunningLoop();
    let ran = false;
    const h = loop.callSoon(() => { ran = true; });
    h.cancel();
    assert.equal(h.cancelled(), true);
    await sleep(0);
    assert.equal(ran, false);
  }));

  it('callLater runs after the delay; timers with equal times run FIFO', () => runV(async () => {
    const loop = getRunningLoop();
    const log: string[] = [];
    loop.callLater(20, () => log.push('20a'));
    loop.callLater(10, () => log.push('10'));
    loop.callLater(20, () => log.push('20b'));
    await sleep(30);
    assert.deepEqual(log, ['10', '20a', '20b']);
  }));

  it('callAt schedules at absolute loop time and when() reports it', () => runV(async () => {
    const loop = getRunningLoop();
    let at = -1;
    const h = loop.callAt(loop.time() + 40, () => { at = loop.time(); });
    assert.equal(h.when(), 40);
    await sleep(50);
    assert.equal(at, 40);
  }));

  it('a cancelled timer does not run', () => runV(async () => {
    const loop = getRunningLoop();
    let ran = false;
    const h = loop.callLater(10, () => { ran = true; });
    h.cancel();
    await sleep(20);
    assert.equal(ran, false);
  }));

  it('callSoonThreadsafe from a native callback wakes the loop', () => runV(async () => {
    const loop = getRunningLoop();
    const f = loop.createFuture<string>();
    setImmediate(() => loop.callSoonThreadsafe(() => f.setResult('from outside')));
    assert.equal(await f, 'from outside');
  }));

  it('the virtual clock starts at 0 and jumps only when nothing is ready', () => runV(async () => {
    const loop = getRunningLoop();
    assert.equal(loop.time(), 0);
    assert.equal(loop.isVirtualClock(), true);
    await sleep(3_600_000);
    assert.equal(loop.time(), 3_600_000);
  }));

  it('the real clock is monotonic and a real sleep takes at least its time', () => run(async () => {
    const loop = getRunningLoop();
    assert.equal(loop.isVirtualClock(), false);
    const t0 = loop.time();
    await sleep(5);
    assert.ok(loop.time() - t0 >= 4);
  }));

  it('getRunningLoop throws outside a running loop', () => {
    assert.throws(() => getRunningLoop(), RuntimeError);
  });

  it('getEventLoop returns the running loop inside one, a usable loop outside', () => runV(async () => {
    assert.equal(getEventLoop(), getRunningLoop());
  }).then(() => {
    assert.equal(typeof getEventLoop().time(), 'number');
  }));

  it('runUntilComplete runs a task to completion and returns its result', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    assert.equal(await loop.runUntilComplete(async () => { await sleep(10); return 'r'; }), 'r');
    assert.equal(loop.isRunning(), false);
    loop.close();
    assert.equal(loop.isClosed(), true);
  });

  it('runUntilComplete throws the task error', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const e = new Error('x');
    await assert.rejects(loop.runUntilComplete(async () => { throw e; }), (x) => x === e);
    loop.close();
  });

  it('runForever settles when stop() is called, after ready callbacks ran', async () => {
    const loop = newEventLoop();
    const log: string[] = [];
    loop.callSoon(() => { log.push('a'); loop.stop(); loop.callSoon(() => log.push('later')); });
    loop.callSoon(() => log.push('b'));
    await loop.runForever();
    assert.deepEqual(log, ['a', 'b']);
    await new Promise<void>((resolve) => { loop.callSoon(() => { loop.stop(); resolve(); }); void loop.runForever(); });
    assert.deepEqual(log, ['a', 'b', 'later']);
    loop.close();
  });

  it('callbacks queued before the loop runs wait until it runs', async () => {
    const loop = newEventLoop();
    let ran = false;
    loop.callSoon(() => { ran = true; });
    await new Promise((r) => setImmediate(r));
    assert.equal(ran, false);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    assert.equal(ran, true);
    loop.close();
  });

  it('close() on a running loop is a RuntimeError', () => runV(async () => {
    assert.throws(() => getRunningLoop().close(), RuntimeError);
  }));

  it('run() returns main result and cancels what is left', async () => {
    let leftover!: ReturnType<typeof createTask>;
    const r = await run(async () => {
      leftover = createTask(() => sleep(1_000_000));
      await sleep(0);
      return 'main done';
    }, { virtualTime: true });
    assert.equal(r, 'main done');
    assert.equal(leftover.cancelled(), true);
  });

  it('run() rejects with the error main threw', async () => {
    const e = new Error('main failed');
    await assert.rejects(run(async () => { throw e; }), (x) => x === e);
  });

  it('run() inside a task is a RuntimeError', () => runV(async () => {
    await assert.rejects(run(async () => 1), RuntimeError);
  }));

  it('an error in a callback goes to the exception handler and the loop goes on', async () => {
    const seen: ExceptionContext[] = [];
    const r = await run(async () => {
      getRunningLoop().callSoon(() => { throw new Error('cb'); });
      await sleep(1);
      return 'alive';
    }, { virtualTime: true, exceptionHandler: (_l, ctx) => seen.push(ctx) });
    assert.equal(r, 'alive');
    assert.equal(seen.length, 1);
    assert.equal((seen[0]!.exception as Error).message, 'cb');
    assert.match(seen[0]!.message, /callback/);
  });

  it('a task error never retrieved is reported through the exception handler', async () => {
    const seen: ExceptionContext[] = [];
    await run(async () => {
      createTask(async () => { throw new Error('lost'); }, { name: 'orphan' });
      await sleep(1);
    }, { virtualTime: true, exceptionHandler: (_l, ctx) => seen.push(ctx) });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.message, 'Task exception was never retrieved');
    assert.equal(seen[0]!.task!.getName(), 'orphan');
  });

  it('a task error that was awaited is not reported', async () => {
    const seen: ExceptionContext[] = [];
    await run(async () => {
      const t = createTask(async () => { throw new Error('seen'); });
      await t.then(() => undefined, () => undefined);
    }, { virtualTime: true, exceptionHandler: (_l, ctx) => seen.push(ctx) });
    assert.deepEqual(seen, []);
  });

  it('setExceptionHandler(null) restores the default handler', () => runV(async () => {
    const loop = getRunningLoop();
    const h = (): void => undefined;
    loop.setExceptionHandler(h);
    assert.equal(loop.getExceptionHandler(), h);
    loop.setExceptionHandler(null);
    assert.equal(loop.getExceptionHandler(), null);
  }));

  it('a busy program still lets Node timers fire (the loop yields to Node)', () => run(async () => {
    let fired = false;
    setTimeout(() => { fired = true; }, 1);
    const start = Date.now();
    while (!fired && Date.now() - start < 5000) await sleep(0);
    assert.equal(fired, true);
  }));
});
