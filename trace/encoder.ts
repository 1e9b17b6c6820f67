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
import type {
  AwaitKind, CallbackKind, IoOp, Outcome, ResourceKind, ResourceSignal,
} from '../runtime/instrument-types';
import {
  AWAIT_KIND_CODE, BATCH_HEADER_SIZE, BATCH_TAG, CALLBACK_KIND_CODE, FORMAT_VERSION,
  HEADER_PREFIX_SIZE, HOST_LITTLE_ENDIAN, IO_OP_CODE, MAGIC, OUTCOME_CODE, RECORD_SIZE,
  RESOURCE_KIND_CODE, RESOURCE_SIGNAL_CODE, RecordType,
} from './format';

/**
 * String cache slots (a power of two). A direct-mapped cache instead of a Map of every
 * string: programs name tens of thousands of tasks uniquely ("Task-41213"), and a Map
 * that keeps them all costs 100-150 ns per new name (hashing, growth, old-space
 * promotion) against ~40 ns here; repeated names ('worker', a lock's name) stay cached
 * unless a colliding string evicts them, which costs a few bytes, never correctness.
 */
const STRING_SLOTS = 4096;
// Module-local copies: imported bindings can cost a getter call per use in unbundled runs.
const R = RecordType;
const RS = RECORD_SIZE;
const OUTCOME = OUTCOME_CODE, AWAIT = AWAIT_KIND_CODE, RKIND = RESOURCE_KIND_CODE;
const CKIND = CALLBACK_KIND_CODE, SIGNAL = RESOURCE_SIGNAL_CODE, IOOP = IO_OP_CODE;
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

export class TraceEncoder {
  private readonly capacity: number;
  private readonly buf: ArrayBuffer;
  private readonly f64: Float64Array;
  private readonly u32: Uint32Array;
  private readonly u8: Uint8Array;
  private readonly onBatch: (batch: Uint8Array) => void;
  private n = 0;
  private last = 0;
  private readonly slotString: string[] = new Array<string>(STRING_SLOTS).fill('');
  private readonly slotIndex = new Uint32Array(STRING_SLOTS);
  private nextString = 1;
  private pending: string[] = [];

  constructor(options: EncoderOptions) {
    if (!HOST_LITTLE_ENDIAN) throw new Error('the trace encoder needs a little-endian host');
    this.capacity = Math.max(1, options.batchEvents ?? 2048);
    this.buf = new ArrayBuffer(this.capacity * RECORD_SIZE);
    this.f64 = new Float64Array(this.buf);
    this.u32 = new Uint32Array(this.buf);
    this.u8 = new Uint8Array(this.buf);
    this.onBatch = options.onBatch;
  }

  /** Events waiting in the current (unsealed) batch. */
  get buffered(): number { return this.n; }

  /** The last time written (the floor for the next one). */
  get lastTime(): number { return this.last; }

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

