/**
 * Helpers that the build-time site plugin (bundler/site-plugin.ts) calls from the user's
 * code. Internal: exported from index.ts as `__asyncTraceMarks`, never used by hand.
 *
 * What the plugin emits:
 * - for `await EXPR`:  `await m.aw(m.pre(SITE), EXPR)`. `pre` runs before EXPR is
 *   evaluated (argument order), so when EXPR is a call of the user's own async function,
 *   the await of that call is known to begin before the awaits made inside it: the
 *   nesting `main → await fetchPage() → await sleep()` comes out exact.
 * - for a runtime call `f(a, b)`: `m.q(f(a, m.p(SITE, b)))` (or `m.q((m.s(SITE), f()))`
 *   without arguments): the site is pending exactly while `f` runs and cleared after.
 *
 * How an await is attributed:
 * - `pre` makes the site pending (setPendingSite), so a runtime operation inside EXPR
 *   (`await sleep(1)`, `await lock.acquire()`) takes it and reports the await itself.
 * - The await of a plain promise is reported here as kind 'promise' (target 0), and
 *   only when hooks are on and a task is current. Its begin is deferred until it is
 *   known not to be a runtime await: either another mark runs inside EXPR (then EXPR is
 *   user code that awaits: the outer span must begin first), or `aw` finds the site
 *   still pending (nothing in EXPR took it: `fetch()`, `fs.promises...`).
 * - A runtime Future (or Task) as the value: `aw` subscribes the running task to it at
 *   once, with this site (the task's own await path: cancellation, awaitBegin, wake), and
 *   `await` gets the native promise that path returns. Without marks the same happens a
 *   microtask later, when `await` calls the future's `then`.
 */
import { CancelledError } from './errors';
import { hooks } from './instrument';
import { taskStorage, type RunningTask } from './current';
import { isFuture, type Future } from './future';
import { registerSites, setPendingSite, stackCaptureEnabled, takeSite } from './sites';

/** One await mark in flight: created by `pre`, settled by `aw`. */
interface Mark {
  site: number;
  task: RunningTask;
  begun: boolean;
}

/** The innermost mark whose operand is being evaluated and whose begin is deferred. */
let deferred: Mark | undefined;

function begin(m: Mark): void {
  m.begun = true;
  if (hooks.on) hooks.awaitBegin(m.task.id, 'promise', 0, m.site);
}

function outcomeOf(err: unknown): 'error' | 'cancelled' {
  return err instanceof CancelledError ? 'cancelled' : 'error';
}

/** Before an await's operand: make the site pending and start a (deferred) mark. */
function pre(site: number): Mark | undefined {
  if (!hooks.on) return undefined;
  const task = taskStorage.getStore();
  // A mark running while an outer one of the same task is deferred: the outer operand is
  // user code that awaits, so the outer await is a plain-promise await and begins first.
  if (deferred !== undefined && !deferred.begun && task !== undefined && deferred.task === task) begin(deferred);
  setPendingSite(site);
  if (task === undefined) return undefined;
  const m: Mark = { site, task, begun: false };
  deferred = m;
  return m;
}

/** Whether `site` is still pending (nobody took it), clearing it either way. */
function stillPending(site: number): boolean {
  // With stack capture on, takeSite would capture a stack when nothing is pending; marked
  // programs run without it, so this only reads and clears the pending site.
  if (stackCaptureEnabled()) return false;
  return takeSite() === site;
}

/** After the operand: decide who reports this await and return what to await. */
function aw<T>(m: Mark | undefined, value: T): T | PromiseLike<Awaited<T>> {
  if (m === undefined) return value;
  if (deferred === m) deferred = undefined;
  if (!m.begun) {
    const pending = stillPending(m.site);
    if (isFuture(value)) {
      // Subscribe the task now, inside its step, rather than when `await` calls `then` a
      // microtask later: the await begins (and the running slice ends) where it is
      // written, and `await` gets a native promise (no thenable job).
      const fut = value as unknown as Future<Awaited<T>>;
      return m.task._awaitFuture(fut, fut._kind, fut.id, m.site);
    }
    if (!pending) return value; // a runtime operation inside the operand reported it
    begin(m);
  }
  const task = m.task;
  const taskId = task.id;
  // The task suspends at this await: its running slice ends here and starts again when
  // the promise settles (a task waiting on fetch() or a timer is not running). An
  // operand that awaited inside (user code) already ended the slice at its own await.
  task._endSlice();
  return Promise.resolve(value).then(
    (v) => {
      if (hooks.on) {
        hooks.awaitEnd(taskId, 0, 'ok');
        task._beginSlice();
      }
      return v;
    },
    (err: unknown) => {
      if (hooks.on) {
        hooks.awaitEnd(taskId, 0, outcomeOf(err));
        task._beginSlice();
      }
      throw err;
    },
  );
}

/** Before a runtime call's last argument is passed: make the site pending. */
function p<T>(site: number, lastArg: T): T {
  if (hooks.on) setPendingSite(site);
  return lastArg;
}

/** Before a runtime call without arguments. */
function s(site: number): void {
  if (hooks.on) setPendingSite(site);
}

/** After a runtime call: a site it did not take must not leak to a later operation. */
function q<T>(result: T): T {
  if (hooks.on && !stackCaptureEnabled()) takeSite();
  return result;
}

/** Registers a module's sites once; returns the base id. */
function reg(sites: readonly string[]): number {
  return registerSites(sites);
}

export const awaitMarks = { pre, aw, p, s, q, reg } as const;
