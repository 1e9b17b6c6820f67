/**
 * Shared by the sync-* and queue-* conformance suites: run a test body on a loop with
 * the virtual clock, and let every other task run until all are blocked (`idle()`),
 * the deterministic equivalent of CPython's `test_utils.run_briefly`.
 */
import { run, sleep, createTask, type Task } from '../../runtime';

/** Runs `main` as the root task of a new loop on the virtual clock. */
export function runV<T>(main: () => Promise<T>): Promise<T> {
  return run(main, { virtualTime: true });
}

/**
 * Returns once every other task is blocked: a timer never fires before the ready queue
 * is empty, and the virtual clock jumps to it at once.
 */
export async function idle(): Promise<void> {
  await sleep(1);
}

/** Starts `fn` as a task and records its settled outcome. */
export function spawn<T>(fn: () => Promise<T>, name?: string): Task<T> {
  return name === undefined ? createTask(fn) : createTask(fn, { name });
}

/** A task (a thenable) as a native promise, for `assert.rejects`. */
export function asPromise<T>(t: PromiseLike<T>): Promise<T> {
  return Promise.resolve(t);
}
