/**
 * Which task is running: an AsyncLocalStorage whose store is the Task.
 *
 * Why AsyncLocalStorage: a task's body is an ordinary async function, resumed by V8's
 * microtask queue, not by the loop, so no variable the loop sets can say who runs a
 * given continuation, least of all after plain `await`s of ordinary promises. ALS
 * follows the async context V8 carries along every promise reaction (and into a
 * thenable's `then`, which is where a Future learns who awaits it).
 *
 * Cost (bench/RESULTS.md): on Node 24 ALS is AsyncContextFrame-based and an await costs
 * about the same with or without it. On Node 20 the first `run` turns on promise hooks
 * for the whole process, which makes every native await slower (measured in bench).
 * We still use it on Node 20: correctness of currentTask() across plain awaits is the
 * contract, and the alternative (a global set around each step) is wrong as soon as a
 * task awaits a plain promise. The store is the only state; there is no fallback path.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AwaitKind } from './instrument-types';
import type { Future } from './future';
import type { EventLoop } from './loop';

/**
 * What the modules below Task (Future, the running loop, the await marks) use of the
 * running task. Task implements it; they depend on this, not on task.ts, so the
 * dependencies point one way (future ← task ← loop), as in asyncio.
 */
export interface RunningTask {
  readonly id: number;
  readonly _loop: EventLoop;
  /** Suspends the task on `fut` (see Task._awaitFuture). */
  _awaitFuture<U>(
    fut: Future<U>, kind: AwaitKind, targetId: number, site: number,
    onFulfilled?: ((value: U) => unknown) | null, onRejected?: ((reason: unknown) => unknown) | null,
  ): Promise<U>;
  /** A running slice ends / begins (instrumented runs). */
  _endSlice(): void;
  _beginSlice(): void;
}

export const taskStorage = new AsyncLocalStorage<RunningTask>();
