/**
 * Where sealed batches go. A sink never throws at the tracer and never waits on a reader:
 * - FileSink writes synchronously (page-cache writes of whole batches): from the
 *   tracer's setImmediate/timer when the loop runs, and from inside a hook once a small
 *   bound is queued (`writeBound`), so a file trace never drops, even when the program
 *   never lets the loop run; a flush at exit loses nothing.
 * - SocketSink hands bytes to the kernel with a non-blocking write on the socket's fd
 *   (the token line too: a unix socket is connected in the kernel when connect()
 *   returns), from inside hooks as batches are sealed, so the recorder drains them
 *   while the program runs, even through back-to-back hand-offs that never yield (Node's
 *   own buffer only moves when the loop polls). What the kernel does not take stays in
 *   the tracer's queue, bounded, and is retried (`direct`); only a socket without an fd
 *   (a Windows pipe) and the final close go through Node's buffer, so bytes never go out
 *   of order. `backlog()` exposes that buffer so the tracer bounds it too and drops (and
 *   counts) events instead of growing without limit. At a hard exit it writes what it
 *   still holds straight to the fd when Node's buffer is empty. Otherwise (not
 *   connected, or bytes queued in Node that die with the process) it writes every byte
 *   that may not have reached the kernel to a spill file beside a unix socket
 *   (`<socket>.spill`, in the recorder's private folder; created exclusively, never
 *   through a link), headed by the token and the stream offset of its first byte; the
 *   recorder appends what it did not receive (docs/trace-format.md, "Transport").
 * A failing sink goes quiet (`failed` set, one message on stderr) and the tracer stops.
 */
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { spillHeader, spillPathFor, tokenLine, type TraceTarget } from '../../trace/transport';

export interface Sink {
  /** Queues or writes bytes; never throws, never waits for a reader. */
  write(bytes: Uint8Array): void;
  /**
   * Hands the kernel as much of `bytes` as it takes right now without waiting, and only
   * when that keeps the stream in order; returns how many bytes it took (0 when it cannot
   * or would have to wait: a file, a full or unconnected socket, bytes queued in Node).
   * The tracer calls it from inside hooks, as each batch is sealed, so a socket drains
   * during a long synchronous burst of events instead of only when the loop next polls.
   */
  tryWrite(bytes: Uint8Array): number;
  /**
   * Queued bytes past which the tracer calls `write` from inside a hook instead of
   * waiting for the loop (Infinity: never). A file takes every byte without waiting on
   * a reader, so a file trace never drops, even in a program that never yields.
   */
  readonly writeBound: number;
  /**
   * True when bytes the tracer keeps will reach the kernel through `tryWrite` (a socket
   * with a direct path): the tracer then retries itself instead of handing them to
   * `write`, whose Node buffer only moves when the loop polls.
   */
  readonly direct: boolean;
  /** Bytes accepted but not yet handed to the OS. */
  backlog(): number;
  /**
   * Bytes of the stream (after a socket's token line) handed to the OS so far: a reader
   * that has received this many has everything written before. Absent where it means
   * nothing to a reader (the flight recorder's ring).
   */
  delivered?(): number;
  /** Writes synchronously as far as the OS allows (the process is about to die). */
  writeAtExit(bytes: Uint8Array): void;
  /** Flushes and closes; resolves when the bytes are out (or the sink failed). */
  close(): Promise<void>;
  /** Close without waiting (exit path). */
  closeSync(): void;
  readonly failed: boolean;
  /** Keep the process alive until the sink drains (beforeExit path). */
  ref(): void;
}

function warn(what: string, e: unknown): void {
  try {
    process.stderr.write(`async-trace: ${what}: ${e instanceof Error ? e.message : String(e)}; tracing stopped\n`);
  } catch {
    // stderr closed: nothing more to do.
  }
}

export class FileSink implements Sink {
  private fd: number | undefined;
  failed = false;
  private written = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(bytes: Uint8Array): void {
    if (this.fd === undefined) return;
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
      this.written += off;
    } catch (e) {
      this.failed = true;
      warn('cannot write the trace file', e);
      this.closeSync();
    }
  }

  backlog(): number { return 0; }
  delivered(): number { return this.written; }
  /**
   * Page-cache writes of whole batches: from the tracer's setImmediate when the loop
   * runs, and from a hook once 1 MiB (a few batches) is queued, so a program that never
   * yields loses nothing. A bound rather than every batch: one write per ~30,000 events.
   */
  readonly writeBound = 1 << 20;
  readonly direct = false;
  tryWrite(): number { return 0; }
  writeAtExit(bytes: Uint8Array): void { this.write(bytes); }
  ref(): void { /* nothing pending */ }

  closeSync(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try { closeSync(fd); } catch { /* already closed */ }
  }

  close(): Promise<void> {
    this.closeSync();
    return Promise.resolve();
  }
}

