// Traced end to end by the integration suite: `main` plus three sleepers, four tasks.
import { createTask, gather, run, sleep } from 'async-trace/runtime';

async function sleeper(ms: number): Promise<number> {
  await sleep(ms);
  return ms;
}

async function main(): Promise<void> {
  const tasks = [10, 20, 30].map((ms) => createTask(() => sleeper(ms), { name: `sleeper-${ms}` }));
  const done = await gather(tasks);
  console.log(`slept ${done.join(',')}`);
}

run(main);
