// Programs the diff tests record (test/cli, test/browser, test/vscode share them).

/** Five workers take one lock three times each and hold it across a sleep of HOLD ms. */
export const LOCK_PROGRAM = (hold: number, above = ''): string => `${above}import { Lock, Queue, createTask, gather, run, sleep } from 'async-trace/runtime';
async function main(): Promise<void> {
  const lock = new Lock({ name: 'db' });
  const done = new Queue<number>({ name: 'done' });
  async function worker(n: number): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await lock.acquire();
      try { await sleep(${hold}); } finally { lock.release(); }
      await sleep(10);
    }
    await done.put(n);
  }
  const tasks = Array.from({ length: 5 }, (_, i) => createTask(() => worker(i), { name: \`worker-\${i}\` }));
  for (let i = 0; i < 5; i++) await done.get();
  await gather(tasks);
}
run(main);
`;
