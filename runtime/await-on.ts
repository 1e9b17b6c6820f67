/**
 * awaitOn: how primitives (locks, queues, executors, streams) suspend the current task
 * on one of their futures while naming what it waits for (kind + their own resource id).
 * The task records `fut` as its waiter, so task.cancel() cancels `fut` and the
 * CancelledError comes out of this await; awaitBegin/awaitEnd/wake are reported around it.
 */
import type { AwaitKind } from './instrument-types';
import { taskStorage } from './current';
import type { Future } from './future';

export function awaitOn<T>(fut: Future<T>, kind: AwaitKind, targetId: number, site: number): Promise<T> {
  const task = taskStorage.getStore();
  return task === undefined ? fut._awaitOutsideTask() : task._awaitFuture(fut, kind, targetId, site);
}
