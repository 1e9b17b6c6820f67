/**
 * Synchronisation and queue micro-benchmarks, each against a baseline measured in the
 * same run, printed as ns/op and ratios. Run: `npx tsx bench/sync-bench.ts`
 * (or with Node 24: `<node24> --import tsx bench/sync-bench.ts`).
 *
 * - lock acquire+release (call only): `lock.acquire(); lock.release()` without awaiting,
 *   the cost the primitive itself adds; baseline: the same on a boolean-flag lock.
 * - lock acquire+release (awaited): `await lock.acquire(); lock.release()`; baseline:
 *   `await` of an already-resolved native promise.
 * - queue putNowait+getNowait vs array push+shift; queue `await put` + `await get` vs two
 *   native awaits; a bounded-queue producer/consumer hand-off between two tasks vs a
 *   native promise ping-pong.
 * - contended Lock: 100 tasks each taking the lock 1% of n times around an `await` of a
 *   resolved promise (every acquire but the first in a round waits in line); baseline:
 *   the usual hand-written JS mutex, a FIFO of native promise resolvers, driven by 100
 *   async functions the same way. Per acquisition.
 * - peer (issue 14: at least 2x ahead): async-mutex's Mutex, uncontended (`await
 *   acquire()` then the releaser) and contended (the same 100 tasks), against Lock.
 * No instrument is installed; run inside the runtime's loop so awaits pay what tasks pay.
 */
import { Mutex } from 'async-mutex';
import { run, createTask, Lock, Queue, Semaphore } from '../runtime';

const N = Number(process.env.SYNC_BENCH_N ?? 1_000_000);

/** One timed run of `body(n)`, in ns per operation. */
async function once(n: number, body: (n: number) => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await body(n);
  return Number(process.hrtime.bigint() - t0) / n;
}

interface Row { name: string; ns: number; base: number; baseName: string }
const rows: Row[] = [];
const REPS = 5;

/**
 * Times `body` and its baseline alternately, REPS times each, and keeps the best of
 * each: alternating spreads machine noise (other processes) over both sides.
 */
async function compare(name: string, baseName: string, n: number, body: (n: number) => unknown, base: (n: number) => unknown): Promise<void> {
  const warm = Math.min(n, 20_000);
  await base(warm);
  await body(warm);
  let b = Infinity;
  let ns = Infinity;
  for (let rep = 0; rep < REPS; rep++) {
    b = Math.min(b, await once(n, base));
    ns = Math.min(ns, await once(n, body));
  }
  rows.push({ name, ns, base: b, baseName });
}

/** The usual hand-written JS mutex: a FIFO of resolvers, the lock handed to the next in line. */
class NativeMutex {
  private held = false;
  private readonly line: (() => void)[] = [];
  private head = 0;
  acquire(): Promise<void> {
    if (!this.held) { this.held = true; return Promise.resolve(); }
    return new Promise<void>((r) => { this.line.push(r); });
  }
  release(): void {
    if (this.head < this.line.length) {
      const next = this.line[this.head]!;
      this.line[this.head++] = undefined as unknown as () => void;
      if (this.head > 1024 && this.head * 2 > this.line.length) { this.line.splice(0, this.head); this.head = 0; }
      next();
    } else {
      this.held = false;
    }
  }
}

class FlagLock {
  private held = false;
  acquire(): boolean { if (this.held) throw new Error('held'); this.held = true; return true; }
  release(): void { this.held = false; }
}

