/**
 * The FIFO of a primitive's waiters (asyncio keeps a deque). A woken waiter stays in
 * line until it resumes (so newcomers queue behind it) and then leaves from the front,
 * which must be O(1): with an array, `splice(0, 1)`/`shift()` moved every waiter behind
 * it, 10% of a 100-task lock fight (bench/RESULTS.md). Here the front is an index into
 * the array, compacted in bulk. A cancelled waiter leaves from wherever it is (rare).
 */
import type { Future } from '../future';

export class WaiterQueue<T> {
  private items: (Future<T> | null)[] = [];
  private head = 0;

  /** How many waiters are in line (woken and cancelled ones included until they leave). */
  get length(): number {
    return this.items.length - this.head;
  }

  /** The i-th waiter from the front, 0 <= i < length. */
  at(i: number): Future<T> {
    return this.items[this.head + i]!;
  }

  push(fut: Future<T>): void {
    this.items.push(fut);
  }

  /** Removes `fut` if it is in line. */
  remove(fut: Future<T>): void {
    const items = this.items;
    if (items[this.head] === fut) {
      items[this.head++] = null;
      if (this.head === items.length) {
        this.items = [];
        this.head = 0;
      } else if (this.head >= 64 && this.head * 2 >= items.length) {
        this.items = items.slice(this.head);
        this.head = 0;
      }
      return;
    }
    const i = items.indexOf(fut, this.head);
    if (i >= 0) items.splice(i, 1);
  }

  /** Drops the waiters that are done (cancelled ones that never resumed to leave). */
  prune(): void {
    const kept: Future<T>[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const f = this.items[i]!;
      if (!f.done()) kept.push(f);
    }
    this.items = kept;
    this.head = 0;
  }

  /** Empties the line and returns its waiters in order. */
  takeAll(): Future<T>[] {
    const out = (this.head === 0 ? this.items : this.items.slice(this.head)) as Future<T>[];
    this.items = [];
    this.head = 0;
    return out;
  }
}
