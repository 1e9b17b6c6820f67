// Traced by the integration suite (findings.test.js): two transfers deadlock on two locks.
// Same program as test/findings/programs/deadlock.ts.
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
