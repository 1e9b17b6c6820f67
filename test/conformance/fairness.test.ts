// Fairness under load (issue 14): tasks handing off to each other as fast as they can
// must not starve a sleeping task, Node's own timers or socket I/O, and tasks that
// yield with sleep(0) advance round-robin. asyncio gives this by running every wake-up
// through its ready queue; here wake-ups are direct hand-offs and the loop yields to
// Node within a bound (docs/runtime.md, "Fairness").
//
// Every busy pair gives up on its own after GIVE_UP_MS, so a regression (a chain of
// microtasks that never lets a timer fire, which no mocha timeout could interrupt)
// fails these tests instead of hanging the suite. The margins are wide on purpose:
// nothing here asserts a timing beyond "returned well before the busy tasks gave up".
// Real clock throughout: on the virtual clock time only moves when nothing is ready.
import assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo } from 'node:net';
import {
  run, sleep, createTask, getRunningLoop, Queue, Lock, Event, Condition, Semaphore, Barrier, QueueShutDown,
  BrokenBarrierError, openConnection, startServer, type Task,
} from '../../runtime';

/** The busy tasks stop by themselves after this long (a regression shows as "the wait outlived them"). */
const GIVE_UP_MS = 4000;
/** What "not starved" means here: well under GIVE_UP_MS, far above any honest delay. */
const BOUND_MS = 2000;

type Primitive = 'Queue' | 'Lock' | 'Event' | 'Condition' | 'Semaphore';

interface Busy {
  /** Hand-offs so far. */
  count(): number;
  /** Stops the pair and waits for both tasks to end; resolves to whether they gave up (ran out of time). */
  stop(): Promise<boolean>;
}

/** Starts two tasks handing control back and forth through `kind` as fast as they can. */
/**
 * The busy tasks' loop condition: true until stopped, or until GIVE_UP_MS have passed
 * (then `gaveUp`), so a starved wait fails the test instead of hanging it.
 */
function busyClock(): { going(): boolean; stop(): void; readonly stopped: boolean; readonly gaveUp: boolean } {
  let stopped = false;
  let gaveUp = false;
  const t0 = performance.now();
  return {
    going: () => {
      if (stopped) return false;
      if (performance.now() - t0 <= GIVE_UP_MS) return true;
      gaveUp = stopped = true;
      return false;
    },
    stop: () => { stopped = true; },
    get stopped() { return stopped; },
    get gaveUp() { return gaveUp; },
  };
}

function handOffs(kind: Primitive): Busy {
  let n = 0;
  const clock = busyClock();
  const going = clock.going;
  let tasks: Task<void>[];
  switch (kind) {
    case 'Queue': {
      const ab = new Queue<number>(1);
      const ba = new Queue<number>(1);
      tasks = [
        createTask(async () => { while (going()) { await ab.put(n); await ba.get(); n++; } ab.shutdown(true); ba.shutdown(true); }),
        createTask(async () => {
          try {
            for (;;) { await ba.put(await ab.get()); }
          } catch { /* QueueShutDown: the other side stopped */ }
        }),
      ];
      break;
    }
    case 'Lock': {
      const lock = new Lock();
      const fight = async (): Promise<void> => { while (going()) { await lock.acquire(); n++; lock.release(); } };
      tasks = [createTask(fight), createTask(fight)];
      break;
    }
    case 'Event': {
      const ping = new Event();
      const pong = new Event();
      tasks = [
        createTask(async () => { while (going()) { ping.clear(); pong.set(); await ping.wait(); n++; } pong.set(); clock.stop(); }),
        createTask(async () => { while (going()) { pong.clear(); ping.set(); await pong.wait(); } ping.set(); clock.stop(); }),
      ];
      break;
    }
    case 'Condition': {
      const cond = new Condition();
      let turn = 0;
      const side = (me: number) => async (): Promise<void> => {
        while (going()) {
          await cond.withLock(async () => {
            await cond.waitFor(() => turn === me || clock.stopped);
            turn = 1 - me;
            n++;
            cond.notifyAll();
          });
        }
        clock.stop();
        await cond.withLock(() => cond.notifyAll());
      };
      tasks = [createTask(side(0)), createTask(side(1))];
      break;
    }
    case 'Semaphore': {
      const toB = new Semaphore(0);
      const toA = new Semaphore(0);
      tasks = [
        createTask(async () => { while (going()) { toB.release(); await toA.acquire(); n++; } clock.stop(); toB.release(); }),
        createTask(async () => { while (going()) { await toB.acquire(); toA.release(); } clock.stop(); toA.release(); }),
      ];
      break;
    }
  }
  return {
    count: () => n,
    stop: async () => {
      clock.stop();
      for (const t of tasks) await t;
      return clock.gaveUp;
    },
  };
}

