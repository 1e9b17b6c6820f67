// Task results via futures, `createTask` and done-callbacks.
// What to look for in the trace: `main` spawns `square-1..3`; each finishes with a
// result, and the done-callbacks run later as loop callbacks (never synchronously
// inside `setResult`). `main` awaits each task in turn: the wake-up arrows run from
// each finished task to `main`.
import { Task, createTask, run, sleep } from 'async-trace/runtime';

async function square(n: number): Promise<number> {
  await sleep(10 * n);
  return n * n;
}

async function main(): Promise<void> {
  const seen: string[] = [];
  const tasks: Task<number>[] = [1, 2, 3].map((n) => createTask(() => square(n), { name: `square-${n}` }));
  for (const t of tasks) t.addDoneCallback(() => seen.push(`${t.getName()}=${t.result()}`));
  let total = 0;
  for (const t of tasks) total += await t;
  await sleep(0); // let the done-callbacks run
  console.log(`total ${total}; callbacks: ${seen.join(', ')}`);
}

run(main);
