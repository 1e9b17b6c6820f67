'use strict';
// The Async Trace panel at a breakpoint (issue 15), in real VS Code with its js-debug: the
// trace up to the stop (a task created in the step that stopped, still in the tracer's
// buffer then), the cursor at the stop, "Paused at paused-panel.ts:N in task 'cook-2'" in
// the status line, and N starting from the stop (the await of cook-2 nearest it, whose
// line opens). After continue, the panel's trace is the file's, event for event (nothing
// doubled, nothing lost). The webview is read through the harness (ATRACE-PANEL).
const assert = require('node:assert/strict');
const { existsSync, readFileSync, rmSync } = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { api, until } = require('./support');

const workspace = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const file = (name) => vscode.Uri.file(path.join(workspace(), name));

async function lineOf(name, text) {
  const doc = await vscode.workspace.openTextDocument(file(name));
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(text)) return i + 1;
  throw new Error(`${text} not in ${name}`);
}

let probes = 0;
/** What the panel's webview shows (after pressing `keys` on its chart), as the harness reads it. */
async function readPanel(keys = '') {
  const id = `p${++probes}`;
  const out = path.join(workspace(), `.atrace-panel-${id}.json`);
  console.log(`ATRACE-PANEL ${id}${keys ? ` ${keys}` : ''}`);
  await until(`the harness reads the panel (${id})`, () => existsSync(out), 20_000);
  const answer = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out, { force: true });
  if (answer.error) throw new Error(`reading the panel: ${answer.error}`);
  return answer;
}

async function screenshot(name) {
  await new Promise((r) => setTimeout(r, 800));
  console.log(`ATRACE-SHOT ${name}`);
  await new Promise((r) => setTimeout(r, 1000));
}

const unixNow = () => performance.timeOrigin + performance.now();
const programNow = 'performance.timeOrigin + performance.now()';

/**
 * For the figures (issue 15, "the gap between the stop and the program hearing of it"):
 * when this extension host sees the stop event, and when an evaluate sent at that moment
 * runs in the program (its own clock), as the extension's own pause request would.
 */
function watchStop() {
  const seen = {};
  const sub = vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (m) => {
        if (m.type !== 'event' || m.event !== 'stopped' || seen.stopUnix !== undefined) return;
        seen.stopUnix = unixNow();
        void Promise.resolve(session.customRequest('evaluate', { expression: programNow, context: 'clipboard' })).then((r) => { seen.heardUnix = Number(r.result); seen.answeredUnix = unixNow(); }, () => {});
        seen.session = session;
      },
    }),
  });
  return { seen, dispose: () => sub.dispose() };
}

/** The program's clock less this extension host's, from round trips while stopped (error: half the shortest round trip). */
async function clockOffset(session) {
  let best;
  for (let i = 0; i < 5; i++) {
    const t0 = unixNow();
    const r = await session.customRequest('evaluate', { expression: programNow, context: 'clipboard' });
    const t1 = unixNow();
    const rtt = t1 - t0;
    if (!best || rtt < best.rtt) best = { offset: Number(r.result) - (t0 + t1) / 2, rtt };
  }
  return best;
}

