// Three refreshes each hold the cache lock across a slow await sleep(80): the other
// two wait the whole time.
import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';
async function main(): Promise<void> {
  const cache = new Lock({ name: 'cache' });
  const refresh = async (): Promise<void> => {
    await cache.acquire();
    try {
      await sleep(80);
    } finally {
      cache.release();
    }
  };
  await gather([1, 2, 3].map((i) => createTask(refresh, { name: 'refresh-' + i })));
}
run(main);
