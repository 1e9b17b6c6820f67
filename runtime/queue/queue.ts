/**
 * Queue: a FIFO queue for producer and consumer tasks (asyncio `Queue`), and the base
 * of PriorityQueue and LifoQueue, which change only the storage (`init/putItem/getItem/size`).
 *
 * Invariants (asyncio 3.13):
 * - Getters and putters wait on loop futures in FIFO lists. `putNowait` wakes the first
 *   pending getter, `getNowait` the first pending putter; a woken task re-checks and
 *   waits again if someone else took the item or slot first.
 * - A waiter woken and then cancelled before it ran passes the wake-up to the next one,
 *   so an item or a free slot is never left with a task still waiting for it.
 * - `unfinished` counts puts not yet matched by `taskDone()`; `join()` waits for 0.
 * - After `shutdown()`, puts throw QueueShutDown and gets throw it once the queue is
 *   empty; `shutdown(true)` also drops the items (counting them done) and wakes everyone.
 */
import { getRunningLoop } from '../loop';
import { awaitOn } from '../await-on';
import { WaiterQueue } from '../sync/waiter-queue';
import { hooks } from '../instrument';
import { QueueEmpty, QueueFull, QueueShutDown } from '../errors';
import {
  cancelMark, createResource, currentTaskId, outcomeOf, siteIfOn, cancelRequestedSince,
  type ResourceOptions,
} from '../sync/resource';

const RESOLVED_VOID: Promise<void> = Promise.resolve();

export interface QueueOptions extends ResourceOptions {
  /** Upper bound on the number of items; 0 or less means unbounded. */
  maxsize?: number;
}

export class Queue<T> implements AsyncIterable<T> {
  readonly id: number;
  readonly maxsize: number;
  private readonly getters = new WaiterQueue<void>();
  private readonly putters = new WaiterQueue<void>();
  private readonly joiners = new WaiterQueue<void>();
  private unfinished = 0;
  private isShutdown = false;

  /** `new Queue()`, `new Queue(maxsize)`, `new Queue({ maxsize, name })` or `new Queue(maxsize, { name })`. */
  constructor(maxsizeOrOptions?: number | QueueOptions, options?: ResourceOptions) {
    const opts: QueueOptions = typeof maxsizeOrOptions === 'number'
      ? { ...options, maxsize: maxsizeOrOptions }
      : { ...maxsizeOrOptions };
    const maxsize = opts.maxsize ?? 0;
    if (typeof maxsize !== 'number' || Number.isNaN(maxsize)) throw new TypeError(`Queue maxsize must be a number, got ${String(maxsize)}`);
    this.maxsize = maxsize;
    this.id = createResource('queue', opts, maxsize);
  }

  // --- storage, overridden by the variants (which keep their own fields) ------------
  private items: T[] = [];
  private head = 0;

  protected size(): number {
    return this.items.length - this.head;
  }

  protected putItem(item: T): void {
    this.items.push(item);
  }

