// Two tasks contend one Lock: `first` takes it and holds it across a yield, `second`
// waits, and the release wakes `second`, which then takes the lock.
import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';

async function main(): Promise<void> {
  const lock = new Lock({ name: 'guard' });
  const hold = async (): Promise<void> => {
    await lock.acquire();
    try {
      await sleep(0);
    } finally {
      lock.release();
    }
  };
  const a = createTask(hold, { name: 'first' });
  const b = createTask(hold, { name: 'second' });
  await gather([a, b]);
}

run(main);
