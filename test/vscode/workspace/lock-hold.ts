// Compared run against run by the integration suite and the UI test: five workers
// share the lock `db` and hold it across a sleep of HOLD ms; the tests change HOLD.
import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';

const HOLD = 20;

async function main(): Promise<void> {
  const lock = new Lock({ name: 'db' });
  async function worker(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await lock.acquire();
      try { await sleep(HOLD); } finally { lock.release(); }
      await sleep(10);
    }
  }
  await gather(Array.from({ length: 5 }, (_, i) => createTask(worker, { name: `worker-${i}` })));
}

run(main);