/** Runs `wait` while a pair hands off through `kind`; returns how long it took and how many hand-offs happened meanwhile. */
async function whileBusy(kind: Primitive, wait: () => PromiseLike<unknown>): Promise<{ ms: number; during: number }> {
  const busy = handOffs(kind);
  await sleep(0); // let the pair start
  const before = busy.count();
  const t0 = performance.now();
  await wait();
  const ms = performance.now() - t0;
  const during = busy.count() - before;
  const gaveUp = await busy.stop();
  assert.equal(gaveUp, false, `the wait outlived the busy tasks (${GIVE_UP_MS} ms): it was starved`);
  return { ms, during };
}

describe('fairness under load (issue 14)', function () {
  this.timeout(30_000);

  for (const kind of ['Queue', 'Lock', 'Event', 'Condition', 'Semaphore'] as const) {
    it(`a sleep(20) returns while two tasks hand off through ${kind === 'Event' ? 'an' : 'a'} ${kind} without pause`, () => run(async () => {
      const { ms, during } = await whileBusy(kind, () => sleep(20));
      assert.ok(ms >= 19, `sleep(20) returned after ${ms.toFixed(1)} ms`);
      assert.ok(ms < BOUND_MS, `sleep(20) took ${ms.toFixed(0)} ms`);
      assert.ok(during > 0, 'the busy tasks kept handing off during the sleep');
    }));
  }

  it('a Node setTimeout fires while two tasks hand off through a Queue', () => run(async () => {
    const { ms } = await whileBusy('Queue', () => new Promise<void>((resolve) => setTimeout(resolve, 5)));
    assert.ok(ms < BOUND_MS, `a 5 ms Node timer fired after ${ms.toFixed(0)} ms`);
  }));

  it('a Node setInterval keeps firing while two tasks hand off through a Lock', () => run(async () => {
    let fired = 0;
    const iv = setInterval(() => fired++, 10);
    try {
      await whileBusy('Lock', async () => {
        while (fired < 5) await sleep(1);
      });
    } finally {
      clearInterval(iv);
    }
    assert.ok(fired >= 5);
  }));

  it('a loopback TCP round-trip through plain node:net completes while two tasks hand off through an Event', () => run(async () => {
    const server = createServer((s) => s.pipe(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const { ms } = await whileBusy('Event', () => new Promise<string>((resolve, reject) => {
        const c = connect(port, '127.0.0.1', () => c.write('ping'));
        c.once('data', (d) => { c.destroy(); resolve(d.toString()); });
        c.once('error', reject);
      }));
      assert.ok(ms < BOUND_MS, `the round-trip took ${ms.toFixed(0)} ms`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }));

  it('a loopback TCP round-trip through the runtime streams completes while two tasks hand off through a Queue', () => run(async () => {
    const server = await startServer(async (r, w) => {
      w.write(await r.readline());
      await w.drain();
      w.close();
    }, '127.0.0.1', 0);
    const port = server.sockets[0]!.port;
    try {
      let line = '';
      const { ms } = await whileBusy('Queue', async () => {
        const [r, w] = await openConnection('127.0.0.1', port);
        w.write('ping\n');
        await w.drain();
        line = (await r.readline()).toString();
        w.close();
      });
      assert.equal(line, 'ping\n');
      assert.ok(ms < BOUND_MS, `the round-trip took ${ms.toFixed(0)} ms`);
    } finally {
      server.close();
      await server.waitClosed();
    }
  }));

  it('N tasks looping on sleep(0) advance in lockstep, also while two others hand off through a Queue', () => run(async () => {
    const N = 5;
    const ROUNDS = 300;
    const counts = new Array<number>(N).fill(0);
    let worstSpread = 0;
    const { during } = await whileBusy('Queue', async () => {
      const loopers = counts.map((_, me) => createTask(async () => {
        for (let r = 0; r < ROUNDS; r++) {
          counts[me]!++;
          worstSpread = Math.max(worstSpread, Math.max(...counts) - Math.min(...counts));
          await sleep(0);
        }
      }));
      for (const t of loopers) await t;
    });
    assert.deepEqual(counts, new Array<number>(N).fill(ROUNDS));
    assert.ok(worstSpread <= 1, `the loopers drifted apart by ${worstSpread} rounds`);
    assert.ok(during > 0, 'the busy pair ran meanwhile');
  }));
});

// Operations that complete without suspending (an item is there, a slot is free, the
// lock is free, the event is set, the future is done) return at once, as in asyncio,
// but in JS the `await` of their settled promise still lets every other queued
// continuation run first. Two tasks that only ever meet such operations (a Queue(1)
// producer and consumer alternating put/get) then run as one chain of microtasks in
// which no task suspends and nobody is woken: the loop never ran and a sleep() never
// returned. The rule (docs/runtime.md, "Fairness"): such an operation counts toward
// the same bound as a wake-up, and once Node is due a turn it resumes its caller after
// that turn instead of at once. That also covers one task alone, which asyncio would
// starve: here `await` is a point where the loop may take its turn.

interface Pattern {
  name: string;
  /** Starts the busy tasks; `going()` turns false when they must stop; `tick()` counts a hand-off. */
  start(going: () => boolean, tick: () => void): { tasks: Task<void>[]; release?: () => void };
}

const patterns: Pattern[] = [
  {
    name: 'a Queue(1) producer and consumer (put and get never block: they alternate)',
    start(going, tick) {
      const q = new Queue<number>(1);
      return {
        tasks: [
          createTask(async () => { try { while (going()) await q.put(1); } catch (e) { if (!(e instanceof QueueShutDown)) throw e; } }),
          createTask(async () => { try { while (going()) { await q.get(); tick(); } } catch (e) { if (!(e instanceof QueueShutDown)) throw e; } }),
        ],
        release: () => q.shutdown(true),
      };
    },
  },
  {
    name: 'an unbounded Queue, producer and consumer',
    start(going, tick) {
      const q = new Queue<number>();
      return {
        tasks: [
          createTask(async () => { while (going()) await q.put(1); }),
          createTask(async () => { try { while (going()) { await q.get(); tick(); } } catch (e) { if (!(e instanceof QueueShutDown)) throw e; } }),
        ],
        release: () => q.shutdown(true),
      };
    },
  },
  {
    name: 'one task alone getting from a queue that always has an item',
    start(going, tick) {
      const q = new Queue<number>();
      q.putNowait(1);
      return { tasks: [createTask(async () => { while (going()) { q.putNowait(await q.get()); tick(); } })] };
    },
  },
  {
    name: 'two tasks taking a Lock in turn',
    start(going, tick) {
      const lock = new Lock();
      const fight = async (): Promise<void> => { while (going()) { await lock.acquire(); tick(); lock.release(); } };
      return { tasks: [createTask(fight), createTask(fight)] };
    },
  },
  {
    name: 'one task alone taking and releasing a Lock',
    start(going, tick) {
      const lock = new Lock();
      return { tasks: [createTask(async () => { while (going()) { await lock.acquire(); tick(); lock.release(); } })] };
    },
  },
  {
    name: 'two tasks taking a Semaphore(1) in turn',
    start(going, tick) {
      const sem = new Semaphore(1);
      const fight = async (): Promise<void> => { while (going()) { await sem.acquire(); tick(); sem.release(); } };
      return { tasks: [createTask(fight), createTask(fight)] };
    },
  },
  {
    name: 'one task alone taking and releasing a Semaphore(2)',
    start(going, tick) {
      const sem = new Semaphore(2);
      return { tasks: [createTask(async () => { while (going()) { await sem.acquire(); tick(); sem.release(); } })] };
    },
  },
  {
    name: 'two tasks ping-ponging through a Condition (notify, wait)',
    start(going, tick) {
      const cond = new Condition();
      const side = async (): Promise<void> => {
        await cond.acquire();
        try {
          while (going()) { cond.notify(); tick(); await cond.wait(); }
          cond.notifyAll();
        } finally {
          cond.release();
        }
      };
      return { tasks: [createTask(side), createTask(side)], release: () => { void cond.withLock(() => cond.notifyAll()); } };
    },
  },
  {
    name: 'two tasks ping-ponging through two Events',
    start(going, tick) {
      const ping = new Event();
      const pong = new Event();
      return {
        tasks: [
          createTask(async () => { while (going()) { ping.clear(); pong.set(); await ping.wait(); tick(); } pong.set(); }),
          createTask(async () => { while (going()) { pong.clear(); ping.set(); await pong.wait(); } ping.set(); }),
        ],
        release: () => { ping.set(); pong.set(); },
      };
    },
  },
  {
    name: 'one task alone doing ev.set(); await ev.wait(); ev.clear()',
    start(going, tick) {
      const ev = new Event();
      return { tasks: [createTask(async () => { while (going()) { ev.set(); await ev.wait(); ev.clear(); tick(); } })] };
    },
  },
  {
    name: 'two tasks passing a Barrier(2) again and again',
    start(going, tick) {
      const barrier = new Barrier(2);
      const party = async (): Promise<void> => {
        try {
          while (going()) { await barrier.wait(); tick(); }
        } catch (e) {
          if (!(e instanceof BrokenBarrierError)) throw e;
        }
        barrier.abort();
      };
      return { tasks: [createTask(party), createTask(party)], release: () => barrier.abort() };
    },
  },
  {
    name: 'one task alone looping on sleep(0)',
    start(going, tick) {
      return { tasks: [createTask(async () => { while (going()) { await sleep(0); tick(); } })] };
    },
  },
  {
    name: 'one task alone awaiting a done Future',
    start(going, tick) {
      const fut = getRunningLoop().createFuture<number>();
      fut.setResult(1);
      return { tasks: [createTask(async () => { while (going()) { await fut; tick(); } })] };
    },
  },
  {
    name: 'one task alone awaiting a Future that a loop callback completed',
    start(going, tick) {
      const fut = getRunningLoop().createFuture<number>();
      getRunningLoop().callSoon(() => fut.setResult(1));
      return { tasks: [createTask(async () => { while (going()) { await fut; tick(); } })] };
    },
  },
  {
    name: 'one task alone awaiting a finished Task',
    start(going, tick) {
      const done = createTask(async () => 1);
      return { tasks: [createTask(async () => { await done; while (going()) { await done; tick(); } })] };
    },
  },
];

/** Runs `wait` while `pattern` runs; the busy tasks give up after GIVE_UP_MS, so a regression fails instead of hanging. */
async function whilePattern(pattern: Pattern, wait: () => PromiseLike<unknown>): Promise<{ ms: number; during: number }> {
  let n = 0;
  const clock = busyClock();
  const { tasks, release } = pattern.start(clock.going, () => n++);
  await sleep(0); // let them start
  const before = n;
  const t1 = performance.now();
  await wait();
  const ms = performance.now() - t1;
  const during = n - before;
  clock.stop();
  release?.();
  for (const t of tasks) await t;
  assert.equal(clock.gaveUp, false, `the wait outlived the busy tasks (${GIVE_UP_MS} ms): it was starved`);
  return { ms, during };
}

describe('fairness of operations that do not suspend (issue 14)', function () {
  this.timeout(30_000);

  for (const pattern of patterns) {
    it(`a sleep(50) returns while ${pattern.name}`, () => run(async () => {
      const { ms, during } = await whilePattern(pattern, () => sleep(50));
      assert.ok(ms >= 49, `sleep(50) returned after ${ms.toFixed(1)} ms`);
      assert.ok(ms < BOUND_MS, `sleep(50) took ${ms.toFixed(0)} ms`);
      assert.ok(during > 10, `the busy tasks kept going during the sleep (${during} hand-offs)`);
    }));
  }

  it('a 10 ms Node setInterval fires at least 10 times in 1 s of Queue(1) producer/consumer hand-offs', () => run(async () => {
    let fired = 0;
    const iv = setInterval(() => fired++, 10);
    let during = 0;
    try {
      ({ during } = await whilePattern(patterns[0]!, () => sleep(1000)));
    } finally {
      clearInterval(iv);
    }
    assert.ok(fired >= 10, `the interval fired ${fired} times`);
    assert.ok(during > 10, `the pair ran meanwhile (${during} hand-offs)`);
  }));

  it('a 10 ms Node setInterval fires at least 10 times in 1 s of one task alone taking a Lock', () => run(async () => {
    let fired = 0;
    const iv = setInterval(() => fired++, 10);
    try {
      await whilePattern(patterns.find((p) => p.name.startsWith('one task alone taking and releasing a Lock'))!, () => sleep(1000));
    } finally {
      clearInterval(iv);
    }
    assert.ok(fired >= 10, `the interval fired ${fired} times`);
  }));
});
