#!/usr/bin/env node
// `npm run test:electron`: the extension-host suite (test/vscode/suite) on desktop VS Code
// through @vscode/test-electron's runTests, which downloads VS Code into .vscode-test/.
// Where that download is impossible (these CI machines cannot reach the host), the run
// fails saying so; CI runs the same suite in code-server instead (test/vscode/harness).
//   --version X   VS Code version to download (default: stable)
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--version');
const version = at >= 0 ? process.argv[at + 1] : 'stable';

const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (b.status !== 0 || !existsSync(path.join(root, 'dist/extension/extension.js'))) process.exit(1);

// A fresh copy of the suite's workspace: the tests write traces and files into it.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'atrace-electron-'));
const workspace = path.join(scratch, 'workspace');
cpSync(path.join(root, 'test/vscode/workspace'), workspace, { recursive: true });
let code = 1;
try {
  code = await runTests({
    version,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'test/vscode/suite/index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--user-data-dir', path.join(scratch, 'user-data')],
  });
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  if (/download|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|getaddrinfo|fetch failed|EAI_AGAIN|status code/i.test(message)) {
    console.error(`test:electron: desktop VS Code could not be downloaded (${message}).\n` +
      'On a machine without access to update.code.visualstudio.com, run the same suite in code-server: node scripts/test-all.mjs --only build,vscode');
  } else {
    console.error(`test:electron: ${message}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);
