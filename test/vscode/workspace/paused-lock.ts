// Traced by the integration suite (pauses.test.js): the holder of a lock stops at a
// `debugger` statement inside its hold while another task waits for the lock; the test
// keeps it stopped about 3 s, then continues. Paused time is not program time: the
// waiter's wait in the stats must leave the pause out.
import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';

const gate = new Lock({ name: 'paused-gate' });

run(async () => {
  const holder = createTask(async () => {
    await gate.acquire();
    try {
      await sleep(20);
      // eslint-disable-next-line no-debugger -- the test keeps the program stopped here about 3 s
      debugger;
      await sleep(20);
    } finally {
      gate.release();
    }
  }, { name: 'holder' });
  await sleep(5);
  const waiter = createTask(async () => { await gate.acquire(); gate.release(); }, { name: 'waiter' });
  await gather([holder, waiter]);
});
