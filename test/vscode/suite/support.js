// Helpers shared by the integration tests: the extension under test, its API, and
// waiting for a condition (never a fixed sleep) with a message that says what was awaited.
'use strict';
const vscode = require('vscode');

const extensionId = 'async-trace.async-trace';

async function api() {
  const ext = vscode.extensions.getExtension(extensionId);
  if (!ext) throw new Error(`extension ${extensionId} is not loaded`);
  return ext.activate();
}

/** Polls `probe` until it returns a truthy value; fails with `what` after `timeoutMs`. */
async function until(what, probe, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function tabLabels() {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
}

module.exports = { extensionId, api, until, tabLabels };
