/**
 * Queue: a FIFO queue for producer and consumer tasks (asyncio `Queue`), and the base
 * of PriorityQueue and LifoQueue, which change only the storage (a QueueStore).
 *
 * Invariants (asyncio 3.13, made fair in wake order, issue 14):
 * - Getters and putters wait in FIFO waiter lines (sync/waiter-line.ts). `putNowait`
 *   wakes the first pending getter for each item nobody woken has claimed yet
 *   (`size() > getters.woken`), `getNowait` the first pending putter for each free slot;
 *   a woken waiter keeps its place until it resumes, and `get()`/`put()` of a newcomer
 *   queue behind those claims, so the waiter woken first is served first. A woken
 *   waiter takes its item (or puts its item) in the same synchronous continuation as
 *   its wake-up; if `getNowait()`/`putNowait()` overtook it meanwhile (asyncio allows
 *   that), it waits again in its place, and never throws QueueEmpty or QueueFull.
 * - A waiter woken and then cancelled before it ran passes the wake-up on, so an item
 *   or a free slot is never left with a task still waiting for it.
 * - `unfinished` counts puts not yet matched by `taskDone()`; `join()` waits for 0.
 * - After `shutdown()`, puts throw QueueShutDown and gets throw it once the queue is
 *   empty; `shutdown(true)` also drops the items (counting them done) and wakes everyone.
 */
import { WaiterLine, waitInLine, type LineOwner } from '../sync/waiter-line';
import { hooks } from '../instrument';
import { noWait } from '../running-loop';
import { QueueEmpty, QueueFull, QueueShutDown } from '../errors';
import { createResource, currentTaskId, siteIfOn, type ResourceOptions } from '../sync/resource';

const RESOLVED_VOID: Promise<void> = Promise.resolve();

export interface QueueOptions extends ResourceOptions {
  /** Upper bound on the number of items; 0 or less means unbounded. */
  maxsize?: number;
}

/** How a queue keeps its items: the variants differ only here (FIFO, stack, heap). */
export interface QueueStore<T> {
  readonly size: number;
  put(item: T): void;
  /** Removes and returns the next item; only called when size > 0. */
  take(): T;
}

/** First in, first out: an array whose consumed front is an index, compacted in bulk. */
class FifoStore<T> implements QueueStore<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  put(item: T): void {
    this.items.push(item);
  }

  take(): T {
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
}

export class Queue<T> implements AsyncIterable<T>, LineOwner {
  readonly id: number;
  readonly maxsize: number;
  private readonly getters = new WaiterLine();
  private readonly putters = new WaiterLine();
  /** Waits for `unfinished` to reach 0: awaits on the queue, not waits for an item. */
  private readonly joiners = new WaiterLine(false);
  private unfinished = 0;
  private isShutdown = false;
  private readonly store: QueueStore<T>;

  /**
   * `new Queue()`, `new Queue(maxsize)`, `new Queue({ maxsize, name })` or `new Queue(maxsize, { name })`.
   * `store` is for the variants (PriorityQueue, LifoQueue); a plain Queue is FIFO.
   */
  constructor(maxsizeOrOptions?: number | QueueOptions, options?: ResourceOptions, store?: QueueStore<T>) {
    this.store = store ?? new FifoStore<T>();
    const opts: QueueOptions = typeof maxsizeOrOptions === 'number'
      ? { ...options, maxsize: maxsizeOrOptions }
      : { ...maxsizeOrOptions };
    const maxsize = opts.maxsize ?? 0;
    if (typeof maxsize !== 'number' || Number.isNaN(maxsize)) throw new TypeError(`Queue maxsize must be a number, got ${String(maxsize)}`);
    this.maxsize = maxsize;
    this.id = createResource('queue', opts, maxsize);
  }

  private size(): number {
    return this.store.size;
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
    // Free slots already promised to woken putters are not free for a newcomer.
    if (this.maxsize > 0 && this.size() + this.putters.woken >= this.maxsize && !this.isShutdown) {
      return waitInLine(this, this.putters, 'queue', this.id, siteIfOn(), item) as Promise<void>;
    }
    try {
      this.putNowait(item);
    } catch (err) {
      return Promise.reject(err);
    }
    return noWait(RESOLVED_VOID);
  }

