/**
 * Webview benchmark in headless Chromium (Debian /usr/bin/chromium), on a synthetic
 * trace of WEBVIEW_BENCH_N events (default 1M) encoded with the real codec:
 * - first frame: bytes in the page → ingest.ts (coarse picture straight from the bytes)
 *   → drawn (goal under 300 ms after the data arrives), then the time until the model
 *   is decoded (in slices between frames) and its full layout drawn;
 * - script ms per frame while panning at each zoom level, from the whole trace down
 *   to ~1 µs per pixel, one draw per animation frame (goal under 8 ms at every level);
 * - JS heap after load.
 * Baseline, measured in the same run: the previous path (every byte decoded, the model
 * built and laid out before the first frame) and the same frames with levels of detail
 * turned off (every span in view drawn). Ratios are ours / baseline (and / goal).
 * Each side runs WEBVIEW_BENCH_REPS times (default 1), alternating; the best is kept.
 * WEBVIEW_BENCH_TASKS lists the trace shapes by task count (default 200,20).
 * Run: `npx tsx bench/webview-bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { encodeTrace } from '../trace/encoder';
import type { TraceEvent } from '../trace/events';
import type { AwaitKind } from '../trace/model-types';

const N = Number(process.env.WEBVIEW_BENCH_N ?? 1_000_000);
/** Trace shapes: many tasks (about one run per pixel per lane at fit) and few busy tasks (many runs per pixel, where levels of detail matter). */
const SHAPES = (process.env.WEBVIEW_BENCH_TASKS ?? '200,20').split(',').map(Number);
const REPS = Number(process.env.WEBVIEW_BENCH_REPS ?? 1);
const root = path.resolve(__dirname, '..');

/** Round-robin tasks: each round every task wakes, runs briefly (sometimes under a lock) and awaits again. */
function syntheticEvents(n: number, tasks: number): TraceEvent[] {
  const ev: TraceEvent[] = [{ type: 'sitesRegistered', time: 0, base: 1, sites: Array.from({ length: 20 }, (_, i) => `src/bench.ts:${10 + i}:3`) }];
  let t = 0;
  const tick = () => (t += 0.001 + ((t * 7919) % 1) * 0.002);
  ev.push({ type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 1 });
  ev.push({ type: 'resourceCreated', time: 0, resourceId: 9, kind: 'lock', name: 'hot', site: 2, capacity: 1 });
  for (let k = 0; k < tasks; k++) ev.push({ type: 'taskCreated', time: 0, taskId: 10 + k, parentId: 1, name: `worker-${k}`, site: 3 });
  const kinds: AwaitKind[] = ['sleep', 'queue', 'future', 'io', 'executor', 'lock'];
  for (let round = 0; ev.length < n; round++) {
    for (let k = 0; k < tasks && ev.length < n; k++) {
      const id = 10 + k;
      if (round > 0) ev.push({ type: 'awaitEnd', time: tick(), taskId: id, targetId: 0, outcome: 'ok' });
      ev.push({ type: 'taskRunBegin', time: tick(), taskId: id });
      const locked = (round + k) % 9 === 0;
      if (locked) ev.push({ type: 'resourceAcquired', time: tick(), resourceId: 9, taskId: id, site: 4 });
      if (locked) ev.push({ type: 'resourceReleased', time: tick(), resourceId: 9, taskId: id, site: 4 });
      ev.push({ type: 'taskRunEnd', time: tick(), taskId: id });
      ev.push({ type: 'awaitBegin', time: tick(), taskId: id, kind: kinds[(round + k) % kinds.length], targetId: 0, site: 5 + (round % 10) });
    }
  }
  return ev;
}

