/**
 * Which event loop is running (asyncio's events.py `_get_running_loop`): a small module
 * below Future and Task, so that they and everything built on them find the loop
 * without importing loop.ts, and loop.ts imports them, never the reverse.
 *
 * Invariant: a loop is on the stack exactly while it runs (runForever pushes it,
 * finishing pops it); nested loops (a loop run from another's callback) stack.
 */
import { RuntimeError } from './errors';
import { taskStorage } from './current';
import type { EventLoop } from './loop';

/** Running loops, innermost last; the current task's loop is preferred. */
const runningLoops: EventLoop[] = [];

/** @internal called by the loop as it starts running. */
export function enterRunning(loop: EventLoop): void {
  runningLoops.push(loop);
}

/** @internal called by the loop as it stops running. */
export function leaveRunning(loop: EventLoop): void {
  const at = runningLoops.lastIndexOf(loop);
  if (at >= 0) runningLoops.splice(at, 1);
}

/** The loop running the current task, else the innermost running loop, else undefined. */
export function runningLoopOrUndefined(): EventLoop | undefined {
  const t = taskStorage.getStore();
  if (t !== undefined && t._loop.isRunning()) return t._loop;
  return runningLoops[runningLoops.length - 1];
}

export function getRunningLoop(): EventLoop {
  const loop = runningLoopOrUndefined();
  if (loop === undefined) throw new RuntimeError('no running event loop');
  return loop;
}
