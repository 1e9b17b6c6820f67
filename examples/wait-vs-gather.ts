// `wait` (FIRST_COMPLETED with a timeout) vs `gather` (groups of gathers).
// What to look for in the trace: first `main` waits on three fetches with
// FIRST_COMPLETED: the `wait` await ends when `fast` finishes (~50 ms) and the others
// keep running (a wait's timeout or return does not cancel). Then two gathers run as
// groups inside an outer gather: the outer `gather` await ends when the slowest group
// does.
import { FIRST_COMPLETED, createTask, gather, run, sleep, wait } from 'async-trace/runtime';

async function fetchAfter(ms: number, what: string): Promise<string> {
  await sleep(ms);
  return what;
}

async function main(): Promise<void> {
  const a = createTask(() => fetchAfter(50, 'fast'), { name: 'fast' });
  const b = createTask(() => fetchAfter(150, 'medium'), { name: 'medium' });
  const c = createTask(() => fetchAfter(400, 'slow'), { name: 'slow' });
  const { done, pending } = await wait([a, b, c], { returnWhen: FIRST_COMPLETED, timeout: 300 });
  console.log(`first done: ${[...done].map((t) => t.result()).join(',')}; still pending: ${pending.size}`);

  const group1 = gather([fetchAfter(30, 'g1-a'), fetchAfter(60, 'g1-b')]);
  const group2 = gather([fetchAfter(90, 'g2-a'), fetchAfter(20, 'g2-b')]);
  const [r1, r2] = await gather([group1, group2]);
  console.log(`groups: ${r1.join(',')} | ${r2.join(',')}`);
  await gather([b, c]);
}

run(main);
