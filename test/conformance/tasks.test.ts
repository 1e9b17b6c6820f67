// Behaviours of asyncio.Task (CPython test_tasks), ported.
import assert from 'node:assert/strict';
import {
  CancelledError, RuntimeError, Task, allTasks, createTask, currentTask, getRunningLoop, sleep,
} from '../../runtime';
import { runV } from './support';

describe('Task (test_tasks)', () => {
  it('a task runs its body and its result is awaitable', () => runV(async () => {
    const t = createTask(async () => 'done');
    assert.equal(await t, 'done');
    assert.equal(t.result(), 'done');
  }));

  it('the body does not start until the creator yields', () => runV(async () => {
    let started = false;
    const t = createTask(async () => { started = true; });
    assert.equal(started, false);
    await t;
    assert.equal(started, true);
  }));

  it('createTask(fn, ...args) passes the arguments', () => runV(async () => {
    const t = createTask(async (a: number, b: string) => `${a}${b}`, 1, 'x');
    assert.equal(await t, '1x');
  }));

  it('createTask(fn, { name }) names the task', () => runV(async () => {
    const t = createTask(async () => currentTask()!.getName(), { name: 'worker' });
    assert.equal(t.getName(), 'worker');
    assert.equal(await t, 'worker');
  }));

  it('an unnamed task gets a default Task-N name', () => runV(async () => {
    const t = createTask(async () => 1);
    assert.match(t.getName(), /^Task-\d+$/);
    await t;
  }));

  it('setName renames the task', () => runV(async () => {
    const t = createTask(async () => 1);
    t.setName('renamed');
    assert.equal(t.getName(), 'renamed');
    await t;
  }));

  it('task ids are unique', () => runV(async () => {
    const ts = [1, 2, 3].map(() => createTask(async () => 0));
    assert.equal(new Set(ts.map((t) => t.id)).size, 3);
    for (const t of ts) await t;
  }));

  it('currentTask() is the task across awaits of plain promises', () => runV(async () => {
    const t = createTask(async () => {
      const me = currentTask();
      await Promise.resolve();
      await new Promise((r) => setImmediate(r));
      await sleep(1);
      return currentTask() === me && me !== undefined;
    });
    assert.equal(await t, true);
  }));

  it('currentTask() is undefined outside any task and in loop callbacks', () => runV(async () => {
    assert.equal(typeof currentTask(), 'object');
    const loop = getRunningLoop();
    const f = loop.createFuture<unknown>();
    loop.callSoon(() => f.setResult(currentTask()));
    assert.equal(await f, undefined);
  }));

  it('the root task of run() is named main and is the current task', () => runV(async () => {
    assert.equal(currentTask()!.getName(), 'main');
  }));

  it('parent is the task that created the task', () => runV(async () => {
    const me = currentTask();
    // (a task's result is not a thenable here: resolving with a thenable adopts it, as promises do)
    const t = createTask(async () => currentTask()!.parent === me);
    assert.equal(await t, true);
    assert.equal(t.parent, me);
  }));

  it('a failing body fails the task with that error', () => runV(async () => {
    const e = new Error('x');
    const t = createTask(async () => { throw e; });
    await assert.rejects(async () => t, (x) => x === e);
    assert.equal(t.exception(), e);
  }));

  it('a body that throws synchronously fails the task', () => runV(async () => {
    const e = new Error('sync');
    const t = createTask((() => { throw e; }) as () => Promise<void>);
    await assert.rejects(async () => t, (x) => x === e);
  }));

  it('a body returning a plain value succeeds with it', () => runV(async () => {
    const t = createTask(() => 5);
    assert.equal(await t, 5);
  }));

  it('cancel() on a sleeping task delivers CancelledError at the sleep and cancels the task', () => runV(async () => {
    const t = createTask(async () => { await sleep(1000); });
    await sleep(1);
    assert.equal(t.cancel('stop'), true);
    await assert.rejects(async () => t, (e) => e instanceof CancelledError && e.message === 'stop');
    assert.equal(t.cancelled(), true);
    assert.equal(getRunningLoop().time(), 1);
  }));

  it('cancel() before the task starts: the body never runs', () => runV(async () => {
    let ran = false;
    const t = createTask(async () => { ran = true; });
    t.cancel();
    await assert.rejects(async () => t, CancelledError);
    assert.equal(ran, false);
    assert.equal(t.cancelled(), true);
  }));

  it('a task may catch CancelledError and return normally: then it is not cancelled', () => runV(async () => {
    const t = createTask(async () => {
      try { await sleep(1000); } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        await sleep(5);
        return 'caught';
      }
      return 'slept';
    });
    await sleep(1);
    t.cancel();
    assert.equal(await t, 'caught');
    assert.equal(t.cancelled(), false);
    assert.equal(getRunningLoop().time(), 6);
  }));

  it('finally blocks run (and may await) when a task is cancelled', () => runV(async () => {
    const log: string[] = [];
    const t = createTask(async () => {
      try { await sleep(100); } finally { await sleep(1); log.push('cleanup'); }
    });
    await sleep(1);
    t.cancel();
    await assert.rejects(async () => t, CancelledError);
    assert.deepEqual(log, ['cleanup']);
  }));

  it('a task blocked on a plain promise is cancelled at its next runtime await', () => runV(async () => {
    const log: string[] = [];
    let release!: () => void;
    const plain = new Promise<void>((r) => { release = r; });
    const t = createTask(async () => {
      await plain;
      log.push('after plain');
      await sleep(1);
      log.push('after sleep');
    });
    await sleep(1);
    t.cancel();
    release();
    await assert.rejects(async () => t, CancelledError);
    assert.deepEqual(log, ['after plain']);
  }));

  it('a pending cancel with no further await cancels the task when its body returns', () => runV(async () => {
    let release!: () => void;
    const plain = new Promise<void>((r) => { release = r; });
    const t = createTask(async () => { await plain; return 1; });
    await sleep(1);
    t.cancel();
    release();
    await assert.rejects(async () => t, CancelledError);
    assert.equal(t.cancelled(), true);
  }));

  it('cancel() on a done task returns false', () => runV(async () => {
    const t = createTask(async () => 1);
    await t;
    assert.equal(t.cancel(), false);
    assert.equal(t.result(), 1);
  }));

  it('cancelling() counts requests and uncancel() withdraws them', () => runV(async () => {
    const t = createTask(async () => {
      const seen: number[] = [];
      try { await sleep(10); } catch { seen.push(currentTask()!.cancelling()); }
      seen.push(currentTask()!.uncancel());
      await sleep(1);
      return seen;
    });
    await sleep(1);
    assert.equal(t.cancelling(), 0);
    t.cancel();
    assert.equal(t.cancelling(), 1);
    assert.deepEqual(await t, [1, 0]);
  }));

  it('uncancel() to zero withdraws a pending cancel', () => runV(async () => {
    let release!: () => void;
    const plain = new Promise<void>((r) => { release = r; });
    const t = createTask(async () => { await plain; await sleep(1); return 'survived'; });
    await sleep(1);
    t.cancel();
    assert.equal(t.uncancel(), 0);
    release();
    assert.equal(await t, 'survived');
  }));

  it('awaiting a task that is cancelled raises CancelledError in the awaiter', () => runV(async () => {
    const inner = createTask(async () => { await sleep(100); });
    const outer = createTask(async () => { await inner; });
    await sleep(1);
    inner.cancel();
    await assert.rejects(async () => outer, CancelledError);
  }));

  it('cancelling a task that awaits another task cancels the inner one too', () => runV(async () => {
    const inner = createTask(async () => { await sleep(100); });
    const outer = createTask(async () => { await inner; });
    await sleep(1);
    outer.cancel();
    await assert.rejects(async () => outer, CancelledError);
    assert.equal(inner.cancelled(), true);
  }));

  it('a task cannot await itself', () => runV(async () => {
    const holder: { t?: Task<void> } = {};
    holder.t = createTask(async () => { await sleep(0); await holder.t; });
    await assert.rejects(async () => holder.t!, RuntimeError);
  }));

  it('allTasks() holds the pending tasks, not finished ones', () => runV(async () => {
    const a = createTask(async () => { await sleep(10); });
    const b = createTask(async () => 1);
    await b;
    const all = allTasks();
    assert.equal(all.has(a), true);
    assert.equal(all.has(b), false);
    assert.equal(all.has(currentTask()!), true);
    await a;
  }));

  it('getStack() shows the await chain as data', () => runV(async () => {
    const inner = createTask(async () => { await sleep(100); }, { name: 'inner' });
    const outer = createTask(async () => { await inner; }, { name: 'outer' });
    await sleep(1);
    const stack = outer.getStack();
    assert.deepEqual(stack.map((s) => [s.taskName, s.kind]), [['outer', 'task'], ['inner', 'sleep']]);
    assert.equal(stack[0]!.targetId, inner.id);
    outer.cancel();
    await assert.rejects(async () => outer, CancelledError);
    assert.deepEqual(outer.getStack(), []);
  }));

  it('setResult and setException are not allowed on a task', () => runV(async () => {
    const t = createTask(async () => 1);
    assert.throws(() => t.setResult(2), RuntimeError);
    assert.throws(() => t.setException(new Error()), RuntimeError);
    await t;
  }));

  it('a task switch through sleep(0) interleaves tasks in FIFO order', () => runV(async () => {
    const log: string[] = [];
    const mk = (n: string) => createTask(async () => {
      for (let i = 0; i < 3; i++) { log.push(`${n}${i}`); await sleep(0); }
    });
    const a = mk('a');
    const b = mk('b');
    await a;
    await b;
    assert.deepEqual(log, ['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  }));

  it('loop.createTask is the same as createTask on that loop', () => runV(async () => {
    const t = getRunningLoop().createTask(async (x: number) => x + 1, 1);
    assert.equal(await t, 2);
    assert.equal(t.getLoop(), getRunningLoop());
  }));
});

describe('Task: a cancel that arrives after the wake, before the task resumed', () => {
  it('woken by a timer and cancelled by a later timer of the same turn: CancelledError comes out of that await', () => runV(async () => {
    const loop = getRunningLoop();
    const log: string[] = [];
    const t = createTask(async () => {
      try {
        await sleep(10);
        log.push('ran on after the sleep');
      } catch (e) {
        log.push(e instanceof CancelledError ? `cancelled at the sleep: ${e.message}` : 'other');
        throw e;
      }
    });
    await sleep(0); // t has started and its sleep timer is queued before ours
    loop.callLater(10, () => t.cancel('late'));
    await assert.rejects(async () => { await t; }, CancelledError);
    assert.deepEqual(log, ['cancelled at the sleep: late']);
    assert.equal(t.cancelled(), true);
  }));

  it('two cancels in one turn are delivered once, with the first message (asyncio merges them)', () => runV(async () => {
    const loop = getRunningLoop();
    const caught: string[] = [];
    const t = createTask(async () => {
      try {
        await sleep(100);
      } catch (e) {
        caught.push((e as CancelledError).message);
      }
      await sleep(1); // no second CancelledError here
      return 'finished';
    });
    await sleep(0);
    loop.callLater(10, () => { t.cancel('first'); t.cancel('second'); });
    assert.equal(await t, 'finished');
    assert.deepEqual(caught, ['first']);
    assert.equal(t.cancelling(), 2);
  }));

  it('a cancel after a same-turn wake, then another: still one CancelledError at the woken await', () => runV(async () => {
    const loop = getRunningLoop();
    let caught = 0;
    const t = createTask(async () => {
      try {
        await sleep(10);
      } catch {
        caught++;
      }
      await sleep(1);
      return 'finished';
    });
    await sleep(0);
    loop.callLater(10, () => { t.cancel('a'); t.cancel('b'); });
    assert.equal(await t, 'finished');
    assert.equal(caught, 1);
  }));

  it('a future awaited by two tasks keeps its result for the other one when one is cancelled after the wake', () => runV(async () => {
    const loop = getRunningLoop();
    const shared = loop.createFuture<string>();
    const got: string[] = [];
    const a = createTask(async () => { got.push(`a:${await shared}`); await sleep(5); return 'a done'; });
    const b = createTask(async () => { got.push(`b:${await shared}`); return 'b done'; });
    await sleep(0);
    loop.callLater(10, () => { shared.setResult('v'); a.cancel(); });
    // Two awaiters share the future's settlement, so a's cancel cannot be delivered at
    // this await without touching b's: it is delivered at a's next runtime await.
    await assert.rejects(async () => { await a; }, CancelledError);
    assert.equal(await b, 'b done');
    assert.deepEqual(got.sort(), ['a:v', 'b:v']);
  }));
});
