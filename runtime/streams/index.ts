// Streams: TCP connections as asyncio-style StreamReader/StreamWriter pairs.
export { StreamReader, DEFAULT_LIMIT } from './stream-reader';
export type { StreamReaderOptions, ReadTransport } from './stream-reader';
export { StreamWriter, ConnectionResetError } from './stream-writer';
export type { ExtraInfoName } from './stream-writer';
export { openConnection } from './connection';
export type { ConnectionOptions } from './connection';
export { Server, startServer } from './server';
export type { ConnectionHandler, ServerOptions } from './server';
