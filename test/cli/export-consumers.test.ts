// The exports, as the CLI streams them, opened by a real consumer: speedscope (the npm package's own build,
// in Chromium) imports the speedscope file and the Chrome trace-event file and shows
// their profiles; a file it cannot read would raise its "Unrecognized format" alert
// or its "Something went wrong" page instead.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { chromeTraceJson } from '../../trace/export-chrome';
import { speedscopeJson } from '../../trace/export-speedscope';
import { TraceModel } from '../../trace/model';
import { HEADER, lockEvents } from './fixture-trace';

const CHROMIUM = '/usr/bin/chromium';
const SPEEDSCOPE = path.resolve(__dirname, '../../node_modules/speedscope/dist/release/index.html');

describe('exports opened in speedscope', function () {
  this.timeout(60_000);
  let browser: Browser;
  let dir: string;
  before(async function () {
    if (!existsSync(CHROMIUM)) this.skip();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-consumers-'));
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Imports `file` through speedscope's file picker; returns the page title, body text and alerts. */
  async function importInto(file: string): Promise<{ title: string; text: string; alerts: string[] }> {
    const page = await browser.newPage();
    const alerts: string[] = [];
    const alerted = new Promise<void>((resolve) => page.on('dialog', (d) => { alerts.push(d.message()); void d.dismiss(); resolve(); }));
    await page.goto(pathToFileURL(SPEEDSCOPE).href);
    await page.setInputFiles('input[type=file]', file);
    const loaded = page.waitForFunction(() => document.title !== 'speedscope' || document.body.innerText.includes('Something went wrong'), null, { timeout: 20_000 });
    loaded.catch(() => undefined);
    await Promise.race([loaded, alerted]).catch(() => undefined);
    const result = { title: await page.title(), text: await page.evaluate(() => document.body.innerText), alerts };
    await page.close();
    return result;
  }

  function model(): TraceModel {
    const m = new TraceModel();
    m.setHeader(HEADER);
    m.apply(lockEvents());
    return m;
  }

  it('imports the speedscope export with one profile per task', async () => {
    const file = path.join(dir, 'lock.speedscope.json');
    writeFileSync(file, [...speedscopeJson(model())].join(''));
    const r = await importInto(file);
    assert.deepEqual(r.alerts, []);
    assert.equal(r.title, 'examples/lock.ts - speedscope');
    assert.match(r.text, /worker-1 #1 \(1\/3\)/);
  });

  it('imports the Chrome trace-event export', async () => {
    const file = path.join(dir, 'lock.trace.json');
    writeFileSync(file, [...chromeTraceJson(model())].join(''));
    const r = await importInto(file);
    assert.deepEqual(r.alerts, []);
    assert.doesNotMatch(r.text, /Something went wrong/);
    assert.equal(r.title, 'lock.trace.json - speedscope');
    assert.match(r.text, /examples\/lock\.ts \(pid 4242\), .* \(1\/\d+\)/);
  });

  it('notices a file it cannot read (the check can fail)', async () => {
    const file = path.join(dir, 'bogus.json');
    writeFileSync(file, JSON.stringify({ traceEvents: 'nope' }));
    const r = await importInto(file);
    assert.equal(r.title, 'speedscope');
    assert.ok(r.alerts.length > 0 || /Something went wrong/.test(r.text));
  });
});
