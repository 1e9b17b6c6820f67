/**
 * The trace encoder: writes events as fixed-size records into one preallocated
 * ArrayBuffer (through Float64Array/Uint32Array views, no allocation per event) and
 * seals them into batches (docs/trace-format.md). Pure TS, no Node APIs.
 *
 * Invariants:
 * - times written never decrease: a time earlier than the previous one is clamped to it;
 * - a string is defined in the batch that first uses it, before that batch's records, and
 *   sent again only if another string has taken its slot in the string cache since (a
 *   direct-mapped cache of STRING_SLOTS entries, indexed by a hash of the string);
 * - `seal()` hands out a fresh Uint8Array and resets the buffer, so callers may keep batches.
 *
 * The fast path assumes a little-endian host (every platform Node ships for); on a
 * big-endian host the constructor throws rather than write a wrong file.
 */
import type { TraceHeader } from './model-types';
import type { TraceEvent } from './events';
import {
  BATCH_HEADER_SIZE, BATCH_TAG, FORMAT_VERSION, HEADER_PREFIX_SIZE, HOST_LITTLE_ENDIAN, MAGIC, RECORD_SIZE,
} from './format';
import { RecordWriter, writeEvent } from './records.generated';

export { writeEvent };

/**
 * String cache slots (a power of two). A direct-mapped cache instead of a Map of every
 * string: programs name tens of thousands of tasks uniquely ("Task-41213"), and a Map
 * that keeps them all costs 100-150 ns per new name (hashing, growth, old-space
 * promotion) against ~40 ns here; repeated names ('worker', a lock's name) stay cached
 * unless a colliding string evicts them, which costs a few bytes, never correctness.
 */
const STRING_SLOTS = 4096;
// A module-local copy: imported bindings can cost a getter call per use in unbundled runs.
const RS = RECORD_SIZE;
const utf8 = new TextEncoder();

/** Encodes a header: magic, version, and the header body. */
export function encodeHeader(h: TraceHeader): Uint8Array {
  const strings = [h.program, h.root, h.runtimeVersion, h.nodeVersion].map((s) => utf8.encode(s));
  const bodyLen = 8 + 4 + strings.reduce((n, s) => n + 4 + s.length, 0);
  const out = new Uint8Array(HEADER_PREFIX_SIZE + bodyLen);
  const dv = new DataView(out.buffer);
  out.set(MAGIC, 0);
  dv.setUint16(8, FORMAT_VERSION, true);
  dv.setUint16(10, 0, true);
  dv.setUint32(12, bodyLen, true);
  let p = HEADER_PREFIX_SIZE;
  dv.setFloat64(p, h.clockOriginUnixMs, true); p += 8;
  dv.setUint32(p, h.pid >>> 0, true); p += 4;
  for (const s of strings) {
    dv.setUint32(p, s.length, true); p += 4;
    out.set(s, p); p += s.length;
  }
  return out;
}

export interface EncoderOptions {
  /** Events per batch; the buffer is preallocated for this many records. Default 2048. */
  batchEvents?: number;
  /** Called with each sealed batch when the buffer fills during a write. */
  onBatch: (batch: Uint8Array) => void;
}

/**
 * The per-record methods (`taskCreated(time, taskId, parentId, name, site)`, ...) are
 * generated from the record table (RecordWriter, trace/records.generated.ts); this class
 * supplies the buffer, the string cache and the batch framing they write through.
 */
export class TraceEncoder extends RecordWriter {
  private readonly capacity: number;
  private readonly buf: ArrayBuffer;
  protected readonly f64: Float64Array;
  protected readonly u32: Uint32Array;
  private readonly u8: Uint8Array;
  private readonly onBatch: (batch: Uint8Array) => void;
  private n = 0;
  private last = 0;
  private readonly slotString: string[] = new Array<string>(STRING_SLOTS).fill('');
  private readonly slotIndex = new Uint32Array(STRING_SLOTS);
  private nextString = 1;
  private pending: string[] = [];

  constructor(options: EncoderOptions) {
    super();
    if (!HOST_LITTLE_ENDIAN) throw new Error('the trace encoder needs a little-endian host');
    this.capacity = Math.max(1, options.batchEvents ?? 2048);
    this.buf = new ArrayBuffer(this.capacity * RECORD_SIZE);
    this.f64 = new Float64Array(this.buf);
    this.u32 = new Uint32Array(this.buf);
    this.u8 = new Uint8Array(this.buf);
    this.onBatch = options.onBatch;
  }

