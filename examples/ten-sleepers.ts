// Ten tasks sleeping concurrently.
// What to look for in the trace: ten task lanes under `main`, each with one `sleep`
// await of ~200 ms, all overlapping. The whole run takes about one sleep (≈200 ms),
// not ten (2 s): awaiting a sleep gives the loop to the other tasks.
import { createTask, gather, run, sleep } from 'async-trace/runtime';

async function sleeper(i: number): Promise<number> {
  await sleep(200);
  return i;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const tasks = Array.from({ length: 10 }, (_, i) => createTask(() => sleeper(i), { name: `sleeper-${i}` }));
  const results = await gather(tasks);
  console.log(`results ${results.join(',')} in ${Date.now() - t0} ms`);
}

run(main);
