// An async iterator and an async context manager with awaits inside.
// What to look for in the trace: `main` iterates `ticks()`: each step is an await of
// the generator with a `sleep` nested inside it. The connection is opened and closed
// by `await using`: the `sleep`s inside `open` and `[Symbol.asyncDispose]` show as
// awaits at the lines that made them, the dispose after the loop ends.
import { run, sleep } from 'async-trace/runtime';

async function* ticks(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    await sleep(20);
    yield i;
  }
}

class Connection implements AsyncDisposable {
  open = false;
  static async open(): Promise<Connection> {
    const c = new Connection();
    await sleep(10); // the handshake
    c.open = true;
    return c;
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await sleep(10); // the goodbye
    this.open = false;
  }
}

async function main(): Promise<void> {
  let sum = 0;
  {
    await using conn = await Connection.open();
    for await (const t of ticks(5)) sum += t;
    console.log(`connection open while iterating: ${conn.open}`);
  }
  console.log(`sum ${sum}`);
}

run(main);
