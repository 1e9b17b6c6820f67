// Awaits and runtime calls before a throw on the same line: the error's stack must show
// the column of the throw as written, not one shifted by the site marks.
import { Lock, run, sleep } from 'async-trace/runtime';

const lock = new Lock();
async function main(): Promise<void> {
  await sleep(1); await lock.acquire(); lock.release(); await sleep(1); throw new Error('thrown after marks');
}

run(main).catch((e: Error) => { console.log(`caught: ${e.stack}`); });
