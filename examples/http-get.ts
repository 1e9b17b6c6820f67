// An HTTP GET written by hand over `openConnection`, ten at once with `asCompleted`.
// What to look for in the trace: ten `get-N` tasks, each with an `io` await for the
// connect, the drain and each read. The server waits until all ten requests are in,
// then answers /0, /1, ... /9, 30 ms apart, so the results arrive in that order,
// whatever order the GETs were started in: `asCompleted` yields them as they finish.
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
  const waiting: { n: number; res: http.ServerResponse }[] = [];
  const server = http.createServer((req, res) => {
    waiting.push({ n: Number(req.url?.slice(1)), res });
    if (waiting.length < 10) return;
    waiting.sort((a, b) => a.n - b.n);
    waiting.forEach(({ n, res: r }, i) => setTimeout(() => r.end(`page ${n}`), 30 * (i + 1)));
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
