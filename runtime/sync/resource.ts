/**
 * What every synchronisation primitive and queue shares: its resource id, how it
 * reports to the instruments, and the disposable returned by `hold()`. Waiting is in
 * waiter-line.ts.
 *
 * Invariants:
 * - A primitive's id comes from the process-wide `nextId()` and is created once.
 * - Nothing here or in waiter-line.ts touches the scheduler: waits are futures from the
 *   running loop, awaited as the running task's waiter (waitInLine), so cancellation
 *   and wake-up reporting come from the Future/Task machinery (asyncio `locks.py` style).
 * - Hooks are called only behind `hooks.on`, and `takeSite()` only then, so the
 *   uninstrumented path costs one boolean read.
 */
import type { ResourceKind } from '../instrument-types';
import { hooks, nextId } from '../instrument';
import { takeSite } from '../sites';
import { currentTask } from '../task';

/** Options every primitive takes. */
export interface ResourceOptions {
  /** Shown in the trace; without it the trace names the primitive after its creation site. */
  name?: string;
}

/** A shared, already-settled `true` so uncontended acquires allocate nothing. */
export const RESOLVED_TRUE: Promise<true> = Promise.resolve(true);

/** The id of the running task, or 0 outside any task. */
export function currentTaskId(): number {
  return currentTask()?.id ?? 0;
}

/** Allocates an id for a new primitive and reports `resourceCreated`. */
export function createResource(kind: ResourceKind, options: ResourceOptions | undefined, capacity: number): number {
  const id = nextId();
  if (hooks.on) hooks.resourceCreated(id, kind, options?.name ?? '', takeSite(), capacity);
  return id;
}

/** The call site of the operation being reported, or 0 while nothing listens. */
export function siteIfOn(): number {
  return hooks.on ? takeSite() : 0;
}

/** A primitive that is held between `acquire` and `release` (Lock, Semaphore). */
export interface Acquirable {
  acquire(): Promise<true>;
  release(): void;
}

/** `withLock(fn)`: runs `fn` holding `p` and releases it however `fn` ends. */
export async function runHolding<R>(p: Acquirable, fn: () => R | PromiseLike<R>): Promise<R> {
  await p.acquire();
  try {
    return await fn();
  } finally {
    p.release();
  }
}

/** `hold()`: acquires `p` and returns a disposable that releases it. */
export async function holdOf(p: Acquirable): Promise<Hold> {
  await p.acquire();
  return new Hold(p);
}

/**
 * What `hold()` returns: releases its primitive exactly once, on `dispose`,
 * `asyncDispose` (so `await using h = await lock.hold()` works) or `release()`.
 */
export class Hold implements AsyncDisposable, Disposable {
  private released = false;
  constructor(private readonly owner: { release(): void }) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.owner.release();
  }

  [Symbol.dispose](): void {
    this.release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}