  /** The latest time written so far (records are never earlier than it). */
  get lastTime(): number { return this.last; }

  /** Events waiting in the current (unsealed) batch. */
  get buffered(): number { return this.n; }

  /** The batch so far as bytes, or undefined when empty; resets the buffer. */
  seal(): Uint8Array | undefined {
    const n = this.n;
    const pending = this.pending;
    if (n === 0 && pending.length === 0) return undefined;
    // One allocation of the exact size when every new string is ASCII (names, sites,
    // messages nearly always are): each batch is a fresh off-heap buffer, and V8 counts
    // them towards its GC pressure, so no scratch copy or trimming slice per batch.
    let ascii = BATCH_HEADER_SIZE + n * RS;
    for (const str of pending) ascii += 4 + str.length;
    const out = new Uint8Array(ascii);
    const total = this.writeBatch(out, n, pending);
    // A non-ASCII string did not fit: encode again into a worst-case buffer and trim.
    const batch = total === out.length ? out : this.sealWide(n, pending);
    this.n = 0;
    this.pending = [];
    return batch;
  }

  private sealWide(n: number, pending: string[]): Uint8Array {
    let bound = BATCH_HEADER_SIZE + n * RS;
    for (const str of pending) bound += 4 + 3 * str.length;
    const tmp = new Uint8Array(bound);
    const total = this.writeBatch(tmp, n, pending);
    return total === tmp.length ? tmp : tmp.slice(0, total);
  }

  /**
   * Writes the batch (framing, strings, records) into `out`; returns its length, or -1
   * when a string needed more room than `out` has (only when a string is not ASCII).
   */
  private writeBatch(out: Uint8Array, n: number, pending: string[]): number {
    const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const recBytes = n * RS;
    const room = out.length - recBytes;
    let p = BATCH_HEADER_SIZE;
    for (const str of pending) {
      const at = p + 4;
      let len = 0;
      const L = str.length;
      if (at + L > room) return -1;
      for (; len < L; len++) {
        const ch = str.charCodeAt(len);
        if (ch >= 0x80) break;
        out[at + len] = ch;
      }
      if (len < L) {
        if (at + 3 * L > room) return -1;
        len = utf8.encodeInto(str, out.subarray(at, at + 3 * L)).written;
      }
      dv.setUint32(p, len, true);
      p = at + len;
    }
    out.set(this.u8.subarray(0, recBytes), p);
    const total = p + recBytes;
    dv.setUint32(0, BATCH_TAG, true);
    dv.setUint32(4, total - BATCH_HEADER_SIZE, true);
    dv.setUint32(8, pending.length, true);
    dv.setUint32(12, n, true);
    return total;
  }

  protected str(s: string): number {
    // '' is index 0 in every stream (ok outcomes, unnamed resources).
    const L = s.length;
    if (L === 0) return 0;
    // Hash the last (at most 32) characters: generated names differ at the end.
    let h = L;
    for (let i = L - 1, stop = L > 32 ? L - 32 : 0; i >= stop; i--) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    const k = (h ^ (h >>> 15)) & (STRING_SLOTS - 1);
    if (this.slotString[k] === s) return this.slotIndex[k]!;
    const id = this.nextString++;
    this.slotString[k] = s;
    this.slotIndex[k] = id;
    this.pending.push(s);
    return id;
  }

  /** Defines `list` as fresh strings with consecutive indices (site strings are unique), so a record can name the range. */
  protected strings(list: readonly string[]): number {
    const first = this.nextString;
    for (const s of list) { this.pending.push(s); this.nextString++; }
    return first;
  }

  /**
   * Starts a record: returns the u32 index of its first word. Strings must be interned
   * before calling this (interning never seals, but a full buffer seals here).
   */
  protected rec(time: number, type: number, code: number): number {
    if (this.n === this.capacity) {
      const batch = this.seal();
      if (batch) this.onBatch(batch);
    }
    const i = this.n++;
    if (time > this.last) this.last = time; else time = this.last;
    this.f64[i << 2] = time;
    const w = i << 3;
    this.u32[w + 2] = type | (code << 8);
    return w;
  }
}

/** A whole .atrace file from a header and events (golden traces, tests, export tools). */
export function encodeTrace(header: TraceHeader, events: readonly TraceEvent[], batchEvents = 2048): Uint8Array {
  const parts: Uint8Array[] = [encodeHeader(header)];
  const enc = new TraceEncoder({ batchEvents, onBatch: (b) => parts.push(b) });
  for (const e of events) writeEvent(enc, e);
  const last = enc.seal();
  if (last) parts.push(last);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
