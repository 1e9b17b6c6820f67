/**
 * The recorder: a private Unix socket the traced program connects to, and the
 * .atrace file it writes. No `vscode` here, so it is unit-tested under plain Node.
 *
 * Protocol: the client's first line is `ATRACE-TOKEN <token>\n`; every byte after it
 * is the .atrace stream, in order. A connection whose first line is not exactly that
 * (or that sends more than a short line without a newline) is destroyed unread.
 *
 * Invariants:
 * - The socket lives in a fresh 0700 temp folder, so only this user can reach it,
 *   and the token (random, compared in constant time) proves the client was started
 *   by us. The folder is removed on close.
 * - Bytes are appended to the file synchronously as they arrive, before listeners
 *   see them: what a listener saw is on disk, and a crash of the traced program (or of
 *   VS Code) keeps everything received so far.
 * - One authenticated stream per recording; a second one is refused, because two
 *   writers would interleave two streams in one file.
 * - A program that dies before its socket connected (a crash at startup), or with bytes
 *   still queued in Node, leaves them in `<socket>.spill` in the same private folder:
 *   `ATRACE-SPILL <token> <offset>\n` and the stream from that offset.
 *   `adoptSpill()` appends the part not received, so the file is the whole stream.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, constants, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync, chmodSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  MAX_TOKEN_LINE, TOKEN_TIMEOUT_MS, parseSpillHeader, parseTokenLine, spillPathFor, unixAddress,
} from '../trace/transport';

/** What adoptSpill found. */
export type SpillOutcome =
  | { kind: 'none' }
  | { kind: 'adopted'; bytes: number }
  | { kind: 'rejected'; reason: string };

export interface RecorderEvents {
  /** Bytes just appended to the file. */
  onBytes?(bytes: Uint8Array): void;
  /** A client authenticated (the program loaded the runtime). */
  onConnect?(): void;
  /** A connection was refused, and why. */
  onRefused?(reason: string): void;
  /** The authenticated client closed its side. */
  onDisconnect?(): void;
}

export interface RecorderOptions {
  /** How long a connection may take to send its token line before it is closed (default TOKEN_TIMEOUT_MS). */
  tokenTimeoutMs?: number;
}

export interface RecorderStats {
  connected: boolean;
  refused: number;
  bytes: number;
}

export class Recorder {
  readonly token = randomBytes(24).toString('hex');
  readonly dir: string;
  readonly socketPath: string;
  private readonly server: net.Server;
  private fd: number | undefined;
  private client: net.Socket | undefined;
  private readonly sockets = new Set<net.Socket>();
  readonly stats: RecorderStats = { connected: false, refused: 0, bytes: 0 };

