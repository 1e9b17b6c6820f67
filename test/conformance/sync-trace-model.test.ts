// The primitives' reports, folded by the real trace model (trace/model.ts), give closed
// hold and wait spans and the contention figures the program really had.
import assert from 'node:assert/strict';
import {
  addInstrument, getRunningLoop, Lock, Semaphore, Condition, Queue, Event, Barrier, gather, sleep,
  type Instrument,
} from '../../runtime/internal';
import { TraceModel } from '../../trace/model';
import type { TraceEvent } from '../../trace/events';
import { runV, idle, spawn } from './sync-support';

/** An instrument that turns resource hooks into trace events stamped with the loop's virtual time. */
function modelRecorder(): { model: TraceModel; instrument: Instrument } {
  const events: TraceEvent[] = [];
  const model = new TraceModel();
  const now = () => getRunningLoop().time();
  const push = (e: TraceEvent) => { events.push(e); model.apply([e]); };
  const instrument: Instrument = {
    resourceCreated: (resourceId, kind, name, site, capacity) => push({ type: 'resourceCreated', time: now(), resourceId, kind, name, site, capacity }),
    resourceWaitBegin: (resourceId, taskId, site) => push({ type: 'resourceWaitBegin', time: now(), resourceId, taskId, site }),
    resourceWaitAbandoned: (resourceId, taskId, outcome) => push({ type: 'resourceWaitAbandoned', time: now(), resourceId, taskId, outcome }),
    resourceAcquired: (resourceId, taskId, site) => push({ type: 'resourceAcquired', time: now(), resourceId, taskId, site }),
    resourceReleased: (resourceId, taskId, site) => push({ type: 'resourceReleased', time: now(), resourceId, taskId, site }),
    resourceSignal: (resourceId, taskId, signal, site) => push({ type: 'resourceSignal', time: now(), resourceId, taskId, signal, site }),
    resourceLevel: (resourceId, level) => push({ type: 'resourceLevel', time: now(), resourceId, level }),
  };
  return { model, instrument };
}

describe('Primitive reports folded by the trace model', () => {
  it('every hold and wait is closed, lock holds never overlap, and contention matches the program', async () => {
    const { model, instrument } = modelRecorder();
    const remove = addInstrument(instrument);
    const ids: Record<string, number> = {};
    try {
      await runV(async () => {
        const lock = new Lock({ name: 'lock' });
        const sem = new Semaphore(2, { name: 'sem' });
        const cond = new Condition({ name: 'cond' });
        const q = new Queue<number>(1, { name: 'q' });
        const ev = new Event({ name: 'ev' });
        const bar = new Barrier(3, { name: 'bar' });
        Object.assign(ids, { lock: lock.id, sem: sem.id, cond: cond.id, condLock: cond.lock.id, q: q.id, ev: ev.id, bar: bar.id });
        // Three workers each hold the lock for 10 ms: the 2nd waits 10 ms, the 3rd 20 ms.
        const lockers = [0, 1, 2].map(() => spawn(() => lock.withLock(() => sleep(10))));
        // Four tasks through a 2-slot semaphore, 5 ms each.
        const semUsers = [0, 1, 2, 3].map(() => spawn(() => sem.withLock(() => sleep(5))));
        // A condition waiter notified after 7 ms.
        const condWaiter = spawn(() => cond.withLock(() => cond.wait()));
        // A producer blocked on a full queue, a consumer draining it.
        const producer = spawn(async () => { for (let i = 0; i < 3; i++) await q.put(i); });
        const evWaiter = spawn(() => ev.wait());
        const parties = [0, 1, 2].map(() => spawn(() => bar.wait()));
        await sleep(7);
        await cond.withLock(() => cond.notify());
        for (let i = 0; i < 3; i++) { await sleep(2); await q.get(); }
        ev.set();
        await gather([...lockers, ...semUsers, condWaiter, producer, evWaiter, ...parties]);
        await idle();
      });
    } finally {
      remove();
    }
    for (const r of model.resources) {
      for (const h of r.holds) assert.notEqual(h.end, undefined, `hold on ${r.name || r.kind} closed`);
      for (const w of r.waits) assert.notEqual(w.end, undefined, `wait on ${r.name || r.kind} closed`);
    }
    const lock = model.resource(ids.lock!)!;
    assert.equal(lock.holds.length, 3);
    for (let i = 1; i < lock.holds.length; i++) assert.ok(lock.holds.at(i)!.begin >= lock.holds.at(i - 1)!.end!, 'lock holds do not overlap');
    const stats = new Map(model.contention().map((s) => [s.resourceId, s]));
    const ls = stats.get(ids.lock!)!;
    assert.equal(ls.acquisitions, 3);
    assert.equal(ls.contended, 2);
    assert.equal(ls.maxWaitMs, 20);
    assert.equal(ls.totalHoldMs, 30);
    const ss = stats.get(ids.sem!)!;
    assert.equal(ss.acquisitions, 4);
    assert.equal(ss.contended, 2);
    assert.equal(ss.maxWaitMs, 5);
    // The condition has its wait (7 ms) but no hold of its own; its lock has the holds.
    const cond = model.resource(ids.cond!)!;
    assert.equal(cond.holds.length, 0);
    assert.deepEqual([...cond.waits].map((w) => [w.end! - w.begin, w.outcome]), [[7, 'ok']]);
    assert.ok(model.resource(ids.condLock!)!.holds.length >= 2);
    // The queue: its length went 1 and back to 0 as the producer was let through.
    const q = model.resource(ids.q!)!;
    assert.deepEqual(q.levels.map((l) => l.level), [1, 0, 1, 0, 1, 0]);
    assert.equal(q.waits.length, 2, 'the producer blocked twice on the full queue');
    assert.equal(model.resource(ids.ev!)!.waits.length, 1);
    assert.equal(model.resource(ids.bar!)!.waits.length, 2);
  });
});
