/**
 * A task's running slices and awaits as columns of typed arrays (issue 18: a 10M-event
 * trace is ~2M awaits and ~1.5M runs; an object per span, with its boxed times, was over
 * half of the model's memory). Pure, no Node or DOM.
 *
 * Layout and why:
 * - One set of growable columns per kind of span for the whole model (`AwaitColumns`,
 *   `RunColumns`), in the order spans began: times in Float64Array (an open end is NaN),
 *   ids in Int32Array/Uint32Array, kinds and outcomes as their vocabulary codes.
 * - Each task reads its own spans by index through a `SpanIndex`: a segment of one shared
 *   Int32Array arena, moved to the arena's end with twice the room when it fills (the old
 *   room is not reused: at most about as much again as the spans' indices take).
 * - `at(i)` and iteration make a span object on demand, equal in value to what the model
 *   kept before (same fields, same order); code that reads every span reads the columns
 *   (`begin(i)`, `kind(i)`...). Compare spans by (task, index), never by identity.
 * - Append-only, like the model: readers may hold a list while the trace grows.
 */
import type { AwaitKind, AwaitList, AwaitSpan, Interval, Outcome, Site, SpanList, TraceTime } from './model-types';
import type { WakeColumns } from './wait-columns';
import type { SiteTable } from './sites';
import * as vocabulary from './vocabulary';

// Module-local copies: an imported binding costs a getter call per use in unbundled runs.
const AWAIT_KINDS = vocabulary.AWAIT_KINDS;
const OUTCOMES = vocabulary.OUTCOMES;

/** Outcome code of a span still open (the vocabulary's codes are 0..n-1). */
export const OPEN = 255;

export function grownF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(Math.max(n, a.length + (a.length >> 1) + 16));
  b.set(a);
  return b;
}
export function grownI32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(Math.max(n, a.length + (a.length >> 1) + 16));
  b.set(a);
  return b;
}
export function grownU32(a: Uint32Array, n: number): Uint32Array {
  const b = new Uint32Array(Math.max(n, a.length + (a.length >> 1) + 16));
  b.set(a);
  return b;
}
export function grownU8(a: Uint8Array, n: number): Uint8Array {
  const b = new Uint8Array(Math.max(n, a.length + (a.length >> 1) + 16));
  b.set(a);
  return b;
}

/** The arena the tasks' span indices live in (one per model and kind of span). */
export class IndexArena {
  data: Int32Array = new Int32Array(1024);
  used = 0;

  /** Room for `n` indices at the arena's end; returns where. */
  take(n: number): number {
    if (this.used + n > this.data.length) this.data = grownI32(this.data, this.used + n);
    const at = this.used;
    this.used += n;
    return at;
  }
}

/** One task's spans: indices into the model's columns, in the order the spans began (the lists below are one, so a task keeps one object per list). */
export class SpanIndex {
  offset = 0;
  length = 0;
  private room = 0;

  constructor(private readonly arena: IndexArena) {}

  push(column: number): void {
    if (this.length === this.room) {
      const room = this.room === 0 ? 2 : this.room * 2;
      const at = this.arena.take(room);
      const d = this.arena.data;
      d.copyWithin(at, this.offset, this.offset + this.length);
      this.offset = at;
      this.room = room;
    }
    this.arena.data[this.offset + this.length++] = column;
  }

  /** The column index of the task's i-th span. */
  get(i: number): number {
    return this.arena.data[this.offset + i];
  }
}

/** All running slices of the model. */
export class RunColumns {
  length = 0;
  begins: Float64Array = new Float64Array(0);
  ends: Float64Array = new Float64Array(0);

  add(begin: TraceTime): number {
    const i = this.length;
    if (i === this.begins.length) { this.begins = grownF64(this.begins, i + 1); this.ends = grownF64(this.ends, i + 1); }
    this.begins[i] = begin;
    this.ends[i] = NaN;
    this.length++;
    return i;
  }
}

/** All awaits of the model. `wake` is an index into the model's wakes, -1 for none. */
export class AwaitColumns {
  length = 0;
  begins: Float64Array = new Float64Array(0);
  ends: Float64Array = new Float64Array(0);
  taskIds: Uint32Array = new Uint32Array(0);
  targetIds: Uint32Array = new Uint32Array(0);
  siteIds: Uint32Array = new Uint32Array(0);
  depths: Int32Array = new Int32Array(0);
  wakes: Int32Array = new Int32Array(0);
  kinds: Uint8Array = new Uint8Array(0);
  outcomes: Uint8Array = new Uint8Array(0);

  constructor(
    /** The model's sites (span sites are kept as their ids). */
    readonly sites: SiteTable,
    readonly wakeEdges: WakeColumns,
  ) {}

  add(begin: TraceTime, taskId: number, kindCode: number, targetId: number, siteId: number, depth: number): number {
    const i = this.length;
    if (i === this.begins.length) this.grow(i + 1);
    this.begins[i] = begin;
    this.ends[i] = NaN;
    this.taskIds[i] = taskId;
    this.targetIds[i] = targetId;
    this.siteIds[i] = siteId;
    this.depths[i] = depth;
    this.wakes[i] = -1;
    this.kinds[i] = kindCode;
    this.outcomes[i] = OPEN;
    this.length++;
    return i;
  }

