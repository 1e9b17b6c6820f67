/**
 * A task's first step: its body runs synchronously to its first await, inside the task's
 * context (task.ts startTask), and whatever it returned is settled into the task. This is
 * most of what spawn+join costs beyond its floor (one AsyncLocalStorage.run per task), so
 * the settling takes the cheapest path the engine offers, measured per engine
 * (bench/RESULTS.md, issue 14):
 * - a native promise, where AsyncLocalStorage rides on promise hooks (Node 20): two
 *   shared reactions, which find their task as the current one (a reaction runs in the
 *   context its `then` was called in). An async frame costs a promise, a generator and
 *   the hooks' bookkeeping for each.
 * - anything else, or with AsyncContextFrame (Node 24, where the current task is a Map
 *   lookup and an await is as cheap as a `then`): one async frame that awaits it. A
 *   foreign thenable may call back from anywhere, so its reactions cannot ask who is
 *   current; a returned Future learns its awaiter from the await.
 */
import { taskStorage } from './current';
import type { Task } from './task';

/** Whether AsyncLocalStorage is built on AsyncContextFrame (Node 24 unless turned off). */
const frameBased = (() => {
  const major = Number(process.versions.node.split('.')[0]);
  const off = (f: string): boolean => process.execArgv.includes(f) || (process.env.NODE_OPTIONS ?? '').includes(f);
  return major >= 24 ? !off('--no-async-context-frame') : off('--experimental-async-context-frame');
})();

/** The body's first step, run inside taskStorage.run(t): `t` is the current task. */
export const firstStep: (t: Task<unknown>) => void = frameBased ? stepAwaiting : stepThen;

/** Native promises settle through shared reactions (see the top); anything else is awaited. */
function stepThen(t: Task<unknown>): void {
  const r = startBody(t);
  if (r === undefined) return;
  if (Object.getPrototypeOf(r) === Promise.prototype) void r.then(bodyFulfilled, bodyRejected);
  else void settle(t, r);
}

/** The step and the settling in one async frame (no second frame for the await). */
async function stepAwaiting(t: Task<unknown>): Promise<void> {
  const r = startBody(t);
  if (r === undefined) return;
  let v: unknown;
  try {
    v = await r;
  } catch (e) {
    t._bodyDone(false, e);
    return;
  }
  t._bodyDone(true, v);
}

/** Runs the body to its first await; what is left to settle, or undefined when it is done (threw or returned a value). */
function startBody(t: Task<unknown>): PromiseLike<unknown> | undefined {
  let r: unknown;
  try {
    r = callBody(t);
  } catch (e) {
    t._bodyDone(false, e);
    return undefined;
  }
  // The body returned to us: it is suspended (or finished synchronously).
  t._endSlice();
  if (isThenable(r)) return r;
  t._bodyDone(true, r);
  return undefined;
}

function isThenable(r: unknown): r is PromiseLike<unknown> {
  return r !== null && (typeof r === 'object' || typeof r === 'function') && typeof (r as PromiseLike<unknown>).then === 'function';
}

function callBody(t: Task<unknown>): unknown {
  const fn = t._fn!;
  const args = t._args!;
  t._fn = null;
  t._args = null;
  t._beginSlice();
  // No spread for the common arities: a spread call costs an iteration of the array.
  return args.length === 0 ? fn() : args.length === 1 ? fn(args[0]) : fn(...args);
}

function bodyFulfilled(v: unknown): void {
  (taskStorage.getStore() as Task<unknown>)._bodyDone(true, v);
}

function bodyRejected(e: unknown): void {
  (taskStorage.getStore() as Task<unknown>)._bodyDone(false, e);
}

async function settle(t: Task<unknown>, r: PromiseLike<unknown>): Promise<void> {
  let v: unknown;
  try {
    v = await r;
  } catch (e) {
    t._bodyDone(false, e);
    return;
  }
  t._bodyDone(true, v);
}
