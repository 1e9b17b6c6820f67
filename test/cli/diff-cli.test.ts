// `async-trace diff A B [--json]` as a user runs it: text with the biggest change first
// and the noise rule, the JSON contract of cli.md, exit codes and bad input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../cli/main';
import { NOISE_RULE } from '../../trace/diff/noise';
import { recordProgram } from '../tracing/record-program';
import { LOCK_PROGRAM } from './diff-fixtures';

const root = path.resolve(__dirname, '../..');

describe('async-trace diff', function () {
  this.timeout(120_000);
  let dir: string, long: string, short: string;
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', require.resolve('tsx'), path.join(root, 'cli/main.ts'), ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-diffcli-'));
    long = path.join(dir, 'long.atrace');
    short = path.join(dir, 'short.atrace');
    copyFileSync((await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(20))).file, long);
    copyFileSync((await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(2))).file, short);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the changes biggest first, the rows left out as noise, and the rule', () => {
    const r = cli('diff', 'long.atrace', 'short.atrace');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'diff long.atrace → short.atrace (prog.ts)');
    assert.match(lines[1], /^ {2}duration [\d.]+ → [\d.]+ ms \(−[\d.]+ ms, −\d+%\), tasks 6 → 6, failed 0 → 0, events \d+ → \d+$/);
    assert.equal(lines[2], 'changes, biggest first:');
    // The lock's waits are the biggest change (seconds of waiting gone); the hold's sleep site is listed with its drop.
    assert.match(lines[3], /^ {2}(lock db|lock\.acquire\(\) at prog\.ts:7:7 in main\.worker)$/);
    const hold = lines.indexOf('  sleep() at prog.ts:8:13 in main.worker');
    assert.ok(hold > 3, r.stdout);
    assert.match(lines[hold + 1], /^ {6}total [\d.]+ → [\d.]+ ms \(−[\d.]+ ms, −\d+%\); mean [\d.]+ → [\d.]+ ms/);
    const db = lines.indexOf('  lock db');
    assert.match(lines[db + 1], /wait [\d.]+ → [\d.]+ ms \(−[\d.]+ ms, −\d+%\); hold [\d.]+ → [\d.]+ ms/);
    assert.ok(lines.includes(`noise rule: ${NOISE_RULE}`));
  });

  it('--json prints version 1 of the contract', () => {
    const r = cli('diff', long, short, '--json');
    assert.equal(r.status, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    assert.equal(d.version, 1);
    assert.equal(d.a.program, 'prog.ts');
    assert.ok(d.a.durationMs > d.b.durationMs && d.a.events > 0);
    const db = d.resources.find((x: { name: string }) => x.name === 'db');
    assert.deepEqual(Object.keys(db), ['kind', 'name', 'siteA', 'siteB', 'a', 'b', 'changed']);
    for (const k of ['acquisitions', 'contended', 'totalWaitMs', 'p50WaitMs', 'p99WaitMs', 'totalHoldMs']) assert.equal(typeof db.a[k], 'number', k);
    assert.ok(db.b.totalWaitMs < db.a.totalWaitMs);
    const site = d.awaitSites.find((x: { siteA: string }) => x.siteA === 'prog.ts:8:13');
    assert.equal(site.kind, 'sleep');
    assert.equal(site.siteB, 'prog.ts:8:13');
    assert.ok(site.changed.includes('totalMs'));
    assert.deepEqual(d.tasks.a, { total: 6, completed: 6, cancelled: 0, failed: 0, pending: 0 });
    assert.ok(d.taskGroups.some((g: { name: string; a: { count: number } }) => g.name === 'worker-#' && g.a.count === 5));
    assert.equal(d.noiseRule, NOISE_RULE);
  });

  it('a trace compared with itself reports no change', () => {
    const r = cli('diff', long, long);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\nno changes beyond the run-to-run noise\n/);
    assert.doesNotMatch(r.stdout, /only in/);
    assert.match(r.stdout, /not shown: (\d+) of \1 rows/);
  });

  it('refuses an unreadable, a foreign or a truncated file with exit 3, naming it', () => {
    const missing = cli('diff', long, 'nope.atrace');
    assert.equal(missing.status, 3);
    assert.match(missing.stderr, /^async-trace: nope\.atrace: cannot read \(no such file\)\n$/);
    assert.equal(missing.stdout, '');
    writeFileSync(path.join(dir, 'foreign.atrace'), '{"traceEvents": []}\n');
    const foreign = cli('diff', 'foreign.atrace', short);
    assert.equal(foreign.status, 3);
    assert.match(foreign.stderr, /foreign\.atrace: not a readable async-trace file: .*at byte \d+/);
    const bytes = readFileSync(short);
    writeFileSync(path.join(dir, 'cut.atrace'), bytes.subarray(0, bytes.length - 7));
    const cut = cli('diff', long, 'cut.atrace', '--json');
    assert.equal(cut.status, 3);
    assert.equal(cut.stdout, '');
    assert.match(cut.stderr, /cut\.atrace: .*whole batches end at byte \d+ of \d+/);
  });

  it('answers bad usage with exit 2', async () => {
    for (const c of [['diff'], ['diff', long], ['diff', long, short, long], ['diff', long, short, '--csv']]) {
      let err = '';
      assert.equal(await runCli(c, { out: () => undefined, err: (t) => { err += t; } }), 2, c.join(' '));
      assert.match(err, /async-trace diff A\.atrace B\.atrace \[--json\]/);
    }
    const r = cli('diff', long);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /diff needs two trace files, A\.atrace B\.atrace/);
  });

  it('--help states the noise rule', () => {
    const r = cli('--help');
    assert.equal(r.status, 0);
    assert.ok(r.stdout.includes(NOISE_RULE));
  });
});