/**
 * The spill file is created, never reused: O_EXCL fails on anything already at that
 * path (a file or a symlink planted beside the socket, whose target 'w' would have
 * truncated), and O_NOFOLLOW refuses a link on the later appends. (0 where the platform
 * has no such flag: Windows, whose pipes have no spill.)
 */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const SPILL_CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;
const SPILL_APPEND = constants.O_WRONLY | constants.O_APPEND | NOFOLLOW;

type SocketTarget = Extract<TraceTarget, { kind: 'unix' | 'tcp' }>;

export class SocketSink implements Sink {
  private readonly socket: Socket;
  private readonly token: string;
  private readonly spillPath: string | undefined;
  failed = false;
  private closed = false;
  /** Trace bytes handed to the socket so far (after the token line). */
  private written = 0;
  /**
   * The most recent chunks handed to the socket, at least the last `writableLength`
   * bytes of them (what Node still holds or is writing): a copy of what could be lost
   * at a hard exit, bounded by the backlog the tracer already limits.
   */
  private recent: Uint8Array[] = [];
  private recentBytes = 0;
  /** The spill file has been started: later bytes at exit go after it, in order. */
  private spilled = false;
  /** The token line, until it has been handed to the kernel or to Node. */
  private pendingToken: Buffer | undefined;
  /** Bytes of the token line already handed to the kernel. */
  private tokenSent = 0;

  constructor(target: SocketTarget) {
    this.token = target.token;
    this.spillPath = target.kind === 'unix' ? spillPathFor(target.path) : undefined;
    this.socket = target.kind === 'unix'
      ? connect({ path: target.path })
      : connect({ host: target.host, port: target.port });
    this.socket.setNoDelay?.(true);
    this.socket.unref();
    this.socket.on('error', (e) => {
      if (this.failed) return;
      this.failed = true;
      if (!this.closed) warn('trace socket error', e);
      this.socket.destroy();
    });
    // The token line goes first, straight to the fd when it can (a unix socket is
    // connected in the kernel as soon as connect() returns, though Node reports it only
    // when the loop next polls): then trace bytes can follow directly from the first
    // hook on, in a program that never yields. Otherwise Node sends it once connected.
    this.pendingToken = Buffer.from(tokenLine(target.token), 'latin1');
    this.socket.on('connect', () => { this.writeDirect(new Uint8Array(0), false); this.tokenThroughNode(); });
    this.writeDirect(new Uint8Array(0), false);
  }

  /** Whether a direct path to the kernel exists (an fd: not a Windows pipe) and still works. */
  get direct(): boolean {
    return !this.failed && !this.closed && this.directFd() !== undefined;
  }

  readonly writeBound = Infinity;

  /** Sends the rest of the token line through Node if it did not go directly (before any trace byte). */
  private tokenThroughNode(): void {
    const t = this.pendingToken;
    if (t === undefined || this.failed || this.closed) return;
    this.pendingToken = undefined;
    this.socket.write(t.subarray(this.tokenSent));
  }

  write(bytes: Uint8Array): void {
    if (this.failed || this.closed) return;
    // What the kernel takes now is delivered even if the process dies; only the rest is
    // queued in Node (and remembered for the spill file).
    const done = this.writeDirect(bytes, false);
    if (done === bytes.length) return;
    const rest = done === 0 ? bytes : bytes.subarray(done);
    this.tokenThroughNode();
    this.socket.write(rest);
    this.written += rest.length;
    this.remember(rest);
  }

  tryWrite(bytes: Uint8Array): number {
    return this.writeDirect(bytes, false);
  }

  private remember(bytes: Uint8Array): void {
    this.recent.push(bytes);
    this.recentBytes += bytes.length;
    const atRisk = this.socket.writableLength;
    while (this.recent.length > 1 && this.recentBytes - this.recent[0]!.length >= atRisk) {
      this.recentBytes -= this.recent.shift()!.length;
    }
  }

