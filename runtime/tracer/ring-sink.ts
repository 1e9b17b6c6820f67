/**
 * The flight recorder's sink (ASYNC_TRACE_RING): it keeps the most recent sealed batches
 * in memory, at most `ringBytes` of them, and writes them out as a trace of their own
 * when asked (`save`), instead of writing everything.
 *
 * A window cut from the middle of a stream is not a trace by itself: its records name
 * tasks, resources and strings defined before it. So:
 * - the batches it lets go of are decoded and folded into a RingState (what is alive at
 *   the cut), and a saved window starts with that state's declarations (ring-state.ts);
 * - strings are numbered per stream, so the tracer starts a fresh encoder (strings
 *   numbered from 1, its cache empty, every site named again) at each *segment* start,
 *   about every ringBytes/4 (`wantsNewSegment`/`newSegment`): a segment is a stream of
 *   its own, and what the window needs of the segment it begins in is only the strings
 *   that segment's evicted batches defined (kept as their raw bytes, at most a
 *   segment's worth);
 * - a saved window is the header, the prelude, then every kept event decoded (each
 *   segment with its own decoder) and written again through one new encoder, so the file
 *   is numbered consistently and its times never go back.
 * The window's first declaration is stamped with the time of its first kept event.
 *
 * Cost: the program pays for decoding what the ring lets go of (off the hooks: the
 * tracer hands batches over from a setImmediate or timer) and for a save (synchronous:
 * decoding and encoding the window, ~ a second for 64 MB).
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { TraceDecoder } from '../../trace/decoder';
import { TraceEncoder, writeEvent } from '../../trace/encoder';
import type { TraceEvent } from '../../trace/events';
import { BATCH_HEADER_SIZE, BATCH_TAG, HEADER_PREFIX_SIZE } from '../../trace/format';
import { RingState } from './ring-state';
import type { Sink } from './sinks';

interface Kept {
  bytes: Uint8Array;
  /** Which segment (encoder) wrote it. */
  segment: number;
}

export interface RingSaveResult {
  file: string;
  events: number;
  bytes: number;
  /** Tasks declared at the window's start (alive across the cut). */
  declaredTasks: number;
}

/** The strings section of a batch (its string table, as bytes) and its record count. */
function batchLayout(b: Uint8Array): { stringsEnd: number; strings: number; records: number } {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const strings = dv.getUint32(8, true);
  let p = BATCH_HEADER_SIZE;
  for (let i = 0; i < strings; i++) p += 4 + dv.getUint32(p, true);
  return { stringsEnd: p, strings, records: dv.getUint32(12, true) };
}

function writeAll(fd: number, b: Uint8Array): void {
  let o = 0;
  while (o < b.length) o += writeSync(fd, b, o, b.length - o);
}

export class RingSink implements Sink {
  failed = false;
  /** Memory that never waits on a reader: every sealed batch goes into the ring at once (the ring bounds it). */
  readonly writeBound = 0;
  readonly direct = false;
  private header: Uint8Array | undefined;
  /** Bytes of a header or batch not whole yet (writes may split or join them). */
  private partial = new Uint8Array(0);
  private readonly kept: Kept[] = [];
  private head = 0;
  private keptBytes = 0;
  private segment = 0;
  private segmentBytes = 0;
  private readonly state = new RingState();
  /** The segment being evicted, its decoder, and the string bytes its evicted batches defined. */
  private tailSegment = -1;
  private tailDecoder: TraceDecoder | undefined;
  private tailStrings: Uint8Array[] = [];
  private tailStringCount = 0;
  private closed = false;

  constructor(readonly ringBytes: number, private readonly file: string) {}

  /** Bytes of batches held now (at most ringBytes). */
  get heldBytes(): number { return this.keptBytes; }
  /** Batches held now. */
  get heldBatches(): number { return this.kept.length - this.head; }
  /** The batches held, oldest first (tests). */
  heldBatchBytes(): Uint8Array[] { return this.kept.slice(this.head).map((k) => k.bytes); }

  write(bytes: Uint8Array): void {
    if (this.closed) return;
    let b = bytes;
    if (this.partial.length > 0) {
      const joined = new Uint8Array(this.partial.length + bytes.length);
      joined.set(this.partial);
      joined.set(bytes, this.partial.length);
      b = joined;
      this.partial = new Uint8Array(0);
    }
    let p = 0;
    while (p < b.length) {
      const n = this.whole(b, p);
      if (n === 0) { this.partial = b.slice(p); break; }
      const piece = p === 0 && n === b.length ? b : b.subarray(p, p + n);
      if (!this.header) this.header = piece.slice(); else this.keep(piece);
      p += n;
    }
  }

  /** Length of the whole header or batch at `p`, 0 if it is not all here. */
  private whole(b: Uint8Array, p: number): number {
    const rest = b.length - p;
    const dv = new DataView(b.buffer, b.byteOffset + p, rest);
    if (!this.header) {
      if (rest < HEADER_PREFIX_SIZE) return 0;
      const n = HEADER_PREFIX_SIZE + dv.getUint32(12, true);
      return rest >= n ? n : 0;
    }
    if (rest < BATCH_HEADER_SIZE) return 0;
    if (dv.getUint32(0, true) !== BATCH_TAG) throw new Error('ring: not a batch');
    const n = BATCH_HEADER_SIZE + dv.getUint32(4, true);
    return rest >= n ? n : 0;
  }

