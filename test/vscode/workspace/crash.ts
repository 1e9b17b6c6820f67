// Crashes mid-run with an uncaught error, after a task has slept long enough for the
// tracer to have connected and shipped its first batches (it flushes every 50 ms).
import { createTask, run, sleep } from 'async-trace/runtime';

async function main(): Promise<void> {
  await createTask(() => sleep(300), { name: 'napper' });
  setTimeout(() => { throw new Error('crash on purpose'); }, 0);
  await sleep(1000);
}

run(main);
