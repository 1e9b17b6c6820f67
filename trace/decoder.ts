/**
 * The trace decoder: bytes in arbitrary chunks → TraceEvent[] (trace/events.ts).
 * Pure TS (DataView/TextDecoder), so the extension host, the webview and the CLI share it.
 *
 * Invariants:
 * - only whole batches are decoded; a batch cut short stays buffered until its end
 *   arrives, so `push` never returns half a batch and `end()` reports the offset of the
 *   last whole batch;
 * - a foreign file (bad magic) or an unsupported version throws TraceFormatError from
 *   `push`; corruption found inside a batch (bad tag, inconsistent lengths, unknown record
 *   type or code, unknown string, time going backwards) stops decoding at the previous
 *   batch end: `push` returns what was whole before it and `end()` reports the error. So
 *   a live reader keeps everything that was good.
 */
import type { TraceHeader } from './model-types';
import type { TraceEvent } from './events';
import {
  BATCH_HEADER_SIZE, BATCH_TAG, HEADER_PREFIX_SIZE, MAGIC, MAX_BATCH_BODY, MAX_HEADER_BODY, OFF_CODE,
  OFF_TIME, OFF_TYPE, RECORD_SIZE, SUPPORTED_VERSIONS, TraceFormatError,
} from './format';
import { CODE_COUNT, MAX_RECORD_TYPE, readRecord, RecordType, type StringSource } from './records.generated';

const utf8 = new TextDecoder('utf-8', { fatal: false });

// Module-local copies: imported bindings can cost a getter call per use in unbundled runs.
const RS = RECORD_SIZE, O_TIME = OFF_TIME, O_TYPE = OFF_TYPE, O_CODE = OFF_CODE, MAX_TYPE = MAX_RECORD_TYPE;
const CODES = CODE_COUNT, read = readRecord;
/** A drained store at least this big is let go of (see releaseIfDrained). */
const RELEASE_BYTES = 1 << 20;

export interface DecodeEnd {
  /** The stream ended exactly after a whole batch (or the header) and nothing was wrong. */
  complete: boolean;
  /** Byte offset just after the last whole batch (after the header if none; 0 without a header). */
  stoppedAt: number;
  error?: string;
}

/**
 * Record types without string fields, which `pushTo` hands over in place (indexed by
 * record type): the bulk of every trace (runs, awaits, wakes, grants, callbacks).
 */
export const RAW_RECORD_TYPES: readonly number[] = [
  RecordType.TaskRunBegin, RecordType.TaskRunEnd, RecordType.AwaitBegin, RecordType.AwaitEnd, RecordType.Wake,
  RecordType.ResourceWaitBegin, RecordType.ResourceAcquired, RecordType.ResourceReleased,
  RecordType.CallbackBegin, RecordType.CallbackEnd, RecordType.LoopTurnBegin, RecordType.LoopTurnEnd,
];
const RAW: boolean[] = [];
for (const t of RAW_RECORD_TYPES) RAW[t] = true;

/** What `TraceDecoder.pushTo` feeds (the model). */
export interface RecordSink {
  setHeader(h: TraceHeader): void;
  /** A decoded event of a type not in RAW_RECORD_TYPES. */
  applyEvent(e: TraceEvent): void;
  /** A checked record of a type in RAW_RECORD_TYPES, to be read at byte `p` of `dv` (trace/format.ts layout). */
  rawRecord(dv: DataView, p: number, type: number, code: number, time: number): void;
}

export class TraceDecoder implements StringSource {
  /** Backing storage; `buf` is its filled part `[0, len)`. */
  private store: Uint8Array = new Uint8Array(0);
  private len = 0;
  private buf: Uint8Array = new Uint8Array(0);
  /** Bytes of `buf` consumed. */
  private pos = 0;
  /** Stream offset of `buf[0]`. */
  private base = 0;
  private hdr: TraceHeader | undefined;
  private readonly table: string[] = [''];
  private lastTime = -Infinity;
  private failure: string | undefined;

  get header(): TraceHeader | undefined { return this.hdr; }

  /**
   * Appends `bytes` and decodes the whole batches buffered, stopping after the batch
   * that reaches `maxEvents` events (the rest stays buffered for the next call, which
   * may pass no bytes). A limit lets a reader spread a big file over several turns.
   */
  push(bytes: Uint8Array, maxEvents = Infinity): TraceEvent[] {
    const out: TraceEvent[] = [];
    if (this.failure !== undefined) return out;
    if (bytes.length > 0) this.append(bytes, false);
    else if (this.pos >= this.len) return out;
    if (!this.hdr && !this.readHeader()) return out;
    try {
      while (out.length < maxEvents && this.readBatch(out)) { /* keep going */ }
    } catch (e) {
      this.stopAt(e);
    }
    this.releaseIfDrained();
    return out;
  }

