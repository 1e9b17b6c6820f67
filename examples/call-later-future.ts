// A future completed later by `callLater` + `setResult`.
// What to look for in the trace: `main` awaits a `future` for 100 ms; the wake-up
// arrow comes from the `callLater` callback (not from a task), at the moment the
// callback sets the result.
import { getRunningLoop, run } from 'async-trace/runtime';

async function main(): Promise<void> {
  const loop = getRunningLoop();
  const fut = loop.createFuture<string>();
  loop.callLater(100, () => fut.setResult('ready'));
  const value = await fut;
  console.log(`future said ${value} after ~100 ms`);
}

run(main);
