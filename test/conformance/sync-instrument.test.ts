// Every synchronisation primitive and queue reports what it does through an installed instrument.
import assert from 'node:assert/strict';
import {
  addInstrument, currentTask, Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier, Queue, CancelledError, gather,
  type Instrument,
} from '../../runtime/internal';
import { runV, idle, spawn, asPromise } from './sync-support';

type Rec = [string, ...unknown[]];

/** Records the resource hooks and the awaits; other hooks are ignored. */
function recorder(): { events: Rec[]; instrument: Instrument } {
  const events: Rec[] = [];
  const instrument: Instrument = {
    resourceCreated: (id, kind, name, _site, capacity) => events.push(['created', id, kind, name, capacity]),
    resourceWaitBegin: (id, taskId) => events.push(['waitBegin', id, taskId]),
    resourceWaitAbandoned: (id, taskId, outcome) => events.push(['abandoned', id, taskId, outcome]),
    resourceAcquired: (id, taskId) => events.push(['acquired', id, taskId]),
    resourceReleased: (id, taskId) => events.push(['released', id, taskId]),
    resourceSignal: (id, _taskId, signal) => events.push(['signal', id, signal]),
    resourceLevel: (id, level) => events.push(['level', id, level]),
    awaitBegin: (taskId, kind, targetId) => events.push(['awaitBegin', taskId, kind, targetId]),
    awaitEnd: (taskId, targetId, outcome) => events.push(['awaitEnd', taskId, targetId, outcome]),
    wake: (waker, _callbackId, woken) => events.push(['wake', waker, woken]),
  };
  return { events, instrument };
}

/** Runs `body` with a recording instrument installed and returns what it recorded. */
async function recorded(body: () => Promise<void>): Promise<Rec[]> {
  const { events, instrument } = recorder();
  const remove = addInstrument(instrument);
  try {
    await runV(body);
  } finally {
    remove();
  }
  return events;
}

const of = (events: Rec[], id: number) => events.filter((e) => e[0] !== 'awaitBegin' && e[0] !== 'awaitEnd' && e[0] !== 'wake' && e[1] === id);

