#!/usr/bin/env node
// Runs the extension in real VS Code (code-server + Debian Chromium via playwright-core;
// see ../../../../shared/testing/vscode-e2e.md for why this and not test-electron here).
//
//   phase 1: the mocha suite test/vscode/suite/index.js inside the extension host,
//            loaded through the URL payload (extensionDevelopmentPath + extensionTestsPath);
//            counts come back through the smoke-test driver's codeAutomationLog hook.
//   phase 2: the UI driven like a person: F1 -> "Trace Async Run" -> panel -> screenshots.
//   phase 3: what ships (packaged.mjs): the .vsix installed with --install-extension into
//            a second code-server, on a fresh project whose runtime is the npm tarball.
//
// Invariants: code-server is started detached in its own process group and is always
// stopped by that group id (also on timeout, error or Ctrl-C); every run gets a fresh
// user-data dir, extensions dir, browser profile and workspace copy; screenshots go
// under test-results/vscode/<timestamp>/, printed at the start and the end.
// Output: `N passed, N failed`, exit 1 on any failure; {passed, failed} JSON written to
// $ATRACE_SUMMARY when set. Env: E2E_TOOLS (default ~/.cache/async-trace-e2e) names the
// folder install-e2e-deps.sh filled; ATRACE_E2E_TIMEOUT_MS bounds the whole run;
// ATRACE_E2E_PHASES=suite,ui,packaged picks phases.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';
import { createRequire } from 'node:module';
import { codeServerIn, freePort, paletteCommand, quickOpen, startCodeServer, waitHttp } from './code-server.mjs';
import { packageProduct, runPackaged } from './packaged.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tools = process.env.E2E_TOOLS || path.join(os.homedir(), '.cache/async-trace-e2e');
const cs = codeServerIn(tools);
const overallTimeoutMs = Number(process.env.ATRACE_E2E_TIMEOUT_MS || 480_000);
const suiteTimeoutMs = 180_000;
/** Phases to run (ATRACE_E2E_PHASES=suite,ui,packaged; default all). */
const phases = (process.env.ATRACE_E2E_PHASES || 'suite,ui,packaged').split(',');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const runDir = path.join(root, 'test-results/vscode', stamp);
const t0 = Date.now();

const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const results = [];
const check = (name, ok, info = '') => {
  results.push({ name, ok });
  log(`${ok ? 'PASS' : 'FAIL'} ${name}${info ? ' ' + info : ''}`);
};

