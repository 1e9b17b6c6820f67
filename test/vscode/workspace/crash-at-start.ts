// Crashes in its first loop turns, before the tracer's socket can have connected: the
// tracer spills its bytes beside the recorder's socket and the recorder adopts them.
import { createTask, run, sleep } from 'async-trace/runtime';

async function main(): Promise<void> {
  await createTask(async () => { await sleep(0); }, { name: 'early-bird' });
  throw new Error('crash at startup');
}

void run(main);
