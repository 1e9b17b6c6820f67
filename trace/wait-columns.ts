/**
 * The model's wakes, I/O waits, holds and waits as typed-array columns, like runs and
 * awaits (span-columns.ts, issue 18): a 10M-event trace has ~800k wakes and ~400k each
 * of I/O waits, holds and waits, and an object each (with boxed times) was half of the
 * JS heap the garbage collector kept marking while the trace loaded. Pure, no Node or DOM.
 *
 * Each kind is one set of model-wide columns in the order the items began, read as a
 * ReadList: `at(i)` and iteration make an object equal in value to what the model kept
 * before (same fields, same order). Wakes and I/O waits are one list each; a resource
 * reads its holds and waits through a SpanIndex into the shared columns. Append-only;
 * an open end is NaN and an open outcome OPEN. Sites are kept as their ids.
 */
import type { HoldSpan, IoOp, IoWaitSpan, Outcome, ReadList, TraceTime, WaitSpan, WakeEdge } from './model-types';
import type { SiteTable } from './sites';
import * as spans from './span-columns';
import { grownF64, grownU32, grownU8, type IndexArena, iterate, SpanIndex } from './span-columns';
import * as vocabulary from './vocabulary';

// Module-local copies of what is read per item: an imported binding costs a getter call per use in unbundled runs.
const OPEN = spans.OPEN;
const endOf = spans.endOf;
const IO_OPS = vocabulary.IO_OPS;
const OUTCOMES = vocabulary.OUTCOMES;

const outcomeOf = (o: number): Outcome | undefined => (o === OPEN ? undefined : OUTCOMES[o]);

/** Every wake edge of the model, in trace order. */
export class WakeColumns implements ReadList<WakeEdge> {
  length = 0;
  times: Float64Array = new Float64Array(0);
  wakerTaskIds: Uint32Array = new Uint32Array(0);
  callbackIds: Uint32Array = new Uint32Array(0);
  wokenTaskIds: Uint32Array = new Uint32Array(0);
  targetIds: Uint32Array = new Uint32Array(0);

  add(time: TraceTime, wakerTaskId: number, callbackId: number, wokenTaskId: number, targetId: number): number {
    const i = this.length;
    if (i === this.times.length) {
      this.times = grownF64(this.times, i + 1);
      this.wakerTaskIds = grownU32(this.wakerTaskIds, i + 1);
      this.callbackIds = grownU32(this.callbackIds, i + 1);
      this.wokenTaskIds = grownU32(this.wokenTaskIds, i + 1);
      this.targetIds = grownU32(this.targetIds, i + 1);
    }
    this.times[i] = time;
    this.wakerTaskIds[i] = wakerTaskId;
    this.callbackIds[i] = callbackId;
    this.wokenTaskIds[i] = wokenTaskId;
    this.targetIds[i] = targetId;
    this.length++;
    return i;
  }

  at(i: number): WakeEdge | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    return { time: this.times[i], wakerTaskId: this.wakerTaskIds[i], callbackId: this.callbackIds[i], wokenTaskId: this.wokenTaskIds[i], targetId: this.targetIds[i] };
  }

  [Symbol.iterator](): IterableIterator<WakeEdge> { return iterate(this); }
}

/** Every I/O wait of the model, in the order they began. */
export class IoWaitColumns implements ReadList<IoWaitSpan> {
  length = 0;
  begins: Float64Array = new Float64Array(0);
  ends: Float64Array = new Float64Array(0);
  bytes: Float64Array = new Float64Array(0);
  streamIds: Uint32Array = new Uint32Array(0);
  taskIds: Uint32Array = new Uint32Array(0);
  siteIds: Uint32Array = new Uint32Array(0);
  ops: Uint8Array = new Uint8Array(0);
  outcomes: Uint8Array = new Uint8Array(0);
  /** The peers, as the decoder's strings (shared: one per distinct peer). */
  readonly peers: string[] = [];

  constructor(readonly sites: SiteTable) {}

  add(begin: TraceTime, streamId: number, taskId: number, opCode: number, peer: string, siteId: number): number {
    const i = this.length;
    if (i === this.begins.length) {
      const n = i + 1;
      this.begins = grownF64(this.begins, n); this.ends = grownF64(this.ends, n); this.bytes = grownF64(this.bytes, n);
      this.streamIds = grownU32(this.streamIds, n); this.taskIds = grownU32(this.taskIds, n); this.siteIds = grownU32(this.siteIds, n);
      this.ops = grownU8(this.ops, n); this.outcomes = grownU8(this.outcomes, n);
    }
    this.begins[i] = begin;
    this.ends[i] = NaN;
    this.bytes[i] = 0;
    this.streamIds[i] = streamId;
    this.taskIds[i] = taskId;
    this.siteIds[i] = siteId;
    this.ops[i] = opCode;
    this.outcomes[i] = OPEN;
    this.peers.push(peer);
    this.length++;
    return i;
  }

