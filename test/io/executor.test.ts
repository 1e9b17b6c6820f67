// Executors against real worker threads and child processes: results, errors with the
// worker's stack, closures, crashes, cancellation, parallelism, and the job hooks.
import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import {
  run, gather, sleep, createTask, getRunningLoop, CancelledError, isFuture,
  ThreadPoolExecutor, ProcessPoolExecutor, WorkerCrashedError, ExecutorShutDownError,
  runInExecutor, toThread, shutdownDefaultExecutor,
} from '../../runtime';
import { record } from './record';

const fixture = path.join(__dirname, 'fixtures', 'work.mts');
const cjsFixture = path.join(__dirname, 'fixtures', 'count.cjs');

/** Blocks the worker's thread for `ms` (the seed's time.sleep), then returns `tag`. */
function blockFor(ms: number, tag: string): string {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return tag;
}

describe('executors', function () {
  let pool: ThreadPoolExecutor;
  beforeEach(() => { pool = new ThreadPoolExecutor({ maxWorkers: 2 }); });
  afterEach(async () => { await pool.shutdown(true); });
  after(async () => { await shutdownDefaultExecutor(); });

  it('runs a self-contained function on a worker thread and returns its result by structured clone', async () => {
    const out = await run(() => runInExecutor(pool, (m: Map<string, number>, d: Date, bytes: Uint8Array) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- require() is what a shipped function has
      const { isMainThread } = require('node:worker_threads');
      return { sum: [...m.values()].reduce((a, b) => a + b, 0), year: d.getUTCFullYear(), len: bytes.length, isMainThread };
    }, new Map([['a', 1], ['b', 2]]), new Date(Date.UTC(2001, 0, 1)), new Uint8Array(5)));
    assert.deepEqual(out, { sum: 3, year: 2001, len: 5, isMainThread: false });
  });

  it('runs real code through a { module, export } reference (TypeScript and CommonJS)', async () => {
    const [fib, desc, words] = await run(() => gather([
      runInExecutor(pool, { module: fixture, export: 'fib' }, 20),
      runInExecutor(pool, { module: fixture, export: 'describe' }, 'x'),
      runInExecutor(pool, { module: cjsFixture, export: 'count' }, 'one two  three'),
    ]));
    assert.equal(fib, 6765);
    assert.match(desc as string, new RegExp(`^x on thread [1-9]\\d* of pid ${process.pid}$`));
    assert.equal(words, 3);
  });

  it('keeps running the right function after its worker evicted compiled sources (300 distinct sources, cache of 256)', async () => {
    const one = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      const fns = Array.from({ length: 300 }, (_, i) => new Function('x', `return x * ${i};`) as (x: number) => number);
      const out = await run(async () => {
        const results: number[] = [];
        for (const f of fns) results.push(await runInExecutor(one, f, 2));
        // The first sources were evicted by now; they compile again, to the same results.
        for (const f of fns.slice(0, 20)) results.push(await runInExecutor(one, f, 3));
        return results;
      });
      assert.deepEqual(out.slice(0, 300), fns.map((_, i) => 2 * i));
      assert.deepEqual(out.slice(300), fns.slice(0, 20).map((_, i) => 3 * i));
    } finally {
      await one.shutdown(true);
    }
  });

  it('explains, naming the function, when a function used a closure', async () => {
    const factor = 3;
    const err = await run(async () => {
      try {
        await runInExecutor(pool, function triple(x: number) { return x * factor; }, 2);
        return undefined;
      } catch (e) { return e as Error; }
    });
    assert.ok(err instanceof ReferenceError);
    assert.match(err.message, /factor is not defined/);
    assert.match(err.message, /"triple"/);
    assert.match(err.message, /closures/);
  });

  it('re-raises an error thrown in the worker in the awaiting task, with the worker stack', async () => {
    const err = await run(async () => {
      try {
        await runInExecutor(pool, function checkAge(age: number) {
          if (age < 0) throw new RangeError(`negative age ${age}`);
          return age;
        }, -1);
        return undefined;
      } catch (e) { return e as Error; }
    });
    assert.ok(err instanceof RangeError);
    assert.equal(err.message, 'negative age -1');
    assert.match(err.stack!, /at checkAge/);
    assert.match(err.stack!, /<executor job \d+ on worker [01]>/);
    const fromModule = await run(async () => {
      try { await runInExecutor(pool, { module: fixture, export: 'fail' }, 'boom'); return undefined; } catch (e) { return e as Error; }
    });
    assert.ok(fromModule instanceof RangeError);
    assert.match(fromModule.stack!, /work\.mts/);
  });

  it('fails the job of a worker that crashes with a clear error and keeps the pool usable', async () => {
    const [err, after] = await run(async () => {
      let caught: unknown;
      try { await runInExecutor(pool, function dieHard() { process.exit(3); }); } catch (e) { caught = e; }
      const next = await gather([runInExecutor(pool, (x: number) => x + 1, 1), runInExecutor(pool, (x: number) => x + 2, 1)]);
      return [caught as Error, next] as const;
    });
    assert.ok(err instanceof WorkerCrashedError);
    assert.match(err.message, /thread worker [01] exited with code 3 while running job \d+ \("dieHard"\)/);
    assert.deepEqual(after, [2, 3]);
  });

  it('cancels the awaiting task; a queued job never starts, a running job finishes and its result is discarded', async () => {
    const one = new ThreadPoolExecutor({ maxWorkers: 1 });
    const rec = record(['jobStarted', 'jobFinished', 'jobSubmitted']);
    try {
      const result = await run(async () => {
        const running = createTask(() => runInExecutor(one, blockFor, 150, 'running'));
        const queued = createTask(() => runInExecutor(one, blockFor, 150, 'queued'));
        // Both jobs are submitted once the tasks have started.
        while (rec.of('jobSubmitted').length < 2) await sleep(0);
        running.cancel();
        queued.cancel();
        const outcomes = await gather([running, queued], { returnExceptions: true });
        const later = await runInExecutor(one, (x: string) => x.toUpperCase(), 'still usable');
        return { outcomes, later, runningCancelled: running.cancelled(), queuedCancelled: queued.cancelled() };
      });
      assert.ok(result.outcomes.every((o) => o instanceof CancelledError));
      assert.ok(result.runningCancelled && result.queuedCancelled);
      assert.equal(result.later, 'STILL USABLE');
      const [runningId, queuedId] = rec.of('jobSubmitted').map((c) => c[0]);
      assert.deepEqual(rec.of('jobStarted').map((c) => c[0]).slice(0, 1), [runningId]);
      assert.ok(!rec.of('jobStarted').some((c) => c[0] === queuedId), 'the queued job never started');
      assert.deepEqual(rec.of('jobFinished').find((c) => c[0] === queuedId), [queuedId, 'cancelled', 'cancelled before it started']);
      // The running job ran to completion on its worker before the next job could start.
      assert.deepEqual(rec.of('jobFinished').find((c) => c[0] === runningId)?.slice(0, 2), [runningId, 'ok']);
    } finally {
      rec.stop();
      await one.shutdown();
    }
  });

  it('runs a blocking function on two workers in about the time of one', async () => {
    const { serial, parallel, tags } = await run(async () => {
      const loop = getRunningLoop();
      // Start both workers first so that start-up time is not measured.
      await gather([runInExecutor(pool, blockFor, 1, 'a'), runInExecutor(pool, blockFor, 1, 'b')]);
      let t0 = loop.time();
      await runInExecutor(pool, blockFor, 300, 's1');
      await runInExecutor(pool, blockFor, 300, 's2');
      const serialMs = loop.time() - t0;
      t0 = loop.time();
      const both = await gather([runInExecutor(pool, blockFor, 300, 'p1'), runInExecutor(pool, blockFor, 300, 'p2')]);
      return { serial: serialMs, parallel: loop.time() - t0, tags: both };
    });
    assert.deepEqual(tags, ['p1', 'p2']);
    assert.ok(parallel < serial * 0.75, `two blocking jobs on two workers took ${parallel} ms, serially ${serial} ms`);
  });

  it('reports jobSubmitted, jobStarted on worker N, jobFinished, and the task awaits the job', async () => {
    const rec = record(['jobSubmitted', 'jobStarted', 'jobFinished', 'awaitBegin', 'awaitEnd']);
    try {
      await run(async () => {
        await runInExecutor(pool, function square(x: number) { return x * x; }, 4);
        try { await runInExecutor(pool, function nope() { throw new Error('no'); }); } catch { /* reported */ }
      });
    } finally { rec.stop(); }
    const submitted = rec.of('jobSubmitted');
    assert.equal(submitted.length, 2);
    const [sq, no] = submitted;
    assert.equal(sq![1], pool.id);
    assert.equal(sq![2], 'square');
    assert.equal(no![2], 'nope');
    const started = rec.of('jobStarted');
    assert.deepEqual(started.map((c) => c[0]), [sq![0], no![0]]);
    assert.ok(started.every((c) => c[1] === 0 || c[1] === 1));
    assert.deepEqual(rec.of('jobFinished'), [[sq![0], 'ok', ''], [no![0], 'error', 'no']]);
    const waits = rec.of('awaitBegin').filter((c) => c[1] === 'executor');
    assert.deepEqual(waits.map((c) => c[2]), [sq![0], no![0]]);
    assert.ok(rec.of('awaitEnd').some((c) => c[1] === sq![0] && c[2] === 'ok'));
    assert.ok(rec.of('awaitEnd').some((c) => c[1] === no![0] && c[2] === 'error'));
    // Order per job: submitted, started, finished.
    const order = rec.calls.filter((c) => c[1] === sq![0] && c[0].startsWith('job')).map((c) => c[0]);
    assert.deepEqual(order, ['jobSubmitted', 'jobStarted', 'jobFinished']);
  });

  it('fails the running job when its worker dies of an error thrown outside the job', async () => {
    const err = await run(async () => {
      try {
        await runInExecutor(pool, function leaky() {
          setTimeout(() => { throw new TypeError('late failure'); }, 0);
          return new Promise(() => {}); // never settles: the stray error kills the worker first
        });
        return undefined;
      } catch (e) { return e as Error; }
    });
    assert.ok(err instanceof WorkerCrashedError);
    assert.match(err.message, /threw TypeError: late failure outside any job while running job \d+ \("leaky"\)/);
  });

  it('shutdown(false) cancels queued jobs and lets the running one finish', async () => {
    const one = new ThreadPoolExecutor({ maxWorkers: 1 });
    const out = await run(async () => {
      const first = one.submit(blockFor, 50, 'first');
      const second = one.submit(blockFor, 50, 'second');
      await one.shutdown(false);
      const firstValue = await first;
      let secondErr: unknown;
      try { await second; } catch (e) { secondErr = e; }
      return { firstValue, secondErr, secondCancelled: second.cancelled() };
    });
    assert.equal(out.firstValue, 'first');
    assert.ok(out.secondErr instanceof CancelledError);
    assert.equal(out.secondCancelled, true);
  });

  it('rejects a result that cannot be cloned with the clone error', async () => {
    const err = await run(async () => {
      try { await runInExecutor(pool, () => ({ f: () => 1 })); return undefined; } catch (e) { return e as Error; }
    });
    assert.ok(err instanceof Error);
    assert.match(err.message, /could not be cloned/);
  });

  it('fails a job whose argument cannot be cloned, and the worker stays usable', async () => {
    const [err, next] = await run(async () => {
      let caught: unknown;
      try { await runInExecutor(pool, (f: () => number) => typeof f, () => 1); } catch (e) { caught = e; }
      return [caught as Error, await runInExecutor(pool, (x: number) => x * 2, 4)] as const;
    });
    assert.match(err.message, /could not be cloned/);
    assert.equal(next, 8);
  });

  it('shutdown(wait) waits for running jobs, then refuses new ones', async () => {
    const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
    const [value, refused] = await run(async () => {
      const fut = ex.submit(blockFor, 50, 'done');
      await ex.shutdown(true);
      assert.ok(fut.done(), 'the job finished before shutdown resolved');
      let e: unknown;
      try { ex.submit(blockFor, 1, 'late'); } catch (x) { e = x; }
      return [await fut, e];
    });
    assert.equal(value, 'done');
    assert.ok(refused instanceof ExecutorShutDownError);
    assert.equal(ex.workerCount(), 0);
  });

  it('shuts down at the end of an `await using` scope', async () => {
    let escaped: ThreadPoolExecutor | undefined;
    const value = await run(async () => {
      await using scoped = new ThreadPoolExecutor({ maxWorkers: 1 });
      escaped = scoped;
      return await runInExecutor(scoped, () => 'in scope');
    });
    assert.equal(value, 'in scope');
    assert.equal(escaped!.workerCount(), 0);
    assert.throws(() => escaped!.submit(() => 1), ExecutorShutDownError);
  });

  it('run() shuts the default executor down in a named last task only when the program used it', async () => {
    const shutdownTasks = async (body: () => PromiseLike<unknown>): Promise<number> => {
      const rec = record(['taskCreated']);
      try {
        await run(body);
      } finally {
        rec.stop();
      }
      return rec.of('taskCreated').filter((c) => c[2] === 'run: shut down default executor').length;
    };
    assert.equal(await shutdownTasks(async () => 1), 0, 'no executor, no shutdown task in the trace');
    assert.equal(await shutdownTasks(() => toThread((x: number) => x + 1, 1)), 1);
    // It was shut down: the next use starts a fresh pool and a program still ends by itself.
    assert.equal(await run(() => toThread((x: number) => x * 3, 3)), 9);
  });

  it('toThread and loop.runInExecutor(null) use the default thread pool', async () => {
    const [a, b] = await run(async () => {
      const loop = getRunningLoop();
      const fromLoop = loop.runInExecutor(null, (n: number) => n * 2, 21);
      assert.ok(isFuture(fromLoop), 'loop.runInExecutor returns the job Future, as asyncio does');
      return [await toThread((s: string) => s.length, 'four'), await fromLoop];
    });
    assert.equal(a, 4);
    assert.equal(b, 42);
  });

  it('lets a program that used both pools exit by itself when its work is done', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'standalone.ts')], { timeout: 15000 });
    assert.equal(stdout.trim(), '[42,"hi!",2]');
  });

  describe('ProcessPoolExecutor', () => {
    let procs: ProcessPoolExecutor;
    beforeEach(() => { procs = new ProcessPoolExecutor({ maxWorkers: 2 }); });
    afterEach(async () => { await procs.shutdown(true); });

    it('runs functions and module references in child processes', async () => {
      const [pid, fib] = await run(() => gather([
        runInExecutor(procs, () => process.pid),
        runInExecutor(procs, { module: fixture, export: 'fib' }, 15),
      ]));
      assert.equal(typeof pid, 'number');
      assert.notEqual(pid, process.pid);
      assert.equal(fib, 610);
    });

    it('fails the job of a process that dies and replaces it', async () => {
      const [err, pid] = await run(async () => {
        let caught: unknown;
        try { await runInExecutor(procs, function killSelf() { process.kill(process.pid, 'SIGKILL'); }); } catch (e) { caught = e; }
        return [caught as Error, await runInExecutor(procs, () => process.pid)] as const;
      });
      assert.ok(err instanceof WorkerCrashedError);
      assert.match(err.message, /process worker [01] was killed by SIGKILL while running job \d+ \("killSelf"\)/);
      assert.notEqual(pid, process.pid);
    });
  });

  describe('the bundled worker entry (dist/runtime/worker.js)', () => {
    let dir: string;
    let script: string;
    before(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'atrace-worker-'));
      script = path.join(dir, 'worker.js');
      await build({
        entryPoints: [path.join(__dirname, '../../runtime/executor/worker-main.ts')],
        bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'error',
      });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('runs jobs as a worker thread and as a child process', async () => {
      const threads = new ThreadPoolExecutor({ maxWorkers: 1, workerScript: script });
      const procs = new ProcessPoolExecutor({ maxWorkers: 1, workerScript: script });
      try {
        const [a, b] = await run(() => gather([
          runInExecutor(threads, (x: number) => x * 10, 4),
          runInExecutor(procs, (x: number) => x * 100, 4),
        ]));
        assert.deepEqual([a, b], [40, 400]);
      } finally {
        await threads.shutdown();
        await procs.shutdown();
      }
    });
  });
});
