// The instrument hook interface: what the tracer sees.
import assert from 'node:assert/strict';
import {
  addInstrument, awaitOn, createTask, currentTask, getRunningLoop, hooks, nextId, registerSites, run, setPendingSite,
  setStackCapture, sleep, takeSite, type ExceptionContext, type Instrument,
} from '../../runtime/internal';
import { record, runV, type Recorded } from './support';

const of = (log: Recorded[], names: string[]) => log.filter((e) => names.includes(e[0]));

describe('instrument hooks', () => {
  it('with no instrument installed hooks.on is false', () => {
    assert.equal(hooks.on, false);
  });

  it('installing sets hooks.on and the remover clears it', () => {
    const stop = addInstrument({});
    assert.equal(hooks.on, true);
    stop();
    assert.equal(hooks.on, false);
  });

  it('nextId never returns 0 and never repeats', () => {
    const a = nextId();
    const b = nextId();
    assert.ok(a > 0 && b > a);
  });

  it('a task awaiting a sleeping child: created, run slices, awaits, wakes, done in order', async () => {
    const { log, stop } = record();
    let mainId = 0;
    let childId = 0;
    try {
      await runV(async () => {
        mainId = currentTask()!.id;
        const child = createTask(async () => { await sleep(10); return 1; }, { name: 'child' });
        childId = child.id;
        await child;
      });
    } finally {
      stop();
    }
    const childEvents = log.filter((e) => e[1] === childId && e[0] !== 'wake' && e[0] !== 'callbackScheduled' && e[0] !== 'callbackBegin' && e[0] !== 'callbackEnd');
    const names = childEvents.map((e) => e[0]);
    assert.deepEqual(names, ['taskCreated', 'taskRunBegin', 'taskRunEnd', 'awaitBegin', 'awaitEnd', 'taskRunBegin', 'taskRunEnd', 'taskDone']);
    assert.deepEqual(childEvents[0]!.slice(0, 4), ['taskCreated', childId, mainId, 'child']);
    assert.equal(childEvents[3]![2], 'sleep');
    assert.deepEqual(childEvents[7], ['taskDone', childId, 'ok', '']);
    // main awaited the child task: awaitBegin(main, 'task', child) ... wake(child -> main) ... awaitEnd(main, child, ok)
    const mainAwait = log.findIndex((e) => e[0] === 'awaitBegin' && e[1] === mainId && e[3] === childId);
    assert.equal(log[mainAwait]![2], 'task');
    const wakeMain = log.findIndex((e) => e[0] === 'wake' && e[3] === mainId && e[4] === childId);
    const doneChild = log.findIndex((e) => e[0] === 'taskDone' && e[1] === childId);
    const endMain = log.findIndex((e) => e[0] === 'awaitEnd' && e[1] === mainId && e[2] === childId);
    assert.ok(mainAwait >= 0 && mainAwait < doneChild && doneChild < wakeMain && wakeMain < endMain);
    assert.deepEqual(log[endMain], ['awaitEnd', mainId, childId, 'ok']);
  });

  it('two futures awaited at once in one task (Promise.all) each end with their own target, in completion order', async () => {
    const { log, stop } = record();
    let mainId = 0;
    let first = 0;
    let second = 0;
    try {
      await runV(async () => {
        mainId = currentTask()!.id;
        const loop = getRunningLoop();
        const a = loop.createFuture<string>();
        const b = loop.createFuture<string>();
        first = a.id;
        second = b.id;
        loop.callLater(20, () => a.setResult('a'));
        loop.callLater(10, () => b.setResult('b'));
        assert.deepEqual(await Promise.all([a, b]), ['a', 'b']);
        // A later single await still reports its own target.
        await sleep(1);
      });
    } finally {
      stop();
    }
    const ends = log.filter((e) => e[0] === 'awaitEnd' && e[1] === mainId).map((e) => e[2]);
    assert.deepEqual(ends.slice(0, 2), [second, first]);
    const begins = log.filter((e) => e[0] === 'awaitBegin' && e[1] === mainId);
    assert.equal(ends.length, begins.length);
    assert.equal(ends[2], begins[2]![3]);
  });

  it('a timer callback that sets a result is the waker (task 0, that handle)', async () => {
    const { log, stop } = record();
    let fid = 0;
    let hid = 0;
    try {
      await runV(async () => {
        const loop = getRunningLoop();
        const f = loop.createFuture<number>();
        fid = f.id;
        hid = loop.callLater(5, () => f.setResult(1)).id;
        await f;
      });
    } finally {
      stop();
    }
    const w = log.find((e) => e[0] === 'wake' && e[4] === fid)!;
    assert.equal(w[1], 0);
    assert.equal(w[2], hid);
    const sched = log.find((e) => e[0] === 'callbackScheduled' && e[1] === hid)!;
    assert.deepEqual(sched.slice(0, 4), ['callbackScheduled', hid, 'later', 5]);
    const i = log.findIndex((e) => e[0] === 'callbackBegin' && e[1] === hid);
    const j = log.findIndex((e) => e[0] === 'callbackEnd' && e[1] === hid);
    assert.ok(i >= 0 && i < log.indexOf(w) && log.indexOf(w) < j);
  });

  it('a task that completes a future another task awaits is the waker', async () => {
    const { log, stop } = record();
    let setter = 0;
    let waiter = 0;
    try {
      await runV(async () => {
        const f = getRunningLoop().createFuture<void>();
        const w = createTask(async () => { await f; });
        const s = createTask(async () => { await sleep(1); f.setResult(); });
        setter = s.id;
        waiter = w.id;
        await w;
      });
    } finally {
      stop();
    }
    assert.ok(log.some((e) => e[0] === 'wake' && e[1] === setter && e[3] === waiter));
  });

  it('loop turns are reported in balanced begin/end pairs', async () => {
    const { log, stop } = record();
    try {
      await runV(async () => { await sleep(1); await sleep(0); });
    } finally {
      stop();
    }
    let depth = 0;
    let turns = 0;
    for (const [name] of of(log, ['loopTurnBegin', 'loopTurnEnd'])) {
      depth += name === 'loopTurnBegin' ? 1 : -1;
      assert.ok(depth === 0 || depth === 1);
      if (name === 'loopTurnBegin') turns++;
    }
    assert.equal(depth, 0);
    assert.ok(turns >= 3);
  });

  it('run slices of each task are balanced even when cancelled', async () => {
    const { log, stop } = record();
    try {
      await runV(async () => {
        const t = createTask(() => sleep(100));
        await sleep(1);
        t.cancel();
        await t.then(undefined, () => undefined);
      });
    } finally {
      stop();
    }
    const open = new Map<unknown, number>();
    for (const [name, id] of of(log, ['taskRunBegin', 'taskRunEnd'])) {
      const d = (open.get(id) ?? 0) + (name === 'taskRunBegin' ? 1 : -1);
      assert.ok(d === 0 || d === 1, `task ${String(id)} slice depth ${d}`);
      open.set(id, d);
    }
    assert.ok([...open.values()].every((d) => d === 0));
    assert.ok(log.some((e) => e[0] === 'taskDone' && e[2] === 'cancelled'));
    assert.ok(log.some((e) => e[0] === 'awaitEnd' && e[3] === 'cancelled'));
  });

  it('awaitOn reports the primitive\'s kind, target and site', async () => {
    const { log, stop } = record();
    try {
      await runV(async () => {
        const loop = getRunningLoop();
        const f = loop.createFuture<number>();
        loop.callSoon(() => f.setResult(3));
        assert.equal(await awaitOn(f, 'lock', 777, 42), 3);
      });
    } finally {
      stop();
    }
    const b = log.find((e) => e[0] === 'awaitBegin' && e[3] === 777)!;
    assert.deepEqual(b.slice(2), ['lock', 777, 42]);
    assert.ok(log.some((e) => e[0] === 'awaitEnd' && e[2] === 777 && e[3] === 'ok'));
  });

  it('awaitOn delivers task.cancel() at the awaited future', () => runV(async () => {
    const f = getRunningLoop().createFuture<number>();
    const t = createTask(() => awaitOn(f, 'queue', 1, 0));
    await sleep(1);
    t.cancel();
    await t.then(undefined, () => undefined);
    assert.equal(f.cancelled(), true);
    assert.equal(t.cancelled(), true);
  }));

  it('a throwing instrument is removed and reported through the exception handler', async () => {
    const seen: ExceptionContext[] = [];
    const bad: Instrument = { taskRunBegin() { throw new Error('instrument bug'); } };
    addInstrument(bad);
    const r = await run(async () => {
      createTask(async () => 1);
      await sleep(0);
      return 'program unaffected';
    }, { virtualTime: true, exceptionHandler: (_l, ctx) => seen.push(ctx) });
    assert.equal(r, 'program unaffected');
    assert.equal(hooks.on, false);
    assert.equal(seen.length, 1);
    assert.match(seen[0]!.message, /taskRunBegin/);
    assert.equal((seen[0]!.exception as Error).message, 'instrument bug');
  });

  it('a throwing instrument does not stop the others from being called', async () => {
    const { log, stop } = record();
    addInstrument({ loopTurnBegin() { throw new Error('x'); } });
    try {
      await run(async () => { await sleep(1); }, { virtualTime: true, exceptionHandler: () => undefined });
    } finally {
      stop();
    }
    assert.ok(log.filter((e) => e[0] === 'loopTurnBegin').length >= 2);
  });

  it('registerSites emits sitesRegistered and takeSite consumes a pending site once', () => {
    const { log, stop } = record();
    try {
      const base = registerSites(['a.ts:1:1', 'a.ts:2:1']);
      assert.deepEqual(log.at(-1), ['sitesRegistered', base, ['a.ts:1:1', 'a.ts:2:1']]);
      setPendingSite(base + 1);
      assert.equal(takeSite(), base + 1);
      assert.equal(takeSite(), 0);
    } finally {
      stop();
    }
  });

  it('stack capture registers the caller position outside runtime/', () => {
    const { log, stop } = record();
    setStackCapture(true);
    try {
      const id = takeSite();
      assert.ok(id > 0);
      const reg = log.find((e) => e[0] === 'sitesRegistered' && e[1] === id)!;
      assert.match((reg[2] as string[])[0]!, /instrument\.test\.ts:\d+:\d+$/);
    } finally {
      setStackCapture(false);
      stop();
    }
  });

  it('task names and renames are reported', async () => {
    const { log, stop } = record();
    try {
      await runV(async () => {
        const t = createTask(async () => 1, { name: 'a' });
        t.setName('b');
        await t;
      });
    } finally {
      stop();
    }
    assert.ok(log.some((e) => e[0] === 'taskCreated' && e[3] === 'a'));
    assert.ok(log.some((e) => e[0] === 'taskRenamed' && e[2] === 'b'));
  });
});
