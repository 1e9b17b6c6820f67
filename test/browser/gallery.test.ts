// The README's gallery, taken by a test: three examples (lock contention, the crawler,
// cancellation) are recorded with the real CLI, opened through `async-trace view` (the
// standalone page with the product's webview bundle) in real Chromium, checked to have
// drawn their lanes, and photographed to test-results/gallery/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli/async-trace.js');
const shots = path.join(root, 'test-results', 'gallery');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function recordAndView(scratch: string, example: string): { html: string; tasks: number } {
  const out = path.join(scratch, `${example}.atrace`);
  const r = spawnSync(process.execPath, [cli, 'record', '-o', out, '--', `examples/${example}.ts`], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `record ${example}: ${r.stderr}`);
  const v = spawnSync(process.execPath, [cli, 'view', out], { cwd: root, encoding: 'utf8' });
  assert.equal(v.status, 0, `view ${example}: ${v.stderr}`);
  const st = spawnSync(process.execPath, [cli, 'stats', out, '--json'], { cwd: root, encoding: 'utf8' });
  assert.equal(st.status, 0, st.stderr);
  return { html: v.stdout.trim().split('\n').pop()!, tasks: (JSON.parse(st.stdout) as { tasks: { total: number } }).tasks.total };
}

describe('gallery: example traces in the standalone viewer', function () {
  this.timeout(120_000);
  let browser: Browser;
  let scratch: string;
  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'atrace-gallery-'));
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  // Lane labels are drawn on the canvas; the DOM shows the task count and the contention table.
  // `ends`: the task lanes that carry an end marker (failed or cancelled), as label:outcome.
  const cases: { example: string; resources: string[]; ends?: string[] }[] = [
    { example: 'lock-contention', resources: ['lock cache'] },
    { example: 'crawler', resources: ['queue frontier', 'semaphore fetch-slots'] },
    // The workers end cancelled; `stubborn` catches the cancel and returns normally, so it has no marker.
    { example: 'cancellation', resources: [], ends: ['worker-0:cancelled', 'worker-1:cancelled', 'worker-2:cancelled'] },
  ];
  for (const { example, resources, ends } of cases) {
    it(`${example}: draws its task and resource lanes`, async () => {
      const { html, tasks } = recordAndView(scratch, example);
      const page = await browser.newPage({ viewport: { width: 1400, height: 800 }, colorScheme: 'dark' });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${html}`);
      await page.waitForFunction(() => {
        const c = document.querySelector('canvas');
        return !!c && c.width > 0 && document.body.innerText.includes('events');
      });
      const text = await page.evaluate(() => document.body.innerText);
      assert.match(text, new RegExp(`\\b${tasks} tasks\\b`));
      for (const r of resources) assert.ok(text.includes(r), `the contention table lists ${r}`);
      // The chart drew: the canvas holds more than one colour.
      const colours = await page.evaluate(() => {
        const c = document.querySelector('canvas')!;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return seen.size;
      });
      assert.ok(colours > 5, `canvas has ${colours} colours`);
      if (ends) {
        // The full layout (not the first, provisional picture): markers come from the decoded trace.
        await page.waitForFunction(`window.asyncTraceApp?.layout && !window.asyncTraceApp.layout.provisional`);
        const marked = await page.evaluate(`window.asyncTraceApp.layout.lanes.filter((l) => l.end).map((l) => l.label + ':' + l.end.outcome)`);
        assert.deepEqual(marked, ends);
      }
      await page.screenshot({ path: path.join(shots, `${example}.png`) });
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});
