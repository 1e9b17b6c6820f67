// Findings in the editor, in real VS Code: a traced run's findings land in the Problems
// view (the extension's diagnostics) at their lines with related information, and the
// await sites get CodeLens figures, through VS Code's own providers.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');
const { api, until } = require('./support');

const workspace = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const file = (name) => vscode.Uri.file(path.join(workspace(), name));
const traceRun = (name) => vscode.commands.executeCommand('asyncTrace.traceRun', file(name));

describe('findings as diagnostics and await figures as CodeLens', () => {
  it('a lock held across await sleep(80): a warning on the sleep line, the acquire as related information, figures above the sleep', async () => {
    const a = await api();
    const r = await traceRun('held-lock.ts');
    assert.equal(r.started, true, r.message);
    const uri = file('held-lock.ts');
    const list = await until('the finding in the Problems view', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Async Trace');
      return d.length > 0 && d;
    });
    assert.equal(list.length, 1, list.map((d) => d.message).join('\n'));
    const [d] = list;
    assert.equal(d.code, 'lock-held-across-await');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.range.start.line, 8, 'on the await sleep(80) line (9)');
    assert.match(d.message, /held lock cache across await sleep\(\)/);
    assert.deepEqual(d.relatedInformation.map((i) => [path.basename(i.location.uri.fsPath), i.location.range.start.line, i.message]),
      [['held-lock.ts', 6, 'lock cache acquired here']]);
    assert.equal(a.insights.findings.length, 1);
    const doc = await vscode.workspace.openTextDocument(uri);
    const lenses = await until('CodeLens above the await sites', async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
      return l && l.some((x) => x.command && x.range.start.line === 8) && l;
    });
    const sleep = lenses.find((x) => x.range.start.line === 8 && x.command);
    assert.match(sleep.command.title, /^3 waits · [\d.]+ (ms|s) · p99 [\d.]+ (ms|s)$/);
  });

  it('a deadlock: an error whose related information names both ends of the cycle', async () => {
    const r = await traceRun('deadlock-transfers.ts');
    assert.equal(r.started, true, r.message);
    const uri = file('deadlock-transfers.ts');
    const list = await until('the deadlock in the Problems view', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Async Trace' && x.code === 'deadlock');
      return d.length > 0 && d;
    });
    const [d] = list;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 10, 'on the second acquire (line 11)');
    const related = d.relatedInformation.map((i) => `${i.location.range.start.line + 1}: ${i.message}`);
    assert.ok(related.includes('11: transfer-ab waits for lock ledger here'), related.join('\n'));
    assert.ok(related.includes('11: transfer-ba waits for lock accounts here'), related.join('\n'));
    assert.ok(related.some((x) => /^8: transfer-(ab|ba) acquired lock (accounts|ledger) here$/.test(x)), related.join('\n'));
    // The previous run's findings are gone: one trace at a time.
    assert.deepEqual(vscode.languages.getDiagnostics(file('held-lock.ts')).filter((x) => x.source === 'Async Trace'), []);
  });
});
