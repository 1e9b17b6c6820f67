// A deliberate slow spot: a long synchronous loop that blocks the event loop.
// What to look for in the trace: a blocked-loop span of ~150 ms while `hog` runs its
// busy loop; `ticker`'s 20 ms sleeps stretch across it (its await ends late), because
// nothing else can run while the loop is blocked.
import { createTask, gather, run, sleep } from 'async-trace/runtime';

function busyFor(ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) n++;
  return n;
}

async function ticker(): Promise<void> {
  for (let i = 0; i < 10; i++) await sleep(20);
}

async function hog(): Promise<void> {
  await sleep(50);
  busyFor(150);
}

async function main(): Promise<void> {
  await gather([createTask(ticker, { name: 'ticker' }), createTask(hog, { name: 'hog' })]);
  console.log('done');
}

run(main);