describe('Synchronisation primitives report to instruments', () => {
  it('Lock: created (capacity 1, given name), acquired, contended wait with a lock await, released, abandoned on cancel', async () => {
    let id = 0;
    let waiter = 0;
    const events = await recorded(async () => {
      const lock = new Lock({ name: 'db' });
      id = lock.id;
      await lock.acquire();
      const t = spawn(() => lock.acquire());
      const c = spawn(() => lock.acquire());
      waiter = t.id;
      await idle();
      c.cancel();
      await assert.rejects(asPromise(c), CancelledError);
      lock.release();
      await t;
      lock.release();
    });
    const mine = of(events, id).map((e) => e[0]);
    assert.deepEqual(mine, ['created', 'acquired', 'waitBegin', 'waitBegin', 'abandoned', 'released', 'acquired', 'released']);
    assert.deepEqual(of(events, id)[0], ['created', id, 'lock', 'db', 1]);
    assert.deepEqual(of(events, id).find((e) => e[0] === 'abandoned')!.slice(3), ['cancelled']);
    assert.ok(events.some((e) => e[0] === 'awaitBegin' && e[1] === waiter && e[2] === 'lock' && e[3] === id), 'the waiter awaits the lock');
    assert.ok(events.some((e) => e[0] === 'awaitEnd' && e[1] === waiter && e[2] === id && e[3] === 'ok'));
  });

  it('an unnamed primitive reports the empty name so the trace names it after its site', async () => {
    const events = await recorded(async () => { new Lock(); });
    assert.deepEqual(events.find((e) => e[0] === 'created')!.slice(2), ['lock', '', 1]);
  });

  it('Event: set and clear signals, a contended wait, an event await', async () => {
    let id = 0;
    const events = await recorded(async () => {
      const ev = new Event();
      id = ev.id;
      const t = spawn(() => ev.wait());
      await idle();
      ev.set();
      await t;
      ev.clear();
    });
    assert.deepEqual(of(events, id).map((e) => e.slice(0, 1).concat(e.slice(2))), [
      ['created', 'event', '', 0], ['waitBegin', events.find((e) => e[0] === 'waitBegin')![2]], ['signal', 'set'],
      ['acquired', events.find((e) => e[0] === 'waitBegin')![2]], ['signal', 'clear'],
    ]);
    assert.ok(events.some((e) => e[0] === 'awaitBegin' && e[2] === 'event' && e[3] === id));
  });

  it('Condition: notify signal and a condition await, plus its own lock', async () => {
    let id = 0;
    let lockId = 0;
    const events = await recorded(async () => {
      const cond = new Condition({ name: 'ready' });
      id = cond.id;
      lockId = cond.lock.id;
      const t = spawn(() => cond.withLock(() => cond.wait()));
      await idle();
      await cond.withLock(() => cond.notify());
      await t;
    });
    const mine = of(events, id);
    assert.deepEqual(mine[0], ['created', id, 'condition', 'ready', 0]);
    // The notified wait ends 'ok' without a hold on the condition; holds are the lock's.
    assert.deepEqual(mine.map((e) => e[0]), ['created', 'waitBegin', 'signal', 'abandoned']);
    assert.equal(mine[3]![3], 'ok');
    assert.deepEqual(of(events, lockId).map((e) => e[0]), ['created', 'acquired', 'released', 'acquired', 'released', 'acquired', 'released']);
    assert.deepEqual(of(events, lockId)[0], ['created', lockId, 'lock', 'ready.lock', 1]);
    assert.ok(events.some((e) => e[0] === 'awaitBegin' && e[2] === 'condition' && e[3] === id));
  });

  it('Semaphore and BoundedSemaphore: capacity, levels, acquire and release', async () => {
    let id = 0;
    let bid = 0;
    const events = await recorded(async () => {
      const sem = new Semaphore(2);
      id = sem.id;
      await sem.acquire();
      await sem.acquire();
      const t = spawn(() => sem.acquire());
      await idle();
      sem.release();
      await t;
      bid = new BoundedSemaphore(3).id;
    });
    const mine = of(events, id);
    assert.deepEqual(mine[0], ['created', id, 'semaphore', '', 2]);
    assert.deepEqual(mine.filter((e) => e[0] === 'level').map((e) => e[2]), [1, 0, 1, 0]);
    assert.deepEqual(mine.filter((e) => e[0] !== 'level').map((e) => e[0]), ['created', 'acquired', 'acquired', 'waitBegin', 'released', 'acquired']);
    assert.ok(events.some((e) => e[0] === 'awaitBegin' && e[2] === 'semaphore' && e[3] === id));
    assert.deepEqual(of(events, bid)[0], ['created', bid, 'semaphore', '', 3]);
  });

  it('Barrier: parties as capacity, waiting level, pass, reset and abort signals', async () => {
    let id = 0;
    const events = await recorded(async () => {
      const b = new Barrier(2);
      id = b.id;
      await gather([spawn(() => b.wait()), spawn(() => b.wait())]);
      b.reset();
      b.abort();
    });
    const mine = of(events, id);
    assert.deepEqual(mine[0], ['created', id, 'barrier', '', 2]);
    assert.deepEqual(mine.filter((e) => e[0] === 'signal').map((e) => e[2]), ['pass', 'reset', 'abort']);
    assert.deepEqual(mine.filter((e) => e[0] === 'level').map((e) => e[2]), [1, 2, 0, 0]);
    assert.ok(events.some((e) => e[0] === 'awaitBegin' && e[2] === 'barrier' && e[3] === id));
  });

  it('Queue: maxsize as capacity, put/get/shutdown signals, length levels, queue awaits', async () => {
    let id = 0;
    const events = await recorded(async () => {
      const q = new Queue<number>(1, { name: 'jobs' });
      id = q.id;
      const getter = spawn(() => q.get());
      await idle();
      await q.put(1);
      await getter;
      q.putNowait(2);
      const putter = spawn(() => q.put(3));
      await idle();
      q.getNowait();
      await putter;
      q.shutdown();
    });
    const mine = of(events, id);
    assert.deepEqual(mine[0], ['created', id, 'queue', 'jobs', 1]);
    assert.deepEqual(mine.filter((e) => e[0] === 'signal').map((e) => e[2]), ['put', 'get', 'put', 'get', 'put', 'shutdown']);
    assert.deepEqual(mine.filter((e) => e[0] === 'level').map((e) => e[2]), [1, 0, 1, 0, 1]);
    // A blocked get ends in an acquisition; a blocked put is closed by its 'put' signal.
    assert.deepEqual(mine.filter((e) => e[0] !== 'level').map((e) => (e[0] === 'signal' ? e[2] : e[0])), [
      'created', 'waitBegin', 'put', 'acquired', 'get', 'put', 'waitBegin', 'get', 'put', 'shutdown',
    ]);
    assert.equal(events.filter((e) => e[0] === 'awaitBegin' && e[2] === 'queue' && e[3] === id).length, 2);
  });

  it('a lock release and a queue put report the wake-up from the releasing task to the woken one', async () => {
    let mainId = 0;
    let lockWaiter = 0;
    let getter = 0;
    const events = await recorded(async () => {
      mainId = currentTask()!.id;
      const lock = new Lock();
      const q = new Queue<number>();
      await lock.acquire();
      const t = spawn(() => lock.acquire());
      const g = spawn(() => q.get());
      lockWaiter = t.id;
      getter = g.id;
      await idle();
      lock.release();
      q.putNowait(1);
      await gather([t, g]);
    });
    assert.ok(events.some((e) => e[0] === 'wake' && e[1] === mainId && e[2] === lockWaiter), 'main woke the lock waiter');
    assert.ok(events.some((e) => e[0] === 'wake' && e[1] === mainId && e[2] === getter), 'main woke the getter');
  });

  it('with an instrument installed, a lock waiter cancelled after being woken still passes the lock on', async () => {
    const got: string[] = [];
    await recorded(async () => {
      const lock = new Lock();
      await lock.acquire();
      const a = spawn(async () => { await lock.acquire(); got.push('a'); lock.release(); });
      const b = spawn(async () => { await lock.acquire(); got.push('b'); lock.release(); });
      await idle();
      lock.release();
      a.cancel();
      await assert.rejects(asPromise(a), CancelledError);
      await b;
      assert.equal(lock.locked(), false);
    });
    assert.deepEqual(got, ['b']);
  });
});
