/**
 * PriorityQueue: a Queue that hands out the smallest item first (asyncio `PriorityQueue`),
 * kept as a binary min-heap. Order is the `compare` option, or `<` / `>` by default
 * (numbers, strings, and arrays of them compared element-wise like Python tuples).
 * Items that compare equal come out in no particular order, as with heapq.
 */
import type { ResourceOptions } from '../sync/resource';
import { Queue, type QueueOptions, type QueueStore } from './queue';

export type Comparator<T> = (a: T, b: T) => number;

export interface PriorityQueueOptions<T> extends QueueOptions {
  /** Negative when `a` should come out before `b`. */
  compare?: Comparator<T>;
}

/** A binary min-heap under `compare`. */
class HeapStore<T> implements QueueStore<T> {
  private readonly heap: T[] = [];

  constructor(private readonly compare: Comparator<T>) {}

  get size(): number {
    return this.heap.length;
  }

  put(item: T): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(heap[i] as T, heap[parent] as T) >= 0) break;
      [heap[i], heap[parent]] = [heap[parent] as T, heap[i] as T];
      i = parent;
    }
  }

  take(): T {
    const heap = this.heap;
    const top = heap[0] as T;
    const last = heap.pop() as T;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      const n = heap.length;
      while (true) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < n && this.compare(heap[l] as T, heap[m] as T) < 0) m = l;
        if (r < n && this.compare(heap[r] as T, heap[m] as T) < 0) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as T, heap[i] as T];
        i = m;
      }
    }
    return top;
  }
}

export class PriorityQueue<T> extends Queue<T> {
  constructor(maxsizeOrOptions?: number | PriorityQueueOptions<T>, options?: ResourceOptions & { compare?: Comparator<T> }) {
    const compare = typeof maxsizeOrOptions === 'object' ? maxsizeOrOptions.compare : options?.compare;
    super(maxsizeOrOptions, options, new HeapStore<T>(compare ?? defaultCompare));
  }
}

/** `<` ordering, element-wise for arrays (so `[priority, payload]` tuples work as in Python). */
export function defaultCompare(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = defaultCompare(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  const x = a as number;
  const y = b as number;
  return x < y ? -1 : x > y ? 1 : 0;
}
