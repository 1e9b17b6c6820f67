/**
 * Where sealed batches go. A sink never throws at the tracer and never blocks the
 * program for long:
 * - FileSink writes synchronously (page-cache writes of whole batches, done from a
 *   setImmediate/timer, never from a hook), so a flush at exit loses nothing;
 * - SocketSink hands bytes to the kernel at once with a non-blocking write on the
 *   socket's fd while Node's own buffer is empty, so the recorder drains them while the
 *   program keeps running, even through a long synchronous burst of events (Node's
 *   buffer only moves when the loop polls); the rest goes through Node's socket buffer,
 *   so bytes never go out of order. `backlog()` exposes that buffer so
 *   the tracer can bound it and drop (and count) events instead of growing without
 *   limit. At a hard exit it writes what it still holds straight to the socket's fd
 *   when Node's own buffer is empty. Otherwise (still connecting, or bytes queued in
 *   Node that die with the process) it writes every byte that may not have reached the
 *   kernel to a spill file beside a unix socket (`<socket>.spill`, in the recorder's
 *   private folder), headed by the token and the stream offset of its first byte; the
 *   recorder appends what it did not receive (docs/trace-format.md, "Transport").
 * A failing sink goes quiet (`failed` set, one message on stderr) and the tracer stops.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { TraceTarget } from './address';
import { spillHeader, spillPathFor, tokenLine } from './address';

export interface Sink {
  /** Queues or writes bytes; never throws, never waits. */
  write(bytes: Uint8Array): void;
  /**
   * Hands the kernel as much of `bytes` as it takes right now without waiting, and only
   * when that keeps the stream in order; returns how many bytes it took (0 when it cannot
   * or would have to wait: a file, a connecting socket, bytes queued in Node). The tracer
   * calls it from inside hooks, as each batch is sealed, so a socket drains during a
   * long synchronous burst of events instead of only when the loop next polls.
   */
  tryWrite(bytes: Uint8Array): number;
  /** Bytes accepted but not yet handed to the OS. */
  backlog(): number;
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

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(bytes: Uint8Array): void {
    if (this.fd === undefined) return;
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    } catch (e) {
      this.failed = true;
      warn('cannot write the trace file', e);
      this.closeSync();
    }
  }

  backlog(): number { return 0; }
  /** A file write waits for the disk: only from the tracer's setImmediate, never a hook. */
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
    // Written before connecting: Node buffers it and sends it first.
    this.socket.write(tokenLine(target.token));
  }

  write(bytes: Uint8Array): void {
    if (this.failed || this.closed) return;
    // What the kernel takes now is delivered even if the process dies; only the rest is
    // queued in Node (and remembered for the spill file).
    const done = this.writeDirect(bytes, false);
    if (done === bytes.length) return;
    const rest = done === 0 ? bytes : bytes.subarray(done);
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

  ref(): void { this.socket.ref(); }

  /**
   * Straight to the fd when Node's buffer is empty; when it is not (or the socket is
   * still connecting), a direct write would reorder bytes, so everything that may not
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
        const fd = openSync(this.spillPath, 'a');
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
      fd = openSync(this.spillPath, 'w', 0o600);
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

  /**
   * How many bytes went straight to the fd: none while Node's buffer holds bytes (they
   * would be overtaken) or the socket is connecting. A full socket (EAGAIN) ends the
   * attempt at once, except at exit (`persist`), where it is retried for a bounded while.
   */
  private writeDirect(bytes: Uint8Array, persist: boolean): number {
    if (this.failed || this.closed || this.socket.writableLength > 0 || this.socket.connecting) return 0;
    const fd = (this.socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) return 0;
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
