/**
 * taskGroup: structured concurrency (asyncio's TaskGroup), as a function around a
 * body that runs in the current (parent) task.
 *
 * Invariants: taskGroup() returns only when every child is done. The first child
 * failure aborts the group: the other children are cancelled and the parent task is
 * cancelled once (so a body still running is interrupted at its current await); that
 * cancel is withdrawn with uncancel() at exit, so only an outside cancel propagates as
 * CancelledError. Failures (children first, then the body's) come out together as an
 * ExceptionGroup.
 */
import { CancelledError, ExceptionGroup, RuntimeError } from './errors';
import type { Future } from './future';
import type { EventLoop } from './loop';
import { currentTask, Task, type TaskBody, type TaskOptions } from './task';
import { taskStorage } from './current';

export class TaskGroup {
  /**
   * Children in creation order, done ones dropped in bulk (an array, not a Set: hashing
   * each task in and out cost more than the rest of a spawn, see bench/RESULTS.md).
   */
  private _tasks: Task<unknown>[] = [];
  /** Children whose done-callback has not run yet. */
  private _live = 0;
  /** @internal */ readonly _errors: unknown[] = [];
  /** @internal */ _aborting = false;
  /** @internal */ _exited = false;
  /** @internal */ _parentCancelRequested = false;
  /** @internal */ _onCompleted: Future<void> | null = null;
  /** @internal */ readonly _loop: EventLoop;
  /** @internal */ readonly _parent: Task<unknown>;

  /** @internal use taskGroup(). */
  constructor(parent: Task<unknown>) {
    this._parent = parent;
    this._loop = parent.getLoop();
  }

  createTask<T>(fn: TaskBody<T>, options?: TaskOptions): Task<T>;
  createTask<T, A extends unknown[]>(fn: (...args: A) => T | PromiseLike<T>, ...args: A): Task<T>;
  createTask(fn: unknown, ...rest: unknown[]): Task<unknown> {
    if (this._exited) throw new RuntimeError('TaskGroup is finished');
    if (this._aborting) throw new RuntimeError('TaskGroup is shutting down');
    const t = Task._create(this._loop, fn, rest, taskStorage.getStore());
    this._tasks.push(t);
    this._live++;
    t.addDoneCallback(this._onTaskDone);
    return t;
  }

  /** @internal */ get _size(): number {
    return this._live;
  }

  /** @internal */
  _abort(): void {
    this._aborting = true;
    for (const t of this._tasks) if (!t.done()) t.cancel();
  }

  private readonly _onTaskDone = (t: Future<unknown>): void => {
    this._live--;
    // A long-lived group (one task per connection) must not keep every finished child.
    if (this._tasks.length > 64 && this._live * 2 < this._tasks.length) this._tasks = this._tasks.filter((c) => !c.done());
    if (this._onCompleted !== null && this._live === 0 && !this._onCompleted.done()) this._onCompleted.setResult();
    if (!t._failed()) return;
    const error = t._takeError();
    this._errors.push(error);
    if (this._parent.done()) {
      this._loop.callExceptionHandler({ message: 'Task has errored out but its parent task is already done', exception: error, task: t as Task<unknown> });
      return;
    }
    if (!this._aborting && !this._parentCancelRequested) {
      this._abort();
      this._parentCancelRequested = true;
      this._parent.cancel();
    }
  };
}

export async function taskGroup<T>(fn: (tg: TaskGroup) => T | PromiseLike<T>): Promise<T> {
  if (typeof fn !== 'function') throw new TypeError('taskGroup() takes a function: taskGroup(async (tg) => { ... })');
  const parent = currentTask();
  if (parent === undefined) throw new RuntimeError('taskGroup() must be used inside a task');
  const tg = new TaskGroup(parent);
  let result: T | undefined;
  let bodyFailed = false;
  let bodyError: unknown;
  try {
    result = await fn(tg);
  } catch (e) {
    bodyFailed = true;
    bodyError = e;
  }
  let propagateCancel: CancelledError | null = null;
  if (bodyFailed) {
    if (bodyError instanceof CancelledError) propagateCancel = bodyError;
    if (!tg._aborting) tg._abort();
  }
  while (tg._size > 0) {
    tg._onCompleted = tg._loop.createFuture<void>();
    try {
      await tg._onCompleted;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      if (!tg._aborting) {
        propagateCancel = e;
        tg._abort();
      }
    }
    tg._onCompleted = null;
  }
  tg._exited = true;
  if (tg._parentCancelRequested && parent.uncancel() === 0) propagateCancel = null;
  if (propagateCancel !== null && tg._errors.length === 0) throw propagateCancel;
  if (bodyFailed && !(bodyError instanceof CancelledError)) tg._errors.push(bodyError);
  if (tg._errors.length > 0) throw new ExceptionGroup('unhandled errors in a TaskGroup', tg._errors);
  return result as T;
}
