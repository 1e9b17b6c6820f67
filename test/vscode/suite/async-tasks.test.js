'use strict';
// Debugging a traced run in real VS Code with its js-debug: the Async Tasks view at a
// breakpoint (holder and FIFO waiters, a frame that opens its line), a deadlock's cycle,
// stepping into an await that does not land in runtime code, and an error's stack at
// the column the user wrote.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');
const { api, until } = require('./support');

const workspace = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const file = (name) => vscode.Uri.file(path.join(workspace(), name));
const traceRun = (name) => vscode.commands.executeCommand('asyncTrace.traceRun', file(name));

/** 1-based line of the first line of `name` containing `text`. */
async function lineOf(name, text) {
  const doc = await vscode.workspace.openTextDocument(file(name));
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(text)) return i + 1;
  throw new Error(`${text} not in ${name}`);
}

/** Every `stopped` event and `output` of the debug sessions, as they come. */
function watchAdapters() {
  const stops = [];
  let output = '';
  const sub = vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (m) => {
        if (m.type === 'event' && m.event === 'stopped') stops.push({ session, threadId: m.body.threadId, reason: m.body.reason });
        if (m.type === 'event' && m.event === 'output') output += m.body.output;
      },
    }),
  });
  return { stops, output: () => output, dispose: () => sub.dispose() };
}

/** The top frame of a stop, its source path as a local path (code-server reports vscode-remote URIs). */
async function topFrame(stop) {
  const st = await stop.session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 });
  const f = st.stackFrames[0];
  const p = f.source && f.source.path;
  return { ...f, path: p && /^[a-z][\w+.-]+:\/\//i.test(p) ? vscode.Uri.parse(p).fsPath : p };
}

/** The node whose label matches, searched depth-first. */
function find(view, pattern, nodes = view.getChildren()) {
  for (const n of nodes) {
    if (pattern.test(n.label)) return n;
    const inner = find(view, pattern, view.getChildren(n));
    if (inner) return inner;
  }
  return undefined;
}

const labels = (view, node) => view.getChildren(node).map((n) => n.label);

/**
 * Shows Run and Debug with the Async Tasks view given room (Variables and Watch hidden,
 * as a user would drag them aside) and asks the harness for a screenshot once drawn.
 */
async function screenshot(name) {
  await vscode.commands.executeCommand('asyncTrace.tasks.focus');
  for (const view of ['workbench.debug.variablesView', 'workbench.debug.watchExpressionsView']) {
    if (!hidden.has(view)) { hidden.add(view); await vscode.commands.executeCommand(`${view}.toggleVisibility`).then(undefined, () => {}); }
  }
  await new Promise((r) => setTimeout(r, 1000));
  console.log(`ATRACE-SHOT ${name}`);
  await new Promise((r) => setTimeout(r, 1000));
}
const hidden = new Set();

