// Traced by the integration suite (paused-panel.test.js): two cooks share a pot; the test
// stops at a breakpoint in cook-2 (the console.log line) and reads the Async Trace panel.
// The task created just before it is still in the tracer's buffer at the stop: the panel
// shows it only if the program sent its trace up to the stop.
import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';

const pot = new Lock({ name: 'pot' });

async function cook(n: number): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await pot.acquire();
    try {
      await sleep(10);
    } finally {
      pot.release();
    }
    await sleep(5);
  }
  if (n === 2) {
    createTask(async () => { await sleep(1); }, { name: 'just-before-the-stop' });
    console.log('cook-2 stops here');
  }
}

run(async () => {
  await gather([createTask(() => cook(1), { name: 'cook-1' }), createTask(() => cook(2), { name: 'cook-2' })]);
});