  isOpen(i: number): boolean {
    return this.outcomes[i] === OPEN;
  }

  close(i: number, end: TraceTime, outcomeCode: number): void {
    this.ends[i] = end;
    this.outcomes[i] = outcomeCode;
  }

  private grow(n: number): void {
    this.begins = grownF64(this.begins, n);
    this.ends = grownF64(this.ends, n);
    this.taskIds = grownU32(this.taskIds, n);
    this.targetIds = grownU32(this.targetIds, n);
    this.siteIds = grownU32(this.siteIds, n);
    this.depths = grownI32(this.depths, n);
    this.wakes = grownI32(this.wakes, n);
    this.kinds = grownU8(this.kinds, n);
    this.outcomes = grownU8(this.outcomes, n);
  }
}

/** An iterator over `at(0..length-1)` (no generator: this runs once per span read). */
export function iterate<T>(list: { readonly length: number; at(i: number): T | undefined }): IterableIterator<T> {
  let i = 0;
  const it: IterableIterator<T> = {
    next: () => (i < list.length ? { value: list.at(i++)!, done: false } : { value: undefined, done: true }),
    [Symbol.iterator]: () => it,
  };
  return it;
}

export const endOf = (x: number): TraceTime | undefined => (x === x ? x : undefined);

/** A task's running slices, read from the model's run columns. */
export class ColumnRunList extends SpanIndex implements SpanList<Interval> {
  constructor(private readonly cols: RunColumns, arena: IndexArena) { super(arena); }
  begin(i: number): TraceTime { return this.cols.begins[this.get(i)]; }
  end(i: number): TraceTime | undefined { return endOf(this.cols.ends[this.get(i)]); }
  at(i: number): Interval | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const c = this.get(i);
    return { begin: this.cols.begins[c], end: endOf(this.cols.ends[c]) };
  }
  [Symbol.iterator](): IterableIterator<Interval> { return iterate(this); }
}

/** A task's awaits, read from the model's await columns. */
export class ColumnAwaitList extends SpanIndex implements AwaitList {
  constructor(private readonly cols: AwaitColumns, arena: IndexArena) { super(arena); }
  begin(i: number): TraceTime { return this.cols.begins[this.get(i)]; }
  end(i: number): TraceTime | undefined { return endOf(this.cols.ends[this.get(i)]); }
  kind(i: number): AwaitKind { return AWAIT_KINDS[this.cols.kinds[this.get(i)]]; }
  depth(i: number): number { return this.cols.depths[this.get(i)]; }
  targetId(i: number): number { return this.cols.targetIds[this.get(i)]; }
  site(i: number): Site | undefined { return this.cols.sites.get(this.cols.siteIds[this.get(i)]); }
  outcome(i: number): Outcome | undefined { const o = this.cols.outcomes[this.get(i)]; return o === OPEN ? undefined : OUTCOMES[o]; }
  at(i: number): AwaitSpan | undefined {
    if (i < 0 || i >= this.length) return undefined;
    return awaitAt(this.cols, this.get(i));
  }
  [Symbol.iterator](): IterableIterator<AwaitSpan> { return iterate(this); }
}

/** The await in column `c` as an object. */
export function awaitAt(cols: AwaitColumns, c: number): AwaitSpan {
  const o = cols.outcomes[c], w = cols.wakes[c];
  return {
    taskId: cols.taskIds[c], kind: AWAIT_KINDS[cols.kinds[c]], targetId: cols.targetIds[c], site: cols.sites.get(cols.siteIds[c]),
    begin: cols.begins[c], end: endOf(cols.ends[c]), depth: cols.depths[c], outcome: o === OPEN ? undefined : OUTCOMES[o],
    wake: w < 0 ? undefined : cols.wakeEdges.at(w),
  };
}

/** Spans kept in an array (hand-built models: test fixtures), read through the same interface. */
export class ArraySpanList<T extends Interval> implements SpanList<T> {
  constructor(readonly items: T[] = []) {}
  get length(): number { return this.items.length; }
  begin(i: number): TraceTime { return this.items[i].begin; }
  end(i: number): TraceTime | undefined { return this.items[i].end; }
  at(i: number): T | undefined { return i >= 0 ? this.items[i] : undefined; }
  [Symbol.iterator](): IterableIterator<T> { return this.items[Symbol.iterator](); }
}

export class ArrayAwaitList extends ArraySpanList<AwaitSpan> implements AwaitList {
  kind(i: number): AwaitKind { return this.items[i].kind; }
  depth(i: number): number { return this.items[i].depth; }
  targetId(i: number): number { return this.items[i].targetId; }
  site(i: number): Site | undefined { return this.items[i].site; }
  outcome(i: number): Outcome | undefined { return this.items[i].outcome; }
}
