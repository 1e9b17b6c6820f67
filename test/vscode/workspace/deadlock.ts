// Two transfers take two locks in opposite orders and wait for each other forever; a
// watchdog stops in the debugger once they are stuck, then cancels them.
import { Lock, createTask, run, sleep, type Task } from 'async-trace/runtime';

const accounts = new Lock({ name: 'accounts' });
const ledger = new Lock({ name: 'ledger' });

async function transfer(first: Lock, second: Lock): Promise<void> {
  await first.acquire();
  await sleep(10);
  await second.acquire();
}

run(async () => {
  const stuck: Task<void>[] = [
    createTask(() => transfer(accounts, ledger), { name: 'transfer-ab' }),
    createTask(() => transfer(ledger, accounts), { name: 'transfer-ba' }),
  ];
  await sleep(100);
  // eslint-disable-next-line no-debugger -- the watchdog stops here on purpose: both transfers wait for each other
  debugger;
  for (const t of stuck) t.cancel();
});
