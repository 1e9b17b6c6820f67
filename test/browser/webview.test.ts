/// <reference lib="dom" />
// The webview in real Chromium: the product bundle (webview/main.ts) fed real .atrace
// bytes through both hosts (a stubbed acquireVsCodeApi and the standalone page), and
// the app on the fixture model (webview/test-fixtures.ts) for exact interaction checks.
// Screenshots in light and dark go to test-results/webview/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { encodeTrace } from '../../trace/encoder';
import { TraceFeed } from '../../trace/feed';
import type { TraceEvent } from '../../trace/events';
import type { TraceHeader } from '../../trace/model-types';
import { BIG_CHUNK_BYTES, type FromWebview } from '../../webview/protocol';
import { gutterBadgeX } from '../../webview/gutter';
import { AXIS_HEIGHT } from '../../webview/viewport';

const root = path.resolve(__dirname, '../..');
const shots = path.join(root, 'test-results', 'webview');

const fixtureEntry = `
import { App } from './webview/app';
import { createHost } from './webview/host';
import { installStyles } from './webview/styles';
import { sampleTrace, syntheticTrace } from './webview/test-fixtures';
installStyles(document);
const app = new App(document.getElementById('app'), createHost());
const model = location.hash === '#dense' ? syntheticTrace(200000, 20) : sampleTrace();
window.__t = { app, model };
if (location.hash === '#empty') app.showEmpty('No trace yet', 'Run "Trace Async Run" from the Command Palette (F1).');
else app.setModel(model, 'demo.ts');
`;

/** A small real trace: main spawns two workers that contend on one lock. */
export function lockTrace(): { header: TraceHeader; events: TraceEvent[] } {
  const header: TraceHeader = { formatVersion: 1, clockOriginUnixMs: 1_700_000_000_000, program: 'lock.ts', root: '/w', runtimeVersion: '0.1.0', nodeVersion: 'v20', pid: 7 };
  const ev: TraceEvent[] = [
    { type: 'sitesRegistered', time: 0, base: 1, sites: ['src/lock.ts:3:1', 'src/lock.ts:10:3', 'src/lock.ts:12:11', 'src/lock.ts:14:5', 'src/lock.ts:20:3'] },
    { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 5 },
    { type: 'taskRunBegin', time: 0, taskId: 1 },
    { type: 'resourceCreated', time: 0.1, resourceId: 50, kind: 'lock', name: 'db', site: 1, capacity: 1 },
    { type: 'taskCreated', time: 0.2, taskId: 2, parentId: 1, name: 'worker-a', site: 2 },
    { type: 'taskCreated', time: 0.3, taskId: 3, parentId: 1, name: 'worker-b', site: 2 },
    { type: 'awaitBegin', time: 0.5, taskId: 1, kind: 'gather', targetId: 0, site: 5 },
    { type: 'taskRunEnd', time: 0.5, taskId: 1 },
    { type: 'taskRunBegin', time: 1, taskId: 2 },
    { type: 'resourceAcquired', time: 1.1, resourceId: 50, taskId: 2, site: 3 },
    { type: 'awaitBegin', time: 1.2, taskId: 2, kind: 'sleep', targetId: 0, site: 4 },
    { type: 'taskRunEnd', time: 1.2, taskId: 2 },
    { type: 'taskRunBegin', time: 1.5, taskId: 3 },
    { type: 'resourceWaitBegin', time: 1.6, resourceId: 50, taskId: 3, site: 3 },
    { type: 'awaitBegin', time: 1.6, taskId: 3, kind: 'lock', targetId: 50, site: 3 },
    { type: 'taskRunEnd', time: 1.6, taskId: 3 },
    { type: 'awaitEnd', time: 11, taskId: 2, targetId: 0, outcome: 'ok' },
    { type: 'taskRunBegin', time: 11, taskId: 2 },
    { type: 'resourceReleased', time: 11.5, resourceId: 50, taskId: 2, site: 3 },
    { type: 'wake', time: 11.5, wakerTaskId: 2, callbackId: 0, wokenTaskId: 3, targetId: 50 },
    { type: 'resourceAcquired', time: 11.5, resourceId: 50, taskId: 3, site: 3 },
    { type: 'taskDone', time: 12, taskId: 2, outcome: 'ok', message: '' },
    { type: 'taskRunEnd', time: 12, taskId: 2 },
    { type: 'awaitEnd', time: 12.2, taskId: 3, targetId: 50, outcome: 'ok' },
    { type: 'taskRunBegin', time: 12.2, taskId: 3 },
    { type: 'awaitBegin', time: 12.5, taskId: 3, kind: 'sleep', targetId: 0, site: 4 },
    { type: 'taskRunEnd', time: 12.5, taskId: 3 },
    { type: 'awaitEnd', time: 22, taskId: 3, targetId: 0, outcome: 'ok' },
    { type: 'taskRunBegin', time: 22, taskId: 3 },
    { type: 'resourceReleased', time: 22.3, resourceId: 50, taskId: 3, site: 3 },
    { type: 'taskDone', time: 22.5, taskId: 3, outcome: 'ok', message: '' },
    { type: 'taskRunEnd', time: 22.5, taskId: 3 },
    { type: 'wake', time: 22.5, wakerTaskId: 3, callbackId: 0, wokenTaskId: 1, targetId: 0 },
    { type: 'awaitEnd', time: 23, taskId: 1, targetId: 0, outcome: 'ok' },
    { type: 'taskRunBegin', time: 23, taskId: 1 },
    { type: 'taskDone', time: 24, taskId: 1, outcome: 'ok', message: '' },
    { type: 'taskRunEnd', time: 24, taskId: 1 },
  ];
  return { header, events: ev };
}

/** A big trace (bench/webview-bench.ts's shape): `tasks` workers taking turns, some under a lock; well over ingest's 1 MB threshold. */
function bigTrace(n: number, tasks: number): { header: TraceHeader; events: TraceEvent[] } {
  const header: TraceHeader = { formatVersion: 1, clockOriginUnixMs: 0, program: 'big.ts', root: '/w', runtimeVersion: '0', nodeVersion: 'v20', pid: 1 };
  const ev: TraceEvent[] = [{ type: 'sitesRegistered', time: 0, base: 1, sites: ['src/big.ts:1:1', 'src/big.ts:2:1', 'src/big.ts:3:1'] }];
  ev.push({ type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 1 });
  ev.push({ type: 'resourceCreated', time: 0, resourceId: 9, kind: 'lock', name: 'hot', site: 2, capacity: 1 });
  for (let k = 0; k < tasks; k++) ev.push({ type: 'taskCreated', time: 0, taskId: 10 + k, parentId: 1, name: `worker-${k}`, site: 3 });
  let t = 0;
  for (let round = 0; ev.length < n; round++) {
    for (let k = 0; k < tasks; k++) {
      const id = 10 + k;
      if (round > 0) ev.push({ type: 'awaitEnd', time: t += 0.002, taskId: id, targetId: 0, outcome: 'ok' });
      ev.push({ type: 'taskRunBegin', time: t += 0.001, taskId: id });
      if ((round + k) % 9 === 0) {
        ev.push({ type: 'resourceAcquired', time: t += 0.001, resourceId: 9, taskId: id, site: 2 });
        ev.push({ type: 'resourceReleased', time: t += 0.001, resourceId: 9, taskId: id, site: 2 });
      }
      ev.push({ type: 'taskRunEnd', time: t += 0.001, taskId: id });
      ev.push({ type: 'awaitBegin', time: t += 0.001, taskId: id, kind: (['sleep', 'queue', 'io'] as const)[(round + k) % 3], targetId: 0, site: 3 });
    }
  }
  // One worker fails at the end: its end marker must be in the first (coarse) picture too.
  ev.push({ type: 'taskDone', time: t += 0.001, taskId: 10, outcome: 'error', message: 'boom' });
  return { header, events: ev };
}

