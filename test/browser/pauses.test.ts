/// <reference lib="dom" />
// Debugger pauses in the webview (issue 15), in real Chromium: the product bundle on the
// lock trace with a pause inside worker-a's hold draws a band across every lane with
// its label, says what it is on hover, and notes above the contention table that paused
// time is left out. Screenshots go to test-results/webview/pause-band-*.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { encodeTrace } from '../../trace/encoder';
import { AXIS_HEIGHT } from '../../webview/viewport';
import { lockTrace } from './webview.test';

const root = path.resolve(__dirname, '../..');
const shots = path.join(root, 'test-results', 'webview');
const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('webview: debugger pauses', function () {
  this.timeout(60_000);
  let browser: Browser;
  let dir: string;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-pauses-'));
    await esbuild.build({ bundle: true, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'silent', entryPoints: [path.join(root, 'webview/main.ts')], outfile: path.join(dir, 'main.js') });
    const t = lockTrace();
    // worker-a holds the lock and sleeps from 1.2 to 11; the debugger stopped it for 3 .. 9.
    const events = [...t.events];
    const at = events.findIndex((e) => e.time >= 11);
    events.splice(at, 0, { type: 'debuggerPaused', time: 9.01, endedBeforeUs: 10, durationMs: 6 });
    const bytes = encodeTrace(t.header, events, 8);
    writeFileSync(path.join(dir, 'paused.html'), `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Async Trace</title></head><body><div id="app"></div><script type="application/octet-stream" id="atrace-data" data-title="paused.atrace">${Buffer.from(bytes).toString('base64')}</script><script src="main.js"></script></body></html>`);
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: launchArgs });
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`draws the pause as a labelled band across the lanes, with a tooltip (${scheme})`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, colorScheme: scheme });
      page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${path.join(dir, 'paused.html')}`);
      await page.waitForFunction(() => ((window as unknown as { asyncTraceApp: { lastDraw: { boxes: number } } }).asyncTraceApp?.lastDraw.boxes ?? 0) > 0);
      // Where the pause is on the canvas: the app's own viewport maps its times.
      const band = await page.evaluate(() => {
        const app = (window as unknown as { asyncTraceApp: { viewport(): { canvasX(t: number): number; height: number }; model: { pauses: { begin: number; end: number }[] } } }).asyncTraceApp;
        const v = app.viewport();
        const p = app.model.pauses[0]!;
        return { x0: v.canvasX(p.begin), x1: v.canvasX(p.end), height: v.height, pauses: app.model.pauses };
      });
      assert.deepEqual(band.pauses, [{ begin: 3, end: 9 }]);
      const canvas = await page.locator('canvas').boundingBox();
      // The band's label, in the chart's top row.
      const column = (x: number) => page.evaluate(({ x, top }) => {
        const c = document.querySelector('canvas')!;
        const dpr = window.devicePixelRatio || 1;
        const d = c.getContext('2d')!.getImageData(Math.round(x * dpr), Math.round(top * dpr), 1, Math.round((c.height / dpr - top) * dpr)).data;
        const seen = new Set<string>();
        for (let i = 0; i < d.length; i += 4) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
        return [...seen];
      }, { x, top: AXIS_HEIGHT + 25 });
      // The lane background at the bottom of the chart (no boxes there) differs inside and outside the band.
      const bottomPixel = (x: number) => page.evaluate(({ x }) => {
        const c = document.querySelector('canvas')!;
        const dpr = window.devicePixelRatio || 1;
        const d = c.getContext('2d')!.getImageData(Math.round(x * dpr), c.height - 4, 1, 1).data;
        return `${d[0]},${d[1]},${d[2]}`;
      }, { x });
      const mid = (band.x0 + band.x1) / 2;
      assert.notEqual(await bottomPixel(mid), await bottomPixel(band.x1 + 40), 'the band washes the empty chart area');
      assert.ok((await column(mid)).length > 1);
      await page.screenshot({ path: path.join(shots, `pause-band-${scheme}.png`) });
      // Hovering the band where no box is (the bottom of the chart) says what it is.
      await page.mouse.move(canvas!.x + mid, canvas!.y + band.height - 6);
      const tip = page.locator('.at-tooltip');
      await tip.waitFor({ state: 'visible' });
      assert.match(await tip.innerText(), /paused in debugger 6 ms/);
      assert.match(await tip.innerText(), /leave this time out/);
      // The contention table says its figures leave the pause out; worker-b's wait (1.6 .. 11.5) counts 9.9 - 6 ms.
      assert.match(await page.locator('.at-table caption').innerText(), /1 debugger pause \(6 ms\) excluded/);
      await context.close();
      assert.deepEqual(errors, []);
    });
  }
});
