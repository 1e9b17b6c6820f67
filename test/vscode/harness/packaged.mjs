// Phase 3 of the real-VS Code harness: what a new user gets. The .vsix that
// `npm run package` makes is installed with `code-server --install-extension` (not the
// development path), into a second code-server whose workspace is a fresh project in a
// temp folder, with the runtime from the `npm pack` tarball installed by npm. Then the
// first session, like a person: trace a program of their own, click a lock wait, step
// with n / p, trace a program that never uses the runtime, export the trace.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, installVsix, paletteCommand, quickOpen, startCodeServer, waitHttp } from './code-server.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The user's own program: four customers, one till. Line 7 is where they wait for the lock. */
const ORDERS = `import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';

const till = new Lock({ name: 'till' });

async function serve(customer: string): Promise<string> {
  await sleep(5);
  await till.withLock(async () => {
    await sleep(15);
  });
  return customer;
}

run(async () => {
  const served = await gather(['ann', 'bob', 'cy', 'dee'].map((c) => createTask(() => serve(c), { name: c })));
  console.log(\`served \${served.join(', ')}\`);
});
`;
const LOCK_LINE = ORDERS.split('\n').findIndex((l) => l.includes('till.withLock')) + 1;

/** Awaits, so it gets site marks (which load the runtime), but nothing runs on the runtime. */
/** A slip of the pen on line 4: `await sleep(10) sleep(5);`. The site marks wrap that await, so the raw error named their helper. */
const BROKEN = `import { run, sleep } from 'async-trace/runtime';

run(async () => {
  await sleep(10) sleep(5);
});
`;
const HELLO = `async function greet(name: string): Promise<string> {
  return await Promise.resolve(\`hello \${name}\`);
}

void greet('world').then((s) => console.log(s));
`;

/** Runs until stopped (well past any step's timeout). */
const SLOW = `import { run, sleep } from 'async-trace/runtime';

run(async () => {
  await sleep(120_000);
});
`;

/** Makes the .vsix of this platform and the npm tarball (both production builds) in `scratch`. */
export function packageProduct({ root, scratch, log }) {
  mkdirSync(scratch, { recursive: true });
  const vsix = spawnSync(process.execPath, [path.join(root, 'scripts/package-vsix.mjs')], { cwd: root, encoding: 'utf8' });
  if (vsix.status !== 0) return { ok: false, error: `npm run package failed: ${vsix.stderr.trim().split('\n').pop()}` };
  const vsixFile = path.join(scratch, 'async-trace.vsix');
  copyFileSync(path.join(root, 'dist/async-trace.vsix'), vsixFile);
  const packed = spawnSync(npm, ['pack', '--pack-destination', scratch, '--silent'], { cwd: root, encoding: 'utf8' });
  const tgz = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  if (packed.status !== 0 || !tgz) return { ok: false, error: `npm pack failed: ${packed.stderr.trim().split('\n').pop()}` };
  log(`packaged ${vsixFile} and ${tgz}`);
  return { ok: true, vsix: vsixFile, tarball: path.join(scratch, tgz) };
}

