/**
 * Server and startServer: a TCP server whose every accepted connection runs the handler
 * as a new task with its own StreamReader/StreamWriter (asyncio `start_server`).
 *
 * Invariants:
 * - `close()` stops listening; connections already accepted stay open (asyncio 3.12).
 * - `waitClosed()` resolves once the server is closed and every accepted connection has
 *   ended (Node's 'close' event on the server means exactly that).
 * - `serveForever()` waits until `close()`; cancelling it closes the server.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { awaitOn } from '../await-on';
import { CancelledError } from '../errors';
import type { Future } from '../future';
import { hooks, nextId } from '../instrument';
import type { EventLoop } from '../loop';
import { getRunningLoop } from '../running-loop';
import { takeSite } from '../sites';
import type { Task } from '../task';
import { callFromNode } from './call-from-node';
import { wrapSocket, type ConnectionOptions } from './connection';
import { ioWait } from './io-wait';
import type { StreamReader } from './stream-reader';
import type { StreamWriter } from './stream-writer';

export type ConnectionHandler = (reader: StreamReader, writer: StreamWriter) => PromiseLike<unknown> | void;

export interface ServerOptions extends ConnectionOptions {
  backlog?: number;
}

export class Server {
  /** This server's id in the trace. */
  readonly id = nextId();
  private serving = true;
  private fullyClosed = false;
  private readonly closeWaiters = new Set<Future<void>>();
  private readonly stopWaiters = new Set<Future<void>>();
  /** The handler tasks of connections still being served. */
  readonly connections = new Set<Task<unknown>>();

  constructor(private readonly server: net.Server, private readonly loop: EventLoop) {
    server.on('close', () => {
      this.fullyClosed = true;
      this.settle(this.closeWaiters);
    });
  }

  /** The listening addresses (one per listening socket). */
  get sockets(): readonly AddressInfo[] {
    const a = this.server.address();
    return a && typeof a === 'object' ? [a] : [];
  }

  getLoop(): EventLoop {
    return this.loop;
  }

  isServing(): boolean {
    return this.serving;
  }

  /** Stops accepting connections. */
  close(): void {
    if (!this.serving) return;
    this.serving = false;
    this.server.close();
    this.settle(this.stopWaiters);
  }

  /** Resolves once the server is closed and all its connections have ended. */
  async waitClosed(): Promise<void> {
    const site = hooks.on ? takeSite() : 0;
    if (this.fullyClosed) return;
    const fut = this.loop.createFuture<void>();
    this.closeWaiters.add(fut);
    try {
      await awaitOn(fut, 'io', this.id, site);
    } finally {
      this.closeWaiters.delete(fut);
    }
  }

  /** Serves until `close()`; cancelling the awaiting task closes the server. */
  async serveForever(): Promise<void> {
    const site = hooks.on ? takeSite() : 0;
    if (!this.serving) return;
    const fut = this.loop.createFuture<void>();
    this.stopWaiters.add(fut);
    try {
      await ioWait(fut, this.id, 'accept', this.sockets.map((a) => `${a.address}:${a.port}`).join(','), site, () => 0);
    } catch (e) {
      if (e instanceof CancelledError) {
        this.close();
        await this.waitClosed();
      }
      throw e;
    } finally {
      this.stopWaiters.delete(fut);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }

  private settle(waiters: Set<Future<void>>): void {
    for (const w of waiters) {
      if (!w.done()) callFromNode(this.loop, () => { if (!w.done()) w.setResult(undefined); });
    }
  }
}

/**
 * Listens on `host:port` (port 0 picks a free one; see `server.sockets[0].port`) and runs
 * `handler(reader, writer)` as a new task for each connection.
 */
export async function startServer(
  handler: ConnectionHandler, host: string, port: number, options?: ServerOptions,
): Promise<Server> {
  const site = hooks.on ? takeSite() : 0;
  const loop = getRunningLoop();
  const netServer = net.createServer();
  const server = new Server(netServer, loop);
  netServer.on('connection', (socket) => {
    if (loop.isClosed()) {
      socket.destroy(); // the program that served is gone
      return;
    }
    const [reader, writer] = wrapSocket(socket, options);
    callFromNode(loop, () => {
      const task = loop.createTask(async () => handler(reader, writer));
      server.connections.add(task);
      task.addDoneCallback(() => server.connections.delete(task));
    });
  });
  const listening = loop.createFuture<void>();
  const onError = (e: Error): void => { callFromNode(loop, () => { if (!listening.done()) listening.setException(e); }); };
  netServer.once('error', onError);
  netServer.listen({ host, port, backlog: options?.backlog }, () => {
    netServer.off('error', onError);
    callFromNode(loop, () => { if (!listening.done()) listening.setResult(undefined); });
  });
  await awaitOn(listening, 'io', server.id, site);
  return server;
}
