// Findings of real recorded programs (test/findings/programs), one per kind, whose
// answer is known by construction: the kind, the tasks, the sites (the lines of the
// program), and nothing else (a false positive fails the test). Checks are on
// structure and sites, never on how long something took, except "at least" bounds
// the program's own sleeps guarantee.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyze } from '../../trace/analysis/analyze';
import { analysisJson, type FindingJson } from '../../trace/analysis/json';
import type { TraceModel } from '../../trace/model';
import { statsJson } from '../../trace/stats';
import { recordFixture } from './record';

let dir: string;

function findingsOf(model: TraceModel): FindingJson[] {
  return analysisJson(model, analyze(model)).findings;
}

const brief = (f: FindingJson): string => `${f.kind} [${f.tasks.join(', ')}] ${f.sites.join(' ')}`;

describe('findings of recorded programs', function () {
  this.timeout(120_000);
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-findings-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('deadlock: two transfers each holding the lock the other waits for, until the end of the trace', async () => {
    const { model } = await recordFixture(dir, 'deadlock.ts');
    const found = findingsOf(model);
    assert.deepEqual(found.map(brief), [
      'deadlock [transfer-ba, transfer-ab] deadlock.ts:11:7 deadlock.ts:11:7',
      'pending-at-exit [main] deadlock.ts:17:3',
    ]);
    const [d] = found;
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.resources, [{ kind: 'lock', name: 'accounts' }, { kind: 'lock', name: 'ledger' }]);
    assert.equal(d.message, 'transfer-ba holds lock ledger and waits for lock accounts; transfer-ab holds lock accounts and waits for lock ledger (until the end of the trace)');
    assert.ok(d.atMs > 0 && d.durationMs >= 0, `the cycle closes once both hold their first lock (at ${d.atMs})`);
    assert.match(found[1].message, /main was still pending when the trace ended: awaits gather\(\)/);
  });

  it('deadlock at a moment: broken by a timeout after ~80 ms, and the cancelled wait counts in the lock figures', async () => {
    const { model } = await recordFixture(dir, 'deadlock-timeout.ts');
    const s = statsJson(model);
    assert.deepEqual(s.findings.map(brief), ['deadlock [transfer-ba, transfer-ab] deadlock-timeout.ts:11:32 deadlock-timeout.ts:11:32']);
    const [d] = s.findings;
    assert.match(d.message, /until a wait was given up/);
    assert.ok(d.durationMs >= 50 && d.durationMs < 1000, `the cycle lasted until a 100 ms timeout (${d.durationMs} ms)`);
    // One transfer got its second lock after the other gave up (a granted wait), the
    // other's wait ended cancelled: both count.
    for (const name of ['accounts', 'ledger']) {
      const r = s.resources.find((x) => x.name === name)!;
      assert.equal(r.contended, 1, `${name}: one contended wait`);
      assert.ok(r.totalWaitMs >= 50, `${name}: the wait lasted until the timeout (${r.totalWaitMs} ms)`);
    }
    assert.equal(s.failures.length, 0, 'the TimeoutError was handled in the transfer');
  });

  it('lock-held-across-await: the cache lock held across await sleep(80) while the others waited', async () => {
    const { model } = await recordFixture(dir, 'hold-across-await.ts');
    const s = statsJson(model);
    assert.deepEqual(s.findings.map(brief), ['lock-held-across-await [refresh-1, refresh-2, refresh-3] hold-across-await.ts:9:7 hold-across-await.ts:7:5']);
    const [f] = s.findings;
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.resources, [{ kind: 'lock', name: 'cache' }]);
    assert.match(f.message, /held lock cache across await sleep\(\) at hold-across-await\.ts:9:7 \(3x/);
    // Two wait through refresh-1's sleep, one through refresh-2's: 3 x 80 ms in all
    // (a little less as recorded: the waits begin and end within the same steps).
    assert.ok(f.durationMs >= 200, `others waited during the sleeps (${f.durationMs} ms)`);
    const cache = s.resources.find((r) => r.name === 'cache')!;
    assert.deepEqual(cache.holdAwaitSites.map((h) => [h.site, h.kind, h.count]), [['hold-across-await.ts:9:7', 'sleep', 3]]);
    assert.ok(cache.holdAwaitSites[0].othersWaitedMs === f.durationMs);
  });

  it('pending-at-exit: tasks left waiting on an event nobody sets and an empty queue, each with where and on what', async () => {
    const { model } = await recordFixture(dir, 'pending-at-exit.ts');
    const found = findingsOf(model);
    assert.deepEqual(found.map(brief).sort(), ['pending-at-exit [consumer] pending-at-exit.ts:7:28', 'pending-at-exit [main] pending-at-exit.ts:8:3']);
    assert.ok(found.some((f) => /main was still pending when the trace ended: waits for event ready, never set at pending-at-exit\.ts:8:3/.test(f.message)));
    assert.ok(found.some((f) => /consumer was still pending when the trace ended: waits on queue jobs/.test(f.message)));
  });

  it('blocked-loop: 150 ms of synchronous work, blamed on the task and the lines it ran between', async () => {
    const { model } = await recordFixture(dir, 'blocked-loop.ts');
    const found = findingsOf(model);
    assert.deepEqual(found.map(brief), ['blocked-loop [hog] blocked-loop.ts:10:3 blocked-loop.ts:12:3']);
    assert.match(found[0].message, /^the event loop was blocked \d+\.\d ms by task hog, running from blocked-loop\.ts:10:3 to blocked-loop\.ts:12:3$/);
    assert.ok(found[0].durationMs >= 150);
  });

  it('a program with none of these problems has no findings, and its critical path adds up to its duration', async () => {
    const { model } = await recordFixture(dir, 'never-retrieved.ts');
    const s = statsJson(model);
    const cp = s.criticalPath!;
    assert.equal(cp.task, 'main');
    const sum = cp.segments.reduce((a, x) => a + x.ms, 0);
    assert.ok(Math.abs(sum - cp.durationMs) < 1e-6, `segments add up: ${sum} vs ${cp.durationMs}`);
    // main awaited worker-6: the path goes through worker-6's sleep at the line it sleeps.
    assert.ok(cp.segments.some((x) => x.task === 'worker-6' && x.kind === 'sleep' && x.site === 'never-retrieved.ts:4:3'), JSON.stringify(cp.segments));
    assert.ok(cp.segments.some((x) => x.task === 'main' && x.kind === 'sleep' && x.site === 'never-retrieved.ts:15:3'));
    assert.deepEqual(s.failures.map((f) => [f.task, f.outcome, f.message]), [
      ['worker-5', 'error', 'pricing API rejected order 13'],
      ['worker-6', 'error', 'pricing API rejected order 14'],
    ]);
  });
});
