// Blocking work on a thread pool (`runInExecutor`, `toThread`).
// What to look for in the trace: four `executor` awaits, one per job, each ~200 ms of
// blocking work (Atomics.wait stands in for `time.sleep`); with two workers they run
// two at a time, so the whole run takes ~400 ms, not 800 ms, and the loop is never
// blocked: `heartbeat` keeps ticking every 50 ms meanwhile.
import { ThreadPoolExecutor, createTask, gather, getRunningLoop, run, sleep, toThread } from 'async-trace/runtime';

// Shipped to the worker as source: it must be self-contained (no closures).
function blockFor(ms: number): number {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return ms;
}

async function heartbeat(): Promise<number> {
  let beats = 0;
  for (let i = 0; i < 8; i++) { await sleep(50); beats++; }
  return beats;
}

async function main(): Promise<void> {
  const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
  const loop = getRunningLoop();
  const t0 = Date.now();
  const beat = createTask(heartbeat, { name: 'heartbeat' });
  const jobs = await gather([
    loop.runInExecutor(pool, blockFor, 200),
    loop.runInExecutor(pool, blockFor, 200),
    loop.runInExecutor(pool, blockFor, 200),
    loop.runInExecutor(pool, blockFor, 200),
  ]);
  const viaToThread = await toThread(blockFor, 10);
  console.log(`jobs ${jobs.join(',')} + ${viaToThread} in ${Date.now() - t0} ms; heartbeats ${await beat}`);
  await pool.shutdown(true);
}

run(main);
