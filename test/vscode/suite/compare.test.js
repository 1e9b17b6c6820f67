'use strict';
// Compare with Previous Run and Compare Trace Files... in real VS Code: two real runs of
// one program (a long and a short lock hold) shown in the panel's compare view; the
// run history keeps the last few traces; files that are not traces are refused by name.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { api, until } = require('./support');

const workspace = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const file = (name) => vscode.Uri.file(path.join(workspace(), name));
const setHold = (ms) => {
  const f = file('lock-hold.ts').fsPath;
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/const HOLD = \d+;/, `const HOLD = ${ms};`));
};

describe('Compare two runs', () => {
  it('Compare with Previous Run shows the program\'s last two runs in the panel, older as A', async () => {
    const a = await api();
    setHold(20);
    const long = await vscode.commands.executeCommand('asyncTrace.traceRun', file('lock-hold.ts'));
    assert.ok(long.traceFile, long.message);
    setHold(2);
    const short = await vscode.commands.executeCommand('asyncTrace.traceRun', file('lock-hold.ts'));
    assert.ok(short.traceFile, short.message);
    assert.deepEqual(a.history.runs(file('lock-hold.ts').fsPath).slice(0, 2), [short.traceFile, long.traceFile]);
    const r = await vscode.commands.executeCommand('asyncTrace.compareWithPrevious', file('lock-hold.ts'));
    assert.deepEqual(r, { a: long.traceFile, b: short.traceFile });
    const view = a.panel.current;
    assert.ok(view, 'the panel is open');
    assert.equal(view.compared.a.title, path.basename(long.traceFile));
    assert.equal(view.compared.b.title, path.basename(short.traceFile));
    assert.deepEqual(view.compared.b.bytes, new Uint8Array(fs.readFileSync(short.traceFile)));
    await until('the panel\'s webview is ready', () => view.isReady);
    // Without an argument it takes the active editor's program (or the last traced one).
    const again = await vscode.commands.executeCommand('asyncTrace.compareWithPrevious');
    assert.deepEqual(again, { a: long.traceFile, b: short.traceFile });
  });

  it('keeps the last five traces of a program, newest first, skipping deleted files', async () => {
    const { history } = await api();
    const dir = path.join(workspace(), '.async-trace', 'history-probe');
    fs.mkdirSync(dir, { recursive: true });
    const program = path.join(workspace(), 'probe.ts');
    const traces = Array.from({ length: 7 }, (_, i) => path.join(dir, `probe-${i}.atrace`));
    for (const t of traces) { fs.writeFileSync(t, ''); await history.add(program, t); }
    assert.deepEqual(history.runs(program), traces.slice(2).reverse());
    fs.rmSync(traces[6]);
    assert.deepEqual(history.runs(program), traces.slice(2, 6).reverse());
  });

  it('Compare with Previous Run with one run only says what to do and shows nothing', async () => {
    const { panel } = await api();
    const before = panel.current && panel.current.compared;
    const r = await vscode.commands.executeCommand('asyncTrace.compareWithPrevious', file('never-traced.ts'));
    assert.equal(r, undefined);
    assert.equal(panel.current && panel.current.compared, before);
  });

  it('Compare Trace Files... compares the two files given and refuses one that is not a trace', async () => {
    const { panel, history } = await api();
    const [b, a] = history.runs(file('lock-hold.ts').fsPath);
    const r = await vscode.commands.executeCommand('asyncTrace.compareTraceFiles', vscode.Uri.file(a), vscode.Uri.file(b));
    assert.deepEqual(r, { a, b });
    const foreign = path.join(workspace(), 'foreign.atrace');
    fs.writeFileSync(foreign, '{"traceEvents": []}\n');
    const shown = panel.current.compared;
    const bad = await vscode.commands.executeCommand('asyncTrace.compareTraceFiles', vscode.Uri.file(a), vscode.Uri.file(foreign));
    assert.equal(bad, undefined);
    assert.equal(panel.current.compared, shown, 'the compare view shown before stays');
    const missing = await vscode.commands.executeCommand('asyncTrace.compareTraceFiles', vscode.Uri.file(a), vscode.Uri.file(path.join(workspace(), 'nope.atrace')));
    assert.equal(missing, undefined);
  });
});