const entry = `
import { App } from './webview/app';
import { Ingest } from './webview/ingest';
import { installStyles } from './webview/styles';
import { TraceFeed } from './trace/feed';
installStyles(document);
const host = { post() {}, getState() { return undefined; }, setState() {}, listen() {} };
window.bench = {
  // ours: the product path (ingest.ts: coarse picture first, model decoded in slices) with levels of detail;
  // baseline: the previous path, everything decoded and laid out at once, no levels of detail.
  async load(ours) {
    const bytes = new Uint8Array(await (await fetch('/trace.atrace')).arrayBuffer());
    const container = document.getElementById('app');
    const app = new App(container, host);
    app.layoutOverrides = { levelsOfDetail: ours };
    window.app = app;
    const feed = new TraceFeed();
    app.setModel(feed.model, 'bench');
    const t0 = performance.now();
    const ingest = new Ingest(app, feed, () => {}, { progressive: ours });
    ingest.chunk(bytes);
    const decodeMs = performance.now() - t0;
    app.draw();
    const script = performance.now() - t0;
    const firstBoxes = app.lastDraw.boxes;
    const provisional = !!(app.layout && app.layout.provisional);
    await new Promise((r) => requestAnimationFrame(() => r()));
    const firstFrameMs = performance.now() - t0;
    await ingest.idle();
    const modelMs = performance.now() - t0;
    app.draw();
    const readyMs = performance.now() - t0;
    return { firstFrameMs, scriptMs: script, decodeMs, modelMs, readyMs, provisional, events: feed.model.eventCount, boxes: firstBoxes };
  },
  // One pan step and one draw per animation frame, as the app draws: the canvas is presented between
  // frames. (Drawing frames back to back in one task let the canvas's recorded operations pile up
  // until it flushed them mid-draw every few frames, a cost the app never pays.)
  async frames(msPerPx, count) {
    const app = window.app;
    app.fit();
    const mid = (app.model.startTime + app.model.endTime) / 2;
    app.scale = new app.scale.constructor(mid - (app.chartWidth / 2) * msPerPx, msPerPx);
    app.draw();
    const times = [];
    for (let i = 0; i < count; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      app.panBy(i % 2 ? -37 : 41, i % 5 === 0 ? -20 : 0);
      const t0 = performance.now();
      app.draw();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], boxes: app.lastDraw.boxes };
  },
  span() { return window.app.model.endTime - window.app.model.startTime; },
};
`;

async function main(): Promise<void> {
  for (const tasks of SHAPES) await benchShape(tasks);
}

