/**
 * StreamReader: asyncio's reader over a buffer that the transport feeds.
 *
 * Invariants:
 * - At most one read waits at a time (asyncio's rule); a second concurrent read throws.
 * - The buffer holds received, unconsumed bytes as a list of chunks; `eof` is set once
 *   the peer has finished, and `error` once the connection failed. Reads consume from
 *   the front only.
 * - Flow control: the transport is paused while more than 2 x `limit` bytes are
 *   buffered, and resumed when a read brings it back to `limit` or less.
 * - The transport calls `feedData`/`feedEof`/`setException` from Node's event loop, not
 *   from the runtime loop, so the waiter is woken through `callSoonThreadsafe`.
 */
import { IncompleteReadError, LimitOverrunError } from '../errors';
import type { Future } from '../future';
import { hooks, nextId } from '../instrument';
import { getRunningLoop } from '../running-loop';
import { takeSite } from '../sites';
import { callFromNode } from './call-from-node';
import { ioWait } from './io-wait';

/** The default buffer limit, as in asyncio: 64 KiB. */
export const DEFAULT_LIMIT = 64 * 1024;

/** What the reader needs from its transport: pausing and resuming the flow. */
export interface ReadTransport {
  pause(): void;
  resume(): void;
}

export interface StreamReaderOptions {
  /** Longest line (or `readuntil` chunk) accepted, and the flow-control mark. */
  limit?: number;
  /** The stream's id in the trace (shared with its writer). */
  streamId?: number;
  /** The peer, as shown in I/O waits. */
  peer?: string;
}

export class StreamReader implements AsyncIterable<Buffer> {
  readonly limit: number;
  /** This stream's id in the trace. */
  readonly id: number;
  peer: string;
  private chunks: Buffer[] = [];
  private size = 0;
  private eof = false;
  private error: unknown = undefined;
  private waiter: Future<void> | undefined;
  private transport: ReadTransport | undefined;
  private paused = false;

  constructor(options?: StreamReaderOptions) {
    this.limit = options?.limit ?? DEFAULT_LIMIT;
    if (!(this.limit > 0)) throw new RangeError('limit must be positive');
    this.id = options?.streamId ?? nextId();
    this.peer = options?.peer ?? '?';
  }

  setTransport(t: ReadTransport): void {
    this.transport = t;
  }

  feedData(data: Buffer): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.size += data.length;
    this.wakeUp();
    if (this.transport && !this.paused && this.size > 2 * this.limit) {
      this.paused = true;
      this.transport.pause();
    }
  }

  feedEof(): void {
    this.eof = true;
    this.wakeUp();
  }

  setException(e: unknown): void {
    this.error = e;
    this.wakeUp();
  }

  exception(): unknown {
    return this.error;
  }

  /** True once the peer has finished and everything received has been read. */
  atEof(): boolean {
    return this.eof && this.size === 0;
  }

  /** Up to `n` bytes (at least one unless at EOF); with `n < 0`, everything until EOF. */
  async read(n = -1): Promise<Buffer> {
    const site = hooks.on ? takeSite() : 0;
    this.throwIfFailed();
    if (n === 0) return Buffer.alloc(0);
    if (n < 0) {
      while (!this.eof) await this.waitForData(site);
      return this.take(this.size);
    }
    if (this.size === 0 && !this.eof) await this.waitForData(site);
    return this.take(Math.min(n, this.size));
  }

  /** Exactly `n` bytes; throws IncompleteReadError (with the bytes read) if EOF comes first. */
  async readexactly(n: number): Promise<Buffer> {
    const site = hooks.on ? takeSite() : 0;
    if (n < 0) throw new RangeError('readexactly size can not be less than zero');
    this.throwIfFailed();
    while (this.size < n) {
      if (this.eof) throw new IncompleteReadError(this.take(this.size), n);
      await this.waitForData(site);
    }
    return this.take(n);
  }

  /**
   * Bytes up to and including `separator`. Throws IncompleteReadError with what was left
   * if EOF comes first, and LimitOverrunError (leaving the data buffered, `consumed` set)
   * if the chunk would exceed the limit.
   */
  async readuntil(separator: string | Uint8Array = '\n'): Promise<Buffer> {
    const site = hooks.on ? takeSite() : 0;
    const sep = typeof separator === 'string' ? Buffer.from(separator) : Buffer.from(separator);
    if (sep.length === 0) throw new RangeError('separator should be at least one-byte string');
    this.throwIfFailed();
    let offset = 0;
    while (true) {
      if (this.size - offset >= sep.length) {
        const buf = this.flat();
        const i = buf.indexOf(sep, offset);
        if (i >= 0) {
          const end = i + sep.length;
          if (end > this.limit) throw new LimitOverrunError('Separator is found, but chunk is longer than limit', i);
          return this.take(end);
        }
        offset = this.size + 1 - sep.length;
        if (offset > this.limit) throw new LimitOverrunError('Separator is not found, and chunk exceed the limit', offset);
      }
      if (this.eof) throw new IncompleteReadError(this.take(this.size), null);
      await this.waitForData(site);
    }
  }

  /**
   * One line, '\n' included; at EOF the unterminated rest (empty when nothing is left).
   * A line longer than the limit is discarded and LimitOverrunError is thrown.
   */
  async readline(): Promise<Buffer> {
    try {
      return await this.readuntil('\n');
    } catch (e) {
      if (e instanceof IncompleteReadError) return Buffer.from(e.partial);
      if (e instanceof LimitOverrunError) {
        // As asyncio: drop the separator-terminated chunk if there is one, else the buffer.
        const buf = this.flat();
        if (buf.indexOf(0x0a, e.consumed) === e.consumed) this.take(e.consumed + 1);
        else this.take(this.size);
      }
      throw e;
    }
  }

  /** Lines until EOF, as `readline` returns them. */
  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    while (true) {
      const line = await this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }

  private throwIfFailed(): void {
    if (this.error !== undefined) throw this.error;
  }

  private async waitForData(site: number): Promise<void> {
    if (this.waiter) throw new Error('StreamReader: another task is already waiting for data on this stream');
    if (this.paused) this.resumeFlow();
    const fut = getRunningLoop().createFuture<void>();
    this.waiter = fut;
    try {
      await ioWait(fut, this.id, 'read', this.peer, site, () => this.size);
    } finally {
      this.waiter = undefined;
    }
    this.throwIfFailed();
  }

  private wakeUp(): void {
    const w = this.waiter;
    if (!w || w.done()) return;
    callFromNode(w.getLoop(), () => { if (!w.done()) w.setResult(undefined); });
  }

  private flat(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Removes and returns the first `n` buffered bytes (n <= size). */
  private take(n: number): Buffer {
    let out: Buffer;
    if (n === 0) out = Buffer.alloc(0);
    else if (this.chunks[0]!.length === n) out = this.chunks.shift()!;
    else {
      const buf = this.flat();
      out = buf.subarray(0, n);
      this.chunks = n === buf.length ? [] : [buf.subarray(n)];
    }
    this.size -= n;
    if (this.paused && this.size <= this.limit) this.resumeFlow();
    return out;
  }

  private resumeFlow(): void {
    this.paused = false;
    this.transport?.resume();
  }
}
