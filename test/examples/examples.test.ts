// Every example is recorded with the real CLI (`async-trace record`: esbuild build with
// site marks, run with tracing on) and its trace is checked for what the example's
// header comment promises. Checks are about order, structure and counts, never about
// how long something took on this machine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readTraceModel } from '../../trace/feed';
import type { TraceModel } from '../../trace/model';
import type { AwaitSpan, TaskModel } from '../../trace/model-types';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli/async-trace.js');
let scratch: string;

interface Recorded { model: TraceModel; stdout: string; stats: StatsJson }
interface StatsJson {
  durationMs: number;
  tasks: { total: number; completed: number; cancelled: number; failed: number };
  resources: { kind: string; name: string; acquisitions: number; contended: number; maxWaiters: number; topWaitSites: { site: string }[] }[];
}

function record(example: string): Recorded {
  const out = path.join(scratch, `${path.basename(example, '.ts')}.atrace`);
  const r = spawnSync(process.execPath, [cli, 'record', '-o', out, '--', path.join('examples', example)], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `record ${example} failed:\n${r.stdout}\n${r.stderr}`);
  const { model, complete, error } = readTraceModel(new Uint8Array(readFileSync(out)));
  assert.ok(complete, `trace of ${example} is incomplete: ${error}`);
  const s = spawnSync(process.execPath, [cli, 'stats', out, '--json'], { cwd: root, encoding: 'utf8' });
  assert.equal(s.status, 0, s.stderr);
  return { model, stdout: r.stdout, stats: JSON.parse(s.stdout) as StatsJson };
}

const named = (m: TraceModel, name: string): TaskModel => {
  const t = m.tasks.find((x) => x.name === name);
  assert.ok(t, `no task named ${name}; tasks: ${m.tasks.map((x) => x.name).join(', ')}`);
  return t;
};
const awaitsOf = (t: TaskModel, kind: string): AwaitSpan[] => [...t.awaits].filter((a) => a.kind === kind);

