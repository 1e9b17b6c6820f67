/**
 * Where a trace goes, parsed from ASYNC_TRACE (or the `target` option):
 * - `unix:/abs/path.sock#TOKEN` — a Unix socket (or a Windows named pipe path);
 * - `tcp:127.0.0.1:PORT#TOKEN` — a TCP port on the loopback interface;
 * - anything else — a file path (relative to the working directory).
 * A socket target must carry a token: the client writes `ATRACE-TOKEN <TOKEN>\n` first,
 * then exactly the bytes of an .atrace file, so the recorder can append them verbatim.
 */
export type TraceTarget =
  | { kind: 'file'; path: string }
  | { kind: 'unix'; path: string; token: string }
  | { kind: 'tcp'; host: string; port: number; token: string };

export function parseTraceTarget(spec: string): TraceTarget {
  const socket = /^(unix|tcp):(.*)#([^#]*)$/.exec(spec);
  if (spec.startsWith('unix:') || spec.startsWith('tcp:')) {
    if (!socket || socket[3] === '') throw new Error(`ASYNC_TRACE socket address needs a token: ${spec}`);
    const [, kind, where, token] = socket;
    if (kind === 'unix') {
      if (where === '') throw new Error(`ASYNC_TRACE unix address needs a path: ${spec}`);
      return { kind: 'unix', path: where, token };
    }
    const hp = /^(.*):(\d+)$/.exec(where);
    if (!hp) throw new Error(`ASYNC_TRACE tcp address needs host:port: ${spec}`);
    const port = Number(hp[2]);
    if (port < 1 || port > 65535) throw new Error(`ASYNC_TRACE tcp port out of range: ${spec}`);
    return { kind: 'tcp', host: hp[1].replace(/^\[(.*)\]$/, '$1'), port, token };
  }
  if (spec === '') throw new Error('ASYNC_TRACE is empty');
  return { kind: 'file', path: spec };
}

/** The line a socket client sends before any trace bytes. */
export function tokenLine(token: string): string {
  return `ATRACE-TOKEN ${token}\n`;
}

/**
 * Where a unix-socket client spills, at a hard exit, the bytes the recorder may not have
 * received (still connecting, or queued in Node): beside the socket, in the recorder's
 * private folder.
 */
export function spillPathFor(socketPath: string): string {
  return `${socketPath}.spill`;
}

/** The spill file's first line: the token, and the stream offset (after the token line) of the spill's first byte. */
export function spillHeader(token: string, offset: number): string {
  return `ATRACE-SPILL ${token} ${offset}\n`;
}