async function main(): Promise<void> {
  const lock = new Lock();
  const flag = new FlagLock();
  await compare('Lock acquire+release (call)', 'flag lock', N * 10,
    (n) => { for (let i = 0; i < n; i++) { void lock.acquire(); lock.release(); } },
    (n) => { for (let i = 0; i < n; i++) { flag.acquire(); flag.release(); } });

  const resolved = Promise.resolve(true);
  await compare('Lock acquire+release (awaited)', 'await resolved promise', N,
    async (n) => { for (let i = 0; i < n; i++) { await lock.acquire(); lock.release(); } },
    async (n) => { for (let i = 0; i < n; i++) { await resolved; } });

  const sem = new Semaphore(4);
  await compare('Semaphore acquire+release (call)', 'flag lock', N * 10,
    (n) => { for (let i = 0; i < n; i++) { void sem.acquire(); sem.release(); } },
    (n) => { for (let i = 0; i < n; i++) { flag.acquire(); flag.release(); } });

  const q = new Queue<number>();
  const arr: number[] = [];
  await compare('Queue putNowait+getNowait', 'array push+shift', N * 5,
    (n) => { for (let i = 0; i < n; i++) { q.putNowait(i); q.getNowait(); } },
    (n) => { for (let i = 0; i < n; i++) { arr.push(i); arr.shift(); } });

  await compare('Queue await put + await get', 'two native awaits', N,
    async (n) => { for (let i = 0; i < n; i++) { await q.put(i); await q.get(); } },
    async (n) => { for (let i = 0; i < n; i++) { await resolved; await resolved; } });

  await compare('Queue(1) producer/consumer hand-off', 'native promise ping-pong', N / 10,
    async (n) => {
      const hq = new Queue<number>(1);
      const consumer = createTask(async () => { for (let i = 0; i < n; i++) await hq.get(); });
      for (let i = 0; i < n; i++) await hq.put(i);
      await consumer;
    },
    async (n) => {
      // Two async functions handing a value back and forth through fresh native promises.
      let toConsumer: (v: number) => void = () => {};
      let toProducer: () => void = () => {};
      const consumer = (async () => {
        for (let i = 0; i < n; i++) {
          await new Promise<number>((r) => { toConsumer = r; toProducer(); });
        }
      })();
      for (let i = 0; i < n; i++) {
        const ack = new Promise<void>((r) => { toProducer = r; });
        toConsumer(i);
        if (i < n - 1) await ack;
      }
      await consumer;
    });

  const WORKERS = 100;
  /** 100 tasks taking one Lock in turn, n acquisitions in all. */
  const lockFight = async (n: number): Promise<void> => {
    const l = new Lock();
    const per = Math.ceil(n / WORKERS);
    const ts = Array.from({ length: WORKERS }, () => createTask(async () => {
      for (let i = 0; i < per; i++) { await l.acquire(); await resolved; l.release(); }
    }));
    for (const t of ts) await t;
  };
  await compare('Lock contended, 100 tasks (per acquire)', 'FIFO-of-resolvers mutex', N / 10,
    lockFight,
    async (n) => {
      const m = new NativeMutex();
      const per = Math.ceil(n / WORKERS);
      await Promise.all(Array.from({ length: WORKERS }, async () => {
        for (let i = 0; i < per; i++) { await m.acquire(); await resolved; m.release(); }
      }));
    });

  // Peer: async-mutex. The ratio is the runtime's time over the peer's (target: 0.5x or less).
  const mutex = new Mutex();
  await compare('Lock awaited, uncontended', 'async-mutex Mutex', N,
    async (n) => { for (let i = 0; i < n; i++) { await lock.acquire(); lock.release(); } },
    async (n) => { for (let i = 0; i < n; i++) { const release = await mutex.acquire(); release(); } });
  await compare('Lock contended, 100 tasks', 'async-mutex, 100 tasks', N / 10,
    lockFight,
    async (n) => {
      const m = new Mutex();
      const per = Math.ceil(n / WORKERS);
      const ts = Array.from({ length: WORKERS }, () => createTask(async () => {
        for (let i = 0; i < per; i++) { const release = await m.acquire(); await resolved; release(); }
      }));
      for (const t of ts) await t;
    });

  console.log(`node ${process.version}, N=${N}, best of ${REPS} (alternating with the baseline), no instrument installed`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(40)} ${r.ns.toFixed(1).padStart(8)} ns/op   ${r.baseName.padEnd(26)} ${r.base.toFixed(1).padStart(8)} ns/op   ratio ${(r.ns / r.base).toFixed(2)}x`);
  }
}

run(main).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
