// A lock-guarded cache: concurrent requests for the same key wait on the lock.
// What to look for in the trace: the `cache` lock's resource lane shows one holder at
// a time and a line of waiters; the contention table shows 12 acquisitions of which
// 11 waited (every request arrives at once), with the waits attributed to the
// `withLock` line in `get`. Only the first request for each key does the slow load;
// the others find the value cached once they get the lock.
import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';

class Cache {
  private readonly lock = new Lock({ name: 'cache' });
  private readonly values = new Map<string, string>();
  loads = 0;

  async get(key: string): Promise<string> {
    return this.lock.withLock(async () => {
      const hit = this.values.get(key);
      if (hit !== undefined) return hit;
      this.loads++;
      await sleep(50); // the slow backend
      const value = `value-of-${key}`;
      this.values.set(key, value);
      return value;
    });
  }
}

async function main(): Promise<void> {
  const cache = new Cache();
  const keys = ['a', 'b', 'c'];
  const requests = Array.from({ length: 12 }, (_, i) => createTask(() => cache.get(keys[i % 3]), { name: `request-${i}` }));
  const values = await gather(requests);
  console.log(`${values.length} requests, ${cache.loads} loads`);
}

run(main);
