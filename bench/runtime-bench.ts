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
 * No instrument is installed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createTask, Event, gather, getRunningLoop, run, taskGroup, type Future } from '../runtime';

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
    }
  });
  for (const l of lines) console.log(l);
}

void main();
