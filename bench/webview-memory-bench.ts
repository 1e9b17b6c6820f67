/**
 * The webview's memory while a big trace arrives as the extension host sends it: the
 * real bundle (dist/webview/main.js) in headless Chromium behind a stand-in for
 * `acquireVsCodeApi`, the trace (synthetic, bench/synthetic-trace.ts) delivered as the
 * host's replay delivers a file: 64 MB pieces, each a message of its own, each sent as
 * soon as the one before was delivered (the host waits for delivery, not for decoding),
 * then `end`. Sampled every 250 ms until the findings are shown, then for a rest: the
 * renderer's resident memory (ps RSS of the page's process) and the V8 heap in use,
 * labelled by phase (pieces arriving, decoding, findings, rest).
 * Runs, each in a browser of its own: the pieces sent as the host sends them now (each
 * once the page said `taken` for the one before), as fast as delivered (the host
 * before), and the whole file as one message (Open Trace File). Baseline, in the same
 * run: WEBVIEW_MEMORY_BASE_JS, a bundle built from an earlier tree, fed both ways.
 * After the rest: RSS after a full GC, the V8 heap, and the typed arrays reachable from
 * the app (what the page keeps).
 * WEBVIEW_MEMORY_N events (default 5M), WEBVIEW_MEMORY_PIECE_MB (default 64).
 * Run: `npx tsx bench/webview-memory-bench.ts` (needs `npm run build` for dist/webview).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { rendererRssMB } from './renderer-rss';
import { writeSyntheticTrace } from './synthetic-trace';

const N = Number(process.env.WEBVIEW_MEMORY_N ?? 5_000_000);
const PIECE = Number(process.env.WEBVIEW_MEMORY_PIECE_MB ?? 64) * (1 << 20);
const REST_MS = 10_000;
/** A webview bundle built from another tree (npm run build there), measured in the same run as the baseline. */
const BASE_JS = process.env.WEBVIEW_MEMORY_BASE_JS;
const root = path.resolve(__dirname, '..');

interface Sample { t: number; phase: string; rssMB: number; heapMB: number }


const PAGE = `<!DOCTYPE html><html><body><div id="app"></div><script>
window.__posted = [];
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m.type === 'insights' ? { type: 'insights', findings: m.findings.length } : m), getState: () => undefined, setState: () => {} });
</script><script src="/main.js" id="bundle"></script></body></html>`;

/**
 * Delivers the trace to the page in `pieceBytes` pieces, one message each, each when the
 * page has received the one before, and with `waitTaken` only once it has also said
 * `taken` for it (protocol.ts: what the host does since 2026-12-04).
 */
async function deliver(page: Page, size: number, pieceBytes: number, waitTaken: boolean): Promise<void> {
  await page.evaluate(() => window.postMessage({ type: 'reset', title: 'bench', trace: '/bench/trace.atrace' }, '*'));
  let k = 0;
  for (let off = 0; off < size; off += pieceBytes, k++) {
    if (waitTaken && k > 0) {
      await page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'taken').length >= n, k, { timeout: 600_000, polling: 50 });
    }
    // The page fetches the piece and hands the very bytes to its message handler (no copy kept by the page, as a delivered message).
    await page.evaluate(async ([o, n]) => {
      const bytes = new Uint8Array(await (await fetch(`/piece?o=${o}&n=${n}`)).arrayBuffer());
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'chunk', bytes } }));
    }, [off, Math.min(pieceBytes, size - off)] as const);
  }
  await page.evaluate(() => window.postMessage({ type: 'end', complete: true, message: '' }, '*'));
}