describe('Debugging a traced run', function () {
  this.timeout(90_000);
  afterEach(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    if (vscode.debug.activeDebugSession) await vscode.commands.executeCommand('workbench.action.debug.continue').then(undefined, () => {});
  });

  it('Async Tasks at a breakpoint inside the lock holder lists the holder and its two waiters in FIFO order, and a frame opens its line', async () => {
    const { asyncTasks } = await api();
    const line = await lineOf('lock-fifo.ts', "console.log('holding the gate')");
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file('lock-fifo.ts'), new vscode.Position(line - 1, 0)))]);
    const adapters = watchAdapters();
    try {
      const running = traceRun('lock-fifo.ts');
      await until('the view shows the paused program', () => asyncTasks.paused && asyncTasks.snapshot && asyncTasks.snapshot.source === 'program', 60_000);
      const paused = find(asyncTasks, /^Paused/);
      assert.equal(paused.label, 'Paused in task holder');
      assert.equal(paused.description, `lock-fifo.ts:${line}`);
      const gate = find(asyncTasks, /^lock gate$/);
      assert.ok(gate, 'the lock is listed');
      assert.deepEqual(labels(asyncTasks, gate), ['held by holder', 'waiter 1: second', 'waiter 2: first']);
      assert.equal(gate.description, 'held by holder, 2 waiting');
      const second = find(asyncTasks, /^second$/);
      assert.equal(second.description, 'waiting on lock gate (held by holder)');
      const frame = asyncTasks.getChildren(second)[0];
      assert.equal(frame.label, 'await gate.acquire() (lock)');
      const acquireLine = await lineOf('lock-fifo.ts', 'await gate.acquire()');
      assert.equal(frame.description, `lock-fifo.ts:${acquireLine}:3`);
      // What a click does: the item's command.
      const item = asyncTasks.getTreeItem(frame);
      await vscode.commands.executeCommand(item.command.command, ...item.command.arguments);
      await until('lock-fifo.ts is active at the await', () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.fsPath === file('lock-fifo.ts').fsPath && e.selection.active.line === acquireLine - 1 && e.selection.active.character === 2;
      });
      await screenshot('async-tasks-lock-fifo');
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      // The two waiters reach the same line: until js-debug has dropped the breakpoint they
      // stop there too, so each stop that comes after the continue is continued as well.
      const stopsBefore = adapters.stops.length;
      await vscode.commands.executeCommand('workbench.action.debug.continue');
      let done = false;
      const ended = running.then((r) => { done = true; return r; });
      for (let seen = stopsBefore; !done;) {
        await new Promise((res) => setTimeout(res, 200));
        if (adapters.stops.length > seen) {
          seen = adapters.stops.length;
          console.log(`stopped again (${adapters.stops[seen - 1].reason}) after the breakpoint was removed: continuing`);
          await vscode.commands.executeCommand('workbench.action.debug.continue');
        }
      }
      const r = await ended;
      assert.ok(r.traceFile, r.message);
      assert.equal(asyncTasks.snapshot, undefined, 'the view is cleared when the run ends');
    } finally {
      adapters.dispose();
    }
  });

  it('marks a wait-for cycle as a deadlock when a deadlocked program is paused', async () => {
    const { asyncTasks } = await api();
    const running = traceRun('deadlock.ts');
    await until('the view shows the paused program', () => asyncTasks.paused && asyncTasks.snapshot && asyncTasks.snapshot.source === 'program', 60_000);
    const cycle = find(asyncTasks, /^Deadlock: /);
    assert.ok(cycle, `a deadlock node in ${labels(asyncTasks).join(' | ')}`);
    assert.equal(cycle.label, 'Deadlock: transfer-ab → transfer-ba → transfer-ab');
    assert.deepEqual(labels(asyncTasks, cycle), ['transfer-ab', 'transfer-ba']);
    assert.equal(asyncTasks.getChildren(cycle)[0].description, 'waiting on lock ledger (held by transfer-ba)');
    await screenshot('async-tasks-deadlock');
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    await running;
  });

  it('step into on `await gate.acquire()` does not land in runtime code or the site marks', async () => {
    const line = await lineOf('lock-fifo.ts', 'await gate.acquire()');
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file('lock-fifo.ts'), new vscode.Position(line - 1, 0)))]);
    const adapters = watchAdapters();
    try {
      const running = traceRun('lock-fifo.ts');
      await until('stopped at the await', () => adapters.stops.length >= 1, 60_000);
      const at = await topFrame(adapters.stops[0]);
      assert.equal(at.path, file('lock-fifo.ts').fsPath);
      assert.equal(at.line, line);
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      for (let i = 1; i <= 3; i++) {
        await adapters.stops[0].session.customRequest('stepIn', { threadId: adapters.stops[0].threadId });
        await until(`step ${i} stops`, () => adapters.stops.length > i, 30_000);
        const f = await topFrame(adapters.stops[i]);
        const where = `${f.path}:${f.line}:${f.column} (${f.name})`;
        assert.equal(f.path, file('lock-fifo.ts').fsPath, `step ${i} stays in the program: ${where}`);
      }
      await vscode.commands.executeCommand('workbench.action.debug.continue');
      await running;
    } finally {
      adapters.dispose();
    }
  });

  it("an error's stack in the debug console shows the column the user wrote", async () => {
    const adapters = watchAdapters();
    try {
      await traceRun('throws-after-marks.ts');
      const line = await lineOf('throws-after-marks.ts', 'throw new');
      const doc = await vscode.workspace.openTextDocument(file('throws-after-marks.ts'));
      const col = doc.lineAt(line - 1).text.indexOf('new Error') + 1;
      await until('the stack is printed', () => /caught: Error: thrown after marks/.test(adapters.output()));
      assert.ok(adapters.output().includes(`throws-after-marks.ts:${line}:${col}`), adapters.output());
    } finally {
      adapters.dispose();
    }
  });
});
