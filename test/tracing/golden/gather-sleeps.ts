// main gathers three tasks that sleep different lengths; it wakes once all are done.
import { createTask, gather, run, sleep } from 'async-trace/runtime';

async function main(): Promise<void> {
  const tasks = [30, 10, 20].map((ms) => createTask(() => sleep(ms), { name: `sleep-${ms}` }));
  await gather(tasks);
}

run(main);
