/// <reference lib="dom" />
// The Findings pane in real Chromium, on traces of real recorded programs (a lock held
// across await sleep(80), a deadlock): the product bundle (webview/main.ts) on the
// standalone page, the rows most severe first, a selected finding selecting its span,
// outlining the others, drawing its arrows and revealing its line, and the critical
// path drawn on the chart. Screenshots go to test-results/webview/findings-*.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { recordFixture } from '../findings/record';
import { readModelFromFile, traceInsights } from '../../extension/trace-jobs';
import type { FromWebview } from '../../webview/protocol';

const root = path.resolve(__dirname, '../..');
const shots = path.join(root, 'test-results', 'webview');
const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface PageApi {
  asyncTraceApp: { selection: unknown; decoration: { arrows(): unknown[] } };
}

describe('Findings pane in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;
  let page: Page;
  let errors: string[] = [];
  const files = new Map<string, string>();

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-findings-web-'));
    await esbuild.build({ bundle: true, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'silent', entryPoints: [path.join(root, 'webview/main.ts')], outfile: path.join(dir, 'main.js') });
    writeFileSync(path.join(dir, 'panel.html'), '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Async Trace</title></head><body><div id="app"></div><script src="main.js"></script></body></html>');
    for (const program of ['hold-across-await.ts', 'deadlock.ts']) {
      const { file } = await recordFixture(dir, program);
      files.set(program, file);
      const data = Buffer.from(readFileSync(file)).toString('base64');
      writeFileSync(path.join(dir, `${program}.html`), `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Async Trace</title></head><body><div id="app"></div>`
        + `<script type="application/octet-stream" id="atrace-data" data-title="${program}">${data}</script><script src="main.js"></script></body></html>`);
    }
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: launchArgs });
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterEach(async () => {
    await page.close();
    assert.deepEqual(errors, [], 'no errors in the page');
  });

  async function open(program: string): Promise<void> {
    await page.goto(`file://${path.join(dir, `${program}.html`)}`);
    await page.locator('.at-findings li[role="option"]').first().waitFor();
  }
  const rows = () => page.$$eval('.at-findings li[role="option"]', (lis) => lis.map((li) => `${(li as HTMLElement).dataset.severity} ${(li as HTMLElement).dataset.kind}`));
  const status = () => page.locator('.at-status').innerText();
  const nextFrame = () => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  /** Pixels of the chart painted in the theme's accent colour (selection outlines, arrows, the critical path). */
  const accentPixels = () => page.evaluate(() => {
    const probe = document.createElement('canvas').getContext('2d')!;
    probe.fillStyle = getComputedStyle(document.body).getPropertyValue('--at-accent').trim();
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    const c = document.querySelector('.at-chart canvas') as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 24) n++;
    return n;
  });

  it('lists the held lock, and selecting it selects the holder\'s await, outlines the others, draws arrows and reveals the await line', async () => {
    await open('hold-across-await.ts');
    assert.deepEqual(await rows(), ['warning lock-held-across-await']);
    const text = await page.locator('.at-findings li[role="option"]').innerText();
    assert.match(text, /held lock cache across await sleep\(\) at hold-across-await\.ts:9:7/);
    assert.match(text, /hold-across-await\.ts:9:7 · hold-across-await\.ts:7:5/);
    const before = await accentPixels();
    await page.locator('.at-findings li[role="option"]').click();
    await nextFrame();
    const sel = await page.evaluate(() => (window as unknown as PageApi).asyncTraceApp.selection) as { kind: string; taskId: number };
    assert.equal(sel.kind, 'await');
    const name = await page.evaluate((id) => (window as unknown as { asyncTraceApp: { model: { task(id: number): { name: string } } } }).asyncTraceApp.model.task(id).name, sel.taskId);
    assert.equal(name, 'refresh-1', 'the first hold\'s await is selected');
    assert.match(await status(), /→ hold-across-await\.ts:9:7/);
    assert.equal(await page.locator('.at-findings li[aria-selected="true"]').count(), 1);
    const arrows = await page.evaluate(() => (window as unknown as PageApi).asyncTraceApp.decoration.arrows().length);
    assert.ok(arrows >= 2, `arrows from the lock's lane to the holders' awaits (${arrows})`);
    assert.ok(await accentPixels() > before, 'outlines and arrows drawn in the accent colour');
    await page.screenshot({ path: path.join(shots, 'findings-held-lock.png') });
  });

  it('lists the deadlock before the pending task, selects the cycle with "waits for" arrows, and draws the critical path', async () => {
    await open('deadlock.ts');
    assert.deepEqual(await rows(), ['error deadlock', 'warning pending-at-exit']);
    await page.locator('.at-findings li[data-kind="deadlock"]').click();
    await nextFrame();
    assert.match(await status(), /→ deadlock\.ts:11:7/);
    const arrows = await page.evaluate(() => (window as unknown as PageApi).asyncTraceApp.decoration.arrows().length);
    assert.equal(arrows, 2, 'one "waits for" arrow per task of the cycle');
    await page.screenshot({ path: path.join(shots, 'findings-deadlock.png') });
    // Clicking elsewhere in the chart leaves the finding: its arrows go.
    await page.keyboard.press('Escape');
    await page.locator('.at-chart canvas').click({ position: { x: 5, y: 5 } });
    await nextFrame();
    const without = await accentPixels();
    await page.locator('.at-findings input[data-action="critical-path"]').check();
    await nextFrame();
    assert.ok(await accentPixels() > without + 200, 'the critical path is drawn along main\'s lane');
    await page.screenshot({ path: path.join(shots, 'findings-critical-path.png') });
  });

  it("tells the VS Code host the findings and await figures of the trace it shows, the same as a model built from the file (so the host builds none)", async () => {
    // What VS Code gives a webview, with the posted messages kept for the test (JSON: what crosses to the host).
    await page.addInitScript({ content: 'window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => undefined, setState: () => undefined });' });
    await page.goto(`file://${path.join(dir, 'panel.html')}`);
    const posted = () => page.evaluate(() => (window as unknown as { __posted: FromWebview[] }).__posted);
    await page.waitForFunction(() => (window as unknown as { __posted: FromWebview[] }).__posted.some((m) => m.type === 'ready'));
    for (const program of ['deadlock.ts', 'hold-across-await.ts']) {
      const file = files.get(program)!;
      const bytes = [...readFileSync(file)];
      await page.evaluate(({ trace, bytes }) => {
        window.postMessage({ type: 'reset', title: 'run', trace }, '*');
        window.postMessage({ type: 'chunk', bytes: new Uint8Array(bytes) }, '*');
        window.postMessage({ type: 'end', complete: true, message: '' }, '*');
      }, { trace: file, bytes });
      await page.waitForFunction((trace) => (window as unknown as { __posted: FromWebview[] }).__posted.some((m) => m.type === 'insights' && m.trace === trace), file);
      const got = (await posted()).filter((m) => m.type === 'insights');
      assert.equal(got.filter((m) => m.type === 'insights' && m.trace === file).length, 1, `one answer for ${program}`);
      const answer = got.at(-1) as Extract<FromWebview, { type: 'insights' }>;
      const expected = JSON.parse(JSON.stringify(traceInsights(readModelFromFile(file)))) as ReturnType<typeof traceInsights>;
      assert.ok(expected.findings.length > 0 && expected.figures.length > 0, `${program} has findings and figures`);
      assert.deepEqual({ findings: answer.findings, figures: answer.figures }, expected, program);
    }
    // A trace shown without a name (nothing to match it to on the host side) is not answered for.
    const before = (await posted()).length;
    await page.evaluate(() => { const w = window as unknown as { asyncTraceFindings: { analysis: unknown }; __last: unknown }; w.__last = w.asyncTraceFindings.analysis; });
    await page.evaluate((bytes) => {
      window.postMessage({ type: 'reset', title: 'unnamed' }, '*');
      window.postMessage({ type: 'chunk', bytes: new Uint8Array(bytes) }, '*');
      window.postMessage({ type: 'end', complete: true, message: '' }, '*');
    }, [...readFileSync(files.get('deadlock.ts')!)]);
    // Analysed (a new analysis object), and whatever it posted is in by then (the same call posts it).
    await page.waitForFunction(() => { const w = window as unknown as { asyncTraceFindings: { analysis: unknown }; __last: unknown }; return w.asyncTraceFindings.analysis !== undefined && w.asyncTraceFindings.analysis !== w.__last; });
    assert.deepEqual((await posted()).slice(before).filter((m) => m.type === 'insights'), []);
  });
});
