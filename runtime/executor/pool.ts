/**
 * The worker pool behind ThreadPoolExecutor and ProcessPoolExecutor.
 *
 * Invariants:
 * - A job is in exactly one place: the FIFO `queue`, one worker slot's `job`, or finished.
 *   Every job reports jobSubmitted once, jobStarted at most once (when sent to a worker),
 *   and jobFinished exactly once.
 * - Workers start lazily, at most `maxWorkers`; a slot keeps its index for the life of
 *   the pool, so "worker N" in a trace is stable even when a crashed worker is replaced.
 * - Worker messages and exits arrive from Node's event loop, outside the runtime loop's
 *   callbacks, so futures are settled through `loop.callSoonThreadsafe`.
 * - A job whose future was cancelled while queued never starts. A job already running
 *   runs to completion on its worker (JavaScript cannot interrupt a running function);
 *   its result is discarded and the worker takes the next job.
 *
 * Why not piscina or another pool library: the pool has to report each job's worker
 * index to the tracer, run the same protocol over threads and child processes, and start
 * workers from shipped source when there is no built worker file; those needs are most of
 * the code, and the queueing that remains is a few lines.
 */
import { availableParallelism } from 'node:os';
import type { EventLoop } from '../loop';
import { getRunningLoop } from '../running-loop';
import type { Future } from '../future';
import { hooks, nextId } from '../instrument';
import { takeSite } from '../sites';
import type { Outcome } from '../instrument-types';
import type { FnSpec, FromWorker } from './protocol';
import { fnName, fromWire, toFnSpec, type ExecutorFn } from './fn-spec';
import { startWorker, type WorkerHandle, type WorkerKind } from './worker-handle';
import { bundledWorkerFile } from './worker-source';

/** A worker died (crashed, exited, was killed) while it ran a job. The pool stays usable. */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

/** Submitting to an executor that has been shut down. */
export class ExecutorShutDownError extends Error {
  override name = 'ExecutorShutDownError';
}

export interface ExecutorOptions {
  /** How many workers at most; threads default to min(32, cores + 4), processes to the core count. */
  maxWorkers?: number;
  /**
   * A worker entry file to start instead of the built-in one: the bundled runtime uses
   * dist/runtime/worker.js automatically; from source, workers run from shipped source.
   */
  workerScript?: string;
}

interface Job {
  readonly id: number;
  readonly spec: FnSpec;
  readonly name: string;
  readonly args: readonly unknown[];
  readonly loop: EventLoop;
  readonly future: Future<unknown>;
  /** jobFinished has been reported (exactly once per job). */
  reported: boolean;
}

interface Slot {
  readonly index: number;
  readonly handle: WorkerHandle;
  job: Job | undefined;
  alive: boolean;
}

/** A job handed out by `submitJob`: its id (the trace's target id) and its future. */
export interface SubmittedJob<T> {
  readonly jobId: number;
  readonly future: Future<T>;
}

export abstract class PoolExecutor {
  /** This executor's id in the trace (jobSubmitted's executorId). */
  readonly id: number = nextId();
  readonly maxWorkers: number;
  private readonly slots: (Slot | undefined)[];
  private readonly queue: Job[] = [];
  private readonly workerScript: string | undefined;
  private shuttingDown = false;
  private idleWaiters: (() => void)[] = [];

