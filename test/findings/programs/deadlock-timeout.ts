// The same two transfers, but each gives up the second lock after 100 ms: the
// deadlock lasts ~100 ms and ends in a TimeoutError (the wait ends cancelled).
import { Lock, TimeoutError, createTask, gather, run, sleep, timeout } from 'async-trace/runtime';
async function main(): Promise<void> {
  const accounts = new Lock({ name: 'accounts' });
  const ledger = new Lock({ name: 'ledger' });
  const transfer = async (first: Lock, second: Lock): Promise<string> => {
    await first.acquire();
    try {
      await sleep(0); // both hold their first lock before either asks for its second (no timer race)
      await timeout(100, () => second.acquire());
      second.release();
      return 'done';
    } catch (e) {
      if (e instanceof TimeoutError) return 'gave up';
      throw e;
    } finally {
      first.release();
    }
  };
  console.log(await gather([createTask(() => transfer(accounts, ledger), { name: 'transfer-ab' }), createTask(() => transfer(ledger, accounts), { name: 'transfer-ba' })]));
}
run(main);