async function benchShape(TASKS: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'atrace-wbench-')); // scratch for the browser's downloads and temp files
  const t0 = performance.now();
  const events = syntheticEvents(N, TASKS);
  const bytes = encodeTrace({ formatVersion: 1, clockOriginUnixMs: 0, program: 'bench.ts', root: '/', runtimeVersion: '0', nodeVersion: process.version, pid: 1 }, events);
  console.log(`\n=== synthetic trace: ${events.length.toLocaleString('en-US')} events, ${(bytes.length / 1e6).toFixed(1)} MB, ${TASKS} tasks (generated in ${(performance.now() - t0).toFixed(0)} ms)`);
  const built = await esbuild.build({ stdin: { contents: entry, resolveDir: root, loader: 'js' }, bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, minify: true });
  const js = built.outputFiles[0].text;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const run = async (lod: boolean) => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.route('http://bench.invalid/**', (route) => {
      const url = route.request().url();
      if (url.endsWith('/trace.atrace')) return route.fulfill({ body: Buffer.from(bytes), contentType: 'application/octet-stream' });
      if (url.endsWith('/bench.js')) return route.fulfill({ body: js, contentType: 'text/javascript' });
      return route.fulfill({ body: '<!DOCTYPE html><html><body><div id="app"></div><script src="/bench.js"></script></body></html>', contentType: 'text/html' });
    });
    await page.goto('http://bench.invalid/index.html');
    const load = await page.evaluate((l) => (window as unknown as { bench: { load(l: boolean): Promise<{ firstFrameMs: number; scriptMs: number; decodeMs: number; modelMs: number; readyMs: number; provisional: boolean; events: number; boxes: number }> } }).bench.load(l), lod);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const span = await page.evaluate(() => (window as unknown as { bench: { span(): number } }).bench.span());
    const levels: { msPerPx: number; median: number; p95: number; boxes: number }[] = [];
    for (let msPerPx = span / 1400; msPerPx > 0.0005; msPerPx /= 8) {
      const f = await page.evaluate(([m, c]) => (window as unknown as { bench: { frames(m: number, c: number): Promise<{ median: number; p95: number; boxes: number }> } }).bench.frames(m, c), [msPerPx, 60] as const);
      levels.push({ msPerPx, ...f });
    }
    await page.close();
    return { load, heapMB: heap.usedSize / 1e6, levels };
  };
  try {
    // Alternate and keep the best of REPS runs each: the machine may be shared, and the
    // best run is the one least disturbed by others.
    type Run = Awaited<ReturnType<typeof run>>;
    const bestOf = (a: Run | undefined, b: Run): Run => (!a ? b : {
      load: a.load.firstFrameMs <= b.load.firstFrameMs ? a.load : b.load,
      heapMB: Math.min(a.heapMB, b.heapMB),
      levels: a.levels.map((l, i) => ({ ...l, median: Math.min(l.median, b.levels[i].median), p95: Math.min(l.p95, b.levels[i].p95) })),
    });
    let ours: Run | undefined, base: Run | undefined;
    for (let rep = 0; rep < REPS; rep++) {
      ours = bestOf(ours, await run(true));
      base = bestOf(base, await run(false));
    }
    if (!ours || !base) return;
    const r = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    const L = ours.load, B = base.load;
    console.log(`\nfirst frame after the data arrives: ${L.firstFrameMs.toFixed(0)} ms (${L.provisional ? 'coarse picture from the bytes' : 'full layout'}: script ${L.scriptMs.toFixed(0)} ms, of which scan ${L.decodeMs.toFixed(0)} ms; ${L.boxes} boxes drawn)`);
    console.log(`  then model decoded in slices by ${L.modelMs.toFixed(0)} ms, full layout drawn by ${L.readyMs.toFixed(0)} ms; ${L.events.toLocaleString('en-US')} events`);
    console.log(`  baseline (all decoded and laid out at once, no LOD): first frame ${B.firstFrameMs.toFixed(0)} ms (decode + model ${B.decodeMs.toFixed(0)} ms), ${B.boxes} boxes   ratio ${r(L.firstFrameMs, B.firstFrameMs)}   vs goal 300 ms: ${r(L.firstFrameMs, 300)}`);
    console.log(`JS heap after load (V8 used size after GC; typed-array storage not included): ${ours.heapMB.toFixed(0)} MB (baseline ${base.heapMB.toFixed(0)} MB, ratio ${r(ours.heapMB, base.heapMB)}); trace bytes ${(bytes.length / 1e6).toFixed(0)} MB`);
    console.log('\nscript ms per frame while panning (median / p95), by zoom:');
    console.log(`${'ms per px'.padStart(12)} ${'ours'.padStart(16)} ${'boxes'.padStart(7)} ${'no LOD'.padStart(16)} ${'boxes'.padStart(7)} ${'ratio'.padStart(7)} ${'vs 8ms'.padStart(7)}`);
    ours.levels.forEach((o, i) => {
      const b = base.levels[i];
      console.log(`${o.msPerPx.toPrecision(3).padStart(12)} ${`${o.median.toFixed(2)} / ${o.p95.toFixed(2)}`.padStart(16)} ${String(o.boxes).padStart(7)} ${`${b.median.toFixed(2)} / ${b.p95.toFixed(2)}`.padStart(16)} ${String(b.boxes).padStart(7)} ${r(o.median, b.median).padStart(7)} ${r(o.p95, 8).padStart(7)}`);
    });
    const worst = Math.max(...ours.levels.map((l) => l.p95));
    console.log(`\nworst p95 ${worst.toFixed(2)} ms per frame (goal 8 ms: ${worst <= 8 ? 'met' : 'missed'}); first frame goal 300 ms: ${ours.load.firstFrameMs <= 300 ? 'met' : 'missed'}`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
