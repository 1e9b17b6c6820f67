/**
 * Which event loop is running (asyncio's events.py `_get_running_loop`): a small module
 * below Future and Task, so that they and everything built on them find the loop
 * without importing loop.ts, and loop.ts imports them, never the reverse.
 *
 * Invariant: a loop is on the stack exactly while it runs (runForever pushes it,
 * finishing pops it); nested loops (a loop run from another's callback) stack.
 */
import { RuntimeError } from './errors';
import { taskStorage, type RunningTask } from './current';
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
  return runningLoopFrom(taskStorage.getStore());
}

/** runningLoopOrUndefined() for a caller that already looked up the current task `t` (one context lookup, not two). */
function runningLoopFrom(t: RunningTask | undefined): EventLoop | undefined {
  if (t !== undefined && t._loop.isRunning()) return t._loop;
  return runningLoops[runningLoops.length - 1];
}

export function getRunningLoop(): EventLoop {
  return getRunningLoopFrom(taskStorage.getStore());
}

/** getRunningLoop() for a caller that already has the current task (createTask: it is also the parent). */
export function getRunningLoopFrom(t: RunningTask | undefined): EventLoop {
  const loop = runningLoopFrom(t);
  if (loop === undefined) throw new RuntimeError('no running event loop');
  return loop;
}

/** How many operations that did not suspend pass between two looks at the loop (a power of two; loop.ts CHECK_EVERY). */
const NO_WAIT_CHECK_EVERY = 32;
let noWaits = 0;

/**
 * @internal an operation completed without suspending (an item was there, the lock was
 * free, the event set, the future done) and returns `done`, its settled promise. As in
 * asyncio it does not go through the loop; but in JS the caller's `await` of it lets
 * every other queued continuation run, so tasks that only meet such operations (a
 * Queue(1) producer and consumer alternating) would run as one endless chain of
 * microtasks. So it counts toward the loop's bound: every NO_WAIT_CHECK_EVERY of them
 * the running loop reads the clock, and once Node is due a turn, `done` reaches the
 * caller only after that turn (EventLoop._afterNoWait). `loop` when the caller knows it.
 */
export function noWait<T>(done: Promise<T>, loop?: EventLoop): Promise<T> {
  if ((++noWaits & (NO_WAIT_CHECK_EVERY - 1)) !== 0) return done;
  const l = loop ?? runningLoopOrUndefined();
  return l === undefined ? done : l._afterNoWait(done);
}
