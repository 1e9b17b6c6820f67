'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { api } = require('./support');

const workspace = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const file = (name) => vscode.Uri.file(path.join(workspace(), name));
const traceRun = (name) => vscode.commands.executeCommand('asyncTrace.traceRun', file(name));

describe('Trace Async Run: build, record, finish', () => {
  it('shows a build error as a diagnostic on its line and launches nothing', async () => {
    const { diagnostics } = await api();
    const broken = file('broken.ts');
    fs.writeFileSync(broken.fsPath, 'const ok = 1;\nconsole.log(ok);\nconst bad = (;\n');
    let sessions = 0;
    const sub = vscode.debug.onDidStartDebugSession(() => sessions++);
    try {
      const r = await traceRun('broken.ts');
      assert.equal(r.started, false);
      assert.match(r.message, /^Build failed, nothing was launched/);
      const list = diagnostics.get(broken);
      assert.equal(list.length, 1, 'one diagnostic');
      assert.equal(list[0].range.start.line, 2, 'on line 3 (0-based 2)');
      assert.equal(list[0].severity, vscode.DiagnosticSeverity.Error);
      assert.equal(sessions, 0, 'no debug session started');
    } finally {
      sub.dispose();
    }
  });

  it('says nothing was traced when the program never loads the runtime', async () => {
    const { lastTrace } = await api();
    const before = lastTrace();
    const r = await traceRun('untraced.js');
    assert.equal(r.started, true);
    assert.equal(r.message, 'nothing was traced: the program does not import async-trace/runtime');
    assert.equal(r.traceFile, undefined);
    assert.equal(lastTrace(), before, 'no trace file remembered');
  });

  it('refuses a connection with a wrong token and records the one with the right token', async () => {
    const r = await traceRun('token-probe.js');
    assert.equal(r.started, true);
    assert.ok(r.traceFile, r.message);
    assert.ok(r.traceFile.startsWith(path.join(workspace(), '.async-trace') + path.sep), r.traceFile);
    assert.match(path.basename(r.traceFile), /^token-probe-\d{8}-\d{6}-[0-9a-f]{4}\.atrace$/);
    assert.equal(fs.readFileSync(r.traceFile, 'utf8'), 'probe-bytes-0123456789', 'only the authenticated bytes are recorded');
    assert.equal(r.bytes, 22);
    assert.equal(r.refused, 1, `refused connections: ${r.refused}`);
  });
});
