// The diff of two real recordings (trace/diff): a lock held for less, an edit that
// moves every line, and the same program recorded twice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { diffTraces } from '../../trace/diff/diff';
import { findingsInput } from '../../trace/diff/findings-input';
import { diffJson } from '../../trace/diff/json';
import { recordProgram } from '../tracing/record-program';
import { LOCK_PROGRAM } from './diff-fixtures';

describe('diff of two recordings', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-diff-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a shorter lock hold: the lock\'s waits fall and the hold\'s await site shows the drop', async () => {
    const long = await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(20));
    const short = await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(2));
    const d = diffJson(diffTraces(long.model, short.model));
    const lock = d.resources.find((r) => r.kind === 'lock' && r.name === 'db');
    assert.ok(lock?.a && lock.b, JSON.stringify(d.resources));
    assert.ok(lock.b.totalWaitMs < lock.a.totalWaitMs / 3, JSON.stringify(lock));
    assert.ok(lock.changed.includes('totalWaitMs') && lock.changed.includes('totalHoldMs'), JSON.stringify(lock));
    const hold = d.awaitSites.find((s) => s.kind === 'sleep' && s.siteA === 'prog.ts:8:13');
    assert.ok(hold?.a && hold.b, JSON.stringify(d.awaitSites));
    assert.equal(hold.siteB, 'prog.ts:8:13');
    assert.equal(hold.function, 'main.worker');
    assert.equal(hold.a.count, 15);
    assert.equal(hold.b.count, 15);
    assert.ok(hold.b.totalMs < hold.a.totalMs / 3);
    assert.ok(hold.changed.includes('totalMs') && hold.changed.includes('meanMs'));
    assert.deepEqual(hold.changed.includes('count'), false);
    // The biggest change comes first: the lock's waits (seconds of waiting) before the hold site.
    assert.equal(d.resources[0].name, 'db');
  });

  it('an edit that adds lines above the code: every site pairs with its old self', async () => {
    const before = await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(5));
    const above = '// a comment\n\nfunction unused(): number {\n  return 1;\n}\n';
    const after = await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(5, above));
    const d = diffTraces(before.model, after.model);
    assert.ok(d.awaitSites.length >= 5);
    for (const r of d.awaitSites) {
      assert.ok(r.a && r.b, `unpaired: ${r.title}`);
      assert.equal(r.b.site?.line, (r.a.site?.line ?? 0) + 5, r.title);
      assert.equal(r.b.site?.col, r.a.site?.col);
      assert.equal(r.b.site?.fn, r.a.site?.fn);
    }
    for (const r of d.resources) assert.ok(r.a && r.b, `unpaired: ${r.title}`);
    for (const r of d.taskGroups) assert.ok(r.a && r.b, `unpaired: ${r.title}`);
    // Sites that are not await sites (where tasks and resources were made) map too, for findings.
    assert.equal(d.siteMap.get('prog.ts:3:16'), 'prog.ts:8:16');
  });

  it('the same program recorded twice: nothing beyond the noise rule is reported', async () => {
    const one = await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(25));
    const two = await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(25));
    const d = diffJson(diffTraces(one.model, two.model));
    const changed = [...d.resources, ...d.awaitSites, ...d.taskGroups].filter((r) => r.changed.length > 0);
    assert.deepEqual(changed.map((r) => `${JSON.stringify(r.changed)} of ${JSON.stringify(r)}`), []);
    for (const r of [...d.resources, ...d.awaitSites, ...d.taskGroups]) assert.ok(r.a && r.b, JSON.stringify(r));
  });
  it('findings: a lock no longer held across an await is reported resolved, and the other way round added', async () => {
    const held = await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(20));
    const fixed = await recordProgram(dir, 'prog.ts', LOCK_PROGRAM(20).replace('try { await sleep(20); } finally', 'try { void 0; } finally'));
    const d = diffJson(diffTraces(held.model, fixed.model, findingsInput(held.model, fixed.model)));
    assert.ok(d.findings, 'findings compared');
    const kinds = (l: { kind: string }[]) => l.map((f) => f.kind);
    assert.ok(kinds(d.findings.resolved).includes('lock-held-across-await'), JSON.stringify(d.findings));
    assert.ok(!kinds(d.findings.added).includes('lock-held-across-await'), JSON.stringify(d.findings));
    const at = d.findings.resolved.find((f) => f.kind === 'lock-held-across-await');
    assert.ok(at?.sites.some((x) => x.startsWith('prog.ts:8:')), JSON.stringify(at));
    const back = diffJson(diffTraces(fixed.model, held.model, findingsInput(fixed.model, held.model)));
    assert.ok(back.findings && kinds(back.findings.added).includes('lock-held-across-await'), JSON.stringify(back.findings));
    const same = diffTraces(held.model, held.model, findingsInput(held.model, held.model));
    assert.deepEqual({ added: same.findings?.added.length, resolved: same.findings?.resolved.length }, { added: 0, resolved: 0 });
    assert.ok((same.findings?.kept ?? 0) > 0);
  });
});
