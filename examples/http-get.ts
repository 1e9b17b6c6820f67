// An HTTP GET written by hand over `openConnection`, ten at once with `asCompleted`.
// What to look for in the trace: ten `get-N` tasks, each with an `io` await for the
// connect, the drain and each read; the server answers path /N after N*15 ms, so the
// results arrive in order of their delays, whatever order they were started in.
// The example starts its own HTTP server on loopback and stops it at the end.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { asCompleted, createTask, openConnection, run } from 'async-trace/runtime';

async function httpGet(port: number, path: string): Promise<string> {
  const [reader, writer] = await openConnection('127.0.0.1', port);
  writer.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  await writer.drain();
  const status = (await reader.readline()).toString().trim();
  for (;;) { // headers
    const line = await reader.readline();
    if (line.length <= 2) break;
  }
  const body = (await reader.read()).toString();
  writer.close();
  await writer.waitClosed();
  return `${status} ${body}`;
}

async function main(): Promise<void> {
  const server = http.createServer((req, res) => {
    const n = Number(req.url?.slice(1));
    setTimeout(() => res.end(`page ${n}`), n * 15);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const order = [7, 2, 9, 0, 4, 1, 8, 3, 6, 5];
    const tasks = order.map((n) => createTask(() => httpGet(port, `/${n}`), { name: `get-${n}` }));
    for (const next of asCompleted(tasks)) console.log(await next);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

run(main);
