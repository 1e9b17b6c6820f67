// A producer puts three items into a Queue of size 1; a consumer gets them. The two
// take turns: put, get, put, get..., the queue's level alternating between 1 and 0.
import { Queue, createTask, gather, run } from 'async-trace/runtime';

async function main(): Promise<void> {
  const q = new Queue<number>({ maxsize: 1, name: 'items' });
  const producer = createTask(async () => {
    for (let i = 0; i < 3; i++) await q.put(i);
  }, { name: 'producer' });
  const consumer = createTask(async () => {
    let sum = 0;
    for (let i = 0; i < 3; i++) sum += await q.get();
    return sum;
  }, { name: 'consumer' });
  await gather([producer, consumer]);
}

run(main);