/** Ends the run: one summary line, the JSON summary, the exit code. Idempotent. */
let finished = false;
let cleanup = () => {};
function finish(extraFailure) {
  if (finished) return;
  finished = true;
  cleanup();
  if (extraFailure) check(extraFailure, false);
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed + (results.length === 0 ? 1 : 0);
  if (process.env.ATRACE_SUMMARY) writeFileSync(process.env.ATRACE_SUMMARY, JSON.stringify({ passed, failed }));
  console.log(`screenshots and logs: ${runDir}`);
  console.log(`vscode e2e took ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

/** The workbench URL with the extension under development (and optionally the suite) in the payload. */
function workbenchUrl(port, workspace, withSuite) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(root)], ['skipWelcome', 'true']];
  if (withSuite) payload.push(['extensionTestsPath', remote(path.join(root, 'test/vscode/suite/index.js'))]);
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(remote(workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

const hostNoise = /Creating a socket|Ignoring fetching additional builtin|Updating additional builtin|connection token|AgentHost|AccountPolicyGate|Service Worker|\[perf\]/;

/** Phase 1: the mocha suite inside the extension host. Reports one check per test. */
async function runSuite(context, port, workspace) {
  const page = await context.newPage();
  let exit;
  const exited = new Promise((resolve) => { exit = resolve; });
  let counts;
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const line = util.format(...(args || []));
    const m = /^ATRACE-TEST (\{.*\})$/.exec(line);
    if (m) {
      const r = JSON.parse(m[1]);
      if (r.kind === 'test') check(`suite: ${r.title}`, r.ok, r.error ? `(${r.error})` : '');
      else if (r.kind === 'summary') counts = r;
      return;
    }
    // A test asks what the Async Trace panel's webview shows (and to press keys in it first):
    // the answer goes to a file in the workspace, which the test reads.
    const panelAsked = /^ATRACE-PANEL ([\w-]+)(?: (\w+))?$/.exec(line);
    if (panelAsked) {
      void probePanel(page, workspace, panelAsked[1], panelAsked[2]);
      return;
    }
    // A test asks for a picture of the workbench as it is now (it waits a moment after).
    const shotAsked = /^ATRACE-SHOT ([\w-]+)$/.exec(line);
    if (shotAsked) {
      void page.screenshot({ path: path.join(runDir, `suite-${shotAsked[1]}.png`) }).catch(() => {});
      return;
    }
    if (!hostNoise.test(line)) console.log('  [exthost]', line);
  });
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  await page.goto(workbenchUrl(port, workspace, true));
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), suiteTimeoutMs))]);
  await page.screenshot({ path: path.join(runDir, '0-suite-end.png') }).catch(() => {});
  if (!counts) check('suite: ran to the end and reported its counts', false, `(exit ${code})`);
  else if (counts.failed === 0 && code !== 0) check('suite: extension host exited cleanly', false, `(exit ${code})`);
  await page.close();
}

/**
 * For a suite test (ATRACE-PANEL <id> [keys]): finds the webview frame of the Async Trace
 * panel (the one whose app holds a trace), presses `keys` on its chart like a person,
 * then writes what it shows to <workspace>/.atrace-panel-<id>.json: the status line, the
 * task names of its model, the stop it shows, the selection and its await.
 */
async function probePanel(page, workspace, id, keys) {
  const file = path.join(workspace, `.atrace-panel-${id}.json`);
  const read = () => {
    const app = window.asyncTraceApp;
    if (!app || !app.model) return undefined;
    const sel = app.selection;
    const task = sel && app.model.task(sel.taskId);
    const a = sel && sel.kind === 'await' && task ? task.awaits.at(sel.index) : undefined;
    return {
      status: document.querySelector('.at-status')?.textContent ?? '',
      tasks: app.model.tasks.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt })),
      clockOriginUnixMs: app.model.header && app.model.header.clockOriginUnixMs,
      endTime: app.model.endTime,
      eventCount: app.model.eventCount,
      paused: app.paused,
      selection: sel,
      selectedAwait: a && { begin: a.begin, end: a.end, kind: a.kind, taskId: sel.taskId },
      taskAwaits: app.paused && app.model.task(app.paused.taskId) ? Array.from(app.model.task(app.paused.taskId).awaits, (x) => ({ begin: x.begin, kind: x.kind })) : [],
    };
  };
  let answer = { error: 'no Async Trace panel with a trace' };
  try {
    for (const frame of page.frames()) {
      const has = await frame.evaluate(() => !!(window.asyncTraceApp && window.asyncTraceApp.model)).catch(() => false);
      if (!has) continue;
      if (keys) for (const k of keys) await frame.locator('canvas').first().press(k);
      answer = await frame.evaluate(read);
      break;
    }
  } catch (e) {
    answer = { error: String(e && e.message) };
  }
  writeFileSync(file, JSON.stringify(answer));
}

/** Phase 2: a person opens the palette, runs the command and sees the panel. */
async function runUi(context, port, workspace) {
  const page = await context.newPage();
  const shot = (name) => page.screenshot({ path: path.join(runDir, `${name}.png`) });
  const step = async (name, fn) => {
    try {
      await fn();
      check(`ui: ${name}`, true);
      return true;
    } catch (e) {
      await shot(`fail-${name.replace(/\W+/g, '-')}`).catch(() => {});
      check(`ui: ${name}`, false, `(${String(e.message).split('\n')[0]})`);
      return false;
    }
  };
  await page.goto(workbenchUrl(port, workspace, false));
  const ready = await step('workbench loads the extension under development', async () => {
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.waitForSelector('.statusbar', { timeout: 90_000 });
    await page.waitForFunction(() => /Extension Development Host/.test(document.title), null, { timeout: 30_000 });
    await shot('1-workbench');
  });
  if (!ready) return page.close();
  const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const opened = await step('F1 "Trace Async Run" opens the panel in its empty state', async () => {
    await paletteCommand(page, 'Trace Async Run');
    await panel.getByText('No trace yet').first().waitFor({ timeout: 30_000 });
    await page.locator('.editor-group-container .tab', { hasText: 'Async Trace' }).first().waitFor({ timeout: 10_000 });
    await shot('2-panel-empty');
  });
  if (!opened) return page.close();
  await step('the empty panel says what to do', async () => {
    await panel.getByText('Trace Async Run', { exact: false }).first().waitFor({ timeout: 10_000 });
  });
  const traced = await step('Quick Open sleepers.ts, then F1 "Trace Async Run" draws its tasks in the panel', async () => {
    await quickOpen(page, 'sleepers.ts');
    await shot('3-editor-sleepers');
    await paletteCommand(page, 'Trace Async Run');
    await panel.getByText(/[1-9]\d* tasks/).first().waitFor({ timeout: 60_000 });
    // The run is over when its status bar item ("N events, N tasks, …") is gone.
    await page.locator('.statusbar-item', { hasText: /events, \d+ tasks/ }).first().waitFor({ state: 'detached', timeout: 60_000 });
    await shot('4-trace-recorded');
  });
  if (!traced) return page.close();
  let selectedTitle = '';
  await step('clicking a span, then its source link, opens sleepers.ts at that line and column', async () => {
    const canvas = panel.locator('canvas').first();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no canvas in the panel');
    const link = panel.locator('.at-link', { hasText: /sleepers\.ts:\d+:\d+/ }).first();
    // Like a person looking for a span: click down the chart's middle until one is selected.
    let found = false;
    for (let y = 30; y < Math.min(box.height, 400) && !found; y += 6) {
      await canvas.click({ position: { x: box.width * 0.45, y } });
      found = await link.isVisible();
    }
    if (!found) throw new Error('no span with a sleepers.ts site under the clicks');
    // What the reload must bring back (a run of main or main itself, depending on how long main's first step took).
    selectedTitle = (await panel.locator('.at-details h3').first().textContent()).trim();
    await shot('5-span-selected');
    const text = (await link.textContent()).trim();
    const [, line, col] = /:(\d+):(\d+)$/.exec(text);
    await link.click();
    // The source opens in the other group and keyboard focus stays in the panel.
    await page.locator('.editor-group-container:not(.active) .tab.active', { hasText: 'sleepers.ts' }).waitFor({ timeout: 15_000 });
    await page.locator('.editor-group-container.active .tab.active', { hasText: /^Async Trace$/ }).waitFor({ timeout: 5_000 });
    await shot('6-revealed-source');
    // Focusing that group (which moves no cursor) shows where the cursor was put.
    await paletteCommand(page, 'View: Focus Next Editor Group');
    const want = `Ln ${line}, Col ${col}`;
    await page.waitForFunction((w) => (document.querySelector('[id="status.editor.selection"]')?.textContent || '').includes(w), want, { timeout: 15_000 });
    log(`revealed ${text}: status bar reads ${want}`);
  });
  await step('opening the saved .atrace from the explorer shows it in the Async Trace editor', async () => {
    const explorer = page.locator('.explorer-folders-view');
    await explorer.locator('.monaco-list-row', { hasText: '.async-trace' }).first().click();
    const row = explorer.locator('.monaco-list-row', { hasText: /^sleepers-.*\.atrace$/ }).first();
    await row.waitFor({ timeout: 15_000 });
    const name = (await row.textContent()).trim();
    await row.dblclick();
    await page.locator('.editor-group-container.active .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
    // Webview iframes live outside the editor group's DOM: find the one titled with the file.
    const frames = page.locator('iframe.webview.ready');
    const deadline = Date.now() + 30_000;
    for (let found = false; !found;) {
      for (let i = 0, n = await frames.count(); i < n && !found; i++) {
        const view = frames.nth(i).contentFrame().frameLocator('#active-frame');
        found = await view.getByText(name, { exact: true }).first().isVisible() && await view.getByText(/[1-9]\d* tasks/).first().isVisible();
      }
      if (!found && Date.now() > deadline) throw new Error(`no webview shows ${name} with its tasks`);
      if (!found) await page.waitForTimeout(200);
    }
    await shot('7-saved-trace-editor');
  });
  /**
   * Activates the "Async Trace" panel's tab and waits until its webview shows `pattern`.
   * Several webviews may exist (the .atrace editor too); only the active tab's is visible.
   */
  const panelShows = async (pattern, timeout) => {
    await page.locator('.editor-group-container .tab', { hasText: /^Async Trace$/ }).first().click({ timeout });
    const frames = page.locator('iframe.webview.ready');
    const deadline = Date.now() + timeout;
    for (;;) {
      for (let i = 0, n = await frames.count(); i < n; i++) {
        const view = frames.nth(i).contentFrame().frameLocator('#active-frame');
        if (await view.getByText(pattern).first().isVisible().catch(() => false)) return view;
      }
      if (Date.now() > deadline) throw new Error(`the Async Trace panel does not show ${pattern}`);
      await page.waitForTimeout(250);
    }
  };
  await step('reloading the window brings the Async Trace panel back with its trace and its selection', async () => {
    // Through VS Code's own command, so the workbench saves its state (open editors, the
    // webviews' getState) on the way down, as a person reloading the window would.
    await paletteCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 60_000 }).catch(() => {});
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.waitForSelector('.statusbar', { timeout: 90_000 });
    // Revived by the panel serializer, which replays the last recorded trace, and the
    // view state the webview saved (getState): the span selected before is selected again.
    await panelShows(/[1-9]\d* tasks/, 60_000);
    await panelShows(new RegExp(`^${selectedTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), 30_000);
    await shot('8-panel-after-reload');
  });
  await step('with no program open, Trace Async Run offers the launch.json programs and traces the one picked', async () => {
    mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    writeFileSync(path.join(workspace, '.vscode', 'launch.json'), JSON.stringify({
      version: '0.2.0',
      configurations: [
        { type: 'node', request: 'launch', name: 'Three sleepers', program: '${workspaceFolder}/sleepers.ts', asyncTrace: true },
        // Second on purpose (the pick must not just take the first), and a program that
        // crashes before its socket connects (its trace arrives through the spill file).
        { type: 'node', request: 'launch', name: 'Crash early', program: '${workspaceFolder}/crash-at-start.ts', asyncTrace: true },
      ],
    }, null, 2));
    // No editor open: the command must ask which program to run.
    await paletteCommand(page, 'View: Close All Editors');
    const pick = page.locator('.quick-input-widget input[placeholder="Which program should Async Trace run?"]');
    const deadline = Date.now() + 30_000;
    for (;;) {
      await paletteCommand(page, 'Trace Async Run');
      try {
        await pick.waitFor({ timeout: 5_000 });
        break;
      } catch {
        // VS Code reads the new launch.json through a file watcher: ask again once it has.
        if (Date.now() > deadline) throw new Error('no program quick pick after writing launch.json');
        await page.keyboard.press('Escape');
      }
    }
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'Crash early (launch.json)' }).first().waitFor({ timeout: 10_000 });
    if (await rows.count() !== 2) throw new Error(`expected the two launch.json programs, got ${await rows.count()} rows`);
    await shot('9-program-picker');
    await page.locator('.quick-input-widget input').fill('Crash early');
    await page.keyboard.press('Enter');
    await panelShows(/crash-at-start\.ts — /, 60_000);
    await panelShows(/[1-9]\d* tasks/, 60_000);
    await page.locator('.statusbar-item', { hasText: /events, \d+ tasks/ }).first().waitFor({ state: 'detached', timeout: 60_000 });
    await shot('10-picked-program-traced');
  });
  await step('after shortening the lock hold, F1 "Compare with Previous Run" shows both runs and the changes; a row selects both sides and opens the site', async () => {
    const program = path.join(workspace, 'lock-hold.ts');
    const traces = () => (existsSync(path.join(workspace, '.async-trace')) ? readdirSync(path.join(workspace, '.async-trace')) : []).filter((f) => /^lock-hold-.*\.atrace$/.test(f)).length;
    const traceOnce = async () => {
      const before = traces();
      await paletteCommand(page, 'Trace Async Run');
      const deadline = Date.now() + 60_000;
      while (traces() === before) {
        if (Date.now() > deadline) throw new Error('no new lock-hold trace file');
        await page.waitForTimeout(200);
      }
      await page.locator('.statusbar-item', { hasText: /events, \d+ tasks/ }).first().waitFor({ state: 'detached', timeout: 60_000 });
    };
    // The program to trace is the active editor's (the panel takes focus after a run, and launch.json lists others).
    // Its tab, when one is open (keystrokes can go to the panel's webview), else Quick Open.
    const focusProgram = async () => {
      const tab = page.locator('.editor-group-container .tab', { hasText: /^lock-hold\.ts/ }).first();
      if (await tab.count()) {
        await tab.click();
        await page.locator('.editor-group-container.active .tab.active', { hasText: 'lock-hold.ts' }).waitFor({ timeout: 10_000 });
      } else await quickOpen(page, 'lock-hold.ts');
    };
    await focusProgram();
    await traceOnce();
    writeFileSync(program, readFileSync(program, 'utf8').replace('const HOLD = 20;', 'const HOLD = 2;'));
    await focusProgram();
    await traceOnce();
    await paletteCommand(page, 'Compare with Previous Run');
    const view = await panelShows(/^Compare A: lock-hold-.* → B: lock-hold-/, 30_000);
    const rows = view.locator('.at-compare-table tbody tr[data-row]');
    await rows.first().waitFor({ timeout: 10_000 });
    const first = (await rows.first().innerText()).split('\n')[0];
    if (!/^(lock db|lock\.acquire\(\) at lock-hold\.ts:11:7)/.test(first)) throw new Error(`first change is ${first}`);
    await shot('11-compare-runs');
    await rows.filter({ hasText: 'sleep() at lock-hold.ts:12:13' }).first().click();
    await view.locator('.at-details', { hasText: 'lock-hold.ts:12:13' }).nth(1).waitFor({ timeout: 10_000 });
    // The site opens beside the panel, which keeps focus (so the status bar shows no Ln/Col of it):
    // the line is the other group's active line.
    await page.locator('.editor-group-container:not(.active) .line-numbers.active-line-number', { hasText: /^12$/ }).first().waitFor({ timeout: 15_000 });
    await shot('12-compare-row-selected');
    // A reload brings the compare view back, not the last single trace.
    await paletteCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 60_000 }).catch(() => {});
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    const revived = await panelShows(/^Compare A: lock-hold-.* → B: lock-hold-/, 60_000);
    await revived.locator('.at-compare-table tbody tr[data-row]').first().waitFor({ timeout: 10_000 });
    await shot('13-compare-after-reload');
  });
  await page.close();
}

