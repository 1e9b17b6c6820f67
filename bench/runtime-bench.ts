/**
 * Runtime core micro-benchmarks, each against a native baseline measured in the same
 * process, printed as ns/op and ratios. Run: `npx tsx bench/runtime-bench.ts` (Node 20)
 * or `<node24> --import tsx bench/runtime-bench.ts`; figures in bench/RESULTS.md come
 * from the esbuild bundle of this file (tsx's keepNames adds a call per closure).
 *
 * - native await (before ALS): an `await` of a resolved promise in a fresh process,
 *   before the runtime has ever run a task; the same after: on Node 20 the first
 *   AsyncLocalStorage.run turns promise hooks on for the whole process (see
 *   runtime/current.ts). Native baselines below are measured after, i.e. in the same
 *   conditions the runtime's tasks run in.
 * - task switch: two tasks hand a token back and forth through runtime Futures; baseline:
 *   two async functions ping-pong through native promises.
 * - spawn+join: createTask of an async function per item, then gather, in batches of
 *   100 and in one batch of N; baseline: calling the async functions and Promise.all.
 * - peers (issue 14: at least 2x ahead of what a user would otherwise pick), same work:
 *   p-limit, spawn+join through a limiter (a limit of 100 for batches of 100, i.e. no
 *   waiting, and a limit of 10, where 90 of each 100 wait; the runtime's side is tasks
 *   holding a Semaphore of the same size); Effect, forkChild + Fiber.joinAll of 100
 *   fibers per batch, all batches inside one Effect.runPromise.
 * - "vs floor" rows: the two targets of issue 14 (within 1.3x of the floors).
 * - fairness (issue 14): two tasks hand off through a Queue(1) for 300 ms while Node
 *   callbacks measure how long Node goes without a turn: a self-rearming setImmediate
 *   (its gaps, p50/p99/max) and a 10 ms setInterval (how often it fired of the 30
 *   times it should have); plus the hand-offs per ms meanwhile.
 * No instrument is installed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pLimit from 'p-limit';
import { Effect, Fiber } from 'effect';
import { createTask, Event, gather, getRunningLoop, Queue, run, Semaphore, taskGroup, type Future } from '../runtime';

const N = Number(process.env.RUNTIME_BENCH_N ?? 200_000);

async function best(n: number, body: (n: number) => Promise<unknown>): Promise<number> {
  await body(Math.min(n, 20_000));
  let ns = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    const t0 = process.hrtime.bigint();
    await body(n);
    ns = Math.min(ns, Number(process.hrtime.bigint() - t0) / n);
  }
  return ns;
}

async function nativeAwaits(n: number): Promise<void> {
  const p = Promise.resolve(1);
  for (let i = 0; i < n; i++) await p;
}

/** Two async functions alternating through fresh native promises; n switches. */
async function nativePingPong(n: number): Promise<void> {
  let resolveA!: () => void;
  let resolveB!: () => void;
  const half = n >> 1;
  const a = (async () => {
    for (let i = 0; i < half; i++) {
      const p = new Promise<void>((r) => { resolveA = r; });
      resolveB?.();
      await p;
    }
    resolveB?.();
  })();
  const b = (async () => {
    for (let i = 0; i < half; i++) {
      const p = new Promise<void>((r) => { resolveB = r; });
      resolveA?.();
      await p;
    }
    resolveA?.();
  })();
  await Promise.all([a, b]);
}

/** Two tasks alternating through runtime Futures; n switches. */
async function runtimePingPong(n: number): Promise<void> {
  const loop = getRunningLoop();
  const half = n >> 1;
  const box: { a: Future<void> | null; b: Future<void> | null } = { a: null, b: null };
  const side = (mine: 'a' | 'b', other: 'a' | 'b') => async () => {
    for (let i = 0; i < half; i++) {
      const f = loop.createFuture<void>();
      box[mine] = f;
      const o = box[other];
      if (o !== null && !o.done()) o.setResult();
      await f;
    }
    const o = box[other];
    if (o !== null && !o.done()) o.setResult();
  };
  await gather([createTask(side('a', 'b')), createTask(side('b', 'a'))]);
}

/** Two tasks alternating through runtime Events (wait, clear, set the other's); n switches. */
async function eventPingPong(n: number): Promise<void> {
  const half = n >> 1;
  const evA = new Event();
  const evB = new Event();
  const side = (mine: Event, other: Event) => async () => {
    for (let i = 0; i < half; i++) {
      other.set();
      await mine.wait();
      mine.clear();
    }
    other.set();
  };
  await gather([createTask(side(evA, evB)), createTask(side(evB, evA))]);
}

