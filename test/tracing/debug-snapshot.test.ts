// The paused program's own snapshot (runtime/debug-snapshot.ts) on the real runtime:
// holders and waiters of a lock in FIFO order, each task's state and await chain with
// its sites, getStack() across tasks, a deadlock's wait-for cycle, and the text the
// CLI prints from the same shape (trace/program-snapshot.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addInstrument, createTask, Lock, Queue, registerSites, run, Semaphore, setPendingSite, sleep } from '../../runtime/internal';
import { LiveState } from '../../runtime/debug-snapshot';
import { formatPendingTasks, waitForCycles, type ProgramSnapshot } from '../../trace/program-snapshot';

/** Runs `main` on the virtual clock with a fresh live-state instrument installed. */
async function withLive<T>(main: (live: LiveState) => Promise<T>): Promise<T> {
  const live = new LiveState();
  const remove = addInstrument(live);
  try {
    return await run(() => main(live), { virtualTime: true });
  } finally {
    remove();
  }
}

function taskNamed(s: ProgramSnapshot, name: string): ProgramSnapshot['tasks'][number] {
  const t = s.tasks.find((x) => x.name === name);
  assert.ok(t, `task ${name} in ${s.tasks.map((x) => x.name).join(', ')}`);
  return t;
}

const namesOf = (s: ProgramSnapshot, entries: { taskId: number }[]): (string | undefined)[] =>
  entries.map((e) => s.tasks.find((t) => t.id === e.taskId)?.name);

