/**
 * The standalone viewer (`async-trace view`) loading a big trace in headless Chromium,
 * three ways, alternating in one run: the trace inline in the page as base64 (the old
 * page, `--inline`; the baseline), in a data script beside the page opened from file://
 * (the default), and streamed from `view --serve`. For each: ms from navigation start
 * to the bytes being all in the page (a performance mark by webview/host.ts), to the first frame (the coarse picture: the status line says `loading`), to the model
 * decoded (the final status line), and the JS heap after load and a GC (V8 used size;
 * typed-array storage not included), plus the page's files on disk.
 * VIEWER_BENCH_N events (default 1M, synthetic: bench/synthetic-trace.ts),
 * VIEWER_BENCH_REPS rounds (default 3; best of them kept).
 * Run: `npx tsx bench/viewer-load-bench.ts` (needs `npm run build` for dist/webview).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { runCli } from '../cli/main';
import { writeSyntheticTrace } from './synthetic-trace';

const N = Number(process.env.VIEWER_BENCH_N ?? 1_000_000);
const REPS = Number(process.env.VIEWER_BENCH_REPS ?? 3);
const root = path.resolve(__dirname, '..');

interface Load { dataMs: number; firstFrameMs: number; decodedMs: number; heapMB: number }

async function measure(browser: Browser, url: string): Promise<Load> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const cdp = await page.context().newCDPSession(page);
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const status = (): string => document.querySelector('.at-status')?.textContent ?? '';
    const firstFrameMs = await (await page.waitForFunction(`(${status.toString()})().includes('events') ? performance.now() : 0`, null, { polling: 'raf', timeout: 120_000 })).jsonValue() as number;
    const decodedMs = await (await page.waitForFunction(`/tasks? · /.test((${status.toString()})()) && !(${status.toString()})().includes('loading') ? performance.now() : 0`, null, { polling: 'raf', timeout: 120_000 })).jsonValue() as number;
    const dataMs = await page.evaluate(() => performance.getEntriesByName('atrace-data')[0]?.startTime ?? NaN);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return { dataMs, firstFrameMs, decodedMs, heapMB: heap.usedSize / 1e6 };
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'atrace-viewer-bench-'));
  const trace = path.join(dir, 'service.atrace');
  const events = writeSyntheticTrace(trace, N);
  const io = { out: () => undefined, err: (t: string) => { process.stderr.write(t); } };
  const inline = path.join(dir, 'inline.html');
  const paged = path.join(dir, 'paged.html');
  if (await runCli(['view', trace, '--inline', '-o', inline], io) !== 0) throw new Error('view --inline failed');
  if (await runCli(['view', trace, '-o', paged], io) !== 0) throw new Error('view failed');
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'cli/main.ts'), 'view', trace, '--serve'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const servedUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d: Buffer) => { out += d.toString(); const m = /^(http:\S+)\n/m.exec(out); if (m) resolve(m[1]); });
    server.once('exit', (c) => reject(new Error(`view --serve exited ${c}`)));
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const ways: [string, string][] = [['inline page (baseline)', pathToFileURL(inline).href], ['data file beside the page', pathToFileURL(paged).href], ['view --serve', servedUrl]];
  const best = new Map<string, Load>();
  try {
    for (let rep = 0; rep < REPS; rep++) {
      for (const [name, url] of ways) {
        const m = await measure(browser, url);
        const b = best.get(name);
        best.set(name, b ? { dataMs: Math.min(b.dataMs, m.dataMs), firstFrameMs: Math.min(b.firstFrameMs, m.firstFrameMs), decodedMs: Math.min(b.decodedMs, m.decodedMs), heapMB: Math.min(b.heapMB, m.heapMB) } : m);
      }
    }
  } finally {
    await browser.close();
    server.kill('SIGINT');
  }
  const mb = (f: string): string => (statSync(f).size / 1e6).toFixed(1);
  console.log(`${events} events, trace ${mb(trace)} MB; inline page ${mb(inline)} MB; page ${mb(paged)} MB + data file ${mb(paged.replace(/\.html$/, '.data.js'))} MB; best of ${REPS}`);
  const base = best.get(ways[0][0])!;
  console.log('| way | bytes in the page | first frame | model decoded | JS heap after GC | vs inline (first frame / heap) |');
  console.log('|---|---|---|---|---|---|');
  for (const [name] of ways) {
    const m = best.get(name)!;
    console.log(`| ${name} | ${m.dataMs.toFixed(0)} ms | ${m.firstFrameMs.toFixed(0)} ms | ${m.decodedMs.toFixed(0)} ms | ${m.heapMB.toFixed(0)} MB | ${(m.firstFrameMs / base.firstFrameMs).toFixed(2)}x / ${(m.heapMB / base.heapMB).toFixed(2)}x |`);
  }
  rmSync(dir, { recursive: true, force: true });
}

void main().catch((e) => { console.error(e); process.exitCode = 1; });