async function measure(browser: Browser, origin: string, size: number, pieceBytes: number, waitTaken: boolean, bundle: string): Promise<{ samples: Sample[]; findings: number; kept: { rssMB: number; heapMB: number; typedMB: number; objects: number } }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${origin}/index.html?bundle=${bundle}`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  const cdp = await page.context().newCDPSession(page);
  const samples: Sample[] = [];
  let phase = 'idle';
  const t0 = performance.now();
  const sample = async () => {
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    samples.push({ t: performance.now() - t0, phase, rssMB: await rendererRssMB(browser), heapMB: heap.usedSize / 1e6 });
  };
  await sample();
  let sampling = true;
  const sampler = (async () => { while (sampling) { await sample(); await new Promise((r) => setTimeout(r, 250)); } })();
  phase = 'pieces arriving';
  await deliver(page, size, pieceBytes, waitTaken);
  phase = 'decoding';
  // Decoded when the status line no longer says loading; the findings when the page reports its insights.
  await page.waitForFunction(() => !/loading/i.test(document.querySelector('.at-status')?.textContent ?? 'loading'), undefined, { timeout: 600_000, polling: 200 });
  phase = 'findings';
  const reported = await (await page.waitForFunction(() => (window as unknown as { __posted: { type: string; findings?: number }[] }).__posted.find((m) => m.type === 'insights' || m.type === 'error'), undefined, { timeout: 600_000, polling: 200 })).jsonValue();
  phase = 'rest';
  await new Promise((r) => setTimeout(r, REST_MS));
  sampling = false;
  await sampler;
  // What stays: RSS after a full GC, the V8 heap, and the typed-array storage reachable from the page's globals (each buffer once).
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const buffers = await page.evaluate(() => {
    const seen = new Set<object>(), buffers = new Set<ArrayBufferLike>();
    const stack: unknown[] = [(window as unknown as { asyncTraceApp: unknown }).asyncTraceApp, (window as unknown as { asyncTraceFindings: unknown }).asyncTraceFindings];
    let bytes = 0;
    while (stack.length) {
      const o = stack.pop();
      if (typeof o !== 'object' || o === null || seen.has(o) || o instanceof Node || o === window) continue;
      seen.add(o);
      if (ArrayBuffer.isView(o)) { if (!buffers.has(o.buffer)) { buffers.add(o.buffer); bytes += o.buffer.byteLength; } continue; }
      if (o instanceof Map) { for (const [k, v] of o) stack.push(k, v); continue; }
      if (o instanceof Set) { for (const v of o) stack.push(v); continue; }
      for (const k of Object.keys(o)) stack.push((o as Record<string, unknown>)[k]);
    }
    return { mb: bytes / 1e6, objects: seen.size };
  });
  const kept = { rssMB: await rendererRssMB(browser), heapMB: heap.usedSize / 1e6, typedMB: buffers.mb, objects: buffers.objects };
  await page.close();
  if (reported?.type !== 'insights') throw new Error(`the page reported ${JSON.stringify(reported)}`);
  return { samples, findings: reported.findings ?? 0, kept };
}

function summary(name: string, s: Sample[]): { peak: number; idle: number } {
  const idle = s[0].rssMB;
  const by = new Map<string, Sample[]>();
  for (const x of s) { const xs = by.get(x.phase); if (xs) xs.push(x); else by.set(x.phase, [x]); }
  const peak = Math.max(...s.map((x) => x.rssMB));
  console.log(`\n${name}: idle ${idle.toFixed(0)} MB RSS, peak ${peak.toFixed(0)} MB (${(peak - idle).toFixed(0)} over idle), at rest ${s[s.length - 1].rssMB.toFixed(0)} MB`);
  for (const [phase, xs] of by) {
    const last = xs[xs.length - 1];
    console.log(`  ${phase.padEnd(16)} ${String(xs.length).padStart(4)} samples, ${(xs[0].t / 1000).toFixed(1).padStart(6)}-${(last.t / 1000).toFixed(1).padStart(6)} s: RSS peak ${Math.max(...xs.map((x) => x.rssMB)).toFixed(0).padStart(5)} MB, heap peak ${Math.max(...xs.map((x) => x.heapMB)).toFixed(0).padStart(5)} MB`);
  }
  return { peak, idle };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'atrace-wmem-'));
  const trace = path.join(dir, 'trace.atrace');
  let server: Server | undefined;
  try {
    const events = writeSyntheticTrace(trace, N);
    const size = statSync(trace).size;
    // A real HTTP server: a route through the DevTools pipe is slow and refuses a body over 100 MB.
    const bundles: Record<string, Buffer> = { ours: readFileSync(path.join(root, 'dist/webview/main.js')) };
    if (BASE_JS) bundles.base = readFileSync(BASE_JS);
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/main.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(bundles[url.searchParams.get('b') ?? 'ours']); return; }
      if (url.pathname === '/piece') {
        const o = Number(url.searchParams.get('o')), n = Number(url.searchParams.get('n'));
        const buf = Buffer.alloc(n), fd = openSync(trace, 'r');
        try { readSync(fd, buf, 0, n, o); } finally { closeSync(fd); }
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(buf);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE.replace('src="/main.js"', `src="/main.js?b=${url.searchParams.get('bundle') ?? 'ours'}"`));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    console.log(`synthetic trace: ${events.toLocaleString('en-US')} events, ${(size / 1e6).toFixed(0)} MB; pieces of ${PIECE >> 20} MB`);
    const launch = () => chromium.launch({
      executablePath: '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // A browser each, so one run's freed memory is not the other's headroom.
    const runs: [string, number, boolean, string][] = [
      [`ours: pieces of ${PIECE >> 20} MB, each sent once the page has taken the one before`, PIECE, true, 'ours'],
      [`ours: pieces of ${PIECE >> 20} MB sent as fast as delivered (the host before)`, PIECE, false, 'ours'],
      ['ours: the whole file as one message (Open Trace File)', size, true, 'ours'],
    ];
    if (BASE_JS) runs.push([`baseline ${BASE_JS}: pieces as fast as delivered`, PIECE, false, 'base'], [`baseline ${BASE_JS}: the whole file as one message`, size, false, 'base']);
    const peaks: number[] = [];
    for (const [name, piece, waitTaken, bundle] of runs) {
      const browser = await launch();
      try {
        const r = await measure(browser, origin, size, piece, waitTaken, bundle);
        const { peak, idle } = summary(`${name}: ${r.findings} findings`, r.samples);
        peaks.push(peak - idle);
        const k = r.kept;
        console.log(`  after a full GC: RSS ${k.rssMB.toFixed(0)} MB (${(k.rssMB - idle).toFixed(0)} over idle), V8 heap ${k.heapMB.toFixed(0)} MB, typed arrays reachable from the app ${k.typedMB.toFixed(0)} MB (${k.objects.toLocaleString('en-US')} objects walked); heap + typed arrays ${((1e6 * (k.heapMB + k.typedMB)) / events).toFixed(0)} bytes per event`);
      } finally {
        await browser.close();
      }
    }
    console.log('\npeak RSS over idle:');
    runs.forEach(([name], i) => console.log(`  ${String(peaks[i].toFixed(0)).padStart(5)} MB  ${(peaks[i] / peaks[0]).toFixed(2)}x of the first  ${name}`));
  } finally {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
