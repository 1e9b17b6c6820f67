// extensionTestsPath entry: the extension host requires this file and awaits run().
// Runs every *.test.js beside it with mocha (BDD) and reports each result as one
// `ATRACE-TEST {json}` console line, which the harness (../harness/run.mjs) reads
// through the smoke-test driver's log hook. The same file works as the
// @vscode/test-electron suite entry where desktop VS Code can be downloaded.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const mochaModule = require('mocha');
const Mocha = mochaModule.default || mochaModule.Mocha || mochaModule; // mocha 12 is ESM: require(esm) gives the namespace

const report = (record) => console.log('ATRACE-TEST ' + JSON.stringify(record));

/** Echoes what traced programs print (js-debug output events) into the harness log. */
function echoProgramOutput() {
  const vscode = require('vscode');
  return vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (m) => {
        if (m.type === 'event' && m.event === 'output' && m.body && m.body.category !== 'telemetry') {
          console.log(`[${session.name}] ${String(m.body.output).trimEnd()}`);
        }
      },
    }),
  });
}

exports.run = function run() {
  const echo = echoProgramOutput();
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const only = process.env.ATRACE_SUITE_GREP;
  if (only) mocha.grep(only);
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      echo.dispose();
      report({ kind: 'summary', passed: runner.stats.passes, failed: failures });
      if (failures) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => report({ kind: 'test', title: t.fullTitle(), ok: true }));
    runner.on('fail', (t, err) => report({ kind: 'test', title: t.fullTitle(), ok: false, error: String(err && err.message).split('\n')[0] }));
  });
};
