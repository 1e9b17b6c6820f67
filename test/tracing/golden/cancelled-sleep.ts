// `sleeper` sleeps for a long time; main lets it start, then cancels it. The sleep ends
// cancelled and so does the task.
import { CancelledError, createTask, run, sleep } from 'async-trace/runtime';

async function main(): Promise<void> {
  const t = createTask(() => sleep(60_000), { name: 'sleeper' });
  await sleep(0);
  t.cancel();
  try {
    await t;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
  }
}

run(main);
