// A crawler: a local site of linked pages, a queue of URLs, a pool of consumer tasks,
// de-duplication, bounded concurrency with a semaphore, and results stored through a
// thread-pool executor into a real embedded database (SQLite via better-sqlite3).
// What to look for in the trace: four `crawler-N` tasks pulling from the `frontier`
// queue (its lane shows the queue length rise and fall); at most two fetches at once
// (the `fetch-slots` semaphore: the others wait on it, visible as semaphore awaits);
// each fetch is `io` awaits on a hand-written HTTP GET; each page is stored by an
// `executor` job on the `db` pool. The crawl ends when the queue is joined: every
// page fetched exactly once, however many pages link to it.
// The example starts its own HTTP server on loopback and stops it at the end.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, Semaphore, ThreadPoolExecutor, createTask, getRunningLoop, openConnection, run } from 'async-trace/runtime';

/** The site: page i links to 3i+1, 3i+2, 3i+3 and back to 0, so there is plenty to de-duplicate. */
const PAGES = 30;
function page(i: number): string {
  const links = [3 * i + 1, 3 * i + 2, 3 * i + 3, 0].filter((n) => n < PAGES).map((n) => `<a href="/page/${n}">${n}</a>`);
  return `<html><title>Page ${i}</title><body>${links.join(' ')}</body></html>`;
}

async function httpGet(port: number, url: string): Promise<string> {
  const [reader, writer] = await openConnection('127.0.0.1', port);
  writer.write(`GET ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  await writer.drain();
  const response = (await reader.read()).toString();
  writer.close();
  await writer.waitClosed();
  return response.slice(response.indexOf('\r\n\r\n') + 4);
}

// The database code is real code with imports, so it goes to the worker as a
// `{ module, export }` reference. `process.argv[1]` is this program's own path, as
// under `node crawler.ts` (the traced build keeps it so).
const storeModule = path.join(path.dirname(process.argv[1]), 'crawler-store.cjs');
const storePage = { module: storeModule, export: 'storePage' };
const countPages = { module: storeModule, export: 'countPages' };

async function main(): Promise<void> {
  const server = http.createServer((req, res) => {
    const i = Number(req.url?.split('/').pop());
    setTimeout(() => res.end(page(i)), 5 + (i % 4) * 5);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dir = mkdtempSync(path.join(tmpdir(), 'crawler-'));
  const dbPath = path.join(dir, 'pages.db');
  const db = new ThreadPoolExecutor({ maxWorkers: 1 }); // SQLite: one writer
  const loop = getRunningLoop();
  const frontier = new Queue<string>({ name: 'frontier' });
  const slots = new Semaphore(2, { name: 'fetch-slots' });
  const seen = new Set<string>(['/page/0']);
  const failed: string[] = [];
  frontier.putNowait('/page/0');

  async function crawler(): Promise<void> {
    for (;;) {
      const url = await frontier.get();
      try {
        await crawlOne(url);
      } catch (e) {
        failed.push(`${url}: ${(e as Error).message}`); // keep crawling; report at the end
      } finally {
        frontier.taskDone();
      }
    }
  }

  async function crawlOne(url: string): Promise<void> {
    const html = await slots.withLock(() => httpGet(port, url));
    const title = /<title>(.*?)<\/title>/.exec(html)?.[1] ?? '';
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    for (const link of links) {
      if (!seen.has(link)) { seen.add(link); frontier.putNowait(link); }
    }
    await loop.runInExecutor(db, storePage, dbPath, url, title, links.length);
  }

  const crawlers = [0, 1, 2, 3].map((i) => createTask(crawler, { name: `crawler-${i}` }));
  try {
    await frontier.join();
    for (const c of crawlers) c.cancel();
    const stored = await loop.runInExecutor(db, countPages, dbPath);
    console.log(`crawled ${seen.size} pages, stored ${stored}`);
    for (const f of failed) console.error(`failed ${f}`);
  } finally {
    await db.shutdown(true);
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

run(main);
