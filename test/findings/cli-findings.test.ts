// `async-trace check` and the findings in `stats` (../shared/design/cli.md), run as
// real processes on traces of real programs: exit codes, severity bars, findings
// before everything else in the text, and the JSON fields scripts read.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recordFixture } from './record';

const root = path.resolve(__dirname, '../..');
let dir: string;
const traces: Record<string, string> = {};

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', require.resolve('tsx'), path.join(root, 'cli/main.ts'), ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('async-trace check and the findings in stats', function () {
  this.timeout(120_000);
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-check-'));
    for (const p of ['deadlock.ts', 'hold-across-await.ts', 'blocked-loop.ts']) traces[p] = (await recordFixture(dir, p)).file;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('check exits 1 on a deadlock (an error) and prints it with its sites', () => {
    const r = cli('check', traces['deadlock.ts']);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^error deadlock: transfer-ba holds lock ledger and waits for lock accounts; transfer-ab holds lock accounts and waits for lock ledger/);
    assert.equal(lines[1], '    at deadlock.ts:11:7, deadlock.ts:11:7');
    assert.match(lines[2], /^warning pending-at-exit: main was still pending/);
    assert.match(lines[lines.length - 1], /: 2 findings: 1 error, 1 warning \(1 at or above error\)$/);
  });

  it('check exits 0 on warnings only, and 1 with --severity warning', () => {
    const plain = cli('check', traces['hold-across-await.ts']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /^warning lock-held-across-await: 3 holders \(refresh-1, refresh-2, refresh-3\) held lock cache across await sleep\(\) at hold-across-await\.ts:9:7/);
    const strict = cli('check', traces['hold-across-await.ts'], '--severity', 'warning');
    assert.equal(strict.status, 1);
    assert.match(strict.stdout, /1 finding: 1 warning \(1 at or above warning\)\n$/);
  });

  it('check refuses a severity it does not know (2) and an unreadable file (3)', () => {
    const bad = cli('check', traces['deadlock.ts'], '--severity', 'fatal');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--severity must be error or warning, not fatal/);
    const junk = path.join(dir, 'junk.atrace');
    writeFileSync(junk, 'not a trace');
    const unreadable = cli('check', junk);
    assert.equal(unreadable.status, 3);
    assert.match(unreadable.stderr, /not a readable async-trace file/);
  });

  it('stats prints the findings first, most severe first, then the failures and the critical path', () => {
    const r = cli('stats', traces['deadlock.ts']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[1], /^2 findings: 1 error, 1 warning \(most severe first\):$/);
    assert.match(lines[2], /^ {2}error deadlock: /);
    assert.match(lines[4], /^ {2}warning pending-at-exit: /);
    assert.ok(lines.indexOf(lines.find((l) => l.startsWith('tasks:'))!) > 4, 'tasks come after the findings');
    assert.match(r.stdout, /critical path of main \(/);
    const blocked = cli('stats', traces['blocked-loop.ts']);
    assert.match(blocked.stdout, /warning blocked-loop: the event loop was blocked [\d.]+ ms by task hog/);
    assert.match(blocked.stdout, /ms +\d+% {2}hog running at blocked-loop\.ts:10:3/);
  });

  it('stats --json carries findings, failures and a critical path whose segments add up', () => {
    const r = cli('stats', traces['hold-across-await.ts'], '--json');
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.deepEqual(s.findings.map((f: { kind: string }) => f.kind), ['lock-held-across-await']);
    assert.deepEqual(Object.keys(s.findings[0]), ['kind', 'severity', 'message', 'tasks', 'resources', 'sites', 'atMs', 'durationMs']);
    assert.deepEqual(s.failures, []);
    const sum = s.criticalPath.segments.reduce((a: number, x: { ms: number }) => a + x.ms, 0);
    assert.ok(Math.abs(sum - s.criticalPath.durationMs) < 1e-6);
    assert.deepEqual(Object.keys(s.criticalPath.segments[0]), ['task', 'kind', 'site', 'ms']);
  });
});