  protected constructor(private readonly kind: WorkerKind, options: ExecutorOptions | undefined, defaultMax: number) {
    const max = options?.maxWorkers ?? defaultMax;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxWorkers must be a positive integer, got ${max}`);
    this.maxWorkers = max;
    this.slots = new Array<Slot | undefined>(max).fill(undefined);
    this.workerScript = options?.workerScript ?? bundledWorkerFile();
  }

  /**
   * Runs `fn(...args)` on a worker; the returned Future settles with its result. Must be
   * called on a running loop. Awaiting it is traced as an 'executor' wait on the job.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the function's own parameters
  submit<A extends any[], R>(fn: ((...args: A) => R) | ExecutorFn, ...args: A): Future<Awaited<R>> {
    return this.submitJob<Awaited<R>>(fn as ExecutorFn, args, hooks.on ? takeSite() : 0).future;
  }

  /** `submit` with the job id exposed (the job id is the future's id). */
  submitJob<T>(fn: ExecutorFn, args: readonly unknown[], site: number, onLoop?: EventLoop): SubmittedJob<T> {
    if (this.shuttingDown) throw new ExecutorShutDownError('cannot submit to an executor after shutdown()');
    const spec = toFnSpec(fn);
    const loop = onLoop ?? getRunningLoop();
    const future = loop.createFuture<unknown>();
    // The job is its future: awaiting it is reported as an 'executor' wait on the job id,
    // exactly as awaitOn(future, 'executor', jobId) would, and gather/wait/cancel see a Future.
    future._kind = 'executor';
    const job: Job = { id: future.id, spec, name: fnName(spec), args, loop, future, reported: false };
    if (hooks.on) hooks.jobSubmitted(job.id, this.id, job.name, site);
    future.addDoneCallback(() => {
      if (future.cancelled()) this.dropQueued(job);
    });
    this.queue.push(job);
    this.dispatch();
    return { jobId: job.id, future: future as Future<T> };
  }

  /**
   * Stops accepting jobs. With `wait` (the default) the returned promise settles once
   * every submitted job has finished and the workers have exited; without it, queued jobs
   * are cancelled, running ones finish, and workers exit after them.
   */
  async shutdown(wait = true): Promise<void> {
    this.shuttingDown = true;
    if (!wait) {
      for (const job of this.queue.splice(0)) this.cancelQueued(job);
    }
    const drained = this.whenIdle();
    if (!wait) {
      void drained.then(() => this.terminateAll());
      return;
    }
    await drained;
    await this.terminateAll();
  }

  /** `await using pool = new ThreadPoolExecutor()`: shuts down (waiting) at scope exit, like asyncio's `with`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown(true);
  }

  /** How many workers are running now (started and not exited). */
  workerCount(): number {
    return this.slots.filter((s) => s?.alive).length;
  }

  private whenIdle(): Promise<void> {
    if (this.queue.length === 0 && this.slots.every((s) => !s?.job)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || this.queue.length > 0 || this.slots.some((s) => s?.job)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async terminateAll(): Promise<void> {
    const live = this.slots.filter((s): s is Slot => s !== undefined && s.alive);
    for (const s of live) s.alive = false;
    await Promise.all(live.map((s) => s.handle.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.idleSlot();
      if (!slot) return;
      const job = this.queue.shift()!;
      if (job.future.done()) { // cancelled before its done callback ran
        this.report(job, 'cancelled', 'cancelled before it started');
        continue;
      }
      try {
        slot.handle.send({ type: 'run', jobId: job.id, fn: job.spec, args: job.args });
      } catch (e) {
        // Typically an argument that structured clone cannot copy: the job fails, the worker stays idle.
        const err = e instanceof Error ? e : new Error(String(e));
        this.finish(job, 'error', err.message, (f) => f.setException(err));
        continue;
      }
      slot.job = job;
      slot.handle.ref();
      if (hooks.on) hooks.jobStarted(job.id, slot.index);
    }
  }

  /** An alive worker without a job, starting one in a free slot if needed. */
  private idleSlot(): Slot | undefined {
    for (const s of this.slots) if (s && s.alive && !s.job) return s;
    const free = this.slots.findIndex((s) => !s || !s.alive);
    if (free < 0) return undefined;
    return this.startSlot(free);
  }

  private startSlot(index: number): Slot {
    // `ref.slot` is set before any event can arrive: events come from later turns.
    const ref: { slot?: Slot } = {};
    const handle = startWorker(this.kind, this.workerScript, {
      message: (msg) => { if (ref.slot) this.onMessage(ref.slot, msg); },
      exit: (reason) => { if (ref.slot) this.onExit(ref.slot, reason); },
    });
    const slot: Slot = { index, handle, job: undefined, alive: true };
    ref.slot = slot;
    this.slots[index] = slot;
    return slot;
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    const job = slot.job;
    if (!job || msg.type !== 'done' || msg.jobId !== job.id) return;
    slot.job = undefined;
    slot.handle.unref();
    if (msg.ok) {
      this.finish(job, 'ok', '', (f) => f.setResult(msg.value));
    } else {
      const err = fromWire(msg.error, job.id, slot.index);
      this.finish(job, 'error', err.message, (f) => f.setException(err));
    }
    this.dispatch();
    this.checkIdle();
  }

  private onExit(slot: Slot, reason: string): void {
    const wasAlive = slot.alive;
    slot.alive = false;
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      const err = new WorkerCrashedError(
        `${this.kind} worker ${slot.index} ${reason} while running job ${job.id} ("${job.name}"); ` +
        'the job is lost, the pool replaces the worker');
      this.finish(job, 'error', err.message, (f) => f.setException(err));
    }
    if (wasAlive) this.dispatch();
    this.checkIdle();
  }

  private finish(job: Job, outcome: Outcome, message: string, settle: (f: Future<unknown>) => void): void {
    this.report(job, outcome, message);
    const { future, loop } = job;
    if (future.done() || loop.isClosed()) return; // cancelled meanwhile: the result is discarded
    loop.callSoonThreadsafe(() => { if (!future.done()) settle(future); });
  }

  private report(job: Job, outcome: Outcome, message: string): void {
    if (job.reported) return;
    job.reported = true;
    if (hooks.on) hooks.jobFinished(job.id, outcome, message);
  }

  private dropQueued(job: Job): void {
    const i = this.queue.indexOf(job);
    if (i < 0) return;
    this.queue.splice(i, 1);
    this.report(job, 'cancelled', 'cancelled before it started');
    this.checkIdle();
  }

  private cancelQueued(job: Job): void {
    this.report(job, 'cancelled', 'cancelled by shutdown(false)');
    if (!job.future.done() && !job.loop.isClosed()) {
      job.loop.callSoonThreadsafe(() => { if (!job.future.done()) job.future.cancel('executor shut down'); });
    }
  }
}

/** Runs jobs on `worker_threads`. Functions are shipped as source; see docs/executors.md. */
export class ThreadPoolExecutor extends PoolExecutor {
  constructor(options?: ExecutorOptions) {
    super('thread', options, Math.min(32, availableParallelism() + 4));
  }
}

/** Runs jobs on child processes (`node` with an IPC channel, structured-clone serialization). */
export class ProcessPoolExecutor extends PoolExecutor {
  constructor(options?: ExecutorOptions) {
    super('process', options, availableParallelism());
  }
}