describe('debug snapshot of the live program', () => {
  it('lists the holder of a lock and its two waiters in FIFO order, with states and await sites', async () => {
    const site = registerSites(['app.ts:3:5\tlock.acquire()\tworker']);
    let snap: ProgramSnapshot | undefined;
    await withLive(async (live) => {
      const lock = new Lock({ name: 'gate' });
      const worker = async (hold: boolean): Promise<void> => {
        setPendingSite(site);
        await lock.acquire();
        try {
          if (hold) { await sleep(1); snap = live.snapshot(); }
        } finally { lock.release(); }
      };
      const holder = createTask(() => worker(true), { name: 'holder' });
      await sleep(0.1);
      const second = createTask(() => worker(false), { name: 'second' });
      const first = createTask(() => worker(false), { name: 'first' });
      await Promise.all([holder, second, first]);
    });
    assert.ok(snap);
    const gate = snap.resources.find((r) => r.name === 'gate');
    assert.ok(gate);
    assert.deepEqual(namesOf(snap, gate.holders), ['holder']);
    assert.deepEqual(namesOf(snap, gate.waiters), ['second', 'first'], 'line order, not name or id order');
    assert.equal(gate.waiters[0].site, 'app.ts:3:5\tlock.acquire()\tworker');
    assert.equal(snap.runningTaskId, taskNamed(snap, 'holder').id);
    assert.equal(taskNamed(snap, 'holder').state, 'running');
    const second = taskNamed(snap, 'second');
    assert.equal(second.state, 'waiting');
    assert.deepEqual(second.awaits.map((a) => [a.kind, a.targetId, a.site]), [['lock', gate.id, 'app.ts:3:5\tlock.acquire()\tworker']]);
    assert.equal(waitForCycles(snap).length, 0);
    const text = formatPendingTasks(snap);
    assert.match(text, /second \(task \d+, child of main\): waiting on lock gate \(held by holder\)\n {4}await lock\.acquire\(\) \(lock\) at app\.ts:3:5/);
  });

  it('marks a wait-for cycle: two tasks each holding the lock the other waits for', async () => {
    let snap: ProgramSnapshot | undefined;
    await withLive(async (live) => {
      const a = new Lock({ name: 'accounts' });
      const b = new Lock({ name: 'ledger' });
      const cross = (first: Lock, second: Lock) => async (): Promise<void> => {
        await first.acquire();
        await sleep(1);
        await second.acquire();
      };
      const ab = createTask(cross(a, b), { name: 'transfer-ab' });
      const ba = createTask(cross(b, a), { name: 'transfer-ba' });
      const bystander = createTask(() => sleep(50), { name: 'bystander' });
      await sleep(10);
      snap = live.snapshot();
      ab.cancel();
      ba.cancel();
      await bystander;
    });
    assert.ok(snap);
    const cycles = waitForCycles(snap);
    assert.deepEqual(cycles.map((c) => c.map((id) => snap!.tasks.find((t) => t.id === id)?.name)), [['transfer-ab', 'transfer-ba']]);
    assert.match(formatPendingTasks(snap), /deadlock: transfer-ab → transfer-ba → transfer-ab/);
  });

  it('shows blocked queue getters as waiters until served, semaphore permits as holders, and finished tasks as done', async () => {
    const snaps: ProgramSnapshot[] = [];
    await withLive(async (live) => {
      const q = new Queue<number>({ name: 'jobs' });
      const sem = new Semaphore(2, { name: 'slots' });
      const getter = (name: string) => createTask(async () => q.get(), { name });
      const g1 = getter('g1');
      const g2 = getter('g2');
      const s1 = createTask(async () => { await sem.acquire(); await sleep(5); sem.release(); }, { name: 's1' });
      const s2 = createTask(async () => { await sem.acquire(); await sleep(5); sem.release(); }, { name: 's2' });
      const failing = createTask(async () => { throw new Error('nope'); }, { name: 'failing' });
      await sleep(1);
      snaps.push(live.snapshot());
      q.putNowait(1);
      await g1;
      snaps.push(live.snapshot());
      q.putNowait(2);
      await Promise.all([g2, s1, s2, failing.then(() => 0, () => 0)]);
    });
    const [before, after] = snaps;
    const jobs = (s: ProgramSnapshot) => s.resources.find((r) => r.name === 'jobs')!;
    assert.deepEqual(namesOf(before, jobs(before).waiters), ['g1', 'g2']);
    assert.deepEqual(jobs(before).holders, [], 'a queue has no holders');
    assert.deepEqual(namesOf(before, before.resources.find((r) => r.name === 'slots')!.holders), ['s1', 's2']);
    assert.deepEqual(namesOf(after, jobs(after).waiters), ['g2']);
    const failed = taskNamed(before, 'failing');
    assert.deepEqual([failed.state, failed.outcome, failed.message], ['done', 'error', 'nope']);
    assert.equal(taskNamed(after, 'g1').state, 'done');
  });

  it('is installed by ASYNC_TRACE_DEBUG=1 as globalThis.__asyncTraceSnapshot, with getStack() across awaited tasks', () => {
    const program = `
      import { createTask, Lock, run, sleep } from ${JSON.stringify(path.join(__dirname, '../../runtime/index.ts'))};
      run(async () => {
        const lock = new Lock({ name: 'gate' });
        await lock.acquire();
        const inner = createTask(async () => { await lock.acquire(); }, { name: 'inner' });
        const outer = createTask(async () => { await inner; }, { name: 'outer' });
        await sleep(1);
        const s = JSON.parse((globalThis as any).__asyncTraceSnapshot());
        console.log(JSON.stringify(s.tasks.find((t: any) => t.name === 'outer').stack.map((e: any) => [e.taskName, e.kind])));
        lock.release(); await outer;
        console.log(typeof (globalThis as any).__asyncTraceSnapshot);
      });`;
    const dir = mkdtempSync(path.join(tmpdir(), 'atrace-snap-'));
    writeFileSync(path.join(dir, 'p.ts'), program);
    const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['--import', require.resolve('tsx'), path.join(dir, 'p.ts')], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
    const on = run({ ASYNC_TRACE_DEBUG: '1' });
    assert.equal(on.status, 0, on.stderr);
    assert.equal(on.stdout, '[["outer","task"],["inner","lock"]]\nfunction\n');
    const off = run({ ASYNC_TRACE_DEBUG: '' });
    assert.notEqual(off.status, 0, 'without the variable there is no snapshot function');
    assert.match(off.stderr, /__asyncTraceSnapshot is not a function/);
    rmSync(dir, { recursive: true, force: true });
  });
});