/** A fresh project of the user's own, with the runtime installed from the tarball by npm. */
function makeProject(dir, tarball) {
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'orders-app', version: '1.0.0', private: true }, null, 2));
  writeFileSync(path.join(dir, 'src/orders.ts'), ORDERS);
  writeFileSync(path.join(dir, 'src/hello.ts'), HELLO);
  writeFileSync(path.join(dir, 'src/broken.ts'), BROKEN);
  writeFileSync(path.join(dir, 'src/slow.ts'), SLOW);
  const r = spawnSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: dir, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`npm install of the tarball failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(readFileSync(path.join(dir, 'node_modules/async-trace/package.json'), 'utf8')).version;
}

/**
 * The notification whose text matches: a toast, or else in the notification center
 * (VS Code may put a notification straight there, e.g. while a webview has focus).
 */
async function notification(page, text, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  const listed = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  for (;;) {
    if (await toast.isVisible().catch(() => false)) return toast;
    if (await listed.isVisible().catch(() => false)) return listed;
    if (!(await page.locator('.notifications-center.visible').count())) {
      await page.locator('.statusbar-item', { has: page.locator('.codicon-bell, .codicon-bell-dot') }).first().click().catch(() => {});
    }
    if (Date.now() > deadline) throw new Error(`no notification "${text}"`);
    await page.waitForTimeout(250);
  }
}

/** Closes the notification center if it is open (it would sit over the panel and the palette). */
async function hideNotifications(page) {
  if (await page.locator('.notifications-center.visible').count()) {
    await page.locator('.statusbar-item', { has: page.locator('.codicon-bell, .codicon-bell-dot') }).first().click();
    await page.locator('.notifications-center.visible').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
  }
}

export async function runPackaged({ context, cs, scratch, product, runDir, check, log, procs }) {
  const shotDir = path.join(runDir, 'packaged');
  mkdirSync(shotDir, { recursive: true });
  const project = path.join(scratch, 'orders-app');
  let version;
  try {
    version = makeProject(project, product.tarball);
    check('packaged: a fresh project installs the runtime from the npm tarball', true, `(async-trace ${version})`);
  } catch (e) {
    return check('packaged: a fresh project installs the runtime from the npm tarball', false, `(${e.message})`);
  }
  const installed = installVsix(cs, scratch, product.vsix);
  const extDir = existsSync(installed.extensions) ? readdirSync(installed.extensions).find((d) => d.startsWith('async-trace.async-trace-')) : undefined;
  check('packaged: the .vsix installs with --install-extension', installed.ok && !!extDir, installed.ok ? `(${extDir})` : `(${installed.output.split('\n').pop()})`);
  if (!installed.ok || !extDir) return;

  const port = await freePort();
  procs.push(startCodeServer({ cs, scratch, port, workspace: project, logFile: path.join(runDir, 'code-server-packaged.log'), log }));
  await waitHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
  const page = await context.newPage();
  const shot = (name) => page.screenshot({ path: path.join(shotDir, `${name}.png`) });
  const step = async (name, fn) => {
    try {
      await fn();
      check(`packaged: ${name}`, true);
      return true;
    } catch (e) {
      await shot(`fail-${name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
      check(`packaged: ${name}`, false, `(${String(e.message).split('\n')[0]})`);
      return false;
    }
  };
  const remote = `vscode-remote://127.0.0.1:${port}${project}`;
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(remote)}`);
  const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const activeTab = page.locator('.editor-group-container.active .tab.active');

  const ready = await step('the workbench loads the installed extension (not a development host)', async () => {
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.waitForSelector('.statusbar', { timeout: 90_000 });
    if (/Extension Development Host/.test(await page.title())) throw new Error('this is a development host');
    await shot('1-workbench');
  });
  if (!ready) return page.close();

  const traced = await step(`Trace Async Run on the user's src/orders.ts draws its tasks, built against the project's runtime ${version}`, async () => {
    await quickOpen(page, 'orders.ts');
    await paletteCommand(page, 'Trace Async Run', 60_000);
    await panel.getByText(/[1-9]\d* tasks/).first().waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: /events, \d+ tasks/ }).first().waitFor({ state: 'detached', timeout: 60_000 });
    await panel.getByText(`runtime: project's async-trace ${version}`, { exact: false }).first().waitFor({ timeout: 10_000 });
    const traces = readdirSync(path.join(project, '.async-trace')).filter((f) => /^orders-.*\.atrace$/.test(f));
    if (traces.length !== 1) throw new Error(`expected one orders trace, found ${traces.join(', ') || 'none'}`);
    await shot('2-orders-traced');
  });
  if (!traced) return page.close();

  let revealed = '';
  await step(`clicking a wait for the till lock opens src/orders.ts at line ${LOCK_LINE} beside the panel, and focus stays in the panel`, async () => {
    await panel.locator('tr[data-resource-id]', { hasText: 'till' }).first().click();
    const link = panel.locator('.at-link', { hasText: /orders\.ts:\d+:\d+/ }).first();
    await link.waitFor({ timeout: 10_000 });
    revealed = (await link.textContent()).trim();
    await shot('3-lock-wait-selected');
    await link.click();
    // The file opens in the other group, the panel's tab stays the active one.
    const fileTab = page.locator('.editor-group-container:not(.active) .tab.active', { hasText: 'orders.ts' });
    await fileTab.waitFor({ timeout: 15_000 });
    await page.locator('.editor-group-container:not(.active) .line-numbers.active-line-number', { hasText: new RegExp(`^${LOCK_LINE}$`) }).first().waitFor({ timeout: 10_000 });
    if (!/^Async Trace$/.test((await activeTab.textContent()).trim())) throw new Error(`the active tab is ${(await activeTab.textContent()).trim()}, not the panel`);
    if (!new RegExp(`:${LOCK_LINE}:\\d+$`).test(revealed)) throw new Error(`the wait's site ${revealed} is not on line ${LOCK_LINE}`);
    await shot('4-lock-wait-revealed');
  });

  await step('n and p pressed five times each step through awaits and leave src/orders.ts unchanged', async () => {
    const before = readFileSync(path.join(project, 'src/orders.ts'), 'utf8');
    for (let i = 0; i < 5; i++) await page.keyboard.press('n');
    await shot('5-after-n-x5');
    for (let i = 0; i < 5; i++) await page.keyboard.press('p');
    await page.waitForTimeout(500);
    await shot('6-after-p-x5');
    if (readFileSync(path.join(project, 'src/orders.ts'), 'utf8') !== before) throw new Error('src/orders.ts changed on disk');
    const dirty = await page.locator('.tab.dirty').count();
    if (dirty) throw new Error(`${dirty} editor(s) became dirty: the keys went into a file`);
    if (!/^Async Trace$/.test((await activeTab.textContent()).trim())) throw new Error('focus left the panel');
  });

  await step('a program that never uses the runtime gets "nothing was traced", not an empty chart', async () => {
    await quickOpen(page, 'hello.ts');
    await paletteCommand(page, 'Trace Async Run');
    await panel.getByText('Nothing was traced').first().waitFor({ timeout: 60_000 });
    await panel.getByText('the program does not use async-trace/runtime', { exact: false }).first().waitFor({ timeout: 5_000 });
    await notification(page, 'nothing was traced: the program does not use async-trace/runtime');
    const left = readdirSync(path.join(project, '.async-trace')).filter((f) => f.startsWith('hello-'));
    if (left.length) throw new Error(`an empty trace was left behind: ${left.join(', ')}`);
    await shot('7-nothing-traced');
  });

  await step('a syntax error gets a diagnostic in the user\'s words on its line, and nothing is launched', async () => {
    await hideNotifications(page);
    await quickOpen(page, 'broken.ts');
    await paletteCommand(page, 'Trace Async Run');
    const words = 'Expected ";" but found "sleep"';
    const toast = await notification(page, `Build failed, nothing was launched: ${words}`, 60_000);
    if (/__atrace/.test((await toast.textContent()) || '')) throw new Error('the message names the site marks');
    await panel.getByText('Build failed').first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+Shift+M');
    const marker = page.locator('.markers-panel .monaco-list-row', { hasText: words }).first();
    await marker.waitFor({ timeout: 15_000 });
    const row = (await marker.textContent()) || '';
    if (!/Ln 4, Col 19/.test(row)) throw new Error(`the diagnostic is not at line 4, column 19: ${row}`);
    if (/__atrace/.test(row)) throw new Error(`the diagnostic names the site marks: ${row}`);
    await shot('7b-syntax-error');
    await page.keyboard.press('Control+Shift+M');
    const left = readdirSync(path.join(project, '.async-trace')).filter((f) => f.startsWith('broken-'));
    if (left.length) throw new Error(`a trace was started for a program that did not build: ${left.join(', ')}`);
  });


  await step('Export Trace announces the file it wrote, and its button reveals it', async () => {
    await hideNotifications(page);
    await paletteCommand(page, 'Export Trace');
    // The open dialog starts at the last trace (code-server's simple file dialog): accept it.
    const dialog = page.locator('.quick-input-widget input');
    await page.waitForFunction(() => /orders-.*\.atrace$/.test(document.querySelector('.quick-input-widget input')?.value || ''), null, { timeout: 15_000 });
    await dialog.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'chrome' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const toast = await notification(page, 'Exported the trace as Chrome trace events to');
    const text = (await toast.textContent()) || '';
    const m = /to (\.async-trace\/orders-[^ ]+\.trace\.json)/.exec(text);
    if (!m || !existsSync(path.join(project, m[1]))) throw new Error(`the message names no file that exists: ${text}`);
    await shot('8-export-announced');
    await toast.getByRole('button', { name: 'Reveal in Explorer' }).click();
    await page.locator('.explorer-folders-view .monaco-list-row.selected', { hasText: path.basename(m[1]) }).first().waitFor({ timeout: 15_000 });
    await shot('9-export-revealed');
  });

  await step('a new trace clears the old selection and its "→ file:line" header', async () => {
    await hideNotifications(page);
    await quickOpen(page, 'orders.ts');
    await paletteCommand(page, 'Trace Async Run');
    await page.locator('.statusbar-item', { hasText: /events, \d+ tasks/ }).first().waitFor({ state: 'detached', timeout: 60_000 });
    await panel.getByText(/[1-9]\d* tasks/).first().waitFor({ timeout: 60_000 });
    await panel.getByText('Nothing selected').first().waitFor({ timeout: 10_000 });
    if (await panel.getByText('→ ', { exact: false }).count()) throw new Error('a "→ file:line" from the last trace is still in the header');
    await shot('10-second-trace-clean');
  });

  const statusOf = (program) => page.locator('.statusbar-item', { hasText: new RegExp(`${program.replace('.', '\\.')}: \\d+ events`) }).first();
  /** Starts src/slow.ts and waits until it is recording, then asks for a trace of orders.ts. */
  const openInFirstGroup = async (name) => {
    await paletteCommand(page, 'View: Focus First Editor Group');
    await quickOpen(page, name);
  };
  const secondRunWhileSlowRuns = async () => {
    await openInFirstGroup('slow.ts');
    await paletteCommand(page, 'Trace Async Run');
    await statusOf('slow.ts').waitFor({ timeout: 60_000 });
    await panel.getByText(/slow\.ts — /).first().waitFor({ timeout: 30_000 });
    await openInFirstGroup('orders.ts');
    await paletteCommand(page, 'Trace Async Run');
    return notification(page, 'slow.ts is still being traced. Stop it and trace orders.ts, or trace both?', 30_000);
  };
  await step('starting a run while one runs asks; "Stop it" ends the old run and the new one takes the panel and the status bar', async () => {
    const ask = await secondRunWhileSlowRuns();
    await shot('11-asked-while-running');
    await ask.getByRole('button', { name: 'Stop it' }).click();
    await statusOf('slow.ts').waitFor({ state: 'detached', timeout: 30_000 });
    await panel.getByText(/orders\.ts — /).first().waitFor({ timeout: 60_000 });
    await panel.getByText(/[1-9]\d* tasks/).first().waitFor({ timeout: 60_000 });
    await shot('12-stopped-old-run');
  });
  await step('"Run both" keeps the old run recording, but the panel and the status bar follow the new trace', async () => {
    await hideNotifications(page);
    const ask = await secondRunWhileSlowRuns();
    await ask.getByRole('button', { name: 'Run both' }).click();
    await panel.getByText(/orders\.ts — /).first().waitFor({ timeout: 60_000 });
    await panel.getByText(/[1-9]\d* tasks/).first().waitFor({ timeout: 60_000 });
    // The slow run goes on (its debug session is live) but no longer shows its status.
    await page.waitForTimeout(1500);
    if (await statusOf('slow.ts').isVisible()) throw new Error('the status bar still shows the run that is not on screen');
    await shot('13-both-running-status-follows');
    await hideNotifications(page);
    await paletteCommand(page, 'Debug: Stop');
  });
  await page.close();
}