const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Stubs VS Code's API: posted messages and state land on window for the test to read. (A string: tsx's helpers do not exist in the page.) */
function vscodeStub(initialState: unknown): { content: string } {
  return { content: `
    window.__posted = [];
    window.__state = ${JSON.stringify(initialState ?? null)} ?? undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(m),
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });` };
}

/**
 * Opens the panel's page with no saved state and waits for its 'ready'; returns how to
 * post a host message to it (bytes go as arrays and arrive as a Uint8Array, as from VS Code).
 */
async function openFresh(page: Page, dir: string): Promise<(msg: unknown) => Promise<void>> {
  await page.addInitScript(vscodeStub(undefined));
  await page.goto(`file://${path.join(dir, 'main.html')}`);
  await page.waitForFunction(() => (window as unknown as { __posted: FromWebview[] }).__posted.some((m) => m.type === 'ready'));
  return (msg: unknown) => page.evaluate((m) => {
    const x = m as { type: string; bytes?: number[] };
    window.postMessage(x.bytes ? { ...x, bytes: new Uint8Array(x.bytes) } : x, '*');
  }, msg);
}

describe('webview in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let dir: string;
  let context: BrowserContext;
  let page: Page;
  let bytes: Uint8Array;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-webview-'));
    const common = { bundle: true, format: 'iife' as const, platform: 'browser' as const, target: 'es2022', logLevel: 'silent' as const };
    await esbuild.build({ ...common, entryPoints: [path.join(root, 'webview/main.ts')], outfile: path.join(dir, 'main.js') });
    await esbuild.build({ ...common, stdin: { contents: fixtureEntry, resolveDir: root, loader: 'ts' }, outfile: path.join(dir, 'fixture.js') });
    const page = (script: string, extra = '') => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Async Trace</title></head><body><div id="app"></div>${extra}<script src="${script}"></script></body></html>`;
    const t = lockTrace();
    bytes = encodeTrace(t.header, t.events, 8);
    writeFileSync(path.join(dir, 'fixture.html'), page('fixture.js'));
    writeFileSync(path.join(dir, 'main.html'), page('main.js'));
    writeFileSync(path.join(dir, 'standalone.html'), page('main.js', `<script type="application/octet-stream" id="atrace-data" data-title="lock.atrace">${Buffer.from(bytes).toString('base64')}</script>`));
    // The lock trace with events dropped in the middle (a socket reader fell behind).
    const gappy = [...t.events];
    gappy.splice(Math.floor(gappy.length / 2), 0, { type: 'dropped', time: gappy[Math.floor(gappy.length / 2)]!.time, count: 12345 });
    writeFileSync(path.join(dir, 'gappy.html'), page('main.js', `<script type="application/octet-stream" id="atrace-data" data-title="gappy.atrace">${Buffer.from(encodeTrace(t.header, gappy, 8)).toString('base64')}</script>`));
    const big = bigTrace(300_000, 40);
    writeFileSync(path.join(dir, 'big.html'), page('main.js', `<script type="application/octet-stream" id="atrace-data" data-title="big.atrace">${Buffer.from(encodeTrace(big.header, big.events)).toString('base64')}</script>`));
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: launchArgs });
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    page = await context.newPage();
    errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterEach(async () => {
    await context.close();
    assert.deepEqual(errors, [], 'no errors in the page');
  });
  let errors: string[] = [];

  /** What VS Code does to a webview when the user picks a high-contrast theme. */
  async function toHighContrast(): Promise<void> {
    await page.evaluate(() => {
      const root = document.documentElement.style;
      root.setProperty('--vscode-editor-background', '#000000');
      root.setProperty('--vscode-editor-foreground', '#ffffff');
      root.setProperty('--vscode-contrastBorder', '#6fc3df');
      document.body.classList.add('vscode-high-contrast');
    });
  }

  async function openFixture(hash = '', state?: unknown): Promise<void> {
    await page.addInitScript(vscodeStub(state));
    await page.goto(`file://${path.join(dir, 'fixture.html')}${hash}`);
    if (!hash) await page.waitForFunction(() => (window as unknown as { __t: { app: { lastDraw: { boxes: number } } } }).__t?.app.lastDraw.boxes > 0);
  }

  const posted = () => page.evaluate(() => (window as unknown as { __posted: FromWebview[] }).__posted);
  const nextFrame = () => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  type Ref = { kind: string; taskId?: number; resourceId?: number; index?: number };
  const pointOf = async (ref: Ref) => {
    const p = await page.evaluate((r) => (window as unknown as { __t: { app: { pointOf(r: unknown): { x: number; y: number } | undefined } } }).__t.app.pointOf(r), ref);
    assert.ok(p, `no box for ${JSON.stringify(ref)}`);
    return p;
  };
  const selection = () => page.evaluate(() => (window as unknown as { __t: { app: { selection: unknown } } }).__t.app.selection);

  /** Distinct colours and non-background pixels on the canvas. */
  const canvasStats = () => page.evaluate(() => {
    const c = document.querySelector('canvas')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const bg = `${d[0]},${d[1]},${d[2]}`;
    const colours = new Set<string>();
    let painted = 0;
    for (let i = 0; i < d.length; i += 4) {
      const k = `${d[i]},${d[i + 1]},${d[i + 2]}`;
      if (k !== bg) painted++;
      colours.add(k);
    }
    return { painted, colours: colours.size, pixels: d.length / 4 };
  });

  it('draws lanes and coloured spans on the canvas', async () => {
    await openFixture();
    const s = await canvasStats();
    assert.ok(s.painted > s.pixels * 0.05, `painted ${s.painted} of ${s.pixels}`);
    assert.ok(s.colours > 20, `${s.colours} colours`);
    const labels = await page.evaluate(() => (window as unknown as { __t: { app: { layout: { lanes: { label: string }[] } } } }).__t.app.layout.lanes.map((l) => l.label));
    assert.deepEqual(labels, ['main', 'consumer', 'fetch-0', 'fetch-1', 'fetch-2', 'lock cache lock', 'queue results']);
  });

  it('shows a tooltip for the span under the pointer', async () => {
    await openFixture();
    const p = await pointOf({ kind: 'await', taskId: 3, index: 2 });
    await page.mouse.move(p.x, p.y);
    const tip = page.locator('.at-tooltip');
    await tip.waitFor({ state: 'visible' });
    const text = await tip.innerText();
    assert.match(text, /await lock/);
    assert.match(text, /awaits: lock: cache lock/);
    assert.match(text, /src\/demo\.ts:24:5/);
  });

  it('selects a clicked await, shows its details and posts a reveal with its site', async () => {
    await openFixture();
    const p = await pointOf({ kind: 'await', taskId: 3, index: 2 });
    await page.mouse.click(p.x, p.y);
    assert.deepEqual(await selection(), { kind: 'await', taskId: 3, index: 2 });
    assert.deepEqual((await posted()).at(-1), { type: 'reveal', site: { file: 'src/demo.ts', line: 24, col: 5 } });
    const details = await page.locator('.at-details').innerText();
    assert.match(details, /await lock/);
    assert.match(details, /woken by\s+fetch-0 #2/);
    assert.match(details, /Await chain/);
  });

  it('posts a reveal for a clicked lock wait in the resource lane', async () => {
    await openFixture();
    const p = await pointOf({ kind: 'wait', resourceId: 100, index: 1 });
    await page.mouse.click(p.x, p.y);
    assert.deepEqual(await selection(), { kind: 'wait', resourceId: 100, index: 1 });
    assert.deepEqual((await posted()).at(-1), { type: 'reveal', site: { file: 'src/demo.ts', line: 24, col: 5 } });
    await page.waitForFunction(() => document.querySelector('.at-table tbody tr[data-resource-id="100"]')?.getAttribute('aria-selected') === 'true');
  });

  it('steps through the selected task\'s awaits in time order with n and p', async () => {
    await openFixture();
    const p = await pointOf({ kind: 'run', taskId: 2, index: 0 });
    await page.mouse.click(p.x, p.y);
    const order = await page.evaluate(() => {
      const t = (window as unknown as { __t: { model: { task(id: number): { awaits: Iterable<{ begin: number; site: { line: number } }> } } } }).__t.model.task(2)!;
      return Array.from(t.awaits, (a, i) => ({ i, begin: a.begin, line: a.site.line })).sort((a, b) => a.begin - b.begin || a.i - b.i);
    });
    const seen: number[] = [];
    for (let k = 0; k < order.length; k++) {
      await page.keyboard.press('n');
      const sel = (await selection()) as { index: number };
      seen.push(sel.index);
      const last = (await posted()).at(-1);
      assert.deepEqual(last, { type: 'reveal', site: { file: 'src/demo.ts', line: order[k].line, col: 5 } });
    }
    assert.deepEqual(seen, order.map((o) => o.i));
    await page.keyboard.press('n');
    assert.equal(((await selection()) as { index: number }).index, order.at(-1)!.i, 'n stops at the last await');
    await page.keyboard.press('p');
    assert.equal(((await selection()) as { index: number }).index, order.at(-2)!.i);
    await page.click('.at-toolbar button[data-action="prev"]');
    assert.equal(((await selection()) as { index: number }).index, order.at(-3)!.i);
  });

  it('is keyboard reachable: n starts at the first task\'s first await, Enter reveals it again', async () => {
    await openFixture();
    await page.focus('canvas');
    await page.keyboard.press('n');
    assert.deepEqual(await selection(), { kind: 'await', taskId: 1, index: 0 });
    const site = { file: 'src/demo.ts', line: 12, col: 5 };
    assert.deepEqual((await posted()).at(-1), { type: 'reveal', site });
    const count = (await posted()).length;
    await page.keyboard.press('Enter');
    assert.equal((await posted()).length, count + 1);
    assert.deepEqual((await posted()).at(-1), { type: 'reveal', site });
  });

  it('sorts the contention table and selects a resource lane from a row', async () => {
    await openFixture();
    const names = () => page.$$eval('.at-table tbody tr', (rows) => rows.map((r) => (r as HTMLTableRowElement).cells[0].textContent));
    assert.deepEqual(await names(), ['lock cache lock', 'queue results'], 'by total wait, descending');
    await page.click('.at-table th[data-key="name"]');
    assert.deepEqual(await names(), ['lock cache lock', 'queue results']);
    assert.equal(await page.getAttribute('.at-table th[data-key="name"]', 'aria-sort'), 'ascending');
    await page.click('.at-table th[data-key="name"]');
    assert.deepEqual(await names(), ['queue results', 'lock cache lock']);
    await page.click('.at-table th[data-key="acquisitions"]');
    assert.equal(await page.getAttribute('.at-table th[data-key="acquisitions"]', 'aria-sort'), 'descending');
    assert.deepEqual(await names(), ['lock cache lock', 'queue results']);
    await page.click('.at-table tbody tr[data-resource-id="100"]');
    assert.deepEqual(await selection(), { kind: 'wait', resourceId: 100, index: 0 });
    assert.equal(await page.getAttribute('.at-table tbody tr[data-resource-id="100"]', 'aria-selected'), 'true');
  });

  it('zooms with W/S and the wheel, pans with A/D and drag, and fits with F', async () => {
    await openFixture();
    const view = () => page.evaluate(() => { const a = (window as unknown as { __t: { app: { scale: { start: number; msPerPx: number }; scrollY: number } } }).__t.app; return { start: a.scale.start, msPerPx: a.scale.msPerPx }; });
    const fit = await view();
    await page.focus('canvas');
    await page.keyboard.press('w');
    const zoomed = await view();
    assert.ok(zoomed.msPerPx < fit.msPerPx);
    await page.keyboard.press('d');
    assert.ok((await view()).start > zoomed.start);
    const box = (await page.locator('canvas').boundingBox())!;
    await page.mouse.move(box.x + 600, box.y + 200);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    await page.waitForFunction((m) => (window as unknown as { __t: { app: { scale: { msPerPx: number } } } }).__t.app.scale.msPerPx < m, zoomed.msPerPx);
    const before = await view();
    await page.mouse.move(box.x + 600, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + 700, box.y + 200, { steps: 4 });
    await page.mouse.up();
    const dragged = await view();
    assert.ok(Math.abs(dragged.start - (before.start - 100 * before.msPerPx)) < before.msPerPx * 2, 'drag right by 100 px moves the view left by 100 px');
    await page.keyboard.press('f');
    assert.deepEqual(await view(), fit);
  });

  it('after a wheel pan under a still pointer, the hover is what the pointer is over now', async () => {
    await openFixture();
    const p = await pointOf({ kind: 'await', taskId: 2, index: 2 });
    await page.mouse.move(p.x, p.y);
    const hovered = () => page.evaluate(() => (window as unknown as { __t: { app: { hovered: unknown } } }).__t.app.hovered ?? null);
    assert.deepEqual(await hovered(), { kind: 'await', taskId: 2, index: 2 });
    // Shift+wheel pans time: the span slides out from under the pointer, which does not move.
    await page.keyboard.down('Shift');
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 300);
    await page.keyboard.up('Shift');
    const box = (await page.locator('canvas').boundingBox())!;
    const now = await page.evaluate(([x, y]) => (window as unknown as { __t: { app: { hitAt(x: number, y: number): unknown } } }).__t.app.hitAt(x, y) ?? null, [p.x - box.x, p.y - box.y]);
    assert.notDeepEqual(now, { kind: 'await', taskId: 2, index: 2 }, 'the pan moved the span away');
    assert.deepEqual(await hovered(), now);
  });

  it('zooms to the selected span with Z and the toolbar button', async () => {
    await openFixture();
    const p = await pointOf({ kind: 'await', taskId: 2, index: 2 });
    await page.mouse.click(p.x, p.y);
    await page.keyboard.press('z');
    const view = () => page.evaluate(() => {
      const a = (window as unknown as { __t: { app: { scale: { start: number; msPerPx: number }; chartWidth: number } } }).__t.app;
      return { from: a.scale.start, to: a.scale.start + a.chartWidth * a.scale.msPerPx };
    });
    const span = await page.evaluate(() => { const a = (window as unknown as { __t: { model: { task(id: number): { awaits: { at(i: number): { begin: number; end: number } } } } } }).__t.model.task(2)!.awaits.at(2); return { begin: a.begin, end: a.end }; });
    let v = await view();
    assert.ok(v.from < span.begin && v.to > span.end, 'the span is in view');
    assert.ok(v.to - v.from < (span.end - span.begin) * 2, 'and fills most of it');
    await page.keyboard.press('f');
    await page.click('.at-toolbar button[data-action="zoom-selection"]');
    v = await view();
    assert.ok(v.from < span.begin && v.to > span.end && v.to - v.from < (span.end - span.begin) * 2);
  });

  it('filters task lanes by name and hides await kinds from the legend', async () => {
    await openFixture();
    await page.fill('.at-search', 'fetch');
    await nextFrame();
    const lanes = () => page.evaluate(() => (window as unknown as { __t: { app: { layout: { lanes: { label: string; kind: string }[] } } } }).__t.app.layout.lanes.filter((l) => l.kind === 'task').map((l) => l.label));
    assert.deepEqual(await lanes(), ['fetch-0', 'fetch-1', 'fetch-2']);
    await page.uncheck('.at-legend input[data-kind="sleep"]');
    await nextFrame();
    const sleeps = await page.evaluate(() => {
      const { app, model } = (window as unknown as { __t: { app: { layout: { lanes: { tracks: { refs: { kind: string; taskId: number; index: number }[] }[] }[] } }; model: { task(id: number): { awaits: { kind(i: number): string } } } } }).__t;
      return app.layout.lanes.flatMap((l) => l.tracks.flatMap((t) => t.refs)).filter((r) => r.kind === 'await' && model.task(r.taskId).awaits.kind(r.index) === 'sleep').length;
    });
    assert.equal(sleeps, 0);
  });

  it('keeps zoom, scroll and selection in VS Code state and restores them on reload', async () => {
    await openFixture();
    const p = await pointOf({ kind: 'await', taskId: 4, index: 2 });
    await page.mouse.click(p.x, p.y);
    await page.focus('canvas');
    await page.keyboard.press('w');
    const state = await page.evaluate(() => (window as unknown as { __state: { selection: unknown; msPerPx: number } }).__state);
    assert.deepEqual(state.selection, { kind: 'await', taskId: 4, index: 2 });
    await context.close();
    context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await openFixture('', state);
    assert.deepEqual(await selection(), { kind: 'await', taskId: 4, index: 2 });
    assert.equal(await page.evaluate(() => (window as unknown as { __t: { app: { scale: { msPerPx: number } } } }).__t.app.scale.msPerPx), state.msPerPx);
  });

  it('shows the "No trace yet" state with what to do', async () => {
    await openFixture('#empty');
    const empty = page.locator('.at-empty');
    await empty.waitFor({ state: 'visible' });
    assert.match(await empty.innerText(), /No trace yet[\s\S]*Trace Async Run/);
    await page.screenshot({ path: path.join(shots, 'empty-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(shots, 'empty-dark.png') });
  });

  it('decodes real trace bytes streamed in chunks, growing live without losing zoom or selection', async () => {
    const send = await openFresh(page, dir);
    const cut = Math.floor(bytes.length * 0.6);
    await send({ type: 'reset', title: 'lock.atrace' });
    await send({ type: 'chunk', bytes: [...bytes.subarray(0, cut)] });
    await page.waitForFunction(() => ((window as unknown as { asyncTraceApp: { layout?: { lanes: unknown[] } } }).asyncTraceApp.layout?.lanes.length ?? 0) > 0);
    const app = () => page.evaluate(() => {
      const a = (window as unknown as { asyncTraceApp: { layout: { lanes: { label: string }[] }; scale: { msPerPx: number; start: number }; selection: unknown; model: { eventCount: number } } }).asyncTraceApp;
      return { lanes: a.layout.lanes.map((l) => l.label), msPerPx: a.scale.msPerPx, start: a.scale.start, selection: a.selection, events: a.model.eventCount };
    });
    const partial = await app();
    assert.ok(partial.lanes.includes('worker-a'));
    const p = await page.evaluate(() => (window as unknown as { asyncTraceApp: { pointOf(r: unknown): { x: number; y: number } | undefined } }).asyncTraceApp.pointOf({ kind: 'task', taskId: 2 }));
    await page.mouse.click(p!.x, p!.y);
    await page.focus('canvas');
    await page.keyboard.press('s');
    const zoomed = await app();
    await send({ type: 'chunk', bytes: [...bytes.subarray(cut)] });
    await send({ type: 'end', complete: true, message: '' });
    await page.waitForFunction((n) => (window as unknown as { asyncTraceApp: { model: { eventCount: number } } }).asyncTraceApp.model.eventCount > n, partial.events);
    await page.waitForFunction(() => (window as unknown as { asyncTraceApp: { layout: { lanes: unknown[] } } }).asyncTraceApp.layout.lanes.length === 4);
    const full = await app();
    assert.deepEqual(full.lanes, ['main', 'worker-a', 'worker-b', 'lock db']);
    assert.equal(full.msPerPx, zoomed.msPerPx);
    assert.equal(full.start, zoomed.start);
    assert.deepEqual(full.selection, { kind: 'task', taskId: 2 });
    const lockWait = await page.evaluate(() => (window as unknown as { asyncTraceApp: { pointOf(r: unknown): { x: number; y: number } | undefined } }).asyncTraceApp.pointOf({ kind: 'wait', resourceId: 50, index: 0 }));
    await page.keyboard.press('f');
    await nextFrame();
    const lw = await page.evaluate(() => (window as unknown as { asyncTraceApp: { pointOf(r: unknown): { x: number; y: number } | undefined } }).asyncTraceApp.pointOf({ kind: 'wait', resourceId: 50, index: 0 }));
    assert.ok(lockWait && lw);
    await page.mouse.click(lw.x, lw.y);
    assert.deepEqual((await posted()).at(-1), { type: 'reveal', site: { file: 'src/lock.ts', line: 12, col: 11 } });
  });

  it('while the debugger has the program stopped: a cursor at the stop, "Paused at" in the status line, N from the stop; gone on resume (screenshot)', async () => {
    const send = await openFresh(page, dir);
    // The trace up to the stop: worker-b (task 3) has just got the lock and stops at 12.3 ms.
    const t = lockTrace();
    const upTo = encodeTrace(t.header, t.events.filter((e) => e.time <= 12.2), 8);
    await send({ type: 'reset', title: 'lock.atrace' });
    await send({ type: 'chunk', bytes: [...upTo] });
    await send({ type: 'paused', at: 12.3, where: 'src/lock.ts:14', taskId: 3, task: 'worker-b', held: 0 });
    const status = () => page.locator('.at-status').innerText();
    await page.waitForFunction(() => /^Paused at/.test(document.querySelector('.at-status')?.textContent ?? ''));
    assert.match(await status(), /^Paused at src\/lock\.ts:14 in task 'worker-b' · 3 tasks · /);
    await nextFrame();
    /** Pixels of the chart's column at trace time `at` that are the accent colour (the cursor). */
    const cursorPixels = (at: number) => page.evaluate((time) => {
      const a = (window as unknown as { asyncTraceApp: { viewport(): { canvasX(t: number): number; height: number }; theme: { accent: string } } }).asyncTraceApp;
      const c = document.querySelector('canvas')!;
      const x = Math.round(a.viewport().canvasX(time));
      const d = c.getContext('2d')!.getImageData(x, 0, 1, c.height).data;
      const hex = a.theme.accent.replace('#', '');
      const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - r) < 8 && Math.abs(d[i + 1]! - g) < 8 && Math.abs(d[i + 2]! - b) < 8) n++;
      return { n, rows: c.height };
    }, at);
    const shown = await cursorPixels(12.3);
    assert.ok(shown.n > (shown.rows - AXIS_HEIGHT) * 0.8, `cursor pixels ${shown.n} of ${shown.rows}`);
    await page.screenshot({ path: path.join(shots, 'paused-cursor.png') });
    // N from the stop: worker-b's await nearest it (its lock wait), not the first task's first await.
    await page.focus('canvas');
    await page.keyboard.press('n');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { asyncTraceApp: { selection: unknown } }).asyncTraceApp.selection), { kind: 'await', taskId: 3, index: 0 });
    // Running again: the cursor and the statement go, the trace carries on.
    await send({ type: 'resumed' });
    await page.waitForFunction(() => !/Paused at/.test(document.querySelector('.at-status')?.textContent ?? ''));
    await nextFrame();
    assert.ok((await cursorPixels(12.3)).n < (shown.rows - AXIS_HEIGHT) * 0.2, 'no cursor after resume');
  });

  it('opens standalone from the embedded base64 trace', async () => {
    await page.goto(`file://${path.join(dir, 'standalone.html')}`);
    await page.waitForFunction(() => ((window as unknown as { asyncTraceApp: { lastDraw: { boxes: number } } }).asyncTraceApp?.lastDraw.boxes ?? 0) > 0);
    assert.equal(await page.locator('.at-title').innerText(), 'lock.atrace');
    assert.match(await page.locator('.at-status').innerText(), /3 tasks/);
    assert.deepEqual(await page.$$eval('.at-table tbody tr', (rows) => rows.map((r) => (r as HTMLTableRowElement).cells[0].textContent)), ['lock db']);
  });

  it('says in the status how many events are missing and over which time range', async () => {
    await page.goto(`file://${path.join(dir, 'gappy.html')}`);
    await page.waitForFunction(() => ((window as unknown as { asyncTraceApp: { lastDraw: { boxes: number } } }).asyncTraceApp?.lastDraw.boxes ?? 0) > 0);
    assert.match(await page.locator('.at-status').innerText(), /12,345 events missing \(dropped by the tracer: its reader fell behind\) in 1 gap: [\d.]+ (ms|µs)–[\d.]+ (ms|µs)/);
  });

  it('draws a big trace first from a coarse scan of its bytes, then from the full model: selection, stepping and the table work', async () => {
    // The standalone page (no VS Code API) replays its embedded trace (reset, one chunk, end) the moment the bundle starts.
    // Every animation frame until one has been drawn while loading: the canvas then holds the provisional
    // frame. (A string: tsx's helpers for named functions do not exist in the page.)
    await page.addInitScript({ content: `
      window.__loading = [];
      const check = () => {
        const status = document.querySelector('.at-status')?.textContent ?? '';
        const app = window.asyncTraceApp;
        if (!status.startsWith('loading') || !app?.layout?.provisional || !app.lastDraw.boxes) { requestAnimationFrame(check); return; }
        const c = document.querySelector('canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) painted++;
        const ends = app.layout.lanes.filter((l) => l.end).map((l) => l.label + ':' + l.end.outcome);
        window.__loading.push({ status, painted, provisional: true, png: c.toDataURL('image/png'), table: document.querySelector('.at-table tbody')?.textContent ?? '', ends });
      };
      requestAnimationFrame(check);` });
    await page.goto(`file://${path.join(dir, 'big.html')}`);
    await page.waitForFunction(() => /\d+ tasks/.test(document.querySelector('.at-status')?.textContent ?? ''), undefined, { timeout: 30_000 });
    const loading = await page.evaluate(() => (window as unknown as { __loading: { status: string; painted: number; provisional: boolean; png: string; table: string; ends: string[] }[] }).__loading);
    if (loading[0]) writeFileSync(path.join(shots, 'big-trace-first-frame.png'), Buffer.from(loading[0].png.split(',')[1], 'base64'));
    assert.equal(loading.length, 1, 'a frame was drawn while the model was decoded');
    assert.match(loading[0].status, /^loading \d+% of 300,\d{3} events$/);
    assert.ok(loading[0].provisional);
    assert.match(loading[0].table, /waiting for the trace to be decoded/, 'the table says contention is not ready yet');
    assert.ok(loading[0].painted > 50_000, `the provisional frame painted ${loading[0].painted} pixels`);
    assert.deepEqual(loading[0].ends, ['worker-0:error'], 'the failed task\'s end marker is in the first picture');
    const after = await page.evaluate(() => {
      const a = (window as unknown as { asyncTraceApp: { layout: { provisional?: boolean; lanes: unknown[] }; model: { eventCount: number } } }).asyncTraceApp;
      return { provisional: !!a.layout.provisional, lanes: a.layout.lanes.length, events: a.model.eventCount, ends: (a.layout.lanes as { label: string; end?: { outcome: string } }[]).filter((l) => l.end).map((l) => `${l.label}:${l.end!.outcome}`) };
    });
    const total = Number(loading[0].status.match(/of ([\d,]+)/)![1].replace(/,/g, ''));
    assert.deepEqual(after, { provisional: false, lanes: 42, events: total, ends: ['worker-0:error'] });
    assert.match(await page.locator('.at-status').innerText(), /^41 tasks · 300,\d{3} events$/, 'complete, nothing reported missing');
    assert.deepEqual(await page.$$eval('.at-table tbody tr', (rows) => rows.map((r) => (r as HTMLTableRowElement).cells[0].textContent)), ['lock hot']);
    const p = await page.evaluate(() => (window as unknown as { asyncTraceApp: { pointOf(r: unknown): { x: number; y: number } | undefined } }).asyncTraceApp.pointOf({ kind: 'task', taskId: 10 }));
    await page.mouse.click(p!.x, p!.y);
    const clicked = await page.evaluate(() => (window as unknown as { asyncTraceApp: { selection: { taskId?: number } } }).asyncTraceApp.selection);
    assert.equal(clicked?.taskId, 10, `clicked ${JSON.stringify(clicked)}`);
    await page.evaluate(() => (window as unknown as { asyncTraceApp: { select(r: unknown, reveal: boolean): void } }).asyncTraceApp.select({ kind: 'task', taskId: 10 }, false));
    await page.focus('canvas');
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { asyncTraceApp: { selection: unknown } }).asyncTraceApp.selection), { kind: 'await', taskId: 10, index: 1 });
    await page.screenshot({ path: path.join(shots, 'big-trace-loaded.png') });
  });

  it('decodes every byte exactly once when a big chunk holds no whole batch, and when chunks arrive while a big one is decoded', async () => {
    const big = bigTrace(120_000, 10);
    const total = big.events.length;
    await page.addInitScript(vscodeStub(undefined));
    await page.goto(`file://${path.join(dir, 'main.html')}`);
    await page.waitForFunction(() => (window as unknown as { __posted: FromWebview[] }).__posted.some((m) => m.type === 'ready'));
    // Base64 in, bytes out in the page: the chunks are megabytes.
    const send = (msg: { type: string; title?: string; complete?: boolean; message?: string }, bytes?: Uint8Array) => page.evaluate(([m, b64]) => {
      const data = b64 ? Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)) : undefined;
      window.postMessage(data ? { ...m, bytes: data } : m, '*');
    }, [msg, bytes ? Buffer.from(bytes).toString('base64') : ''] as const);
    const events = () => page.evaluate(() => (window as unknown as { asyncTraceApp: { model: { eventCount: number } } }).asyncTraceApp.model.eventCount);
    const status = () => page.locator('.at-status').innerText();
    // One batch of all events (3.8 MB): the first 1.5 MB chunk is the header and part of it.
    const oneBatch = encodeTrace(big.header, big.events, total);
    await send({ type: 'reset', title: 'one-batch' });
    await send({ type: 'chunk' }, oneBatch.subarray(0, 1_500_000));
    await send({ type: 'chunk' }, oneBatch.subarray(1_500_000));
    await send({ type: 'end', complete: true, message: '' });
    await page.waitForFunction((n) => (window as unknown as { asyncTraceApp: { model: { eventCount: number } } }).asyncTraceApp.model.eventCount >= n, total);
    // The status line is updated on the frame after decoding ends: wait for its final form.
    const finalStatus = () => page.waitForFunction(() => /^11 tasks · 120,\d{3} events$/.test(document.querySelector('.at-status')?.textContent ?? ''), null, { timeout: 30_000 })
      .catch(async () => { throw new Error(`status never became final (no "stopped early" message expected): ${await status()}`); });
    await finalStatus();
    assert.equal(await events(), total);
    // Many batches: a big first chunk (coarse picture, decoded in slices) and the rest in small chunks right behind it.
    const batches = encodeTrace(big.header, big.events);
    await send({ type: 'reset', title: 'streamed' });
    await send({ type: 'chunk' }, batches.subarray(0, 2_000_000));
    for (let at = 2_000_000; at < batches.length; at += 300_000) await send({ type: 'chunk' }, batches.subarray(at, Math.min(batches.length, at + 300_000)));
    await send({ type: 'end', complete: true, message: '' });
    // "11 tasks · loading N% …" also starts with "11 tasks": wait for the final line.
    await finalStatus();
    assert.equal(await events(), total);
    assert.deepEqual((await posted()).filter((m) => m.type === 'error'), []);
  });

  it('answers each big chunk with one "taken" only once its decoder ran dry of the chunks before, and every waiting one when a new trace or a corrupt batch drops them', async () => {
    const big = bigTrace(300_000, 10);
    const bytes = encodeTrace(big.header, big.events);
    const CH = 1_500_000;
    // Only chunks of BIG_CHUNK_BYTES or more are answered: the last piece may be smaller.
    const pieces = Math.floor(bytes.length / CH) + (bytes.length % CH >= BIG_CHUNK_BYTES ? 1 : 0);
    await page.addInitScript(vscodeStub(undefined));
    await page.goto(`file://${path.join(dir, 'main.html')}`);
    await page.waitForFunction(() => (window as unknown as { __posted: FromWebview[] }).__posted.some((m) => m.type === 'ready'));
    // Each "taken" notes how many events the model had when the page posted it.
    await page.evaluate(() => {
      const w = window as unknown as { __posted: { type: string; events?: number }[]; asyncTraceApp: { model: { eventCount: number } } };
      const push = w.__posted.push.bind(w.__posted);
      w.__posted.push = (m) => push(m.type === 'taken' ? { ...m, events: w.asyncTraceApp.model.eventCount } : m);
    });
    // All pieces posted at once, as a host that did not wait would: they queue in the page.
    const sendAll = (title: string, data: Uint8Array, then?: string) => page.evaluate(([t, b64, n, next]) => {
      const all = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      window.postMessage({ type: 'reset', title: t }, '*');
      for (let i = 0; i < all.length; i += n) window.postMessage({ type: 'chunk', bytes: all.slice(i, i + n) }, '*');
      if (next) window.postMessage({ type: 'reset', title: next }, '*'); else window.postMessage({ type: 'end', complete: true, message: '' }, '*');
    }, [title, Buffer.from(data).toString('base64'), CH, then ?? ''] as const);
    const takens = () => page.evaluate(() => (window as unknown as { __posted: { type: string; events?: number }[] }).__posted.filter((m) => m.type === 'taken').map((m) => m.events!));
    await sendAll('queued', bytes);
    await page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'taken').length >= n, pieces, { timeout: 30_000 });
    await page.waitForFunction((n) => (window as unknown as { asyncTraceApp: { model: { eventCount: number } } }).asyncTraceApp.model.eventCount >= n, big.events.length);
    const seen = await takens();
    assert.equal(seen.length, pieces, 'one "taken" per big chunk');
    // Piece k goes to the decoder only when every whole batch of pieces 0..k-1 was decoded.
    for (let k = 1; k < pieces; k++) {
      const before = new TraceFeed();
      before.push(bytes.subarray(0, k * CH));
      assert.ok(seen[k] >= before.model.eventCount, `piece ${k} was taken at ${seen[k]} events, before the ${before.model.eventCount} of the pieces ahead of it were decoded`);
    }
    assert.ok(seen[pieces - 1] > 0);
    assert.deepEqual((await posted()).filter((m) => m.type === 'error'), []);

    // A new trace while pieces wait: each is answered (the host would otherwise wait for ever).
    await sendAll('replaced', bytes, 'next');
    await page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'taken').length >= n, 2 * pieces, { timeout: 30_000 });
    // A corrupt batch in the second piece: decoding stops, the pieces behind it are answered too.
    const corrupt = bytes.slice();
    corrupt.fill(0xff, CH + 1000, CH + 1100);
    await sendAll('corrupt', corrupt);
    await page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'taken').length >= n, 3 * pieces, { timeout: 30_000 });
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'error'), null, { timeout: 30_000 });
    await page.waitForTimeout(300);
    assert.equal((await takens()).length, 3 * pieces, 'no more answers than big chunks');
  });

  it('draws a dense trace from merged levels of detail, far fewer boxes than spans', async () => {
    await page.addInitScript(vscodeStub(undefined));
    await page.goto(`file://${path.join(dir, 'fixture.html')}#dense`);
    await page.waitForFunction(() => (window as unknown as { __t: { app: { lastDraw: { boxes: number } } } }).__t?.app.lastDraw.boxes > 0);
    const { drawn, spans } = await page.evaluate(() => {
      const { app, model } = (window as unknown as { __t: { app: { lastDraw: { boxes: number } }; model: { tasks: { runs: unknown[]; awaits: unknown[] }[] } } }).__t;
      return { drawn: app.lastDraw.boxes, spans: model.tasks.reduce((n, t) => n + t.runs.length + t.awaits.length, 0) };
    });
    assert.ok(spans >= 100_000, `${spans} spans`);
    assert.ok(drawn < spans / 20, `${drawn} boxes drawn for ${spans} spans`);
    const s = await canvasStats();
    assert.ok(s.painted > s.pixels * 0.1, `painted ${s.painted} of ${s.pixels}`);
    await page.screenshot({ path: path.join(shots, 'dense-light.png') });
  });

  it('follows a VS Code high-contrast theme change: black background, outlined boxes (screenshot)', async () => {
    await openFixture();
    await toHighContrast();
    await page.waitForFunction(() => (window as unknown as { __t: { app: { theme: { boxBorder?: string } } } }).__t.app.theme.boxBorder === '#6fc3df');
    await nextFrame();
    const corner = await page.evaluate(() => Array.from(document.querySelector('canvas')!.getContext('2d')!.getImageData(2, 2, 1, 1).data.slice(0, 3)));
    assert.deepEqual(corner, [0, 0, 0]);
    await page.screenshot({ path: path.join(shots, 'chart-high-contrast.png') });
  });

  it('marks where a task failed or was cancelled, in light, dark and high contrast: at its end, in the legend, with outcome and message on hover (screenshots)', async () => {
    // At 2 device pixels per CSS px (a laptop's), so the close-ups show the badges' glyphs.
    await context.close();
    context = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 2 });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await openFixture();
    type Theme = { endMarks: { error: string; cancelled: string; errorGlyph: string; cancelledGlyph: string; ring: string } };
    // Where each task lane's end is, from the model and the view state (not from the renderer): canvas and page CSS px.
    const ends = () => page.evaluate((axis) => {
      const { app, model } = (window as unknown as { __t: {
        app: { layout: { lanes: { kind: string; taskId: number; label: string; tracks: { y: number; height: number }[] }[] }; labelWidth: number; scrollY: number; scale: { toX(t: number): number }; canvas: HTMLCanvasElement; theme: Theme };
        model: { task(id: number): { endedAt: number | undefined; outcome: string | undefined } };
      } }).__t;
      const r = app.canvas.getBoundingClientRect();
      return {
        theme: app.theme, labelWidth: app.labelWidth, left: r.left, top: r.top,
        lanes: app.layout.lanes.filter((l) => l.kind === 'task').map((l) => {
          const t = model.task(l.taskId);
          const x = Math.round(app.labelWidth + app.scale.toX(t.endedAt ?? NaN)), cy = Math.round(axis + l.tracks[0].y - app.scrollY + l.tracks[0].height / 2);
          return { label: l.label, outcome: t.outcome, x, cy, pageX: r.left + x, pageY: r.top + cy };
        }),
      };
    }, AXIS_HEIGHT);
    const pixel = (x: number, y: number) => page.evaluate(([px, py]) => {
      const c = document.querySelector('canvas')!;
      const dpr = c.width / c.getBoundingClientRect().width;
      return Array.from(c.getContext('2d')!.getImageData(Math.floor(px * dpr), Math.floor(py * dpr), 1, 1).data.slice(0, 3));
    }, [x, y]);
    const rgb = (hex: string) => { const n = parseInt(hex.slice(1), 16); return [n >> 16, (n >> 8) & 255, n & 255]; };
    const near = (a: number[], hex: string, tol = 6) => rgb(hex).every((v, i) => Math.abs(v - a[i]) <= tol);
    const checkMarkers = async (scheme: string) => {
      const { theme, lanes, labelWidth } = await ends();
      const m = theme.endMarks;
      const gx = gutterBadgeX(labelWidth);
      assert.deepEqual(lanes.map((l) => `${l.label}:${l.outcome}`), ['main:ok', 'consumer:cancelled', 'fetch-0:ok', 'fetch-1:error', 'fetch-2:ok']);
      for (const l of lanes) {
        // Inside the badge, right of its glyph: the badge's fill; on the glyph: the glyph colour.
        const fill = await pixel(l.x + 3, l.cy), glyph = await pixel(l.x, l.cy - 2);
        // The same badge, smaller, at the right edge of the label gutter.
        const inGutter = await pixel(gx + 3, l.cy);
        if (l.outcome === 'error') {
          assert.ok(near(fill, m.error), `${scheme}: ${l.label} error badge at x=${l.x}: ${fill} vs ${m.error}`);
          assert.ok(near(inGutter, m.error), `${scheme}: ${l.label} error badge in the gutter: ${inGutter}`);
          assert.ok(near(glyph, m.errorGlyph), `${scheme}: ${l.label} "!" glyph: ${glyph} vs ${m.errorGlyph}`);
        } else if (l.outcome === 'cancelled') {
          assert.ok(near(fill, m.cancelled), `${scheme}: ${l.label} cancelled badge at x=${l.x}: ${fill} vs ${m.cancelled}`);
          assert.ok(near(inGutter, m.cancelled), `${scheme}: ${l.label} cancelled badge in the gutter: ${inGutter}`);
        } else {
          assert.ok(!near(fill, m.error, 40) && !near(fill, m.cancelled, 40), `${scheme}: ${l.label} ended ok, no marker: ${fill}`);
          assert.ok(!near(inGutter, m.error, 40) && !near(inGutter, m.cancelled, 40), `${scheme}: ${l.label} ended ok, no gutter badge: ${inGutter}`);
        }
        // Nothing of the marker well left of the end (the task's own boxes there).
        if (l.outcome !== 'ok') assert.ok(!near(await pixel(l.x - 12, l.cy), l.outcome === 'error' ? m.error : m.cancelled), `${scheme}: ${l.label} marker only at its end`);
      }
      assert.notEqual(m.error, m.cancelled);
      return { m, lanes, gx };
    };
    const shot = async (name: string) => {
      const box = (await page.locator('canvas').boundingBox())!;
      await page.screenshot({ path: path.join(shots, `${name}.png`) });
      // A close-up of the lanes with markers, for reading the badges.
      await page.screenshot({ path: path.join(shots, `${name}-closeup.png`), clip: { x: box.x + box.width * 0.45, y: box.y, width: box.width * 0.55, height: 240 } });
    };

    const { lanes, gx } = await checkMarkers('light');
    const legend = await page.$$eval('.at-legend [data-end]', (els) => els.map((e) => `${(e as HTMLElement).dataset.end}=${e.textContent!.trim()}`));
    assert.deepEqual(legend, ['error=! failed (error)', 'cancelled=× cancelled']);
    const fetch1 = lanes.find((l) => l.label === 'fetch-1')!, consumer = lanes.find((l) => l.label === 'consumer')!;
    const tip = page.locator('.at-tooltip');
    await page.mouse.move(fetch1.pageX, fetch1.pageY);
    await tip.waitFor({ state: 'visible' });
    let text = await tip.innerText();
    assert.match(text, /fetch-1 #3 failed/);
    assert.match(text, /outcome: error/);
    assert.match(text, /message: ParseError: unexpected end of JSON input/);
    // The gutter's badge answers like the chart's.
    await page.mouse.move(fetch1.pageX - fetch1.x + gx, fetch1.pageY);
    await page.waitForFunction(() => /failed/.test(document.querySelector('.at-tooltip')?.textContent ?? '') && !(document.querySelector('.at-tooltip') as HTMLElement).hidden);
    await page.mouse.move(consumer.pageX - 2, consumer.pageY + 3);
    await page.waitForFunction(() => /was cancelled/.test(document.querySelector('.at-tooltip')?.textContent ?? ''));
    text = await tip.innerText();
    assert.match(text, /consumer #5 was cancelled/);
    assert.match(text, /message: shutting down/);
    await nextFrame();
    await shot('end-markers-light');
    await page.mouse.click(consumer.pageX, consumer.pageY);
    assert.deepEqual(await selection(), { kind: 'task', taskId: 5 }, 'a click on the marker selects the task');
    // The details pane is redrawn on the next animation frame.
    await page.waitForFunction(() => /task consumer #5/.test(document.querySelector('.at-details')?.textContent ?? ''));
    assert.match(await page.locator('.at-details').innerText(), /outcome\s+cancelled: shutting down/);

    await page.mouse.move(5, 5);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(30, 30, 30)');
    await nextFrame();
    const dark = await checkMarkers('dark');
    assert.deepEqual([dark.m.error, dark.m.cancelled], ['#f85149', '#d29922'], 'the dark fallbacks (no VS Code theme in this page)');
    await page.mouse.move(fetch1.pageX, fetch1.pageY);
    await tip.waitFor({ state: 'visible' });
    await nextFrame();
    await shot('end-markers-dark');

    await page.mouse.move(5, 5);
    await toHighContrast();
    await page.waitForFunction(() => (window as unknown as { __t: { app: { theme: Theme } } }).__t.app.theme.endMarks.ring === '#6fc3df');
    await nextFrame();
    const hc = await checkMarkers('high contrast');
    assert.deepEqual([hc.m.error, hc.m.cancelled], ['#f48771', '#ffd700']);
    // The badge is ringed with the contrast border (the ring straddles the badge's edge, 7 px from its centre: 6.25 to 7.75 px).
    const ring = await pixel(fetch1.x, fetch1.cy - 7);
    assert.ok(near(ring, '#6fc3df', 40), `ring ${ring}`);
    await page.mouse.move(consumer.pageX, consumer.pageY);
    await tip.waitFor({ state: 'visible' });
    await nextFrame();
    await shot('end-markers-high-contrast');
  });

  it('in a narrow panel keeps most of the width for the chart, details below it, labels narrower (screenshots)', async () => {
    await page.setViewportSize({ width: 520, height: 800 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      if (scheme === 'light') await openFixture(); else await nextFrame();
      const p = await pointOf({ kind: 'await', taskId: 3, index: 2 });
      await page.mouse.click(p.x, p.y);
      assert.deepEqual(await selection(), { kind: 'await', taskId: 3, index: 2 });
      await nextFrame();
      const box = await page.evaluate(() => {
        // No local function here: tsx would wrap it in a helper the page does not have.
        const [canvas, details] = ['canvas', '.at-details'].map((sel) => document.querySelector(sel)!.getBoundingClientRect().toJSON() as { top: number; bottom: number; width: number; height: number });
        const app = (window as unknown as { __t: { app: { labelWidth: number } } }).__t.app;
        return { canvas, details, labelWidth: app.labelWidth };
      });
      assert.ok(box.canvas.width >= 520 * 0.6, `canvas ${box.canvas.width} px wide of 520`);
      assert.ok(box.canvas.height >= 160, `canvas ${box.canvas.height} px high`);
      assert.ok(box.details.height > 40 && box.details.top >= box.canvas.bottom - 1, `details ${JSON.stringify(box.details)} below canvas ${JSON.stringify(box.canvas)}`);
      assert.ok(box.labelWidth < 170 && box.labelWidth >= 80, `label gutter ${box.labelWidth}`);
      assert.ok(await page.locator('.at-details').isVisible());
      assert.match(await page.locator('.at-details').innerText(), /await lock/);
      await page.screenshot({ path: path.join(shots, `narrow-${scheme}.png`) });
    }
  });

  for (const [width, height] of [[520, 800], [520, 300], [400, 240]] as const) {
    it(`at ${width}x${height} nothing overflows or overlaps: the table scrolls in its box, a short panel scrolls as a whole (screenshots)`, async () => {
      await page.setViewportSize({ width, height });
      await openFixture();
      await nextFrame();
      // A string, not a function: tsx's helpers do not exist in the page.
      const measure = () => page.evaluate(`(() => {
        const rect = (sel) => document.querySelector(sel).getBoundingClientRect().toJSON();
        const root = document.querySelector('.at-root'), wrap = document.querySelector('.at-table-wrap');
        const heads = [...document.querySelectorAll('.at-table thead th')];
        return {
          page: { scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth },
          root: { ...rect('.at-root'), clientWidth: root.clientWidth, clientHeight: root.clientHeight, scrollHeight: root.scrollHeight, overflowY: getComputedStyle(root).overflowY },
          parts: ['.at-toolbar', '.at-legend', '.at-main', '.at-table-wrap'].map((s) => ({ s, ...rect(s) })),
          chart: rect('.at-chart'), details: rect('.at-details'),
          wrap: { ...rect('.at-table-wrap'), clientWidth: wrap.clientWidth, scrollWidth: wrap.scrollWidth, overflowX: getComputedStyle(wrap).overflowX },
          firstHead: heads[0].getBoundingClientRect().toJSON(), lastHead: heads[heads.length - 1].getBoundingClientRect().toJSON(),
          firstCell: document.querySelector('.at-table tbody td').getBoundingClientRect().toJSON(),
        };
      })()`) as Promise<{
        page: { scrollWidth: number; clientWidth: number };
        root: Box & { clientWidth: number; clientHeight: number; scrollHeight: number; overflowY: string };
        parts: (Box & { s: string })[]; chart: Box; details: Box;
        wrap: Box & { clientWidth: number; scrollWidth: number; overflowX: string }; firstHead: Box; lastHead: Box; firstCell: Box;
      }>;
      type Box = { left: number; right: number; top: number; bottom: number; width: number; height: number };
      const m = await measure();
      assert.ok(m.page.scrollWidth <= m.page.clientWidth, `page ${m.page.scrollWidth} px wide in ${m.page.clientWidth}`);
      for (const p of [...m.parts, { s: 'chart', ...m.chart }, { s: 'details', ...m.details }]) {
        assert.ok(p.left >= -0.5 && p.right <= m.root.clientWidth + 0.5, `${p.s} spans ${p.left}..${p.right} in ${m.root.clientWidth}`);
      }
      m.parts.slice(1).forEach((p, i) => assert.ok(p.top >= m.parts[i].bottom - 0.5, `${p.s} (top ${p.top}) overlaps ${m.parts[i].s} (bottom ${m.parts[i].bottom})`));
      assert.ok(m.details.top >= m.chart.bottom - 0.5, 'details below the chart, not over it');
      assert.ok(m.chart.height >= 160 && m.details.height >= 60, `chart ${m.chart.height} px, details ${m.details.height} px high`);
      // The table is wider than the panel: it scrolls inside its box, which stays within the panel.
      assert.ok(m.wrap.scrollWidth > m.wrap.clientWidth && m.wrap.overflowX === 'auto', `table ${m.wrap.scrollWidth} px in a ${m.wrap.clientWidth} px box (${m.wrap.overflowX})`);
      const short = m.root.scrollHeight > m.root.clientHeight + 1;
      assert.equal(short, height < 500, `panel ${height} px high: content ${m.root.scrollHeight} px`);
      if (short) assert.equal(m.root.overflowY, 'auto');
      await page.screenshot({ path: path.join(shots, `table-${width}x${height}.png`) });
      // Scrolled to the far right and (when short) to the bottom: the last column is reachable, resource names stay put.
      await page.evaluate(`document.querySelector('.at-table-wrap').scrollLeft = 1e6; document.querySelector('.at-root').scrollTop = 1e6`);
      await nextFrame();
      const s = await measure();
      assert.ok(s.lastHead.right <= s.wrap.left + s.wrap.clientWidth + 0.5, `last column ends at ${s.lastHead.right}, box at ${s.wrap.left + s.wrap.clientWidth}`);
      assert.ok(Math.abs(s.firstCell.left - s.wrap.left) < 1 && Math.abs(s.firstHead.left - s.wrap.left) < 1, 'the resource column sticks to the left edge');
      assert.ok(s.wrap.bottom <= height + 0.5 && s.wrap.top >= 0, `table box ${s.wrap.top}..${s.wrap.bottom} in a ${height} px panel`);
      await page.locator('.at-table tbody tr').first().click();
      assert.equal(await page.evaluate(() => (window as unknown as { __t: { app: { selectedResource: number } } }).__t.app.selectedResource), 100);
      await page.screenshot({ path: path.join(shots, `table-${width}x${height}-scrolled.png`) });
    });
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`renders readably in the ${scheme} theme (screenshot)`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      await openFixture();
      const p = await pointOf({ kind: 'await', taskId: 3, index: 2 });
      await page.mouse.click(p.x, p.y);
      const q = await pointOf({ kind: 'await', taskId: 2, index: 3 });
      await page.mouse.move(q.x, q.y);
      await page.locator('.at-tooltip').waitFor({ state: 'visible' });
      await nextFrame();
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, scheme === 'dark' ? 'rgb(30, 30, 30)' : 'rgb(255, 255, 255)');
      await page.screenshot({ path: path.join(shots, `chart-${scheme}.png`) });
    });
  }
});
