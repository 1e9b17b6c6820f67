/**
 * Where sealed batches go. A sink never throws at the tracer and never blocks the
 * program for long:
 * - FileSink writes synchronously (page-cache writes of whole batches, done from a
 *   setImmediate/timer, never from a hook), so a flush at exit loses nothing;
 * - SocketSink writes through Node's socket buffer; `backlog()` exposes that buffer so
 *   the tracer can bound it and drop (and count) events instead of growing without
 *   limit. At a hard exit it writes what it still holds straight to the socket's fd,
 *   but only when Node's own buffer is empty (otherwise bytes would go out of order).
 * A failing sink goes quiet (`failed` set, one message on stderr) and the tracer stops.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { TraceTarget } from './address';
import { tokenLine } from './address';

export interface Sink {
  /** Queues or writes bytes; never throws. */
  write(bytes: Uint8Array): void;
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
  failed = false;
  private closed = false;

  constructor(target: SocketTarget) {
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
    this.socket.write(bytes);
  }

  backlog(): number { return this.socket.writableLength; }

  ref(): void { this.socket.ref(); }

  /**
   * Straight to the fd when Node's buffer is empty; when it is not, a direct write would
   * reorder bytes, so the bytes go through the buffer and may be lost with the process
   * (the reader then stops at the last whole batch).
   */
  writeAtExit(bytes: Uint8Array): void {
    const done = this.writeDirect(bytes);
    if (done < bytes.length) this.write(bytes.subarray(done));
  }

  /** How many bytes went straight to the fd. */
  private writeDirect(bytes: Uint8Array): number {
    if (this.failed || this.closed || this.socket.writableLength > 0 || this.socket.connecting) return 0;
    const fd = (this.socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) return 0;
    let off = 0;
    let spins = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(fd, bytes, off, bytes.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' || ++spins > 100_000) return off;
      }
    }
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

export function openSink(target: TraceTarget): Sink {
  return target.kind === 'file' ? new FileSink(target.path) : new SocketSink(target);
}
