// `callSoon` / `callLater` / `callAt` ordering.
// What to look for in the trace: the loop callbacks run in this order: the three
// `callSoon`s first in FIFO order (a, b, c), then timers by due time (`callAt` +10 ms,
// `callLater` 20 ms, `callLater` 30 ms), with timers due at the same time in the order
// they were scheduled (t1 before t2).
import { getRunningLoop, run, sleep } from 'async-trace/runtime';

async function main(): Promise<void> {
  const loop = getRunningLoop();
  const order: string[] = [];
  loop.callLater(30, () => order.push('later-30'));
  loop.callLater(20, () => order.push('later-20-t1'));
  loop.callAt(loop.time() + 20, () => order.push('at-20-t2'));
  loop.callAt(loop.time() + 10, () => order.push('at-10'));
  loop.callSoon(() => order.push('soon-a'));
  loop.callSoon(() => order.push('soon-b'));
  loop.callSoon(() => order.push('soon-c'));
  await sleep(50);
  console.log(order.join(' '));
}

run(main);
