/**
 * Wiring a Node socket to a StreamReader/StreamWriter pair, for both ends: the client
 * (`openConnection`) and each connection a server accepts. The pair shares one stream id,
 * so the trace shows reads and drains of one connection on one target.
 */
import net from 'node:net';
import { hooks, nextId } from '../instrument';
import { getRunningLoop } from '../running-loop';
import { takeSite } from '../sites';
import { callFromNode } from './call-from-node';
import { ioWait, peerOf } from './io-wait';
import { StreamReader, type StreamReaderOptions } from './stream-reader';
import { StreamWriter } from './stream-writer';

export interface ConnectionOptions {
  /** The reader's buffer limit (default 64 KiB). */
  limit?: number;
}

/** Creates the reader/writer pair for a connected socket. */
export function wrapSocket(socket: net.Socket, options?: ConnectionOptions, id = nextId()): [StreamReader, StreamWriter] {
  const peer = peerOf(socket.remoteAddress, socket.remotePort);
  const readerOptions: StreamReaderOptions = { streamId: id, peer };
  if (options?.limit !== undefined) readerOptions.limit = options.limit;
  const reader = new StreamReader(readerOptions);
  reader.setTransport({ pause: () => socket.pause(), resume: () => socket.resume() });
  socket.on('data', (d: Buffer) => reader.feedData(d));
  socket.on('end', () => reader.feedEof());
  socket.on('error', (e) => reader.setException(e));
  socket.on('close', () => reader.feedEof());
  const writer = new StreamWriter(socket, reader, id, peer);
  return [reader, writer];
}

/** Connects to `host:port` over TCP; resolves with the stream pair once connected. */
export async function openConnection(
  host: string, port: number, options?: ConnectionOptions,
): Promise<[StreamReader, StreamWriter]> {
  const site = hooks.on ? takeSite() : 0;
  const loop = getRunningLoop();
  const fut = loop.createFuture<void>();
  const socket = net.connect({ host, port });
  const onError = (e: Error): void => { callFromNode(loop, () => { if (!fut.done()) fut.setException(e); }); };
  socket.once('error', onError);
  socket.once('connect', () => {
    socket.off('error', onError);
    callFromNode(loop, () => { if (!fut.done()) fut.setResult(undefined); });
  });
  const id = nextId();
  try {
    await ioWait(fut, id, 'connect', peerOf(host, port), site, () => 0);
  } catch (e) {
    socket.destroy();
    throw e;
  }
  return wrapSocket(socket, options, id);
}
