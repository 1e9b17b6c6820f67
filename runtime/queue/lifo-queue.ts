/** LifoQueue: a Queue that hands out the most recently put item first (asyncio `LifoQueue`). */
import type { ResourceOptions } from '../sync/resource';
import { Queue, type QueueOptions, type QueueStore } from './queue';

class StackStore<T> implements QueueStore<T> {
  private readonly stack: T[] = [];

  get size(): number {
    return this.stack.length;
  }

  put(item: T): void {
    this.stack.push(item);
  }

  take(): T {
    return this.stack.pop() as T;
  }
}

export class LifoQueue<T> extends Queue<T> {
  constructor(maxsizeOrOptions?: number | QueueOptions, options?: ResourceOptions) {
    super(maxsizeOrOptions, options, new StackStore<T>());
  }
}
