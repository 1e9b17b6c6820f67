// Every task finishes, but an interval timer and a listening server keep the
// process alive until it is stopped (the test sends SIGINT once it says so).
import { createServer } from 'node:net';
import { run, sleep } from 'async-trace/runtime';
async function main(): Promise<void> {
  await sleep(5);
  setInterval(() => {}, 1000);
  createServer().listen(0, '127.0.0.1', () => console.log('listening'));
}
run(main);
