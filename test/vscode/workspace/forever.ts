// Never ends by itself: the integration suite stops it with the debug stop button.
import { createTask, run, sleep } from 'async-trace/runtime';

async function main(): Promise<void> {
  for (let i = 0; ; i++) await createTask(() => sleep(20), { name: `tick-${i}` });
}

run(main);
