/**
 * The socket transport's vocabulary, for both ends (the runtime's tracer connects and
 * writes, the extension's recorder listens and reads): the address forms of
 * ASYNC_TRACE, the token line, the spill file's name and header. Pure string code, no
 * Node APIs (docs/trace-format.md, "Transport").
 *
 * - `unix:/abs/path.sock#TOKEN`: a Unix socket (or a Windows named pipe path);
 * - `tcp:127.0.0.1:PORT#TOKEN` (or `tcp:[::1]:PORT#TOKEN`): a TCP port on the loopback
 *   interface only: the stream is neither encrypted nor authenticated beyond the token,
 *   so it must not leave the machine;
 * - anything else: a file path (relative to the working directory).
 * A socket client writes `ATRACE-TOKEN <TOKEN>\n` first, then exactly the bytes of an
 * .atrace file, so the recorder can append them verbatim.
 */

export type TraceTarget =
  | { kind: 'file'; path: string }
  | { kind: 'unix'; path: string; token: string }
  | { kind: 'tcp'; host: string; port: number; token: string };

export const TOKEN_PREFIX = 'ATRACE-TOKEN ';
export const SPILL_PREFIX = 'ATRACE-SPILL ';
/** A client that sends more than this without a newline has no token line. */
export const MAX_TOKEN_LINE = 256;
/** A connection that has not sent its token line by then is closed (a few seconds: a real client sends it first). */
export const TOKEN_TIMEOUT_MS = 5000;

/** Whether `host` is a loopback address: 127.0.0.0/8 or ::1 (written as the runtime connects to it). */
export function isLoopback(host: string): boolean {
  if (host === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m !== null && m.slice(1).every((x) => Number(x) <= 255);
}

export function parseTraceTarget(spec: string): TraceTarget {
  if (spec.startsWith('unix:') || spec.startsWith('tcp:')) {
    const socket = /^(unix|tcp):(.*)#([^#]*)$/.exec(spec);
    if (!socket || socket[3] === '') throw new Error(`ASYNC_TRACE socket address needs a token (…#TOKEN): ${spec}`);
    const [, kind, where, token] = socket as unknown as [string, string, string, string];
    if (kind === 'unix') {
      if (where === '') throw new Error(`ASYNC_TRACE unix address needs a path: ${spec}`);
      return { kind: 'unix', path: where, token };
    }
    const hp = /^(.*):(\d+)$/.exec(where);
    if (!hp) throw new Error(`ASYNC_TRACE tcp address needs host:port: ${spec}`);
    const port = Number(hp[2]);
    if (port < 1 || port > 65535) throw new Error(`ASYNC_TRACE tcp port out of range (1-65535): ${spec}`);
    const host = hp[1]!.replace(/^\[(.*)\]$/, '$1');
    if (!isLoopback(host)) {
      throw new Error(`ASYNC_TRACE tcp address must be a loopback address (127.0.0.1 or [::1]), not ${host || '(none)'}: the trace stream is not encrypted and must not leave this machine: ${spec}`);
    }
    return { kind: 'tcp', host, port, token };
  }
  if (spec === '') throw new Error('ASYNC_TRACE is empty');
  return { kind: 'file', path: spec };
}

/** The address a recorder listening on a unix socket (or pipe) advertises. */
export function unixAddress(socketPath: string, token: string): string {
  return `unix:${socketPath}#${token}`;
}

/** The address of a recorder listening on a loopback TCP port. */
export function tcpAddress(host: string, port: number, token: string): string {
  return `tcp:${host.includes(':') ? `[${host}]` : host}:${port}#${token}`;
}

/** The line a socket client sends before any trace bytes. */
export function tokenLine(token: string): string {
  return `${TOKEN_PREFIX}${token}\n`;
}

/** The token of a token line (without its newline), or undefined when it is not one. */
export function parseTokenLine(line: string): string | undefined {
  return line.startsWith(TOKEN_PREFIX) ? line.slice(TOKEN_PREFIX.length) : undefined;
}

/**
 * Where a unix-socket client spills, at a hard exit, the bytes the recorder may not have
 * received (not connected, or queued in Node): beside the socket, in the recorder's
 * private folder.
 */
export function spillPathFor(socketPath: string): string {
  return `${socketPath}.spill`;
}

/** The spill file's first line: the token, and the stream offset (after the token line) of the spill's first byte. */
export function spillHeader(token: string, offset: number): string {
  return `${SPILL_PREFIX}${token} ${offset}\n`;
}

/** The token and offset of a spill header line (without its newline), or undefined when it is not one. */
export function parseSpillHeader(line: string): { token: string; offset: number } | undefined {
  const m = /^ATRACE-SPILL (\S+) (\d+)$/.exec(line);
  return m ? { token: m[1]!, offset: Number(m[2]) } : undefined;
}
