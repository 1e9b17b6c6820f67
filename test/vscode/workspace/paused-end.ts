// Traced by the integration suite (pauses.test.js): stops at a `debugger` statement
// inside a lock hold, and the test ends the debug session while it is stopped; the
// trace must still have the pause (the extension appends it: the program never ran again).
import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';

const gate = new Lock({ name: 'ended-gate' });

run(async () => {
  const holder = createTask(async () => {
    await gate.acquire();
    try {
      // Long enough for the tracer's periodic flush to send what came before the stop.
      await sleep(300);
      // eslint-disable-next-line no-debugger -- the test ends the session while stopped here
      debugger;
    } finally {
      gate.release();
    }
  }, { name: 'holder' });
  await sleep(5);
  const waiter = createTask(async () => { await gate.acquire(); gate.release(); }, { name: 'waiter' });
  await gather([holder, waiter]);
});