  protected getItem(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T;
    this.head++;
    // Compact once the consumed prefix dominates, so memory stays proportional to the length.
    if (this.head > 64 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  // --- public API ----------------------------------------------------------------
  qsize(): number {
    return this.size();
  }

  empty(): boolean {
    return this.size() === 0;
  }

  /** True when bounded and at capacity. */
  full(): boolean {
    return this.maxsize > 0 && this.size() >= this.maxsize;
  }

  /** Puts `item`, waiting while the queue is full. Throws QueueShutDown after shutdown. */
  put(item: T): Promise<void> {
    if (this.full()) return this.putAfterWait(item);
    try {
      this.putNowait(item);
    } catch (err) {
      return Promise.reject(err);
    }
    return RESOLVED_VOID;
  }

  /** Puts `item` at once; throws QueueFull if full, QueueShutDown after shutdown. */
  putNowait(item: T): void {
    if (this.isShutdown) throw new QueueShutDown('Queue is shut down: put() is no longer allowed');
    if (this.full()) throw new QueueFull(`Queue is full (maxsize ${this.maxsize})`);
    this.putItem(item);
    this.unfinished++;
    if (hooks.on) {
      hooks.resourceSignal(this.id, currentTaskId(), 'put', siteIfOn());
      hooks.resourceLevel(this.id, this.size());
    }
    wakeUpNext(this.getters);
  }

  /** Removes and returns an item, waiting while the queue is empty. Throws QueueShutDown once shut down and empty. */
  get(): Promise<T> {
    if (this.empty()) return this.getAfterWait();
    return Promise.resolve(this.getNowait());
  }

  /** Removes and returns an item at once; throws QueueEmpty if empty (QueueShutDown if also shut down). */
  getNowait(): T {
    if (this.empty()) {
      if (this.isShutdown) throw new QueueShutDown('Queue is shut down and empty');
      throw new QueueEmpty('Queue is empty');
    }
    const item = this.getItem();
    if (hooks.on) {
      hooks.resourceSignal(this.id, currentTaskId(), 'get', siteIfOn());
      hooks.resourceLevel(this.id, this.size());
    }
    wakeUpNext(this.putters);
    return item;
  }

  /** Marks one item fetched by a consumer as processed. Throws RangeError if called more times than items were put. */
  taskDone(): void {
    if (this.unfinished <= 0) throw new RangeError('Queue.taskDone() called too many times');
    this.unfinished--;
    if (this.unfinished === 0) wakeAll(this.joiners);
  }

  /** Waits until every item put has been marked done with `taskDone()`. */
  async join(): Promise<void> {
    if (this.unfinished === 0) return;
    const site = siteIfOn();
    const fut = getRunningLoop().createFuture<void>();
    this.joiners.push(fut);
    try {
      await awaitOn(fut, 'queue', this.id, site);
    } finally {
      this.joiners.remove(fut);
    }
  }

  /**
   * Shuts the queue down: later puts throw QueueShutDown, gets throw it once empty.
   * With `immediate`, the remaining items are dropped (and counted done) at once.
   * Every blocked getter and putter is woken to see the new state.
   */
  shutdown(immediate = false): void {
    this.isShutdown = true;
    if (hooks.on) hooks.resourceSignal(this.id, currentTaskId(), 'shutdown', siteIfOn());
    if (immediate) {
      while (!this.empty()) {
        this.getItem();
        if (this.unfinished > 0) this.unfinished--;
      }
      if (hooks.on) hooks.resourceLevel(this.id, 0);
      if (this.unfinished === 0) wakeAll(this.joiners);
    }
    wakeAll(this.getters);
    wakeAll(this.putters);
  }

  /** `for await (const item of queue)`: yields items until the queue is shut down and empty. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      let item: T;
      try {
        item = await this.get();
      } catch (err) {
        if (err instanceof QueueShutDown) return;
        throw err;
      }
      yield item;
    }
  }

  // The waiting paths are async functions; the ready paths above avoid their cost.
  private async putAfterWait(item: T): Promise<void> {
    await this.waitWhileFull();
    this.putNowait(item);
  }

  private async getAfterWait(): Promise<T> {
    await this.waitWhileEmpty();
    return this.getNowait();
  }

  /**
   * The put side's wait; waitWhileEmpty is its mirror. Each keeps its wait inline: an
   * async helper for the shared part would add a microtask between the wake and the
   * re-check of full()/empty(), where a newcomer could take the slot (FIFO fairness).
   */
  private async waitWhileFull(): Promise<void> {
    const site = siteIfOn();
    const taskId = currentTaskId();
    const mark = cancelMark();
    let began = false;
    while (this.full()) {
      if (this.isShutdown) throw new QueueShutDown('Queue is shut down: put() is no longer allowed');
      if (!began && hooks.on) hooks.resourceWaitBegin(this.id, taskId, site);
      began = true;
      const putter = getRunningLoop().createFuture<void>();
      this.putters.push(putter);
      try {
        await awaitOn(putter, 'queue', this.id, site);
        // Woken, then cancelled before resuming: take the cancel here (see cancelMark).
        if (cancelRequestedSince(mark)) await awaitOn(putter, 'queue', this.id, site);
      } catch (err) {
        putter.cancel();
        this.putters.remove(putter);
        // Woken by a get but not taking the slot: wake the next putter instead.
        if (!this.full() && !putter.cancelled()) wakeUpNext(this.putters);
        if (hooks.on) hooks.resourceWaitAbandoned(this.id, taskId, outcomeOf(err));
        throw err;
      }
      // Woken: wakeUpNext (or shutdown's wakeAll) already took the putter out of the line.
    }
    // A blocked put is a wait but not an acquisition: the 'put' signal that follows
    // closes it in the trace model, unless shutdown (which also frees slots) came first.
    if (this.isShutdown) {
      if (began && hooks.on) hooks.resourceWaitAbandoned(this.id, taskId, 'error');
      throw new QueueShutDown('Queue is shut down: put() is no longer allowed');
    }
  }

  private async waitWhileEmpty(): Promise<void> {
    const site = siteIfOn();
    const taskId = currentTaskId();
    const mark = cancelMark();
    let began = false;
    while (this.empty()) {
      if (this.isShutdown) {
        if (began && hooks.on) hooks.resourceWaitAbandoned(this.id, taskId, 'error');
        throw new QueueShutDown('Queue is shut down and empty');
      }
      if (!began && hooks.on) hooks.resourceWaitBegin(this.id, taskId, site);
      began = true;
      const getter = getRunningLoop().createFuture<void>();
      this.getters.push(getter);
      try {
        await awaitOn(getter, 'queue', this.id, site);
        // Woken, then cancelled before resuming: take the cancel here (see cancelMark).
        if (cancelRequestedSince(mark)) await awaitOn(getter, 'queue', this.id, site);
      } catch (err) {
        getter.cancel();
        this.getters.remove(getter);
        // Woken by a put but not taking the item: wake the next getter instead.
        if (!this.empty() && !getter.cancelled()) wakeUpNext(this.getters);
        if (hooks.on) hooks.resourceWaitAbandoned(this.id, taskId, outcomeOf(err));
        throw err;
      }
      // Woken: already out of the line, as above.
    }
    if (began && hooks.on) hooks.resourceAcquired(this.id, taskId, site);
  }
}

/** Pops waiters until one is still pending and wakes it (asyncio `_wakeup_next`). */
function wakeUpNext(waiters: WaiterQueue<void>): void {
  while (waiters.length > 0) {
    const w = waiters.at(0);
    waiters.remove(w);
    if (!w.done()) {
      w.setResult(undefined);
      return;
    }
  }
}

function wakeAll(waiters: WaiterQueue<void>): void {
  for (const w of waiters.takeAll()) if (!w.done()) w.setResult(undefined);
}
