'use strict';
// Paused time is not program time (issue 15), in real VS Code with its js-debug: a traced
// program stops at a `debugger` statement inside a lock hold for about 3 s while another
// task waits for the lock; the saved trace records the pause and `stats --json` of it
// leaves the pause out of the lock's wait.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const vscode = require('vscode');
const { api, extensionId, until } = require('./support');

const workspace = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const file = (name) => vscode.Uri.file(path.join(workspace(), name));

const unixNow = () => performance.timeOrigin + performance.now();

/**
 * Every `stopped` event of the debug sessions, as they come; for the figures, when this
 * extension host saw it (`unix`) and when a request sent then ran in the program (`heardUnix`, its clock).
 */
function watchStops() {
  const stops = [];
  const sub = vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (m) => {
        if (m.type !== 'event' || m.event !== 'stopped') return;
        const stop = { session, reason: m.body.reason, at: Date.now(), unix: unixNow() };
        stops.push(stop);
        void Promise.resolve(session.customRequest('evaluate', { expression: 'performance.timeOrigin + performance.now()', context: 'clipboard' }))
          .then((r) => { stop.heardUnix = Number(r.result); }, () => {});
      },
    }),
  });
  return { stops, dispose: () => sub.dispose() };
}

describe('Debugger pauses in a traced run', function () {
  this.timeout(90_000);

  it('records a 3 s stop inside a lock hold as a pause, and the lock\'s wait in the stats leaves it out', async () => {
    await api();
    const watch = watchStops();
    try {
      const running = vscode.commands.executeCommand('asyncTrace.traceRun', file('paused-lock.ts'));
      await until('the program stops at its debugger statement', () => watch.stops.length > 0, 60_000);
      const stop = watch.stops[0];
      // Keeping it stopped is what the test is about: the time passes on purpose.
      await until('3 s at the debugger statement', () => Date.now() - stop.at >= 3000, 10_000);
      const continuedAt = Date.now();
      await vscode.commands.executeCommand('workbench.action.debug.continue');
      const r = await running;
      assert.ok(r.traceFile, r.message);
      const cli = path.join(vscode.extensions.getExtension(extensionId).extensionPath, 'dist', 'cli', 'async-trace.js');
      const stats = JSON.parse(execFileSync(process.execPath, [cli, 'stats', r.traceFile, '--json'], { encoding: 'utf8' }));
      // The figures for how late the pause begins: the last event before it (the holder's
      // sleep ends just before its `debugger` statement), from the Chrome export.
      const exported = path.join(path.dirname(r.traceFile), 'pauses-figures.json');
      execFileSync(process.execPath, [cli, 'export', r.traceFile, '--format', 'chrome', '-o', exported]);
      const beginUs = stats.pauses[0].fromMs * 1000;
      const chrome = JSON.parse(require('node:fs').readFileSync(exported, 'utf8'));
      let lastUs = 0;
      for (const e of chrome.traceEvents) {
        if (e.ph === 'M' || e.cat === 'debugger' || e.ph === 'i') continue;
        for (const t of [e.ts, e.ts + (e.dur || 0)]) if (t <= beginUs && t > lastUs) lastUs = t;
      }
      require('node:fs').rmSync(exported, { force: true });
      // The header's clock origin (docs/trace-format.md: a float64 after the 16-byte prefix) puts trace times on the Unix clock.
      const origin = require('node:fs').readFileSync(r.traceFile).readDoubleLE(16);
      const lastUnix = origin + lastUs / 1000;
      const figures = {
        stopEventAfterLastEventMs: +(stop.unix - lastUnix).toFixed(3),
        programHeardAfterStopEventMs: stop.heardUnix ? +(stop.heardUnix - stop.unix).toFixed(3) : undefined,
        pauseBeginAfterLastEventMs: +((beginUs - lastUs) / 1000).toFixed(3),
      };
      console.log(`ATRACE-PAUSES ${JSON.stringify({ stoppedToContinueMs: continuedAt - stop.at, pausedMs: stats.pausedMs, pauses: stats.pauses, ...figures, durationMs: stats.durationMs, lock: stats.resources.map((x) => [x.name, x.totalWaitMs, x.totalHoldMs]) })}`);
      assert.ok(Array.isArray(stats.pauses) && stats.pauses.length >= 1, 'the trace has the pause');
      const longest = Math.max(...stats.pauses.map((p) => p.toMs - p.fromMs));
      assert.ok(longest >= 2500, `the pause is ${longest} ms`);
      assert.ok(stats.pausedMs >= 2500, `paused ${stats.pausedMs} ms`);
      const gate = stats.resources.find((x) => x.name === 'paused-gate');
      assert.ok(gate, 'the lock is in the stats');
      assert.ok(gate.contended >= 1, 'the waiter waited');
      assert.ok(gate.totalWaitMs < 1000, `the lock's wait leaves the pause out: ${gate.totalWaitMs} ms`);
      assert.ok(gate.totalHoldMs < 1000, `the hold leaves it out too: ${gate.totalHoldMs} ms`);
      // Without the pause the wait would be the whole stop.
      assert.ok(stats.durationMs >= 2500, `the trace spans the pause: ${stats.durationMs} ms`);
    } finally {
      watch.dispose();
    }
  });

  it('keeps a pause the session ended in: the run appends it to the trace', async () => {
    await api();
    const watch = watchStops();
    try {
      const running = vscode.commands.executeCommand('asyncTrace.traceRun', file('paused-end.ts'));
      await until('the program stops at its debugger statement', () => watch.stops.length > 0, 60_000);
      const stop = watch.stops[0];
      await until('1.5 s at the debugger statement', () => Date.now() - stop.at >= 1500, 10_000);
      for (const s of [stop.session.parentSession, stop.session].filter(Boolean)) await vscode.debug.stopDebugging(s).then(undefined, () => {});
      const r = await running;
      assert.ok(r.traceFile, r.message);
      const cli = path.join(vscode.extensions.getExtension(extensionId).extensionPath, 'dist', 'cli', 'async-trace.js');
      const stats = JSON.parse(execFileSync(process.execPath, [cli, 'stats', r.traceFile, '--json'], { encoding: 'utf8' }));
      console.log(`ATRACE-PAUSES-ENDED ${JSON.stringify({ pausedMs: stats.pausedMs, pauses: stats.pauses, durationMs: stats.durationMs, lock: stats.resources.map((x) => [x.name, x.totalWaitMs, x.totalHoldMs]) })}`);
      assert.ok(Array.isArray(stats.pauses) && stats.pauses.length === 1, JSON.stringify(stats.pauses));
      assert.ok(stats.pausedMs >= 1200, `paused ${stats.pausedMs} ms`);
      const gate = stats.resources.find((x) => x.name === 'ended-gate');
      assert.ok(gate, 'the lock is in the stats');
      // The waiter's wait, still open at the end, is counted up to the end less the pause.
      assert.ok(gate.totalWaitMs < 1000, `the open wait leaves the pause out: ${gate.totalWaitMs} ms`);
    } finally {
      watch.dispose();
    }
  });
});