describe('examples, recorded and checked', function () {
  this.timeout(120_000);
  before(() => { scratch = mkdtempSync(path.join(tmpdir(), 'atrace-examples-')); });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('ten-sleepers: ten tasks whose sleeps all overlap (total is one sleep, not ten)', () => {
    const { model, stats } = record('ten-sleepers.ts');
    const sleepers = model.tasks.filter((t) => t.name.startsWith('sleeper-'));
    assert.equal(sleepers.length, 10);
    const sleeps = sleepers.map((t) => { const s = awaitsOf(t, 'sleep'); assert.equal(s.length, 1); return s[0]; });
    const lastBegin = Math.max(...sleeps.map((s) => s.begin));
    const firstEnd = Math.min(...sleeps.map((s) => s.end!));
    assert.ok(lastBegin < firstEnd, 'every sleep began before any ended');
    assert.equal(stats.tasks.completed, stats.tasks.total);
  });

  it('lock-contention: 12 acquisitions of `cache`, 11 of them waited, with the wait site in get()', () => {
    const { stats, stdout } = record('lock-contention.ts');
    const lock = stats.resources.find((r) => r.name === 'cache');
    assert.ok(lock, 'the cache lock is in the stats');
    assert.equal(lock.kind, 'lock');
    assert.equal(lock.acquisitions, 12);
    assert.equal(lock.contended, 11);
    assert.equal(lock.maxWaiters, 11);
    assert.match(lock.topWaitSites[0].site, /^examples\/lock-contention\.ts:\d+:\d+$/);
    assert.match(stdout, /12 requests, 3 loads/);
  });

  it('cancellation: the workers end cancelled, stubborn catches the cancel and finishes', () => {
    const { model } = record('cancellation.ts');
    for (const i of [0, 1, 2]) {
      const w = named(model, `worker-${i}`);
      assert.equal(w.outcome, 'cancelled');
      assert.ok(awaitsOf(w, 'sleep').some((a) => a.outcome === 'cancelled'), 'the sleep that was interrupted ends cancelled');
    }
    const s = named(model, 'stubborn');
    assert.equal(s.outcome, 'ok');
    assert.equal(awaitsOf(s, 'sleep')[0].outcome, 'cancelled');
  });

  it('call-later-future: main awaits a future woken by a loop callback, not a task', () => {
    const { model, stdout } = record('call-later-future.ts');
    const main = model.tasks.find((t) => t.parentId === 0)!;
    const fut = awaitsOf(main, 'future');
    assert.equal(fut.length, 1);
    assert.ok(fut[0].wake, 'the future await has a waker');
    assert.equal(fut[0].wake!.wakerTaskId, 0);
    assert.notEqual(fut[0].wake!.callbackId, 0);
    assert.match(stdout, /future said ready/);
  });

  it('callback-ordering: callSoon FIFO first, then timers by due time, ties in scheduling order', () => {
    const { stdout } = record('callback-ordering.ts');
    assert.match(stdout, /soon-a soon-b soon-c at-10 later-20-t1 at-20-t2 later-30/);
  });

  it('blocked-loop: the busy loop shows as a blocked-loop span', () => {
    const { model } = record('blocked-loop.ts');
    assert.ok(model.blocked.length >= 1, 'a blocked span was recorded');
    assert.ok(model.blocked.some((b) => b.durationMs >= 100), `blocked spans: ${model.blocked.map((b) => b.durationMs).join(', ')}`);
  });

  it('wait-vs-gather: the wait returns at the first completion while the others keep running', () => {
    const { model, stdout } = record('wait-vs-gather.ts');
    assert.match(stdout, /first done: fast; still pending: 2/);
    const main = model.tasks.find((t) => t.parentId === 0)!;
    const w = awaitsOf(main, 'wait')[0];
    assert.ok(w, 'main has a wait await');
    assert.ok(named(model, 'slow').endedAt! > w.end!, 'slow finished after the wait returned');
    assert.ok(awaitsOf(main, 'gather').length >= 1);
  });

  it('futures-and-callbacks: done-callbacks ran, each task woke main', () => {
    const { model, stdout } = record('futures-and-callbacks.ts');
    assert.match(stdout, /total 14; callbacks: square-1=1, square-2=4, square-3=9/);
    const main = model.tasks.find((t) => t.parentId === 0)!;
    const wakers = awaitsOf(main, 'task').map((a) => a.wake?.wakerTaskId);
    assert.deepEqual(wakers, ['square-1', 'square-2', 'square-3'].map((n) => named(model, n).id));
  });

  it('iterator-and-context: the generator and dispose awaits are traced at their lines', () => {
    const { model, stdout } = record('iterator-and-context.ts');
    assert.match(stdout, /connection open while iterating: true/);
    assert.match(stdout, /sum 10/);
    const main = model.tasks.find((t) => t.parentId === 0)!;
    assert.equal(awaitsOf(main, 'sleep').length, 7, '5 ticks + handshake + goodbye');
    assert.ok(awaitsOf(main, 'sleep').every((a) => a.site && a.site.file.endsWith('iterator-and-context.ts')));
  });
  it('thread-pool: four blocking jobs on two workers, never more than two at once, the loop kept ticking', () => {
    const { model, stdout } = record('thread-pool.ts');
    assert.match(stdout, /jobs 200,200,200,200 \+ 10 .* heartbeats 8/);
    const jobs = model.jobs.filter((j) => j.fnName === 'blockFor');
    assert.equal(jobs.length, 5);
    assert.ok(jobs.every((j) => j.outcome === 'ok'));
    const pooled = jobs.filter((j) => j.executorId === jobs[0].executorId);
    assert.equal(pooled.length, 4);
    const overlapAt = (t: number) => pooled.filter((j) => j.startedAt! <= t && t < j.endedAt!).length;
    assert.ok(Math.max(...pooled.map((j) => overlapAt(j.startedAt!))) <= 2, 'at most two jobs ran at once');
    const main = model.tasks.find((t) => t.parentId === 0)!;
    assert.ok(awaitsOf(main, 'executor').length >= 1 || awaitsOf(main, 'gather').length >= 1);
  });

  it('http-get: ten hand-written GETs complete in order of their server delays', () => {
    const { model, stdout } = record('http-get.ts');
    const bodies = [...stdout.matchAll(/HTTP\/1\.1 200 OK page (\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(bodies, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const gets = model.tasks.filter((t) => t.name.startsWith('get-'));
    assert.equal(gets.length, 10);
    assert.ok(gets.every((t) => t.outcome === 'ok' && awaitsOf(t, 'io').length >= 2), 'every GET waited on I/O');
    assert.ok([...model.ioWaits].every((w) => w.peer.startsWith('127.0.0.1:')));
  });

  it('crawler: every page fetched once, at most two fetches at once, every page stored in SQLite', () => {
    const { model, stats, stdout } = record('crawler.ts');
    assert.match(stdout, /crawled 30 pages, stored 30/);
    const slots = stats.resources.find((r) => r.name === 'fetch-slots');
    assert.ok(slots, 'the semaphore is in the stats');
    assert.equal(slots.acquisitions, 30);
    assert.ok(slots.contended > 0, 'some fetches waited for a slot');
    const sem = model.resources.find((r) => r.name === 'fetch-slots')!;
    for (const h of sem.holds) assert.ok(model.holdersAt(sem.id, (h.begin + h.end!) / 2).length <= 2);
    assert.ok(stats.resources.some((r) => r.kind === 'queue' && r.name === 'frontier'));
    assert.equal(model.jobs.filter((j) => j.fnName.endsWith('#storePage') && j.outcome === 'ok').length, 30);
  });
});
