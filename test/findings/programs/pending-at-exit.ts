// main waits for an event nobody sets, and a consumer waits on an empty queue: when
// nothing is left to run the process exits with both tasks pending.
import { Event, Queue, createTask, run } from 'async-trace/runtime';
async function main(): Promise<void> {
  const ready = new Event({ name: 'ready' });
  const jobs = new Queue<number>({ name: 'jobs' });
  createTask(async () => { await jobs.get(); }, { name: 'consumer' });
  await ready.wait();
}
run(main);
