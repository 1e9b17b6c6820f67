'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { api, until, tabLabels } = require('./support');

describe('Trace Async Run command and panel', () => {
  before(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('is contributed to the command palette and registered on activation', async () => {
    await api();
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('asyncTrace.traceRun'), 'asyncTrace.traceRun is not registered');
    const manifest = vscode.extensions.getExtension('async-trace.async-trace').packageJSON;
    const entry = manifest.contributes.commands.find((c) => c.command === 'asyncTrace.traceRun');
    assert.equal(entry.title, 'Trace Async Run');
  });

  it('opens the Async Trace panel, which says ready and shows the empty state', async () => {
    const { panel } = await api();
    await vscode.commands.executeCommand('asyncTrace.traceRun');
    await until('the Async Trace tab', () => tabLabels().includes('Async Trace'));
    await until('the webview to say ready', () => panel.current && panel.current.isReady);
    assert.equal(panel.current.panel.title, 'Async Trace');
  });
});
