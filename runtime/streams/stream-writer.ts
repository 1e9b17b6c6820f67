/**
 * StreamWriter: asyncio's writer over a Node socket.
 *
 * Invariants:
 * - `write` never blocks; it hands bytes to the socket, whose buffer may grow past its
 *   high-water mark. `drain()` is the backpressure point: it waits (a traced I/O wait)
 *   while the socket reports `writableNeedDrain`, i.e. until Node has flushed the buffer
 *   to the kernel and emitted 'drain'.
 * - A connection that failed makes `drain()` throw its error; one that closed makes it
 *   throw a ConnectionResetError-like Error.
 * - `close()` flushes what was written, then closes the socket (Node `destroySoon`).
 */
import type { Socket } from 'node:net';
import type { Future } from '../future';
import { awaitOn } from '../await-on';
import { hooks } from '../instrument';
import { getRunningLoop } from '../running-loop';
import { takeSite } from '../sites';
import { callFromNode } from './call-from-node';
import { ioWait } from './io-wait';
import type { StreamReader } from './stream-reader';

export type ExtraInfoName = 'peername' | 'sockname' | 'socket';

/** The connection was closed by the peer or lost while writing. */
export class ConnectionResetError extends Error {
  override name = 'ConnectionResetError';
}

export class StreamWriter {
  private closing = false;
  private closed = false;
  private error: Error | undefined;
  private readonly closeWaiters = new Set<Future<void>>();
  private readonly drainWaiters = new Set<Future<void>>();

  constructor(
    /** The underlying socket (also `getExtraInfo('socket')`). */
    readonly socket: Socket,
    readonly reader: StreamReader | undefined,
    /** This stream's id in the trace (the reader's id). */
    readonly id: number,
    readonly peer: string,
  ) {
    socket.on('drain', () => this.settle(this.drainWaiters));
    socket.on('error', (e) => { this.error = e; });
    socket.on('close', () => {
      this.closed = true;
      this.settle(this.drainWaiters);
      this.settle(this.closeWaiters);
    });
  }

  write(data: string | Uint8Array): void {
    if (this.closing) throw new ConnectionResetError('write() after close()');
    this.socket.write(data);
  }

  writelines(list: Iterable<string | Uint8Array>): void {
    for (const d of list) this.write(d);
  }

  canWriteEof(): boolean {
    return true;
  }

  /** Half-closes: the peer reads EOF, this side can still read. */
  writeEof(): void {
    this.socket.end();
  }

  /** Waits until the socket's write buffer is below its high-water mark. */
  async drain(): Promise<void> {
    const site = hooks.on ? takeSite() : 0;
    this.throwIfBroken();
    while (this.socket.writableNeedDrain && !this.closed) {
      const fut = getRunningLoop().createFuture<void>();
      this.drainWaiters.add(fut);
      const pending = this.socket.writableLength;
      try {
        await ioWait(fut, this.id, 'drain', this.peer, site, () => pending - this.socket.writableLength);
      } finally {
        this.drainWaiters.delete(fut);
      }
      this.throwIfBroken();
    }
  }

  /** Flushes what was written, then closes the connection. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.destroySoon();
  }

  isClosing(): boolean {
    return this.closing;
  }

  /** Resolves once the socket has closed; throws the connection's error if it failed. */
  async waitClosed(): Promise<void> {
    const site = hooks.on ? takeSite() : 0;
    if (!this.closed) {
      const fut = getRunningLoop().createFuture<void>();
      this.closeWaiters.add(fut);
      try {
        await awaitOn(fut, 'io', this.id, site);
      } finally {
        this.closeWaiters.delete(fut);
      }
    }
    if (this.error) throw this.error;
  }

  /**
   * `peername`/`sockname` as `[address, port]`, or the socket itself; `defaultValue`
   * (asyncio's `default`) when the value is not known (a closed socket has no peer) or
   * the name is not one of these.
   */
  getExtraInfo(name: 'peername' | 'sockname'): [string, number] | undefined;
  getExtraInfo<D>(name: 'peername' | 'sockname', defaultValue: D): [string, number] | D;
  getExtraInfo(name: 'socket'): Socket;
  getExtraInfo<D = undefined>(name: string, defaultValue?: D): [string, number] | Socket | D | undefined;
  getExtraInfo<D>(name: string, defaultValue?: D): [string, number] | Socket | D | undefined {
    const s = this.socket;
    switch (name as ExtraInfoName) {
      case 'peername': return s.remoteAddress !== undefined ? [s.remoteAddress, s.remotePort ?? 0] : defaultValue;
      case 'sockname': return s.localAddress !== undefined ? [s.localAddress, s.localPort ?? 0] : defaultValue;
      case 'socket': return s;
      default: return defaultValue;
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }

  private throwIfBroken(): void {
    if (this.error) throw this.error;
    if (this.closed) throw new ConnectionResetError('Connection lost');
  }

  private settle(waiters: Set<Future<void>>): void {
    for (const w of waiters) {
      if (!w.done()) callFromNode(w.getLoop(), () => { if (!w.done()) w.setResult(undefined); });
    }
  }
}
