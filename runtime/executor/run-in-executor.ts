/**
 * `runInExecutor` and `toThread`: run blocking work on an executor and await it as a
 * traced wait. Both return the job's Future, whose id is the job id and whose await kind
 * is 'executor', so a task awaiting it is reported exactly as `awaitOn(future, 'executor',
 * jobId)` would report it, and gather/wait/asCompleted/cancel treat it as the Future it is.
 * Cancelling the awaiting task cancels the job's future: a queued job is dropped, a
 * running job runs to completion and its result is discarded.
 *
 * The default executor (`null`) is one ThreadPoolExecutor per process, created on first
 * use; `shutdownDefaultExecutor()` ends it (the loop's `run()` calls it on exit).
 * `loop.runInExecutor` and `loop.shutdownDefaultExecutor` call into here (the loop
 * imports this module; nothing is registered on import).
 */
import type { Future } from '../future';
import type { EventLoop } from '../loop';
import { hooks } from '../instrument';
import { takeSite } from '../sites';
import type { ExecutorFn } from './fn-spec';
import { ThreadPoolExecutor, type PoolExecutor } from './pool';

let defaultExecutor: ThreadPoolExecutor | undefined;

/** The process-wide default thread pool, started on first use. */
export function getDefaultExecutor(): ThreadPoolExecutor {
  defaultExecutor ??= new ThreadPoolExecutor();
  return defaultExecutor;
}

/** Shuts the default thread pool down (if it was started); the next use starts a new one. */
export async function shutdownDefaultExecutor(wait = true): Promise<void> {
  const ex = defaultExecutor;
  defaultExecutor = undefined;
  if (ex) await ex.shutdown(wait);
}

/**
 * Runs `fn(...args)` on `executor` (`null`: the default thread pool); the returned Future
 * settles with its result. `fn` is a self-contained function, sent as source, or a
 * `{ module, export }` reference; arguments and result cross by structured clone.
 * Awaiting the Future is the traced wait: awaitBegin(task, 'executor', jobId), and a
 * cancel of the awaiting task cancels it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the function's own parameters
export function runInExecutor<A extends any[], R>(
  executor: PoolExecutor | null,
  fn: ((...args: A) => R) | ExecutorFn,
  ...args: A
): Future<Awaited<R>> {
  const site = hooks.on ? takeSite() : 0;
  return (executor ?? getDefaultExecutor()).submitJob<Awaited<R>>(fn as ExecutorFn, args, site).future;
}

/** `runInExecutor(null, fn, ...args)`: asyncio's `to_thread`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors the function's own parameters
export function toThread<A extends any[], R>(fn: ((...args: A) => R) | ExecutorFn, ...args: A): Future<Awaited<R>> {
  const site = hooks.on ? takeSite() : 0;
  return getDefaultExecutor().submitJob<Awaited<R>>(fn as ExecutorFn, args, site).future;
}

function isPool(x: unknown): x is PoolExecutor {
  return typeof x === 'object' && x !== null && typeof (x as PoolExecutor).submitJob === 'function';
}

/** @internal `loop.runInExecutor(executor, fn, ...args)`: the job settles on `loop`. */
export function runInExecutorOf(loop: EventLoop, executor: unknown, fn: unknown, args: unknown[]): Future<unknown> {
  if (executor !== null && executor !== undefined && !isPool(executor)) {
    throw new TypeError('runInExecutor: executor must be a ThreadPoolExecutor, a ProcessPoolExecutor or null');
  }
  const ex = (executor as PoolExecutor | null | undefined) ?? getDefaultExecutor();
  return ex.submitJob(fn as ExecutorFn, args, hooks.on ? takeSite() : 0, loop).future;
}

/** @internal whether the default executor was started (run() shuts it down only then). */
export function hasDefaultExecutor(): boolean {
  return defaultExecutor !== undefined;
}