describe('The Async Trace panel at a breakpoint', function () {
  this.timeout(120_000);
  afterEach(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    if (vscode.debug.activeDebugSession) await vscode.commands.executeCommand('workbench.action.debug.continue').then(undefined, () => {});
  });

  it('shows the trace up to the stop, a cursor there, where it stopped, and N starts from the stop; after continue nothing is doubled or lost', async () => {
    const { panel } = await api();
    const line = await lineOf('paused-panel.ts', "console.log('cook-2 stops here')");
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file('paused-panel.ts'), new vscode.Position(line - 1, 0)))]);
    const watch = watchStop();
    const running = vscode.commands.executeCommand('asyncTrace.traceRun', file('paused-panel.ts'));
    await until('the panel shows the stop', () => panel.current && panel.current.paused, 60_000);
    watch.dispose();
    const stop = panel.current.paused;
    assert.equal(stop.where, `paused-panel.ts:${line}`);
    assert.equal(stop.task, 'cook-2');
    assert.equal(stop.held, 0, 'the program sent everything at the stop');
    // The panel may be behind the editor the stop opened: show it, as a person would.
    panel.current.panel.reveal(undefined, true);
    const shown = await until('the webview shows the stop', async () => {
      const p = await readPanel().catch(() => undefined);
      return p && p.paused ? p : undefined;
    }, 30_000);
    console.log(`ATRACE-PAUSED-PANEL ${JSON.stringify({ paused: shown.paused, endTime: shown.endTime, status: shown.status })}`);
    assert.equal(shown.paused.at, stop.at);
    assert.match(shown.status, new RegExp(`^Paused at paused-panel\\.ts:${line} in task 'cook-2' · `));
    const names = shown.tasks.map((t) => t.name);
    assert.ok(names.includes('just-before-the-stop'), `the task created just before the stop is shown: ${names.join(', ')}`);
    // The trace shown ends by the stop: the cursor is at or after its last event.
    assert.ok(shown.paused.at >= shown.endTime - 1, `stop at ${shown.paused.at}, last event at ${shown.endTime}`);
    await screenshot('paused-panel-stop');
    // The figures: how late the extension sees the stop after the program's last event
    // before it (the task created right before the breakpoint), how late a request sent
    // then runs in the program, and where the pause's begin was put.
    const clock = await clockOffset(watch.seen.session);
    const lastEventUnix = shown.clockOriginUnixMs + shown.tasks.find((t) => t.name === 'just-before-the-stop').createdAt;
    const beginUnix = shown.clockOriginUnixMs + stop.at;
    console.log(`ATRACE-STOP-FIGURES ${JSON.stringify({
      clockOffsetMs: +clock.offset.toFixed(3), offsetErrorMs: +(clock.rtt / 2).toFixed(3),
      stopEventAfterLastEventMs: +(watch.seen.stopUnix + clock.offset - lastEventUnix).toFixed(3),
      programHeardAfterStopEventMs: +(watch.seen.heardUnix - clock.offset - watch.seen.stopUnix).toFixed(3),
      pauseBeginAfterLastEventMs: +(beginUnix - lastEventUnix).toFixed(3),
      pauseBeginAfterStopEventMs: +(beginUnix - clock.offset - watch.seen.stopUnix).toFixed(3),
    })}`);

    // N from the stop: cook-2's await nearest it (nothing comes after it while stopped: the last one before).
    const stepped = await readPanel('n');
    assert.ok(stepped.selectedAwait, `N selected an await: ${JSON.stringify(stepped.selection)}`);
    const cook2 = shown.tasks.find((t) => t.name === 'cook-2');
    assert.equal(stepped.selectedAwait.taskId, cook2.id);
    const nearest = Math.max(...stepped.taskAwaits.map((a) => a.begin).filter((b) => b <= stop.at));
    assert.equal(stepped.selectedAwait.begin, nearest);
    assert.equal(stepped.selectedAwait.kind, 'sleep');
    // Its line opens beside the panel: the last `await sleep(5)` of cook's loop.
    const sleepLine = await lineOf('paused-panel.ts', 'await sleep(5)');
    await until(`paused-panel.ts opens at line ${sleepLine}`, () => vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === file('paused-panel.ts').fsPath && e.selection.active.line === sleepLine - 1), 15_000);
    await screenshot('paused-panel-n-from-stop');

    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    const r = await running;
    assert.ok(r.traceFile, r.message);
    await until('the panel no longer shows a stop', () => !panel.current.paused, 10_000);
    const { summarize } = await api();
    const summary = await summarize(r.traceFile);
    assert.equal(summary.taskNames.filter((n) => n === 'just-before-the-stop').length, 1);
    const after = await until('the webview has the whole trace', async () => {
      const p = await readPanel().catch(() => undefined);
      return p && !p.paused && p.eventCount === summary.events ? p : undefined;
    }, 20_000).catch(async () => { throw new Error(`the webview's events differ from the file's ${summary.events}: ${JSON.stringify((await readPanel()).eventCount)}`); });
    assert.equal(after.tasks.length, summary.tasks);
    assert.doesNotMatch(after.status, /Paused at/);
  });
});
