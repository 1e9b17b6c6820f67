// taskGroup (CPython test_taskgroups), ported.
import assert from 'node:assert/strict';
import { CancelledError, ExceptionGroup, RuntimeError, createTask, currentTask, getRunningLoop, sleep, taskGroup, type TaskGroup } from '../../runtime';
import { runV } from './support';

describe('taskGroup (test_taskgroups)', () => {
  it('waits for every child before returning', () => runV(async () => {
    const log: number[] = [];
    await taskGroup(async (tg) => {
      tg.createTask(async () => { await sleep(20); log.push(20); });
      tg.createTask(async () => { await sleep(10); log.push(10); });
    });
    assert.deepEqual(log, [10, 20]);
    assert.equal(getRunningLoop().time(), 20);
  }));

  it('returns the body result and children results are on their tasks', () => runV(async () => {
    let t1!: ReturnType<TaskGroup['createTask']>;
    const r = await taskGroup(async (tg) => {
      t1 = tg.createTask(async () => { await sleep(1); return 'child'; });
      return 'body';
    });
    assert.equal(r, 'body');
    assert.equal(t1.result(), 'child');
  }));

  it('a long-lived group that drops its finished children still cancels every live one on failure', () => runV(async () => {
    const e = new Error('late failure');
    const long: ReturnType<TaskGroup['createTask']>[] = [];
    const err = await taskGroup(async (tg) => {
      for (let i = 0; i < 5; i++) long.push(tg.createTask(async () => { await sleep(1000); }));
      // Many short children come and go (the group compacts its list of children meanwhile).
      for (let i = 0; i < 300; i++) {
        tg.createTask(async () => { await sleep(1); });
        if (i % 50 === 49) await sleep(2);
      }
      await sleep(5);
      for (let i = 0; i < 5; i++) long.push(tg.createTask(async () => { await sleep(1000); }));
      tg.createTask(async () => { await sleep(1); throw e; });
    }).catch((x: unknown) => x);
    assert.ok(err instanceof ExceptionGroup);
    assert.deepEqual((err as ExceptionGroup).errors, [e]);
    assert.deepEqual(long.map((t) => t.cancelled()), Array(10).fill(true));
    assert.ok(getRunningLoop().time() < 1000);
  }));

  it('a child failure cancels the siblings and throws an ExceptionGroup', () => runV(async () => {
    const e = new Error('child failed');
    let sibling!: ReturnType<TaskGroup['createTask']>;
    const err = await taskGroup(async (tg) => {
      sibling = tg.createTask(async () => { await sleep(1000); });
      tg.createTask(async () => { await sleep(10); throw e; });
    }).catch((x: unknown) => x);
    assert.ok(err instanceof ExceptionGroup);
    assert.ok(err instanceof AggregateError);
    assert.deepEqual((err as ExceptionGroup).errors, [e]);
    assert.equal(sibling.cancelled(), true);
    assert.equal(getRunningLoop().time(), 10);
  }));

  it('a child failure interrupts the body at its current await', () => runV(async () => {
    let bodySaw: unknown;
    const err = await taskGroup(async (tg) => {
      tg.createTask(async () => { await sleep(5); throw new Error('x'); });
      try { await sleep(1000); } catch (e) { bodySaw = e; throw e; }
    }).catch((x: unknown) => x);
    assert.ok(bodySaw instanceof CancelledError);
    assert.ok(err instanceof ExceptionGroup);
    assert.equal(getRunningLoop().time(), 5);
  }));

  it('the parent task is not left cancelled after a child failure', () => runV(async () => {
    await taskGroup(async (tg) => {
      tg.createTask(async () => { throw new Error('x'); });
    }).catch(() => undefined);
    assert.equal(currentTask()!.cancelling(), 0);
    await sleep(1);
  }));

  it('several failures are all collected', () => runV(async () => {
    const e1 = new Error('1');
    const e2 = new Error('2');
    const err = await taskGroup(async (tg) => {
      tg.createTask(async () => { await sleep(5); throw e1; });
      tg.createTask(async () => { await sleep(5); throw e2; });
    }).catch((x: unknown) => x);
    assert.deepEqual((err as ExceptionGroup).errors, [e1, e2]);
  }));

  it('a body failure cancels the children and is included in the group', () => runV(async () => {
    const e = new Error('body');
    let child!: ReturnType<TaskGroup['createTask']>;
    const err = await taskGroup(async (tg) => {
      child = tg.createTask(() => sleep(1000));
      await sleep(1);
      throw e;
    }).catch((x: unknown) => x);
    assert.ok(err instanceof ExceptionGroup);
    assert.deepEqual((err as ExceptionGroup).errors, [e]);
    assert.equal(child.cancelled(), true);
  }));

  it('cancelling the parent from outside cancels the children and propagates CancelledError', () => runV(async () => {
    const children: ReturnType<TaskGroup['createTask']>[] = [];
    const parent = createTask(() => taskGroup(async (tg) => {
      children.push(tg.createTask(() => sleep(1000)), tg.createTask(() => sleep(1000)));
    }));
    await sleep(5);
    parent.cancel();
    await assert.rejects(async () => parent, CancelledError);
    assert.ok(children.every((c) => c.cancelled()));
  }));

  it('children may spawn more children in the same group', () => runV(async () => {
    const log: string[] = [];
    await taskGroup(async (tg) => {
      tg.createTask(async () => {
        await sleep(1);
        tg.createTask(async () => { await sleep(1); log.push('grandchild'); });
        log.push('child');
      });
    });
    assert.deepEqual(log, ['child', 'grandchild']);
  }));

  it('createTask after the group finished is a RuntimeError', () => runV(async () => {
    let saved!: TaskGroup;
    await taskGroup(async (tg) => { saved = tg; });
    assert.throws(() => saved.createTask(async () => 1), RuntimeError);
  }));

  it('a cancelled child does not fail the group', () => runV(async () => {
    await taskGroup(async (tg) => {
      const t = tg.createTask(() => sleep(1000));
      await sleep(1);
      t.cancel();
    });
    assert.equal(getRunningLoop().time(), 1);
  }));

  it('child tasks have the group owner as parent', () => runV(async () => {
    const me = currentTask();
    await taskGroup(async (tg) => {
      const t = tg.createTask(async () => 1);
      assert.equal(t.parent, me);
    });
  }));

  it('taskGroup outside a task is a RuntimeError', async () => {
    await assert.rejects(taskGroup(async () => 1), RuntimeError);
  });
});
