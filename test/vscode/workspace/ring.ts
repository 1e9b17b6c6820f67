// Run by the integration suite under the flight recorder (asyncTrace.ringSize): a task
// that waits all along, then enough short tasks to turn a small ring over; it says it is
// ready by writing ring-ready, and ends when the suite writes ring-stop.
import { existsSync, writeFileSync } from 'node:fs';
import { Event, createTask, run, sleep } from 'async-trace/runtime';

async function main(): Promise<void> {
  const never = new Event({ name: 'never' });
  const watcher = createTask(async () => { await never.wait(); }, { name: 'watcher' });
  for (let i = 0; i < 4000; i++) await createTask(async () => { await sleep(0); }, { name: `req-${i}` });
  writeFileSync('ring-ready', '');
  while (!existsSync('ring-stop')) await sleep(50);
  watcher.cancel();
}

run(main);
