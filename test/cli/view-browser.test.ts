// `async-trace view` as a person uses it: the written page opened in Chromium (from
// file://, the trace in a data file beside it or inline; or from `view --serve`) shows
// the trace (its task count and its lock's acquisitions), without page errors.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { runCli } from '../../cli/main';
import { lockTraceBytes } from './fixture-trace';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(__dirname, '../..');

describe('async-trace view in a browser', function () {
  this.timeout(60_000);
  let dir: string;
  let browser: Browser;
  let trace: string;
  before(async function () {
    if (!existsSync(CHROMIUM)) this.skip();
    if (!existsSync(path.join(root, 'dist/webview/main.js'))) {
      const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-view-'));
    trace = path.join(dir, 'lock.atrace');
    writeFileSync(trace, lockTraceBytes());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function view(...args: string[]): Promise<string> {
    let out = '';
    let err = '';
    assert.equal(await runCli(['view', trace, ...args], { out: (t) => { out += t; }, err: (t) => { err += t; } }), 0, err);
    return out.trim();
  }

  /** Opens `url` and checks the lock trace is shown; returns the page's text. */
  async function expectLockTrace(url: string): Promise<void> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(url);
      // Lanes are drawn on a canvas; the header count and the contention table are text.
      await page.waitForFunction(() => document.body.innerText.includes('lock cache'), null, { timeout: 20_000 });
      assert.equal(await page.title(), 'examples/lock.ts - async-trace');
      const text = await page.evaluate(() => document.body.innerText);
      assert.match(text, /\b3 tasks\b/);
      assert.match(text, /lock cache\s+3\s/, 'the contention table lists 3 acquisitions of the lock');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  }

  it('opens from file:// and reads the trace from the data file beside the page', async () => {
    const html = await view();
    assert.ok(existsSync(html.replace(/\.html$/, '.data.js')));
    await expectLockTrace(pathToFileURL(html).href);
  });

  it('opens from file:// with the trace inline (--inline)', async () => {
    await expectLockTrace(pathToFileURL(await view('--inline', '-o', path.join(dir, 'inline.html'))).href);
  });

  it('says which file is missing when the data file was not kept with the page', async () => {
    const html = await view('-o', path.join(dir, 'alone.html'));
    unlinkSync(path.join(dir, 'alone.data.js'));
    const page = await browser.newPage();
    try {
      await page.goto(pathToFileURL(html).href);
      await page.waitForFunction(() => document.body.innerText.includes('Cannot read the trace'), null, { timeout: 20_000 });
      assert.match(await page.evaluate(() => document.body.innerText), /Cannot read the trace from alone\.data\.js: the file could not be loaded/);
    } finally {
      await page.close();
    }
  });

  it('view --serve serves the page and streams the trace from a local server until Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', require.resolve('tsx'), path.join(root, 'cli/main.ts'), 'view', trace, '--serve'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => { out += d.toString(); const m = /^(http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]+\/)\n/m.exec(out); if (m) resolve(m[1]); });
        child.once('exit', (code) => reject(new Error(`view --serve exited ${code}`)));
      });
      await expectLockTrace(url);
      // Another path on the server (no token) gets nothing.
      const other = await fetch(new URL('/trace.atrace', url));
      assert.equal(other.status, 404);
      // A page of another site reaching this port through DNS rebinding sends its own Host.
      const rebound = await new Promise<number | undefined>((resolve) => {
        request(new URL('trace.atrace', url), { headers: { host: 'evil.example' } }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', () => resolve(undefined)).end();
      });
      assert.equal(rebound, 403, 'a foreign Host header is refused');
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