  backlog(): number { return this.socket.writableLength; }

  /** What Node still holds has not reached the kernel; everything else written has. */
  delivered(): number { return this.written - Math.min(this.written, this.socket.writableLength); }

  ref(): void { this.socket.ref(); }

  /** The socket to the recorder: the tracer's own, left out of the exit handles. */
  get ownHandle(): object { return this.socket; }

  /**
   * Straight to the fd when Node's buffer is empty; when it is not (or the socket is
   * not connected), a direct write would reorder bytes (or fail), so everything that may not
   * have reached the kernel goes to the spill file instead.
   */
  writeAtExit(bytes: Uint8Array): void {
    if (this.closed) return;
    if (this.spilled) {
      if (!this.spill(bytes)) this.write(bytes);
      return;
    }
    const done = this.writeDirect(bytes, true);
    if (done === bytes.length) return;
    const rest = bytes.subarray(done);
    if (!this.spill(rest)) this.write(rest);
  }

  /**
   * Writes the bytes at risk plus `tail` to the spill file, synchronously; false when
   * there is no spill file for this target or it cannot be written.
   */
  private spill(tail: Uint8Array): boolean {
    if (this.spillPath === undefined) return false;
    if (this.spilled) {
      try {
        const fd = openSync(this.spillPath, SPILL_APPEND);
        try { writeAll(fd, tail); } finally { closeSync(fd); }
        this.written += tail.length;
        return true;
      } catch {
        return false;
      }
    }
    // Bytes at risk: what Node still holds. While connecting that includes the token
    // line, i.e. the recorder has received nothing: the spill starts at offset 0.
    const atRisk = Math.min(this.socket.writableLength, this.recentBytes, this.written);
    const from = this.written - atRisk;
    const parts: Uint8Array[] = [];
    let skip = this.recentBytes - atRisk;
    for (const c of this.recent) {
      if (skip >= c.length) { skip -= c.length; continue; }
      parts.push(skip > 0 ? c.subarray(skip) : c);
      skip = 0;
    }
    parts.push(tail);
    let fd: number | undefined;
    try {
      fd = openSync(this.spillPath, SPILL_CREATE, 0o600);
      writeAll(fd, Buffer.from(spillHeader(this.token, from), 'latin1'));
      for (const p of parts) writeAll(fd, p);
      this.written += tail.length;
      this.spilled = true;
      return true;
    } catch {
      return false;
    } finally {
      if (fd !== undefined) try { closeSync(fd); } catch { /* nothing more to do */ }
    }
  }

  private directFd(): number | undefined {
    const fd = (this.socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    return typeof fd === 'number' && fd >= 0 ? fd : undefined;
  }

  /**
   * How many bytes went straight to the fd (the token line first, if still pending):
   * none while Node's buffer holds bytes (they would be overtaken) or before the kernel
   * has a connection (an error: ENOTCONN, EAGAIN). A full socket (EAGAIN) ends the
   * attempt at once, except at exit (`persist`), where it is retried for a bounded while.
   */
  private writeDirect(bytes: Uint8Array, persist: boolean): number {
    if (this.failed || this.closed || this.socket.writableLength > 0) return 0;
    const fd = this.directFd();
    if (fd === undefined) return 0;
    const token = this.pendingToken;
    if (token !== undefined) {
      try {
        while (this.tokenSent < token.length) this.tokenSent += writeSync(fd, token, this.tokenSent, token.length - this.tokenSent);
      } catch {
        return 0;
      }
      this.pendingToken = undefined;
    }
    let off = 0;
    let spins = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(fd, bytes, off, bytes.length - off);
      } catch (e) {
        if (!persist || (e as NodeJS.ErrnoException).code !== 'EAGAIN' || ++spins > 100_000) break;
      }
    }
    this.written += off;
    return off;
  }

  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end();
  }

  close(): Promise<void> {
    if (this.closed || this.failed) { this.closed = true; return Promise.resolve(); }
    this.closed = true;
    return new Promise((resolve) => {
      this.socket.ref();
      const done = (): void => resolve();
      this.socket.once('close', done);
      this.socket.once('error', done);
      this.socket.end();
    });
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

export function openSink(target: TraceTarget): Sink {
  return target.kind === 'file' ? new FileSink(target.path) : new SocketSink(target);
}
