/**
 * run(main): asyncio.run. A new loop runs `main` as the root task; afterwards every
 * task still pending is cancelled and awaited, the default executor is shut down,
 * never-retrieved task errors are reported, and the loop is closed, whatever happened.
 */
import { RuntimeError } from './errors';
import { taskStorage } from './current';
import { type EventLoop, newEventLoop, type ExceptionHandler } from './loop';
import { allTasks } from './task';

export interface RunOptions {
  /** Virtual clock: time jumps to the next timer whenever nothing is ready. */
  virtualTime?: boolean;
  /** Same as virtualTime: true when 'virtual' (the loop option's spelling). */
  clock?: 'real' | 'virtual';
  /** Installed before main starts. */
  exceptionHandler?: ExceptionHandler;
  /** The root task's name (default 'main'). */
  name?: string;
}

export async function run<T>(main: () => T | PromiseLike<T>, options: RunOptions = {}): Promise<T> {
  if (typeof main !== 'function') {
    throw new TypeError(`run() takes a function returning a promise (run(main), not run(main())), got ${main === null ? 'null' : typeof main}`);
  }
  if (taskStorage.getStore() !== undefined) throw new RuntimeError('run() cannot be called from a running event loop');
  const loop = newEventLoop({ clock: options.virtualTime === true || options.clock === 'virtual' ? 'virtual' : 'real' });
  if (options.exceptionHandler !== undefined) loop.setExceptionHandler(options.exceptionHandler);
  try {
    return await loop.runUntilComplete(loop.createTask(main, { name: options.name ?? 'main' }));
  } finally {
    try {
      await cancelAllTasks(loop);
      // Only a program that used the default executor gets this (named) task: it would
      // otherwise show in every trace as an empty last root task.
      if (loop._hasDefaultExecutor()) {
        await loop.runUntilComplete(loop.createTask(() => loop.shutdownDefaultExecutor(), { name: 'run: shut down default executor' }));
      }
    } finally {
      loop.close();
    }
  }
}

async function cancelAllTasks(loop: EventLoop): Promise<void> {
  const tasks = [...allTasks(loop)];
  if (tasks.length === 0) return;
  for (const t of tasks) t.cancel();
  const all = loop.createFuture<void>();
  let left = tasks.length;
  const onDone = (): void => {
    if (--left === 0) all.setResult();
  };
  for (const t of tasks) t.addDoneCallback(onDone);
  await loop.runUntilComplete(all);
  for (const t of tasks) {
    if (!t._failed()) continue;
    loop.callExceptionHandler({ message: 'unhandled exception during run() shutdown', exception: t._takeError(), task: t });
  }
}
