// Cancelling tasks, cleanly, with the cancellation visible.
// What to look for in the trace: `worker-0`..`worker-2` each sleep in a loop; after
// 250 ms `main` cancels them. Each worker's current sleep ends `cancelled`, its
// `finally` cleanup runs (a short `sleep` inside the cleanup, which still runs because
// the worker caught nothing and the cleanup is awaited before the error leaves), and
// the task ends `cancelled`. `stubborn` catches the first cancel, finishes its unit
// of work and returns normally: a task is cancelled only when CancelledError leaves it.
import { CancelledError, createTask, gather, run, sleep } from 'async-trace/runtime';

async function worker(id: number): Promise<void> {
  try {
    for (;;) await sleep(100);
  } finally {
    console.log(`worker-${id} cleaning up`);
  }
}

async function stubborn(): Promise<string> {
  try {
    await sleep(1000);
    return 'finished';
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    await sleep(30); // finish the unit of work, then return normally
    return 'caught the cancel and finished';
  }
}

async function main(): Promise<void> {
  const workers = [0, 1, 2].map((i) => createTask(() => worker(i), { name: `worker-${i}` }));
  const s = createTask(stubborn, { name: 'stubborn' });
  await sleep(250);
  for (const w of workers) w.cancel('shutting down');
  s.cancel();
  const results = await gather([...workers, s], { returnExceptions: true });
  console.log(results.map((r) => (r instanceof CancelledError ? 'cancelled' : String(r))).join(', '));
}

run(main);
