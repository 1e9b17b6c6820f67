'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { api, until, tabLabels } = require('./support');

const workspace = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const file = (name) => vscode.Uri.file(path.join(workspace(), name));

describe('Trace Async Run on programs that use the runtime', () => {
  let sleepersTrace;

  it('traces a TS program through js-debug: the session starts and ends, the .atrace holds its tasks', async () => {
    const a = await api();
    const started = [];
    const ended = [];
    const subs = [
      vscode.debug.onDidStartDebugSession((s) => started.push(s.name)),
      vscode.debug.onDidTerminateDebugSession((s) => ended.push(s.name)),
    ];
    let r;
    try {
      r = await vscode.commands.executeCommand('asyncTrace.traceRun', file('sleepers.ts'));
    } finally {
      subs.forEach((d) => d.dispose());
    }
    assert.equal(r.started, true, r.message);
    assert.ok(started.includes('Async Trace: sleepers.ts'), `sessions started: ${started}`);
    assert.ok(ended.includes('Async Trace: sleepers.ts'), `sessions ended: ${ended}`);
    assert.ok(r.traceFile && fs.existsSync(r.traceFile), r.message);
    sleepersTrace = r.traceFile;
    assert.match(r.message, /^Recorded \d+ events, \d+ tasks, \d+ bytes to \.async-trace\/sleepers-/, r.message);
    const s = await a.summarize(r.traceFile);
    for (const name of ['sleeper-10', 'sleeper-20', 'sleeper-30']) assert.ok(s.taskNames.includes(name), `tasks: ${s.taskNames}`);
    assert.equal(s.complete, true, s.error);
    assert.equal(fs.statSync(r.traceFile).size, r.bytes);
    await until('every recorded byte streamed to the panel', () => a.panel.current.postedBytes === r.bytes);
    assert.equal(a.lastTrace(), r.traceFile);
  });

  it('hidden behind an editor and shown again, the panel replays the recorded trace in one message', async () => {
    const a = await api();
    const view = a.panel.current;
    assert.ok(view && sleepersTrace, 'the panel shows the sleepers trace');
    const size = fs.statSync(sleepersTrace).size;
    const replaysBefore = view.replays;
    // An editor in the panel's group hides it; without retainContextWhenHidden its page is
    // dropped, and showing the panel again loads a new page that says ready again.
    const doc = await vscode.workspace.openTextDocument(file('sleepers.ts'));
    await vscode.window.showTextDocument(doc, { viewColumn: view.panel.viewColumn, preview: false });
    await until('the panel hidden', () => !view.panel.visible);
    view.panel.reveal(view.panel.viewColumn);
    await until('the trace replayed to the new page', () => view.replays > replaysBefore && view.postedBytes === size, 30_000);
    assert.equal(view.postedChunks, 1, 'the live recording\'s chunks go out as one');
  });

  it('replays from the trace file (the host keeps no copy): a file moved meanwhile gets a clear empty state and stays where it was put', async () => {
    const a = await api();
    const view = a.panel.current;
    assert.ok(view && sleepersTrace, 'the panel shows the sleepers trace');
    const moved = `${sleepersTrace}.moved`;
    const replaysBefore = view.replays;
    fs.renameSync(sleepersTrace, moved);
    try {
      const doc = await vscode.workspace.openTextDocument(file('sleepers.ts'));
      await vscode.window.showTextDocument(doc, { viewColumn: view.panel.viewColumn, preview: false });
      await until('the panel hidden', () => !view.panel.visible);
      view.panel.reveal(view.panel.viewColumn);
      await until('the new page asked for the trace', () => view.replays > replaysBefore, 30_000);
      assert.equal(view.emptyState?.message, 'Cannot show this trace again');
      assert.match(view.emptyState.hint, /sleepers-.*\.atrace was moved or deleted\. Open a trace file, or run Trace Async Run again\./);
      assert.ok(fs.existsSync(moved), 'the moved file is left alone');
    } finally {
      fs.renameSync(moved, sleepersTrace);
    }
  });

  it('keeps everything received when the program crashes mid-run', async () => {
    const r = await vscode.commands.executeCommand('asyncTrace.traceRun', file('crash.ts'));
    assert.equal(r.started, true, r.message);
    assert.ok(r.traceFile, r.message);
    const s = await (await api()).summarize(r.traceFile);
    assert.ok(s.taskNames.includes('napper'), `tasks recorded before the crash: ${s.taskNames}`);
    assert.ok(s.events > 0);
  });

  it('keeps the trace of a program that crashes before its socket connected', async () => {
    const r = await vscode.commands.executeCommand('asyncTrace.traceRun', file('crash-at-start.ts'));
    assert.equal(r.started, true, r.message);
    assert.ok(r.traceFile, r.message);
    const s = await (await api()).summarize(r.traceFile);
    assert.ok(s.taskNames.includes('early-bird'), `tasks recorded before the crash: ${s.taskNames}`);
  });

  it('keeps the trace when the session is stopped (stop button) while the program runs', async () => {
    const a = await api();
    let session;
    const sub = vscode.debug.onDidStartDebugSession((s) => { if (s.name === 'Async Trace: forever.ts') session = s; });
    const running = vscode.commands.executeCommand('asyncTrace.traceRun', file('forever.ts'));
    // The panel is reset before the session starts, so bytes counted after the session
    // appears belong to this run.
    await until('the forever.ts debug session', () => session, 30_000).finally(() => sub.dispose());
    await until('trace bytes streaming to the panel', () => a.panel.current && a.panel.current.postedBytes > 0, 30_000);
    // The first bytes may be the header alone: stop only once a task is on disk (the
    // recorder appends as bytes arrive), so the assertion below is about what was kept.
    const dir = path.join(workspace(), '.async-trace');
    await until('a tick task in the trace file being recorded', async () => {
      const files = fs.readdirSync(dir).filter((f) => /^forever-.*\.atrace$/.test(f)).map((f) => path.join(dir, f));
      const newest = files.sort((x, y) => fs.statSync(y).mtimeMs - fs.statSync(x).mtimeMs)[0];
      return newest && (await a.summarize(newest)).taskNames.includes('tick-0');
    }, 30_000);
    await vscode.debug.stopDebugging(session);
    const r = await running;
    assert.equal(r.started, true, r.message);
    assert.ok(r.traceFile && fs.existsSync(r.traceFile), r.message);
    assert.equal(fs.statSync(r.traceFile).size, r.bytes);
    const s = await a.summarize(r.traceFile);
    assert.ok(s.taskNames.includes('tick-0'), `tasks: ${s.taskNames.slice(0, 5)}`);
  });

  it('reveals a site: opens the TS file at its line and column beside the panel, keeping focus in the panel', async () => {
    const a = await api();
    await a.reveal({ file: 'sleepers.ts', line: 5, col: 3 });
    const editor = await until('the sleepers.ts editor', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === file('sleepers.ts').fsPath));
    assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [4, 2]);
    assert.notEqual(editor.viewColumn, a.panel.current.panel.viewColumn, 'not in the panel\'s column');
    assert.equal(a.panel.current.panel.active, true, 'the panel keeps keyboard focus (preserveFocus)');
    assert.notEqual(vscode.window.activeTextEditor?.document.uri.fsPath, file('sleepers.ts').fsPath, 'the file is not the active editor');
  });

  it('opens a saved trace file in the Async Trace editor', async () => {
    assert.ok(sleepersTrace, 'needs the trace recorded above');
    const a = await api();
    const uri = vscode.Uri.file(sleepersTrace);
    assert.equal(await vscode.commands.executeCommand('asyncTrace.openTrace', uri), true);
    await until('the trace editor tab', () => tabLabels().includes(path.basename(sleepersTrace)));
    const view = await until('the trace editor view', () => a.traceFiles.views.get(uri.toString()));
    await until('the trace editor webview to say ready', () => view.isReady);
    assert.equal(view.postedBytes, fs.statSync(sleepersTrace).size);
  });

  it('exports a saved trace as Chrome trace events and as speedscope JSON', async () => {
    assert.ok(sleepersTrace, 'needs the trace recorded above');
    const uri = vscode.Uri.file(sleepersTrace);
    const chrome = await vscode.commands.executeCommand('asyncTrace.exportTrace', uri, 'chrome');
    const events = JSON.parse(fs.readFileSync(chrome, 'utf8')).traceEvents;
    assert.ok(Array.isArray(events) && events.length > 0);
    assert.ok(events.some((e) => e.args && /sleeper-10/.test(JSON.stringify(e))), 'a sleeper task is in the export');
    const speedscope = await vscode.commands.executeCommand('asyncTrace.exportTrace', uri, 'speedscope');
    assert.match(JSON.parse(fs.readFileSync(speedscope, 'utf8')).$schema, /speedscope/);
  });
});
