'use strict';
// The flight recorder through the extension: with asyncTrace.ringSize set, Trace Async
// Run keeps only the most recent events in the program; "Save Recent Trace" writes and
// opens them while it runs, and its end shows the last window.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { api, until, tabLabels } = require('./support');

const workspace = () => vscode.workspace.workspaceFolders[0].uri.fsPath;

describe('flight recorder (asyncTrace.ringSize)', function () {
  this.timeout(120_000);
  const marks = ['ring-ready', 'ring-stop'].map((f) => path.join(workspace(), f));
  before(async () => {
    for (const m of marks) fs.rmSync(m, { force: true });
    await vscode.workspace.getConfiguration('asyncTrace').update('ringSize', '128KB', vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    for (const m of marks) fs.rmSync(m, { force: true });
    await vscode.workspace.getConfiguration('asyncTrace').update('ringSize', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('says so when no run records into a ring', async () => {
    assert.equal(await vscode.commands.executeCommand('asyncTrace.saveRecentTrace'), undefined);
  });

  it('saves and opens the recent events while the program runs, and shows the last window at its end', async () => {
    const { summarize } = await api();
    const running = vscode.commands.executeCommand('asyncTrace.traceRun', vscode.Uri.file(path.join(workspace(), 'ring.ts')));
    await until('the program to have turned its ring over', () => fs.existsSync(marks[0]), 90_000);
    const saved = await vscode.commands.executeCommand('asyncTrace.saveRecentTrace');
    assert.ok(saved, 'a window was written');
    assert.match(path.basename(saved), /^ring-\d{8}-\d{6}-[0-9a-f]{4}\.recent-1\.atrace$/);
    const s = await summarize(saved);
    assert.ok(s.complete, s.error);
    assert.ok(s.tasks > 1 && s.tasks < 4000, `${s.tasks} tasks in the window`);
    await until('the window to open in its editor', () => tabLabels().includes(path.basename(saved)));
    fs.writeFileSync(marks[1], '');
    const r = await running;
    assert.ok(r.traceFile, r.message);
    assert.match(r.message, /^Recorded the most recent \d+ events, \d+ tasks/);
    const last = await summarize(r.traceFile);
    assert.ok(last.complete && last.tasks < 4000, `${last.tasks} tasks in the last window`);
  });
});
