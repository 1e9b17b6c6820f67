// Waits that end without what they waited for: a semaphore acquire that times out after
// 30 ms while the holder keeps the permit, and a queue get cancelled after 30 ms. Both
// are contended waits in the figures, though neither acquired anything.
import { Queue, Semaphore, TimeoutError, createTask, run, sleep, timeout } from 'async-trace/runtime';
async function main(): Promise<void> {
  const slots = new Semaphore(1, { name: 'slots' });
  const jobs = new Queue<number>({ name: 'jobs' });
  const holder = createTask(async () => { await slots.acquire(); await sleep(80); slots.release(); }, { name: 'holder' });
  await sleep(1);
  const impatient = createTask(async () => {
    try { await timeout(30, () => slots.acquire()); } catch (e) { if (!(e instanceof TimeoutError)) throw e; }
  }, { name: 'impatient' });
  const consumer = createTask(async () => { await jobs.get(); }, { name: 'consumer' });
  await sleep(30);
  consumer.cancel();
  await impatient;
  await holder;
  try { await consumer; } catch { /* cancelled */ }
}
run(main);