  /**
   * Everything buffered is decoded: a big store goes (a whole trace handed over at once
   * stayed referenced after its last batch, 325 MB at 10M events in the webview, issue 18).
   * Small ones stay for the next chunks of a live stream.
   */
  private releaseIfDrained(): void {
    if (this.pos < this.len || this.store.length < RELEASE_BYTES) return;
    this.base += this.pos;
    this.store = this.buf = new Uint8Array(0);
    this.len = this.pos = 0;
  }

  /** The bytes buffered but not decoded yet, from a batch boundary after the header (whole batches first, then any partial one). */
  get buffered(): Uint8Array { return this.hdr && this.failure === undefined ? this.buf.subarray(this.pos) : new Uint8Array(0); }

  /** Whether a whole batch is buffered, so `push(empty)` would decode something. */
  get hasWholeBatch(): boolean {
    const b = this.buffered;
    if (b.length < BATCH_HEADER_SIZE) return false;
    const bodyLen = b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24);
    return b.length >= BATCH_HEADER_SIZE + (bodyLen >>> 0);
  }

  end(): DecodeEnd {
    const stoppedAt = this.base + this.pos;
    if (this.failure !== undefined) return { complete: false, stoppedAt, error: this.failure };
    if (!this.hdr) {
      return { complete: false, stoppedAt: 0, error: this.buf.length === 0 ? 'empty trace' : `truncated header at byte ${this.buf.length}` };
    }
    const rest = this.buf.length - this.pos;
    if (rest > 0) return { complete: false, stoppedAt, error: `truncated batch: ${rest} bytes after byte ${stoppedAt}` };
    return { complete: true, stoppedAt };
  }

  /**
   * Appends to the unconsumed bytes, compacting and growing geometrically (1-byte chunks
   * stay linear). A big chunk gets exactly the room it needs: doubling for a 64 MB piece
   * of a replay made a 128 MB store, and a backlog of pieces a 512 MB one.
   */
  private append(bytes: Uint8Array, owned: boolean): void {
    const rest = this.len - this.pos;
    if (rest === 0 && bytes.length >= this.store.length) {
      this.base += this.pos;
      this.store = owned ? bytes : bytes.slice();
      this.len = bytes.length;
      this.pos = 0;
      this.buf = this.store;
      return;
    }
    if (this.pos > 0 && (this.len + bytes.length > this.store.length || this.pos >= rest)) {
      this.store.copyWithin(0, this.pos, this.len);
      this.base += this.pos;
      this.len = rest;
      this.pos = 0;
    }
    if (this.len + bytes.length > this.store.length) {
      // A big chunk is room enough for what follows it; small ones (a live stream's) grow the store geometrically.
      const next = new Uint8Array(bytes.length >= RELEASE_BYTES ? this.len + bytes.length : Math.max(this.len + bytes.length, this.store.length * 2, 256));
      next.set(this.store.subarray(0, this.len));
      this.store = next;
    }
    this.store.set(bytes, this.len);
    this.len += bytes.length;
    this.buf = this.store.subarray(0, this.len);
  }

  /** Reads the header if it is all here; throws TraceFormatError for foreign data. */
  private readHeader(): boolean {
    const b = this.buf;
    const n = Math.min(b.length, MAGIC.length);
    for (let i = 0; i < n; i++) {
      if (b[i] !== MAGIC[i]) throw new TraceFormatError('not an Async Trace file (bad magic)', i);
    }
    if (b.length < HEADER_PREFIX_SIZE) return false;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const version = dv.getUint16(8, true);
    if (!SUPPORTED_VERSIONS.includes(version)) {
      throw new TraceFormatError(`unsupported trace format version ${version} (this reader knows ${SUPPORTED_VERSIONS.join(', ')})`, 8);
    }
    const bodyLen = dv.getUint32(12, true);
    if (bodyLen > MAX_HEADER_BODY || bodyLen < 12) throw new TraceFormatError(`bad header length ${bodyLen}`, 12);
    if (b.length < HEADER_PREFIX_SIZE + bodyLen) return false;
    const endAt = HEADER_PREFIX_SIZE + bodyLen;
    let p = HEADER_PREFIX_SIZE;
    const clockOriginUnixMs = dv.getFloat64(p, true); p += 8;
    const pid = dv.getUint32(p, true); p += 4;
    const strs: string[] = [];
    for (let i = 0; i < 4; i++) {
      if (p + 4 > endAt) throw new TraceFormatError('header string runs past the header', p);
      const len = dv.getUint32(p, true); p += 4;
      if (p + len > endAt) throw new TraceFormatError('header string runs past the header', p - 4);
      strs.push(utf8.decode(b.subarray(p, p + len))); p += len;
    }
    this.hdr = {
      formatVersion: version, clockOriginUnixMs, program: strs[0], root: strs[1],
      runtimeVersion: strs[2], nodeVersion: strs[3], pid,
    };
    this.pos = endAt;
    return true;
  }

  /** Decodes one whole batch into `out`; false when the next batch is not all here. */
  private readBatch(out: TraceEvent[]): boolean {
    const f = this.frame();
    if (!f) return false;
    const dv = f.dv;
    let p = f.p;
    const strings = this.table;
    const oldCount = strings.length;
    for (const s of f.newStrings) strings.push(s);
    const outStart = out.length;
    let lastTime = this.lastTime;
    try {
      for (let i = 0; i < f.eventCount; i++, p += RS) {
        const time = dv.getFloat64(p + O_TIME, true);
        if (!(time >= lastTime)) throw new TraceFormatError(`time ${time} before ${lastTime}`, this.base + p);
        lastTime = time;
        out.push(this.record(dv, p, time));
      }
    } catch (e) {
      // Nothing of a bad batch is kept.
      strings.length = oldCount;
      out.length = outStart;
      throw e;
    }
    this.lastTime = lastTime;
    this.pos = f.endAt;
    return true;
  }

  /**
   * Like `push`, but hands the records to `sink` instead of returning events: the header
   * once (`setHeader`), then each whole batch after all of it was checked (a bad batch
   * gives the sink nothing, as `push` returns nothing of it), its records of the types
   * in RAW_RECORD_TYPES read in place (`rawRecord`), the others as decoded events.
   * No event object per bulk record (issue 18). Like `push`, stops after the batch that
   * reaches `maxEvents`. Returns the records handed over.
   * `owned`: the caller hands `bytes` over and never reads them again (a message's own
   * copy), so a big chunk is kept as it is instead of copied (a 10M-event trace delivered
   * at once was 325 MB twice in the webview, issue 18).
   */
  pushTo(bytes: Uint8Array, sink: RecordSink, maxEvents = Infinity, owned = false): number {
    if (this.failure !== undefined) return 0;
    if (bytes.length > 0) this.append(bytes, owned);
    else if (this.pos >= this.len) return 0;
    if (!this.hdr) {
      if (!this.readHeader()) return 0;
      sink.setHeader(this.hdr!);
    }
    let n = 0;
    try {
      for (let k; n < maxEvents && (k = this.readBatchTo(sink)) >= 0;) n += k;
    } catch (e) {
      this.stopAt(e);
    }
    this.releaseIfDrained();
    return n;
  }

  /** A format error is final: keep its message, drop the rest of the stream (anything else is a bug: rethrown). */
  private stopAt(e: unknown): void {
    if (!(e instanceof TraceFormatError)) throw e;
    this.failure = e.message;
    this.base += this.pos;
    this.store = this.buf = new Uint8Array(0);
    this.len = this.pos = 0;
  }

  /** One whole batch to `sink` (see pushTo): its record count, or -1 when the next batch is not all here. */
  private readBatchTo(sink: RecordSink): number {
    const f = this.frame();
    if (!f) return -1;
    const { dv, eventCount } = f;
    const strings = this.table;
    const oldCount = strings.length;
    for (const s of f.newStrings) strings.push(s);
    // First check everything (and decode the records that are not read in place).
    const decoded: TraceEvent[] = [];
    let lastTime = this.lastTime;
    try {
      for (let i = 0, p = f.p; i < eventCount; i++, p += RS) {
        const time = dv.getFloat64(p + O_TIME, true);
        if (!(time >= lastTime)) throw new TraceFormatError(`time ${time} before ${lastTime}`, this.base + p);
        lastTime = time;
        const type = dv.getUint8(p + O_TYPE);
        if (RAW[type] === true) this.check(dv, p, type);
        else decoded.push(this.record(dv, p, time));
      }
    } catch (e) {
      strings.length = oldCount;
      throw e;
    }
    this.lastTime = lastTime;
    this.pos = f.endAt;
    for (let i = 0, p = f.p, d = 0; i < eventCount; i++, p += RS) {
      const type = dv.getUint8(p + O_TYPE);
      if (RAW[type] === true) sink.rawRecord(dv, p, type, dv.getUint8(p + O_CODE), dv.getFloat64(p + O_TIME, true));
      else sink.applyEvent(decoded[d++]);
    }
    return eventCount;
  }

  /** The next batch's framing and new strings, checked; undefined when it is not all here. */
  private frame(): { dv: DataView; p: number; eventCount: number; endAt: number; newStrings: string[] } | undefined {
    const b = this.buf;
    const start = this.pos;
    const at = this.base + start;
    if (b.length - start < BATCH_HEADER_SIZE) return undefined;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (dv.getUint32(start, true) !== BATCH_TAG) throw new TraceFormatError('bad batch tag', at);
    const bodyLen = dv.getUint32(start + 4, true);
    const stringCount = dv.getUint32(start + 8, true);
    const eventCount = dv.getUint32(start + 12, true);
    if (bodyLen > MAX_BATCH_BODY) throw new TraceFormatError(`batch too large (${bodyLen} bytes)`, at + 4);
    if (eventCount * RECORD_SIZE + stringCount * 4 > bodyLen) throw new TraceFormatError('batch counts exceed its length', at + 4);
    const endAt = start + BATCH_HEADER_SIZE + bodyLen;
    if (b.length < endAt) return undefined;
    // Commit only if the whole batch is good.
    let p = start + BATCH_HEADER_SIZE;
    const newStrings: string[] = [];
    for (let i = 0; i < stringCount; i++) {
      const len = dv.getUint32(p, true); p += 4;
      if (p + len > endAt) throw new TraceFormatError('string runs past its batch', this.base + p - 4);
      newStrings.push(utf8.decode(b.subarray(p, p + len))); p += len;
    }
    if (p + eventCount * RECORD_SIZE !== endAt) throw new TraceFormatError('batch length does not match its contents', at + 4);
    return { dv, p, eventCount, endAt, newStrings };
  }

  /** @internal the string at index `i` (for the generated readers); `at` locates the error. */
  str(i: number, at: number): string {
    if (i >= this.table.length) throw new TraceFormatError(`unknown string ${i}`, at);
    return this.table[i];
  }

  /** @internal strings `first .. first+count-1` (a sitesRegistered range). */
  strings(first: number, count: number, at: number): string[] {
    if (first + count > this.table.length) throw new TraceFormatError(`site strings ${first}..${first + count} undefined`, at);
    return this.table.slice(first, first + count);
  }

  /** The checks `record` makes before reading, for a record read in place (its type is known to be valid). */
  private check(dv: DataView, p: number, type: number): void {
    const code = dv.getUint8(p + O_CODE);
    const codes = CODES[type]!;
    if (codes > 0 ? code >= codes : code !== 0) throw new TraceFormatError(`bad code ${code} for record type ${type}`, this.base + p + O_CODE);
  }

  private record(dv: DataView, p: number, time: number): TraceEvent {
    const type = dv.getUint8(p + O_TYPE);
    const code = dv.getUint8(p + O_CODE);
    const at = this.base + p;
    if (type < 1 || type > MAX_TYPE) throw new TraceFormatError(`unknown record type ${type}`, at + O_TYPE);
    const codes = CODES[type]!;
    if (codes > 0 ? code >= codes : code !== 0) throw new TraceFormatError(`bad code ${code} for record type ${type}`, at + O_CODE);
    const e = read(this, dv, p, at, type, code, time);
    if (!e) throw new TraceFormatError(`unknown record type ${type}`, at + O_TYPE);
    return e;
  }
}

export interface DecodedTrace extends DecodeEnd {
  header: TraceHeader;
  events: TraceEvent[];
}

/** Decodes a whole file. Throws TraceFormatError for a foreign file, a bad version or a truncated header. */
export function decodeTrace(bytes: Uint8Array): DecodedTrace {
  const d = new TraceDecoder();
  const events = d.push(bytes);
  const end = d.end();
  if (!d.header) throw new TraceFormatError(end.error ?? 'no header', end.stoppedAt);
  return { header: d.header, events, ...end };
}
