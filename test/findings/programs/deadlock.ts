// Two transfers take the same two locks in opposite order: each holds one and waits
// for the other, forever (the process exits when nothing is left to run).
import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';
async function main(): Promise<void> {
  const accounts = new Lock({ name: 'accounts' });
  const ledger = new Lock({ name: 'ledger' });
  const transfer = async (first: Lock, second: Lock): Promise<void> => {
    await first.acquire();
    try {
      await sleep(0); // both hold their first lock before either asks for its second (no timer race)
      await second.acquire();
      second.release();
    } finally {
      first.release();
    }
  };
  await gather([createTask(() => transfer(accounts, ledger), { name: 'transfer-ab' }), createTask(() => transfer(ledger, accounts), { name: 'transfer-ba' })]);
}
run(main);
