'use strict';
// How a run treats the user's editors and files it cannot read.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { api, until } = require('./support');

const workspace = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const file = (name) => vscode.Uri.file(path.join(workspace(), name));

describe('Trace Async Run and the user\'s editors', () => {
  const source = "import { run, sleep } from 'async-trace/runtime';\nrun(async () => { await sleep(1); });\n";
  // A file of its own per test: reusing one meant writing it on disk while the previous
  // test's editor still held it, and the editor's reload raced the edit ("File Modified Since").
  let program = '';
  let made = 0;

  async function dirtyEditor() {
    program = `save-probe-${++made}.ts`;
    fs.writeFileSync(file(program).fsPath, source);
    const doc = await vscode.workspace.openTextDocument(file(program));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    await editor.edit((e) => e.insert(new vscode.Position(2, 0), '// edited\n'));
    assert.equal(doc.isDirty, true);
    return doc;
  }
  const debug = () => vscode.workspace.getConfiguration('debug');

  afterEach(async () => {
    await debug().update('saveBeforeStart', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('saves the program first, as VS Code\'s debug.saveBeforeStart does by default', async () => {
    const doc = await dirtyEditor();
    const r = await vscode.commands.executeCommand('asyncTrace.traceRun', file(program));
    assert.equal(r.started, true, r.message);
    assert.equal(doc.isDirty, false);
    assert.match(fs.readFileSync(file(program).fsPath, 'utf8'), /\/\/ edited/);
  });

  it('saves nothing when debug.saveBeforeStart is "none"', async () => {
    await debug().update('saveBeforeStart', 'none', vscode.ConfigurationTarget.Global);
    // VS Code's own debug service saves by this setting too, reading it in the workbench,
    // which learns of the change only when it reads the settings file back: give it time.
    await new Promise((r) => setTimeout(r, 2000));
    const doc = await dirtyEditor();
    const r = await vscode.commands.executeCommand('asyncTrace.traceRun', file(program));
    assert.equal(r.started, true, r.message);
    const seen = { debug: debug().inspect('saveBeforeStart'), ts: vscode.workspace.getConfiguration('debug', { languageId: 'typescript' }).get('saveBeforeStart'), autoSave: vscode.workspace.getConfiguration('files').get('autoSave') };
    assert.equal(doc.isDirty, true, `the edit is still unsaved (settings seen: ${JSON.stringify(seen)})`);
    assert.equal(fs.readFileSync(file(program).fsPath, 'utf8'), source);
  });
});

describe('a trace the extension cannot read', () => {
  it('says plainly that its format version is not one this extension reads', async () => {
    const a = await api();
    const foreign = file('from-the-future.atrace');
    // The magic, then format version 99 (little-endian u16 at byte 8), then a header it cannot know.
    const bytes = Buffer.alloc(64);
    Buffer.from([0x41, 0x54, 0x52, 0x41, 0x43, 0x45, 0x00, 0x1a]).copy(bytes, 0);
    bytes.writeUInt16LE(99, 8);
    fs.writeFileSync(foreign.fsPath, bytes);
    assert.equal(await vscode.commands.executeCommand('asyncTrace.openTrace', foreign), true);
    const view = await until('the trace editor view', () => a.traceFiles.views.get(foreign.toString()));
    const state = await until('the view to explain', () => view.emptyState);
    assert.equal(state.message, 'Cannot read from-the-future.atrace');
    assert.match(state.hint, /^This trace is in trace format version 99; this Async Trace extension reads version [\d, ]+ only\./);
  });
});
