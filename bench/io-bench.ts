/**
 * I/O benchmarks, each against a raw Node baseline measured in the same run, printed as
 * figures and ratios. Run: `npx tsx bench/io-bench.ts` (IO_BENCH_JOBS, IO_BENCH_MB to size).
 *
 * - executor round-trip: `await runInExecutor(pool, (x) => x + 1, i)` on a one-worker
 *   ThreadPoolExecutor, one job at a time; baseline: a raw `worker_threads` Worker that
 *   echoes `x + 1`, one postMessage/'message' round-trip at a time.
 * - stream throughput: a client writes IO_BENCH_MB MiB in 64 KiB chunks (`write` +
 *   `await drain()`) to a server that reads with `read(65536)` until EOF, over loopback;
 *   baseline: the same with raw `net` sockets ('data' events, write/'drain').
 * No instrument is installed. Baseline and runtime runs alternate (IO_BENCH_ROUNDS, best of each).
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { run, ThreadPoolExecutor, runInExecutor, startServer, openConnection } from '../runtime';

const JOBS = Number(process.env.IO_BENCH_JOBS ?? 5000);
const MB = Number(process.env.IO_BENCH_MB ?? 512);
const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const TOTAL = MB * 1024 * 1024;

async function rawWorkerRoundTrip(n: number): Promise<number> {
  const w = new Worker("require('node:worker_threads').parentPort.on('message', (x) => require('node:worker_threads').parentPort.postMessage(x + 1));", { eval: true });
  const once = (x: number): Promise<number> => new Promise((resolve) => { w.once('message', resolve); w.postMessage(x); });
  await once(0); // started
  for (let i = 0; i < 1000; i++) await once(i); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) if ((await once(i)) !== i + 1) throw new Error('bad echo');
  const us = Number(process.hrtime.bigint() - t0) / 1000 / n;
  await w.terminate();
  return us;
}

async function executorRoundTrip(n: number): Promise<number> {
  return run(async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const inc = (x: number): number => x + 1;
    for (let i = 0; i < 1000; i++) await runInExecutor(pool, inc, i); // start + warm up
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) if ((await runInExecutor(pool, inc, i)) !== i + 1) throw new Error('bad result');
    const us = Number(process.hrtime.bigint() - t0) / 1000 / n;
    await pool.shutdown();
    return us;
  });
}

/** MiB/s through raw net sockets with write/'drain' backpressure. */
async function rawNetThroughput(): Promise<number> {
  let received = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => { done = r; });
  const server = net.createServer((s) => {
    s.on('data', (d: Buffer) => { received += d.length; });
    s.on('end', () => { s.end(); done(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const c = net.connect(port, '127.0.0.1');
  await new Promise((r) => c.once('connect', r));
  const t0 = process.hrtime.bigint();
  for (let sent = 0; sent < TOTAL; sent += CHUNK.length) {
    if (!c.write(CHUNK)) await new Promise((r) => c.once('drain', r));
  }
  c.end();
  await finished;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  c.destroy();
  await new Promise((r) => server.close(r));
  if (received !== TOTAL) throw new Error(`raw net received ${received} of ${TOTAL}`);
  return MB / secs;
}

/** MiB/s through StreamWriter.write + drain and StreamReader.read. */
async function streamThroughput(): Promise<number> {
  return run(async () => {
    let received = 0;
    const server = await startServer(async (r, w) => {
      while (true) {
        const d = await r.read(65536);
        if (d.length === 0) break;
        received += d.length;
      }
      w.close();
    }, '127.0.0.1', 0);
    const [r, w] = await openConnection('127.0.0.1', server.sockets[0]!.port);
    const t0 = process.hrtime.bigint();
    for (let sent = 0; sent < TOTAL; sent += CHUNK.length) {
      w.write(CHUNK);
      await w.drain();
    }
    w.writeEof();
    await r.read(); // the server closes after it has read everything
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    w.close();
    server.close();
    await server.waitClosed();
    if (received !== TOTAL) throw new Error(`streams received ${received} of ${TOTAL}`);
    return MB / secs;
  });
}

async function main(): Promise<void> {
  // Baseline and runtime alternate, best of ROUNDS each, so that a noisy neighbour hits both.
  const rounds = Number(process.env.IO_BENCH_ROUNDS ?? 5);
  let raw = Infinity, ex = Infinity, netMb = 0, streamMb = 0;
  for (let i = 0; i < rounds; i++) {
    raw = Math.min(raw, await rawWorkerRoundTrip(JOBS));
    ex = Math.min(ex, await executorRoundTrip(JOBS));
    netMb = Math.max(netMb, await rawNetThroughput());
    streamMb = Math.max(streamMb, await streamThroughput());
  }
  console.log(`node ${process.version}, ${JOBS} sequential jobs, ${MB} MiB per stream run, best of ${rounds} alternating rounds`);
  console.log(`executor round-trip   ${ex.toFixed(1)} us/job   raw worker_threads message round-trip ${raw.toFixed(1)} us   ratio ${(ex / raw).toFixed(2)}x`);
  console.log(`stream throughput     ${streamMb.toFixed(0)} MiB/s   raw net ${netMb.toFixed(0)} MiB/s   ratio ${(streamMb / netMb).toFixed(2)} (1.00 = as fast as raw)`);
}

void main();