/**
 * The cheapest awaitable that is not a native promise: `then` forwards to a native
 * promise, as any runtime object that must learn who awaits it has to. It is the floor
 * for `await future` (a thenable costs an extra job and a derived promise per await).
 */
async function thenablePingPong(n: number): Promise<void> {
  class Box<T> implements PromiseLike<T> {
    p: Promise<T>;
    resolve!: (v: T) => void;
    constructor() {
      this.p = new Promise<T>((r) => { this.resolve = r; });
    }
    then<A = T, B = never>(f?: ((v: T) => A | PromiseLike<A>) | null, r?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
      return this.p.then(f, r);
    }
  }
  const box: { a: Box<void> | null; b: Box<void> | null } = { a: null, b: null };
  const half = n >> 1;
  const side = (mine: 'a' | 'b', other: 'a' | 'b') => async () => {
    for (let i = 0; i < half; i++) {
      const f = (box[mine] = new Box<void>());
      box[other]?.resolve();
      await f;
    }
    box[other]?.resolve();
  };
  const pa = side('a', 'b')();
  const pb = side('b', 'a')();
  await Promise.all([pa, pb]);
}

/** The floor of any task: one AsyncLocalStorage.run per task (how a task gets its identity), around the same async call. */
const als = new AsyncLocalStorage<number>();
const alsSpawnJoin = (batch: number) => async (n: number): Promise<void> => {
  for (let done = 0; done < n; done += batch) {
    const ps: Promise<number>[] = new Array(batch);
    for (let i = 0; i < batch; i++) ps[i] = als.run(i, work, i);
    await Promise.all(ps);
  }
};

async function work(i: number): Promise<number> {
  return i;
}

/** n tasks, spawned and joined in batches of `batch`. */
const nativeSpawnJoin = (batch: number) => async (n: number): Promise<void> => {
  for (let done = 0; done < n; done += batch) {
    const ps: Promise<number>[] = new Array(batch);
    for (let i = 0; i < batch; i++) ps[i] = work(i);
    await Promise.all(ps);
  }
};

const runtimeSpawnJoin = (batch: number) => async (n: number): Promise<void> => {
  for (let done = 0; done < n; done += batch) {
    const ts = new Array(batch);
    for (let i = 0; i < batch; i++) ts[i] = createTask(work, i);
    await gather(ts);
  }
};

const groupSpawnJoin = (batch: number) => async (n: number): Promise<void> => {
  for (let done = 0; done < n; done += batch) {
    await taskGroup((tg) => {
      for (let i = 0; i < batch; i++) tg.createTask(work, i);
    });
  }
};

/** p-limit: n calls through a limiter of `limit`, joined in batches of `batch` (Promise.all). */
const pLimitSpawnJoin = (batch: number, limit: number) => async (n: number): Promise<void> => {
  const limiter = pLimit(limit);
  for (let done = 0; done < n; done += batch) {
    const ps: Promise<number>[] = new Array(batch);
    for (let i = 0; i < batch; i++) ps[i] = limiter(work, i);
    await Promise.all(ps);
  }
};

/** The runtime's limiter: a task per call, each holding a Semaphore of `limit` around the call, gathered in batches. */
const semaphoreSpawnJoin = (batch: number, limit: number) => async (n: number): Promise<void> => {
  const sem = new Semaphore(limit);
  const limited = async (i: number): Promise<number> => {
    await sem.acquire();
    try {
      return await work(i);
    } finally {
      sem.release();
    }
  };
  for (let done = 0; done < n; done += batch) {
    const ts = new Array(batch);
    for (let i = 0; i < batch; i++) ts[i] = createTask(limited, i);
    await gather(ts);
  }
};

/** Effect: fork `batch` fibers, join them all; n fibers in one runPromise. */
const effectForkJoin = (batch: number) => (n: number): Promise<void> => Effect.runPromise(Effect.gen(function* () {
  for (let done = 0; done < n; done += batch) {
    const fibers = new Array(batch);
    for (let i = 0; i < batch; i++) fibers[i] = yield* Effect.forkChild(Effect.succeed(i));
    yield* Fiber.joinAll(fibers);
  }
}));

