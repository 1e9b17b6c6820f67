// Failures whose errors are all retrieved: one awaited while it runs, one after it
// failed (gather of a task already done), one looked at with exception(). None is
// never-retrieved; every one is in `failures` at the line that threw it.
import { createTask, gather, run, sleep } from 'async-trace/runtime';
async function charge(order: number): Promise<void> {
  await sleep(2);
  throw new Error(`card declined for order ${order}`);
}
async function main(): Promise<void> {
  const awaited = createTask(() => charge(1), { name: 'awaited' });
  try { await awaited; } catch { /* handled */ }
  const late = createTask(() => charge(2), { name: 'late' });
  await sleep(20);
  const [r] = await gather([late], { returnExceptions: true });
  const looked = createTask(() => charge(3), { name: 'looked-at' });
  await sleep(20);
  console.log((r as Error).message, (looked.exception() as Error).message);
}
run(main);