async function main() {
  mkdirSync(runDir, { recursive: true });
  log(`screenshots and logs go to ${runDir}`);
  if (!existsSync(cs.entry)) {
    console.error(`code-server is not installed in ${tools} (set E2E_TOOLS; install with scripts/install-e2e-tools.sh)`);
    return finish('e2e tools are installed');
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'atrace-vscode-'));
  const procs = [];
  cleanup = () => {
    for (const p of procs) { try { process.kill(-p.pid, 'SIGTERM'); } catch { /* already gone */ } }
    rmSync(scratch, { recursive: true, force: true });
  };
  process.on('SIGINT', () => finish('interrupted'));
  process.on('SIGTERM', () => finish('terminated'));
  setTimeout(() => finish(`whole run within ${overallTimeoutMs} ms`), overallTimeoutMs).unref();
  // What ships, made first (both builds are production builds): the .vsix of this
  // platform and the npm tarball. Then the development build for phases 1 and 2.
  const product = phases.includes('packaged') ? packageProduct({ root, scratch, log }) : undefined;
  if (product && !product.ok) check('the .vsix and the npm tarball are made', false, `(${product.error})`);
  // Always build: a stale dist/ would test yesterday's extension (esbuild takes seconds).
  const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0 || !existsSync(path.join(root, 'dist/extension/extension.js'))) return finish('the extension builds');
  // One copy per phase: the UI phase must not inherit editors the suite left open.
  const workspace = path.join(runDir, 'workspace');
  const uiWorkspace = path.join(runDir, 'ui-workspace');
  // The findings suite traces the findings tests' own programs (one copy of each), under the names it uses.
  const findingsPrograms = { 'held-lock.ts': 'hold-across-await.ts', 'deadlock-transfers.ts': 'deadlock.ts' };
  for (const w of [workspace, uiWorkspace]) {
    cpSync(path.join(root, 'test/vscode/workspace'), w, { recursive: true });
    for (const [name, from] of Object.entries(findingsPrograms)) cpSync(path.join(root, 'test/findings/programs', from), path.join(w, name));
  }
  const port = await freePort();
  const dev = phases.some((p) => p === 'suite' || p === 'ui');
  if (dev) {
    procs.push(startCodeServer({ cs, scratch: path.join(scratch, 'dev'), port, workspace, logFile: path.join(runDir, 'code-server.log'), log }));
    await waitHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    log('code-server answers');
  }
  // playwright-core from the repo's devDependencies, else from the tools folder.
  const require = createRequire(import.meta.url);
  let chromium;
  try { ({ chromium } = require('playwright-core')); } catch { ({ chromium } = createRequire(path.join(tools, 'x.js'))('playwright-core')); }
  const context = await chromium.launchPersistentContext(path.join(scratch, 'chromium'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    if (phases.includes('suite')) await runSuite(context, port, workspace);
    if (phases.includes('ui')) await runUi(context, port, uiWorkspace);
    if (product?.ok) await runPackaged({ context, cs, scratch: path.join(scratch, 'packaged'), product, runDir, check, log, procs });
  } finally {
    await context.close().catch(() => {});
  }
  finish();
}

main().catch((e) => {
  console.error(e);
  finish(`harness error: ${String(e.message).split('\n')[0]}`);
});