/** Two tasks handing off through a Queue(1) for `ms`; Node's turns measured meanwhile. */
async function fairness(ms: number): Promise<string[]> {
  const ab = new Queue<number>(1);
  const ba = new Queue<number>(1);
  let handoffs = 0;
  let stop = false;
  const a = createTask(async () => { while (!stop) { await ab.put(1); await ba.get(); handoffs++; } ab.shutdown(true); ba.shutdown(true); });
  const b = createTask(async () => { try { for (;;) await ba.put(await ab.get()); } catch { /* shut down */ } });
  const gaps: number[] = [];
  let last = performance.now();
  const tick = (): void => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
    if (!stop) setImmediate(tick);
  };
  setImmediate(tick);
  let fired = 0;
  const iv = setInterval(() => fired++, 10);
  const t0 = performance.now();
  await new Promise<void>((resolve) => setTimeout(resolve, ms));
  const elapsed = performance.now() - t0;
  stop = true;
  clearInterval(iv);
  await gather([a, b]);
  gaps.sort((x, y) => x - y);
  const q = (p: number): string => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))]!.toFixed(2);
  return [
    `fairness, Queue(1) hand-offs for ${elapsed.toFixed(0)} ms: ${(handoffs / elapsed).toFixed(0)} hand-offs/ms; Node turns ${gaps.length}, gap p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms; 10 ms setInterval fired ${fired} of ${Math.floor(elapsed / 10)}`,
  ];
}

function row(name: string, ns: number, base: number, baseName: string): string {
  return `${name.padEnd(34)} ${ns.toFixed(1).padStart(8)} ns/op   ${baseName.padEnd(30)} ${base.toFixed(1).padStart(8)} ns/op   ratio ${(ns / base).toFixed(2)}x`;
}

async function main(): Promise<void> {
  const before = await best(N * 5, nativeAwaits);
  const lines: string[] = [`node ${process.version}, N=${N}`];
  await run(async () => {
    const after = await best(N * 5, nativeAwaits);
    lines.push(row('native await (after ALS active)', after, before, 'native await (fresh process)'));
    const nSwitch = await best(N, nativePingPong);
    const rSwitch = await best(N, runtimePingPong);
    lines.push(row('task switch (Future)', rSwitch, nSwitch, 'native promise ping-pong'));
    const tSwitch = await best(N, thenablePingPong);
    lines.push(row('  floor: minimal thenable ping-pong', tSwitch, nSwitch, 'native promise ping-pong'));
    const eSwitch = await best(N, eventPingPong);
    lines.push(row('task switch (Event)', eSwitch, nSwitch, 'native promise ping-pong'));
    lines.push(row('task switch (Future) vs floor', rSwitch, tSwitch, 'minimal thenable ping-pong'));
    let spawn100 = 0;
    let alsFloor100 = 0;
    for (const batch of [100, N]) {
      const nSpawn = await best(N, nativeSpawnJoin(batch));
      const rSpawn = await best(N, runtimeSpawnJoin(batch));
      lines.push(row(`spawn+join, batches of ${batch}`, rSpawn, nSpawn, 'async call + Promise.all'));
      if (batch === 100) {
        const gSpawn = await best(N, groupSpawnJoin(batch));
        lines.push(row('  the same in a taskGroup', gSpawn, nSpawn, 'async call + Promise.all'));
      }
      const aSpawn = await best(N, alsSpawnJoin(batch));
      lines.push(row('  floor: ALS.run + async call', aSpawn, nSpawn, 'async call + Promise.all'));
      if (batch === 100) {
        spawn100 = rSpawn;
        alsFloor100 = aSpawn;
      }
    }
    lines.push(row('spawn+join of 100 vs floor', spawn100, alsFloor100, 'ALS.run + async call'));
    // Peers: the ratio is the runtime's time over the peer's (target: 0.5x or less).
    // "floor vs" rows: how far the floor alone (one ALS.run per task, which a task's
    // identity across plain awaits needs) is from the peer. A ratio above 0.5x means
    // "2x ahead of the peer" is out of reach for anything built on that floor.
    for (const limit of [100, 10]) {
      const pl = await best(N, pLimitSpawnJoin(100, limit));
      const rs = await best(N, semaphoreSpawnJoin(100, limit));
      lines.push(row(`limiter ${limit}: Semaphore + tasks vs`, rs, pl, `p-limit(${limit})`));
      lines.push(row('  floor: ALS.run + async call vs', alsFloor100, pl, `p-limit(${limit})`));
    }
    const eff = await best(N, effectForkJoin(100));
    lines.push(row('spawn+join of 100 vs', spawn100, eff, 'Effect forkChild + joinAll'));
    lines.push(row('  floor: ALS.run + async call vs', alsFloor100, eff, 'Effect forkChild + joinAll'));
    lines.push(...await fairness(300));
  });
  for (const l of lines) console.log(l);
}

void main();