  close(i: number, end: TraceTime, bytes: number, outcomeCode: number): void {
    this.ends[i] = end;
    this.bytes[i] = bytes;
    this.outcomes[i] = outcomeCode;
  }

  at(i: number): IoWaitSpan | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    return {
      streamId: this.streamIds[i], taskId: this.taskIds[i], op: IO_OPS[this.ops[i]] as IoOp, peer: this.peers[i], bytes: this.bytes[i],
      outcome: outcomeOf(this.outcomes[i]), site: this.sites.get(this.siteIds[i]), begin: this.begins[i], end: endOf(this.ends[i]),
    };
  }

  [Symbol.iterator](): IterableIterator<IoWaitSpan> { return iterate(this); }
}

/** Every hold of the model (grant to release), in the order they were granted. */
export class HoldColumns {
  length = 0;
  begins: Float64Array = new Float64Array(0);
  ends: Float64Array = new Float64Array(0);
  taskIds: Uint32Array = new Uint32Array(0);
  siteIds: Uint32Array = new Uint32Array(0);
  /** 0 while the hold is open. */
  releaseSiteIds: Uint32Array = new Uint32Array(0);

  constructor(readonly sites: SiteTable) {}

  add(begin: TraceTime, taskId: number, siteId: number): number {
    const i = this.length;
    if (i === this.begins.length) {
      const n = i + 1;
      this.begins = grownF64(this.begins, n); this.ends = grownF64(this.ends, n);
      this.taskIds = grownU32(this.taskIds, n); this.siteIds = grownU32(this.siteIds, n); this.releaseSiteIds = grownU32(this.releaseSiteIds, n);
    }
    this.begins[i] = begin;
    this.ends[i] = NaN;
    this.taskIds[i] = taskId;
    this.siteIds[i] = siteId;
    this.releaseSiteIds[i] = 0;
    this.length++;
    return i;
  }

  isOpen(i: number): boolean {
    return Number.isNaN(this.ends[i]);
  }

  close(i: number, end: TraceTime, releaseSiteId: number): void {
    this.ends[i] = end;
    this.releaseSiteIds[i] = releaseSiteId;
  }

  at(i: number): HoldSpan {
    return { taskId: this.taskIds[i], site: this.sites.get(this.siteIds[i]), releaseSite: this.sites.get(this.releaseSiteIds[i]), begin: this.begins[i], end: endOf(this.ends[i]) };
  }
}

/** Every contended wait of the model (request to grant or abandonment), in the order they began. */
export class WaitColumns {
  length = 0;
  begins: Float64Array = new Float64Array(0);
  ends: Float64Array = new Float64Array(0);
  taskIds: Uint32Array = new Uint32Array(0);
  siteIds: Uint32Array = new Uint32Array(0);
  outcomes: Uint8Array = new Uint8Array(0);

  constructor(readonly sites: SiteTable) {}

  add(begin: TraceTime, taskId: number, siteId: number): number {
    const i = this.length;
    if (i === this.begins.length) {
      const n = i + 1;
      this.begins = grownF64(this.begins, n); this.ends = grownF64(this.ends, n);
      this.taskIds = grownU32(this.taskIds, n); this.siteIds = grownU32(this.siteIds, n); this.outcomes = grownU8(this.outcomes, n);
    }
    this.begins[i] = begin;
    this.ends[i] = NaN;
    this.taskIds[i] = taskId;
    this.siteIds[i] = siteId;
    this.outcomes[i] = OPEN;
    this.length++;
    return i;
  }

  close(i: number, end: TraceTime, outcomeCode: number): void {
    this.ends[i] = end;
    this.outcomes[i] = outcomeCode;
  }

  at(i: number): WaitSpan {
    return { taskId: this.taskIds[i], site: this.sites.get(this.siteIds[i]), begin: this.begins[i], end: endOf(this.ends[i]), outcome: outcomeOf(this.outcomes[i]) };
  }
}

/** A resource's holds, read from the model's hold columns. */
export class ColumnHoldList extends SpanIndex implements ReadList<HoldSpan> {
  constructor(readonly cols: HoldColumns, arena: IndexArena) { super(arena); }
  at(i: number): HoldSpan | undefined { return i >= 0 && i < this.length ? this.cols.at(this.get(i)) : undefined; }
  [Symbol.iterator](): IterableIterator<HoldSpan> { return iterate(this); }
}

/** A resource's contended waits, read from the model's wait columns. */
export class ColumnWaitList extends SpanIndex implements ReadList<WaitSpan> {
  constructor(readonly cols: WaitColumns, arena: IndexArena) { super(arena); }
  at(i: number): WaitSpan | undefined { return i >= 0 && i < this.length ? this.cols.at(this.get(i)) : undefined; }
  [Symbol.iterator](): IterableIterator<WaitSpan> { return iterate(this); }
}