  /** Puts `item` at once; throws QueueFull if full, QueueShutDown after shutdown. */
  putNowait(item: T): void {
    if (this.isShutdown) throw new QueueShutDown('Queue is shut down: put() is no longer allowed');
    if (this.full()) throw new QueueFull(`Queue is full (maxsize ${this.maxsize})`);
    this.store.put(item);
    this.unfinished++;
    if (hooks.on) {
      hooks.resourceSignal(this.id, currentTaskId(), 'put', siteIfOn());
      hooks.resourceLevel(this.id, this.size());
    }
    this.wakeGetters();
  }

  /** Removes and returns an item, waiting while the queue is empty. Throws QueueShutDown once shut down and empty. */
  get(): Promise<T> {
    // Items already promised to woken getters are not there for a newcomer.
    if (this.size() <= this.getters.woken) {
      if (this.isShutdown && this.empty()) return Promise.reject(new QueueShutDown('Queue is shut down and empty'));
      return waitInLine(this, this.getters, 'queue', this.id, siteIfOn()) as Promise<T>;
    }
    return noWait(Promise.resolve(this.getNowait()));
  }

  /** Removes and returns an item at once; throws QueueEmpty if empty (QueueShutDown if also shut down). */
  getNowait(): T {
    if (this.empty()) {
      if (this.isShutdown) throw new QueueShutDown('Queue is shut down and empty');
      throw new QueueEmpty('Queue is empty');
    }
    const item = this.store.take();
    if (hooks.on) {
      hooks.resourceSignal(this.id, currentTaskId(), 'get', siteIfOn());
      hooks.resourceLevel(this.id, this.size());
    }
    this.wakePutters();
    return item;
  }

  /** Marks one item fetched by a consumer as processed. Throws RangeError if called more times than items were put. */
  taskDone(): void {
    if (this.unfinished <= 0) throw new RangeError('Queue.taskDone() called too many times');
    this.unfinished--;
    if (this.unfinished === 0) this.joiners.wakeAll();
  }

  /** Waits until every item put has been marked done with `taskDone()`. */
  async join(): Promise<void> {
    if (this.unfinished === 0) return;
    await waitInLine(this, this.joiners, 'queue', this.id, siteIfOn());
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
        this.store.take();
        if (this.unfinished > 0) this.unfinished--;
      }
      if (hooks.on) hooks.resourceLevel(this.id, 0);
      if (this.unfinished === 0) this.joiners.wakeAll();
    }
    this.getters.wakeAll();
    this.putters.wakeAll();
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

  /** @internal a woken waiter resumed: is its item (or slot) still there? Shut down, it goes on to throw. */
  _lineReady(line: WaiterLine): boolean {
    if (line === this.getters) return !this.empty() || this.isShutdown;
    if (line === this.putters) return !this.full() || this.isShutdown;
    return true;
  }

  /** @internal serve a woken waiter in the same continuation as its wake-up: nobody can slip in between. */
  _lineGranted(line: WaiterLine, taskId: number, site: number, item: unknown): unknown {
    if (line === this.getters) {
      if (this.isShutdown && this.empty()) throw new QueueShutDown('Queue is shut down and empty');
      if (hooks.on) hooks.resourceAcquired(this.id, taskId, site);
      return this.getNowait();
    }
    // A blocked put is a wait but not an acquisition: the 'put' signal closes it in the
    // trace model (a put after shutdown throws instead, and the wait is abandoned).
    if (line === this.putters) this.putNowait(item as T);
    return undefined;
  }

  /** @internal nothing to give back: an item or slot a failed waiter was woken for is passed on in _lineSettled. */
  _lineAbandoned(): void {}

  /** @internal whoever leaves, items and slots nobody woken has claimed go to the next waiters. */
  _lineSettled(line: WaiterLine): void {
    if (line === this.getters) this.wakeGetters();
    else if (line === this.putters) this.wakePutters();
  }

  /** Wakes a pending getter for each item no woken getter has claimed (asyncio `_wakeup_next`). */
  private wakeGetters(): void {
    const getters = this.getters;
    while (getters.length > getters.woken && this.size() > getters.woken && getters.wakeNext());
  }

  /** Wakes a pending putter for each free slot no woken putter has claimed. */
  private wakePutters(): void {
    const putters = this.putters;
    if (this.maxsize <= 0) return; // unbounded: nobody waits to put
    while (putters.length > putters.woken && this.maxsize - this.size() > putters.woken && putters.wakeNext());
  }
}