  private constructor(readonly traceFile: string, private readonly events: RecorderEvents, private readonly tokenTimeoutMs: number) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'atrace-'));
    chmodSync(this.dir, 0o700);
    this.socketPath = path.join(this.dir, 'recorder.sock');
    this.server = net.createServer((s) => this.accept(s));
  }

  /** Opens the socket; the trace file is created when a client authenticates. */
  static async open(traceFile: string, events: RecorderEvents = {}, options: RecorderOptions = {}): Promise<Recorder> {
    const r = new Recorder(traceFile, events, options.tokenTimeoutMs ?? TOKEN_TIMEOUT_MS);
    await new Promise<void>((resolve, reject) => {
      r.server.once('error', reject);
      r.server.listen(r.socketPath, () => resolve());
    });
    return r;
  }

  /** What the traced program finds in its ASYNC_TRACE environment variable. */
  get address(): string {
    return unixAddress(this.socketPath, this.token);
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let header = Buffer.alloc(0);
    // A connection that never sends its token line (a stray or hostile client) must not
    // hold a socket open forever.
    const timer = setTimeout(() => this.refuse(socket, `no token line within ${this.tokenTimeoutMs} ms`), this.tokenTimeoutMs);
    timer.unref();
    socket.on('close', () => clearTimeout(timer));
    const onHeader = (data: Buffer): void => {
      header = Buffer.concat([header, data]);
      const nl = header.indexOf(0x0a);
      if (nl < 0) {
        if (header.length > MAX_TOKEN_LINE) this.refuse(socket, 'no token line');
        return;
      }
      clearTimeout(timer);
      socket.off('data', onHeader);
      const reason = this.checkToken(header.subarray(0, nl).toString('latin1'));
      if (reason) return this.refuse(socket, reason);
      this.authenticated(socket, header.subarray(nl + 1));
    };
    socket.on('data', onHeader);
  }

  private checkToken(line: string): string | undefined {
    const token = parseTokenLine(line);
    if (token === undefined) return 'no token line';
    const given = Buffer.from(token, 'latin1');
    const want = Buffer.from(this.token, 'latin1');
    if (given.length !== want.length || !timingSafeEqual(given, want)) return 'wrong token';
    if (this.client) return 'a program is already connected';
    return undefined;
  }

  private refuse(socket: net.Socket, reason: string): void {
    if (socket.destroyed) return;
    this.stats.refused++;
    socket.destroy();
    this.events.onRefused?.(reason);
  }

  private authenticated(socket: net.Socket, rest: Buffer): void {
    this.client = socket;
    this.stats.connected = true;
    mkdirSync(path.dirname(this.traceFile), { recursive: true });
    this.fd = openSync(this.traceFile, 'a');
    this.events.onConnect?.();
    if (rest.length > 0) this.append(rest);
    socket.on('data', (d: Buffer) => this.append(d));
    socket.on('close', () => this.events.onDisconnect?.());
  }

  private append(bytes: Buffer): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, bytes);
    this.stats.bytes += bytes.length;
    this.events.onBytes?.(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  }

  /** Where the program spills at a hard exit (see the invariants above). */
  get spillPath(): string {
    return spillPathFor(this.socketPath);
  }

  /**
   * Appends what the program spilled and the socket did not deliver. Call it once the
   * program has exited and `drained()` resolved (every byte the socket will deliver is
   * in), before `close()`. A spill with a wrong token, or one that would leave a gap, is
   * not used.
   */
  adoptSpill(): SpillOutcome {
    let raw: Buffer;
    let fd: number;
    try {
      // Never through a link: the spill is a file the program created in this folder.
      fd = openSync(this.spillPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
      return { kind: 'rejected', reason: `the spill file cannot be opened (${(e as NodeJS.ErrnoException).code ?? String(e)}): not a plain file?` };
    }
    try {
      if (!fstatSync(fd).isFile()) return { kind: 'rejected', reason: 'the spill path is not a plain file' };
      raw = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
    const nl = raw.indexOf(0x0a);
    const header = parseSpillHeader(nl < 0 ? '' : raw.subarray(0, nl).toString('latin1'));
    if (!header) return { kind: 'rejected', reason: 'the spill file has no ATRACE-SPILL header' };
    const given = Buffer.from(header.token, 'latin1');
    const want = Buffer.from(this.token, 'latin1');
    if (given.length !== want.length || !timingSafeEqual(given, want)) return { kind: 'rejected', reason: 'the spill file has the wrong token' };
    const offset = header.offset;
    const received = this.stats.bytes;
    if (offset > received) {
      return { kind: 'rejected', reason: `the spill starts at byte ${offset} of the stream but only ${received} arrived: the bytes between are lost` };
    }
    const rest = raw.subarray(nl + 1 + (received - offset));
    if (rest.length === 0) return { kind: 'adopted', bytes: 0 };
    if (!this.client) {
      // Nothing came through the socket: the spill is the whole stream.
      this.stats.connected = true;
      mkdirSync(path.dirname(this.traceFile), { recursive: true });
      this.fd = openSync(this.traceFile, 'a');
      this.events.onConnect?.();
    }
    this.append(rest);
    return { kind: 'adopted', bytes: rest.length };
  }

  /** Resolves when the authenticated client has closed (immediately when none is open). */
  drained(): Promise<void> {
    const c = this.client;
    if (!c || c.destroyed || c.readableEnded) return Promise.resolve();
    return new Promise((resolve) => c.once('close', () => resolve()));
  }

  /** Stops listening, drops open connections, closes the file and removes the socket folder. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
