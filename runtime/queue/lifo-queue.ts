/** LifoQueue: a Queue that hands out the most recently put item first (asyncio `LifoQueue`). */
import { Queue } from './queue';

export class LifoQueue<T> extends Queue<T> {
  private readonly stack: T[] = [];

  protected override size(): number {
    return this.stack.length;
  }

  protected override putItem(item: T): void {
    this.stack.push(item);
  }

  protected override getItem(): T {
    return this.stack.pop() as T;
  }
}
