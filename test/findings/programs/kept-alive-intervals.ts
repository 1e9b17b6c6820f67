// Every task finishes, but two interval timers keep the process alive; the test sends
// SIGTERM once the first tick says so (the way a supervisor stops a service).
import { run, sleep } from 'async-trace/runtime';
async function main(): Promise<void> {
  await sleep(5);
  setInterval(() => console.log('tick'), 10);
  setInterval(() => {}, 60_000);
}
run(main);
