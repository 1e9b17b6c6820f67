/**
 * Where a reloaded webview's trace comes from. A hidden panel's page is torn down and
 * says `ready` again when shown; it must then get every byte of the current trace once
 * more. Keeping those bytes in the extension host costs the whole trace (330 MB at 10M
 * events, issue 18), yet a recorded or opened trace is already on disk: the recorder
 * writes each batch to the file before it posts it (recorder.ts `append`), and a pause
 * batch is appended before it is posted. So a trace with a file is replayed from the
 * file's first `sent` bytes, and only a trace without one keeps its chunks.
 *
 * The file is the user's, and may be moved, truncated or replaced while the panel is
 * hidden: the replay then reports why instead of drawing another trace. Its first and
 * last 4 KB as posted are kept to tell (a file replaced or rewritten changes them; an edit
 * in its middle alone would go unnoticed). Pieces are read one at a time, as each is
 * posted (trace-view.ts sends a big one only when the last has been delivered), so a
 * replay holds one piece, not the trace. No `vscode` here: unit-tested.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { coalesce } from './chunks';

/** Bytes of a replay go out in pieces of at most this (one message for a trace up to it). */
export const REPLAY_PIECE_BYTES = 64 * 1024 * 1024;

/** A replay's pieces, each read only when its turn to be posted comes (so a long trace is never in memory whole). */
export interface ReplayPlan {
  ok: true;
  pieces: number;
  /** Piece `i`, or why it cannot be had (the file changed since it was shown). */
  read(i: number): Uint8Array | { why: string };
}

export type Replay = ReplayPlan | { ok: false; why: string };

export interface ReplaySource {
  /** Bytes just posted to the webview, in order. */
  sent(bytes: Uint8Array): void;
  /** Every byte posted so far, in pieces of at most `pieceBytes`, or why they cannot be had again. */
  replay(pieceBytes?: number): Replay;
}

/** A trace without a file: its chunks stay here (and are joined on the first replay). */
export class MemoryReplay implements ReplaySource {
  private chunks: Uint8Array[] = [];

  sent(bytes: Uint8Array): void {
    if (bytes.byteLength > 0) this.chunks.push(bytes);
  }

  replay(pieceBytes = REPLAY_PIECE_BYTES): Replay {
    this.chunks = coalesce(this.chunks, pieceBytes);
    const pieces = this.chunks.slice();
    return { ok: true, pieces: pieces.length, read: (i) => pieces[i]! };
  }
}

/** How many of the first and last posted bytes are kept to check the file is still the trace shown. */
const PROBE_BYTES = 4096;

/** A trace whose posted bytes are the first bytes of `file`. */
export class FileReplay implements ReplaySource {
  private length = 0;
  private head: Uint8Array = new Uint8Array(0);
  private tail: Uint8Array = new Uint8Array(0);

  constructor(readonly file: string) {}

  /** Bytes posted so far. */
  get bytes(): number {
    return this.length;
  }

  sent(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.length += bytes.byteLength;
    if (this.head.byteLength < PROBE_BYTES) this.head = join(this.head, bytes.subarray(0, PROBE_BYTES - this.head.byteLength));
    this.tail = bytes.byteLength >= PROBE_BYTES ? bytes.slice(bytes.byteLength - PROBE_BYTES) : lastBytes(join(this.tail, bytes), PROBE_BYTES);
  }

  replay(pieceBytes = REPLAY_PIECE_BYTES): Replay {
    const length = this.length;
    if (length === 0) return { ok: true, pieces: 0, read: () => ({ why: 'nothing to read' }) };
    const size = this.size();
    if (typeof size === 'string') return { ok: false, why: size };
    if (size < length) return { ok: false, why: `${this.file} now holds ${size} bytes, fewer than the ${length} shown: it was truncated or replaced` };
    const head = this.head;
    const tail = this.tail;
    const tailAt = length - tail.byteLength;
    return {
      ok: true,
      pieces: Math.ceil(length / pieceBytes),
      read: (i) => {
        const at = i * pieceBytes;
        const piece = this.read(at, Math.min(pieceBytes, length - at));
        if (!(piece instanceof Uint8Array)) return piece;
        // The bytes kept from what was shown that fall in this piece must be the same.
        const end = at + piece.byteLength;
        for (let j = at; j < Math.min(end, head.byteLength); j++) if (piece[j - at] !== head[j]) return this.changed();
        for (let j = Math.max(at, tailAt); j < end; j++) if (piece[j - at] !== tail[j - tailAt]) return this.changed();
        return piece;
      },
    };
  }

  private changed(): { why: string } {
    return { why: `${this.file} was changed: its bytes are no longer those shown` };
  }

  private unreadable(e: unknown): string {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${this.file} was moved or deleted` : `${this.file} cannot be read (${(e as Error).message})`;
  }

  private size(): number | string {
    try {
      return statSync(this.file).size;
    } catch (e) {
      return this.unreadable(e);
    }
  }

  /** `n` bytes from `at`, read synchronously (see below) or why not. */
  private read(at: number, n: number): Uint8Array | { why: string } {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (e) {
      return { why: this.unreadable(e) };
    }
    try {
      // Synchronous: the piece is posted at once after, in its turn. A piece is at most
      // 64 MB (tens of ms to read); posting it costs the host as long again.
      const piece = new Uint8Array(n);
      for (let got = 0; got < n;) {
        const k = readSync(fd, piece, got, n - got, at + got);
        if (k === 0) return { why: `${this.file} ended at byte ${at + got} while being read` };
        got += k;
      }
      return piece;
    } finally {
      closeSync(fd);
    }
  }
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

function lastBytes(bytes: Uint8Array, n: number): Uint8Array {
  return bytes.byteLength <= n ? bytes : bytes.slice(bytes.byteLength - n);
}

