// A task holds a lock while two others wait for it, in line: the Async Tasks view test
// stops at a breakpoint inside the holder (the console.log line) and reads the line.
import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';

const gate = new Lock({ name: 'gate' });

async function worker(hold: boolean): Promise<void> {
  await gate.acquire();
  try {
    if (hold) await sleep(100);
    console.log('holding the gate');
  } finally {
    gate.release();
  }
}

run(async () => {
  const holder = createTask(() => worker(true), { name: 'holder' });
  await sleep(10);
  const second = createTask(() => worker(false), { name: 'second' });
  const first = createTask(() => worker(false), { name: 'first' });
  await gather([holder, second, first]);
});