  private keep(batch: Uint8Array): void {
    this.kept.push({ bytes: batch, segment: this.segment });
    this.keptBytes += batch.length;
    this.segmentBytes += batch.length;
    while (this.keptBytes > this.ringBytes && this.head < this.kept.length) this.evict();
    // Compact the array of kept batches now and then (a queue without shifting every time).
    if (this.head > 1024 && this.head * 2 > this.kept.length) { this.kept.splice(0, this.head); this.head = 0; }
  }

  private evict(): void {
    const k = this.kept[this.head];
    this.kept[this.head++] = undefined as unknown as Kept;
    this.keptBytes -= k.bytes.length;
    if (k.segment !== this.tailSegment) {
      this.tailSegment = k.segment;
      this.tailDecoder = new TraceDecoder();
      this.tailDecoder.push(this.header!);
      this.tailStrings = [];
      this.tailStringCount = 0;
    }
    const layout = batchLayout(k.bytes);
    if (layout.strings > 0) {
      this.tailStrings.push(k.bytes.slice(BATCH_HEADER_SIZE, layout.stringsEnd));
      this.tailStringCount += layout.strings;
    }
    for (const e of this.tailDecoder!.push(k.bytes)) this.state.apply(e);
  }

  /** The tracer asks after each flush: a new segment (a fresh encoder) is due. */
  wantsNewSegment(): boolean {
    return this.segmentBytes >= Math.max(1, this.ringBytes / 4);
  }

  /** The tracer started a fresh encoder: batches from now on number their strings from 1. */
  newSegment(): void {
    this.segment++;
    this.segmentBytes = 0;
  }

  /** A batch defining the evicted part of the tail segment's strings, so its kept batches decode with the right numbers. */
  private tailStringsBatch(): Uint8Array {
    const len = this.tailStrings.reduce((n, s) => n + s.length, 0);
    const b = new Uint8Array(BATCH_HEADER_SIZE + len);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, BATCH_TAG, true);
    dv.setUint32(4, len, true);
    dv.setUint32(8, this.tailStringCount, true);
    dv.setUint32(12, 0, true);
    let p = BATCH_HEADER_SIZE;
    for (const s of this.tailStrings) { b.set(s, p); p += s.length; }
    return b;
  }

  /** The kept events, segment by segment, one batch at a time. */
  private *windowEvents(): Generator<TraceEvent> {
    let decoder: TraceDecoder | undefined;
    let segment = -1;
    for (let i = this.head; i < this.kept.length; i++) {
      const k = this.kept[i];
      if (k.segment !== segment || !decoder) {
        segment = k.segment;
        decoder = new TraceDecoder();
        decoder.push(this.header!);
        if (segment === this.tailSegment && this.tailStringCount > 0) decoder.push(this.tailStringsBatch());
      }
      yield* decoder.push(k.bytes);
    }
  }

  /** Time of the first kept event (the window's start), or undefined when none is kept. */
  private windowStart(): number | undefined {
    for (let i = this.head; i < this.kept.length; i++) {
      const b = this.kept[i].bytes;
      const { stringsEnd, records } = batchLayout(b);
      if (records > 0) return new DataView(b.buffer, b.byteOffset, b.byteLength).getFloat64(stringsEnd, true);
    }
    return undefined;
  }

  /**
   * Writes the window to `file` (default: the sink's file), synchronously: to a
   * temporary file first, renamed over the target once whole, so a reader never sees
   * half a window. Returns what was written.
   */
  save(file = this.file): RingSaveResult {
    if (!this.header) throw new Error('nothing recorded yet');
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    let events = 0;
    let bytes = 0;
    let declaredTasks = 0;
    try {
      const out = (b: Uint8Array): void => { writeAll(fd, b); bytes += b.length; };
      out(this.header);
      const enc = new TraceEncoder({ batchEvents: 4096, onBatch: out });
      const sites = new Set<number>();
      const start = this.windowStart() ?? 0;
      for (const e of this.state.prelude(start)) {
        if (e.type === 'sitesRegistered') sites.add(e.base);
        if (e.type === 'taskCreated') declaredTasks++;
        writeEvent(enc, e);
        events++;
      }
      for (const e of this.windowEvents()) {
        // Every segment names the sites again (a fresh encoder); the window names each block once.
        if (e.type === 'sitesRegistered') { if (sites.has(e.base)) continue; sites.add(e.base); }
        writeEvent(enc, e);
        events++;
      }
      const last = enc.seal();
      if (last) out(last);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    return { file, events, bytes, declaredTasks };
  }

  tryWrite(bytes: Uint8Array): number {
    // Memory takes any batch at once; evictions are decoded here too, which is the
    // ring's price (the tracer calls this when a batch is sealed).
    this.write(bytes);
    return bytes.length;
  }

  backlog(): number { return 0; }
  writeAtExit(bytes: Uint8Array): void { this.write(bytes); }
  ref(): void { /* nothing pending */ }

  /** Saves the window to the sink's file, once, and stops taking batches. */
  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.header) return;
    try {
      this.save();
    } catch (e) {
      this.failed = true;
      try { process.stderr.write(`async-trace: cannot write the recent trace to ${this.file}: ${e instanceof Error ? e.message : String(e)}\n`); } catch { /* stderr closed */ }
    }
  }

  close(): Promise<void> {
    this.closeSync();
    return Promise.resolve();
  }
}
