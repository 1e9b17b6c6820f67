// A task blocks the loop with 150 ms of synchronous work after its first sleep.
import { createTask, gather, run, sleep } from 'async-trace/runtime';
function busyFor(ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) n++;
  return n;
}
async function hog(): Promise<void> {
  await sleep(10);
  busyFor(150);
  await sleep(1);
}
async function main(): Promise<void> {
  await gather([createTask(hog, { name: 'hog' }), createTask(() => sleep(20), { name: 'ticker' })]);
}
run(main);
