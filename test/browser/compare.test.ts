/// <reference lib="dom" />
// The compare view in real Chromium: `async-trace view A B` on two real recordings of
// one program (a long and a short lock hold). Both charts share one time axis from
// each root task's start and move together; the table lists the changes biggest
// first, and a row selects the matching spans on both charts. Screenshots go to
// test-results/compare/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../../cli/main';
import { compareHtml, webviewBundle } from '../../cli/view';
import type { CompareApp } from '../../webview/compare/compare-app';
import { LOCK_PROGRAM } from '../cli/diff-fixtures';
import { recordProgram } from '../tracing/record-program';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(__dirname, '../..');
const shots = path.join(root, 'test-results', 'compare');

declare global { interface Window { asyncTraceCompare?: CompareApp } }

describe('compare view in Chromium', function () {
  this.timeout(120_000);
  let dir: string, html: string, browser: Browser;
  before(async function () {
    if (!existsSync(CHROMIUM)) this.skip();
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-compare-'));
    copyFileSync((await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(20))).file, path.join(dir, 'long.atrace'));
    copyFileSync((await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(2))).file, path.join(dir, 'short.atrace'));
    let out = '';
    assert.equal(await runCli(['view', path.join(dir, 'long.atrace'), path.join(dir, 'short.atrace')], { out: (t) => { out += t; }, err: () => undefined }), 0);
    html = out.trim();
    assert.equal(html, path.join(dir, 'long-vs-short.html'));
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    return { page, errors };
  }

  it('shows both runs on one time axis with the changes, biggest first', async () => {
    const { page, errors } = await open(pathToFileURL(html).href);
    await page.waitForSelector('.at-compare-table tbody tr[data-row]');
    await page.waitForFunction(() => document.querySelectorAll('.at-status').length === 2 && [...document.querySelectorAll('.at-status')].every((s) => /6 tasks/.test(s.textContent ?? '')));
    assert.match(await page.title(), /^long\.atrace vs short\.atrace - async-trace$/);
    const head = await page.textContent('.at-compare-head');
    assert.match(head ?? '', /Compare A: long\.atrace → B: short\.atrace/);
    assert.match(head ?? '', /duration [\d.]+ → [\d.]+ ms \(−/);
    const rows = await page.$$eval('.at-compare-table tbody tr[data-row]', (trs) => trs.map((tr) => ({ text: (tr as HTMLElement).innerText, noise: tr.classList.contains('at-noise') })));
    // The lock's waits first (the lock row or its acquire site), then the hold's sleep; rows within the noise last and muted.
    assert.match(rows[0].text, /^(lock db|lock\.acquire\(\) at prog\.ts:7:7)/);
    const hold = rows.findIndex((r) => r.text.startsWith('sleep() at prog.ts:8:13 in main.worker'));
    assert.ok(hold > 0 && !rows[hold].noise, JSON.stringify(rows));
    assert.match(rows[hold].text, /total [\d.]+ → [\d.]+ ms \(−[\d.]+ ms, −\d+%\)/);
    const firstNoise = rows.findIndex((r) => r.noise);
    assert.ok(firstNoise === -1 || rows.slice(firstNoise).every((r) => r.noise && /within the noise/.test(r.text)));
    // Both charts on one axis: the same scale, starting before each root task's start (time 0).
    const scales = await page.evaluate(() => { const c = window.asyncTraceCompare!; return [c.a.scale, c.b.scale].map((s) => ({ start: s.start, msPerPx: s.msPerPx })); });
    assert.deepEqual(scales[0], scales[1]);
    assert.ok(scales[0].start < 0);
    const roots = await page.evaluate(() => { const c = window.asyncTraceCompare!; return [c.a.model!, c.b.model!].map((m) => m.tasks.find((t) => t.parentId === 0)!.createdAt); });
    assert.deepEqual(roots, [0, 0]);
    await page.screenshot({ path: path.join(shots, 'compare-fit.png') });
    // Zooming one chart moves the other with it.
    const box = (await page.$$('.at-compare-pane canvas'))[0].boundingBox();
    const b0 = await box;
    assert.ok(b0);
    await page.mouse.move(b0.x + b0.width / 2, b0.y + b0.height / 2);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -400);
    await page.keyboard.up('Control');
    await page.waitForFunction((before) => window.asyncTraceCompare!.a.scale.msPerPx < 0.9 * before, scales[0].msPerPx);
    const after = await page.evaluate(() => { const c = window.asyncTraceCompare!; return [c.a.scale, c.b.scale].map((s) => ({ start: s.start, msPerPx: s.msPerPx })); });
    assert.deepEqual(after[0], after[1]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a row of the table selects the matching spans on both charts', async () => {
    const { page, errors } = await open(pathToFileURL(html).href);
    await page.waitForSelector('.at-compare-table tbody tr[data-row]');
    const index = await page.$$eval('.at-compare-table tbody tr[data-row]', (trs) => trs.findIndex((tr) => (tr as HTMLElement).innerText.startsWith('sleep() at prog.ts:8:13')));
    await page.click(`.at-compare-table tbody tr[data-row="${index}"]`);
    await page.waitForFunction(() => { const c = window.asyncTraceCompare!; return c.a.selection && c.b.selection; });
    const picked = await page.evaluate(() => {
      const c = window.asyncTraceCompare!;
      return [c.a, c.b].map((app) => {
        const sel = app.selection as { kind: string; taskId: number; index: number };
        const span = app.model!.task(sel.taskId)!.awaits.at(sel.index)!;
        const visible = span.begin >= app.scale.start && span.end! <= app.scale.endFor(app.measuredChartWidth());
        return { kind: sel.kind, awaitKind: span.kind, site: `${span.site!.line}:${span.site!.col}`, ms: span.end! - span.begin, visible };
      });
    });
    // The slowest await at the hold's site on each side: long in A, short in B; both in view.
    assert.equal(picked[0].kind, 'await');
    assert.deepEqual(picked.map((p) => [p.awaitKind, p.site, p.visible]), [['sleep', '8:13', true], ['sleep', '8:13', true]]);
    // A sleep(20) can end a fraction of a millisecond early on the trace clock (Node timers round): a wide margin.
    assert.ok(picked[0].ms >= 15 && picked[0].ms > picked[1].ms, JSON.stringify(picked));
    assert.equal(await page.getAttribute(`.at-compare-table tbody tr[data-row="${index}"]`, 'aria-selected'), 'true');
    // The details panes name the selection on both sides.
    const details = await page.$$eval('.at-details', (ds) => ds.map((d) => (d as HTMLElement).innerText));
    for (const d of details) assert.match(d, /await sleep[\s\S]*prog\.ts:8:13/);
    // The lock's row selects a wait in the lock's lane on both sides.
    const lockRow = await page.$$eval('.at-compare-table tbody tr[data-row]', (trs) => trs.findIndex((tr) => (tr as HTMLElement).innerText.startsWith('lock db')));
    await page.click(`.at-compare-table tbody tr[data-row="${lockRow}"]`);
    const waits = await page.evaluate(() => { const c = window.asyncTraceCompare!; return [c.a.selection, c.b.selection].map((s) => s?.kind); });
    assert.deepEqual(waits, ['wait', 'wait']);
    await page.click(`.at-compare-table tbody tr[data-row="${index}"]`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, 'compare-row-selected.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('says which file cannot be read instead of showing half a comparison', async () => {
    const bundle = webviewBundle();
    assert.ok(bundle);
    const page = path.join(dir, 'bad.html');
    writeFileSync(page, compareHtml({ bytes: new Uint8Array(Buffer.from('{"traceEvents":[]}')), title: 'foreign.json' }, { bytes: new Uint8Array([1, 2, 3]), title: 'b.atrace' }, bundle));
    const { page: p, errors } = await open(pathToFileURL(page).href);
    await p.waitForSelector('.at-empty h1');
    const text = await p.textContent('.at-empty');
    assert.match(text ?? '', /These traces cannot be compared/);
    assert.match(text ?? '', /foreign\.json is not a readable async-trace file: .*magic/i);
    assert.deepEqual(errors, []);
    await p.close();
  });
});
