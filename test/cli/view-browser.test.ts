// `async-trace view` as a person uses it: the written page opened in Chromium shows
// the trace embedded in it (its task count and its lock's acquisitions), without page errors.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { runCli } from '../../cli/main';
import { lockTraceBytes } from './fixture-trace';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(__dirname, '../..');

describe('async-trace view in a browser', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    if (!existsSync(CHROMIUM)) this.skip();
    if (!existsSync(path.join(root, 'dist/webview/main.js'))) {
      const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-view-'));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('opens standalone and shows the embedded trace', async () => {
    const trace = path.join(dir, 'lock.atrace');
    writeFileSync(trace, lockTraceBytes());
    let out = '';
    assert.equal(await runCli(['view', trace], { out: (t) => { out += t; }, err: () => undefined }), 0);
    const html = out.trim();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(html).href);
      // Lanes are drawn on a canvas; the header count and the contention table are text.
      await page.waitForFunction(() => document.body.innerText.includes('lock cache'), null, { timeout: 20_000 });
      assert.equal(await page.title(), 'examples/lock.ts - async-trace');
      const text = await page.evaluate(() => document.body.innerText);
      assert.match(text, /\b3 tasks\b/);
      assert.match(text, /lock cache\s+3\s/, 'the contention table lists 3 acquisitions of the lock');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});
