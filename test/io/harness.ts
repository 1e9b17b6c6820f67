// Small helpers for the I/O suites, built only on the runtime core (loop, futures).
import { newEventLoop, getRunningLoop, shutdownDefaultExecutor } from '../../runtime';

/** Runs `main` as the root task of a fresh loop, then shuts the default executor and closes the loop. */
export async function run<T>(main: () => PromiseLike<T>): Promise<T> {
  const loop = newEventLoop();
  try {
    return await loop.runUntilComplete(main);
  } finally {
    await shutdownDefaultExecutor();
    loop.close();
  }
}

/** Lets every callback that is ready now run once (asyncio's `sleep(0)`). */
export async function yieldToLoop(): Promise<void> {
  const loop = getRunningLoop();
  const f = loop.createFuture<void>();
  loop.callSoon(() => f.setResult(undefined));
  await f;
}