  private str(s: string): number {
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


  /**
   * Starts a record: returns the u32 index of its first word. Strings must be interned
   * before calling this (interning never seals, but a full buffer seals here).
   */
  private rec(time: number, type: number, code: number): number {
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

  sitesRegistered(time: number, base: number, sites: readonly string[]): void {
    // Site strings are unique; take consecutive fresh indices so the record names a range.
    const first = this.nextString;
    for (const s of sites) { this.pending.push(s); this.nextString++; }
    const w = this.rec(time, R.SitesRegistered, 0);
    this.u32[w + 3] = base; this.u32[w + 4] = sites.length; this.u32[w + 5] = first;
  }

  taskCreated(time: number, taskId: number, parentId: number, name: string, site: number): void {
    const s = this.str(name);
    const w = this.rec(time, R.TaskCreated, 0);
    this.u32[w + 3] = taskId; this.u32[w + 4] = parentId; this.u32[w + 5] = s; this.u32[w + 6] = site;
  }

  taskRenamed(time: number, taskId: number, name: string): void {
    const s = this.str(name);
    const w = this.rec(time, R.TaskRenamed, 0);
    this.u32[w + 3] = taskId; this.u32[w + 4] = s;
  }

  taskRunBegin(time: number, taskId: number): void {
    this.u32[this.rec(time, R.TaskRunBegin, 0) + 3] = taskId;
  }

  taskRunEnd(time: number, taskId: number): void {
    this.u32[this.rec(time, R.TaskRunEnd, 0) + 3] = taskId;
  }

  taskDone(time: number, taskId: number, outcome: Outcome, message: string): void {
    const s = this.str(message);
    const w = this.rec(time, R.TaskDone, OUTCOME[outcome]);
    this.u32[w + 3] = taskId; this.u32[w + 4] = s;
  }

  awaitBegin(time: number, taskId: number, kind: AwaitKind, targetId: number, site: number): void {
    const w = this.rec(time, R.AwaitBegin, AWAIT[kind]);
    this.u32[w + 3] = taskId; this.u32[w + 4] = targetId; this.u32[w + 5] = site;
  }

  awaitEnd(time: number, taskId: number, targetId: number, outcome: Outcome): void {
    const w = this.rec(time, R.AwaitEnd, OUTCOME[outcome]);
    this.u32[w + 3] = taskId; this.u32[w + 4] = targetId;
  }

  wake(time: number, wakerTaskId: number, callbackId: number, wokenTaskId: number, targetId: number): void {
    const w = this.rec(time, R.Wake, 0);
    this.u32[w + 3] = wakerTaskId; this.u32[w + 4] = callbackId; this.u32[w + 5] = wokenTaskId; this.u32[w + 6] = targetId;
  }

  resourceCreated(time: number, resourceId: number, kind: ResourceKind, name: string, site: number, capacity: number): void {
    const s = this.str(name);
    const w = this.rec(time, R.ResourceCreated, RKIND[kind]);
    this.u32[w + 3] = resourceId; this.u32[w + 4] = s; this.u32[w + 5] = site;
    this.f64[(w >> 1) + 3] = capacity;
  }

  resourceWaitBegin(time: number, resourceId: number, taskId: number, site: number): void {
    const w = this.rec(time, R.ResourceWaitBegin, 0);
    this.u32[w + 3] = resourceId; this.u32[w + 4] = taskId; this.u32[w + 5] = site;
  }

  resourceWaitAbandoned(time: number, resourceId: number, taskId: number, outcome: Outcome): void {
    const w = this.rec(time, R.ResourceWaitAbandoned, OUTCOME[outcome]);
    this.u32[w + 3] = resourceId; this.u32[w + 4] = taskId;
  }

  resourceAcquired(time: number, resourceId: number, taskId: number, site: number): void {
    const w = this.rec(time, R.ResourceAcquired, 0);
    this.u32[w + 3] = resourceId; this.u32[w + 4] = taskId; this.u32[w + 5] = site;
  }

  resourceReleased(time: number, resourceId: number, taskId: number, site: number): void {
    const w = this.rec(time, R.ResourceReleased, 0);
    this.u32[w + 3] = resourceId; this.u32[w + 4] = taskId; this.u32[w + 5] = site;
  }

  resourceSignal(time: number, resourceId: number, taskId: number, signal: ResourceSignal, site: number): void {
    const w = this.rec(time, R.ResourceSignal, SIGNAL[signal]);
    this.u32[w + 3] = resourceId; this.u32[w + 4] = taskId; this.u32[w + 5] = site;
  }

  resourceLevel(time: number, resourceId: number, level: number): void {
    const w = this.rec(time, R.ResourceLevel, 0);
    this.u32[w + 3] = resourceId;
    this.f64[(w >> 1) + 3] = level;
  }

  callbackScheduled(time: number, handleId: number, kind: CallbackKind, delayMs: number, site: number): void {
    const w = this.rec(time, R.CallbackScheduled, CKIND[kind]);
    this.u32[w + 3] = handleId; this.u32[w + 4] = site;
    this.f64[(w >> 1) + 3] = delayMs;
  }

  callbackBegin(time: number, handleId: number): void {
    this.u32[this.rec(time, R.CallbackBegin, 0) + 3] = handleId;
  }

  callbackEnd(time: number, handleId: number): void {
    this.u32[this.rec(time, R.CallbackEnd, 0) + 3] = handleId;
  }

  loopTurnBegin(time: number): void { this.rec(time, R.LoopTurnBegin, 0); }

  loopTurnEnd(time: number): void { this.rec(time, R.LoopTurnEnd, 0); }

  jobSubmitted(time: number, jobId: number, executorId: number, fnName: string, site: number): void {
    const s = this.str(fnName);
    const w = this.rec(time, R.JobSubmitted, 0);
    this.u32[w + 3] = jobId; this.u32[w + 4] = executorId; this.u32[w + 5] = s; this.u32[w + 6] = site;
  }

  jobStarted(time: number, jobId: number, workerIndex: number): void {
    const w = this.rec(time, R.JobStarted, 0);
    this.u32[w + 3] = jobId; this.u32[w + 4] = workerIndex;
  }

  jobFinished(time: number, jobId: number, outcome: Outcome, message: string): void {
    const s = this.str(message);
    const w = this.rec(time, R.JobFinished, OUTCOME[outcome]);
    this.u32[w + 3] = jobId; this.u32[w + 4] = s;
  }

  ioWaitBegin(time: number, streamId: number, taskId: number, op: IoOp, peer: string, site: number): void {
    const s = this.str(peer);
    const w = this.rec(time, R.IoWaitBegin, IOOP[op]);
    this.u32[w + 3] = streamId; this.u32[w + 4] = taskId; this.u32[w + 5] = s; this.u32[w + 6] = site;
  }

  ioWaitEnd(time: number, streamId: number, taskId: number, bytes: number, outcome: Outcome): void {
    const w = this.rec(time, R.IoWaitEnd, OUTCOME[outcome]);
    this.u32[w + 3] = streamId; this.u32[w + 4] = taskId;
    this.f64[(w >> 1) + 3] = bytes;
  }

  dropped(time: number, count: number): void {
    const w = this.rec(time, R.Dropped, 0);
    this.f64[(w >> 1) + 3] = count;
  }

  loopBlocked(time: number, durationMs: number): void {
    const w = this.rec(time, R.LoopBlocked, 0);
    this.f64[(w >> 1) + 3] = durationMs;
  }
}

/** Writes a decoded event back through the encoder (tools, tests, re-encoding). */
export function writeEvent(enc: TraceEncoder, e: TraceEvent): void {
  const t = e.time;
  switch (e.type) {
    case 'sitesRegistered': return enc.sitesRegistered(t, e.base, e.sites);
    case 'taskCreated': return enc.taskCreated(t, e.taskId, e.parentId, e.name, e.site);
    case 'taskRenamed': return enc.taskRenamed(t, e.taskId, e.name);
    case 'taskRunBegin': return enc.taskRunBegin(t, e.taskId);
    case 'taskRunEnd': return enc.taskRunEnd(t, e.taskId);
    case 'taskDone': return enc.taskDone(t, e.taskId, e.outcome, e.message);
    case 'awaitBegin': return enc.awaitBegin(t, e.taskId, e.kind, e.targetId, e.site);
    case 'awaitEnd': return enc.awaitEnd(t, e.taskId, e.targetId, e.outcome);
    case 'wake': return enc.wake(t, e.wakerTaskId, e.callbackId, e.wokenTaskId, e.targetId);
    case 'resourceCreated': return enc.resourceCreated(t, e.resourceId, e.kind, e.name, e.site, e.capacity);
    case 'resourceWaitBegin': return enc.resourceWaitBegin(t, e.resourceId, e.taskId, e.site);
    case 'resourceWaitAbandoned': return enc.resourceWaitAbandoned(t, e.resourceId, e.taskId, e.outcome);
    case 'resourceAcquired': return enc.resourceAcquired(t, e.resourceId, e.taskId, e.site);
    case 'resourceReleased': return enc.resourceReleased(t, e.resourceId, e.taskId, e.site);
    case 'resourceSignal': return enc.resourceSignal(t, e.resourceId, e.taskId, e.signal, e.site);
    case 'resourceLevel': return enc.resourceLevel(t, e.resourceId, e.level);
    case 'callbackScheduled': return enc.callbackScheduled(t, e.handleId, e.kind, e.delayMs, e.site);
    case 'callbackBegin': return enc.callbackBegin(t, e.handleId);
    case 'callbackEnd': return enc.callbackEnd(t, e.handleId);
    case 'loopTurnBegin': return enc.loopTurnBegin(t);
    case 'loopTurnEnd': return enc.loopTurnEnd(t);
    case 'jobSubmitted': return enc.jobSubmitted(t, e.jobId, e.executorId, e.fnName, e.site);
    case 'jobStarted': return enc.jobStarted(t, e.jobId, e.workerIndex);
    case 'jobFinished': return enc.jobFinished(t, e.jobId, e.outcome, e.message);
    case 'ioWaitBegin': return enc.ioWaitBegin(t, e.streamId, e.taskId, e.op, e.peer, e.site);
    case 'ioWaitEnd': return enc.ioWaitEnd(t, e.streamId, e.taskId, e.bytes, e.outcome);
    case 'dropped': return enc.dropped(t, e.count);
    case 'loopBlocked': return enc.loopBlocked(t, e.durationMs);
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
