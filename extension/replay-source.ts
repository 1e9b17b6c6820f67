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
 * hidden: the replay then reports why (never a wrong or partial chart). Its first and
 * last bytes as posted are kept to tell. No `vscode` here: unit-tested.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { coalesce } from './chunks';

/** Bytes of a replay go out in pieces of at most this (one message for a trace up to it). */
export const REPLAY_PIECE_BYTES = 64 * 1024 * 1024;

export type Replay = { ok: true; pieces: Uint8Array[] } | { ok: false; why: string };

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
    return { ok: true, pieces: this.chunks.slice() };
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
    if (this.length === 0) return { ok: true, pieces: [] };
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { ok: false, why: code === 'ENOENT' ? `${this.file} was moved or deleted` : `${this.file} cannot be read (${(e as Error).message})` };
    }
    try {
      const size = fstatSync(fd).size;
      if (size < this.length) return { ok: false, why: `${this.file} now holds ${size} bytes, fewer than the ${this.length} shown: it was truncated or replaced` };
      // Synchronous, so nothing posted meanwhile can overtake the replayed bytes; posting
      // the same bytes held in memory blocked the host as long (they are serialised whole).
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < this.length; at += pieceBytes) {
        const piece = new Uint8Array(Math.min(pieceBytes, this.length - at));
        for (let got = 0; got < piece.byteLength;) {
          const n = readSync(fd, piece, got, piece.byteLength - got, at + got);
          if (n === 0) return { ok: false, why: `${this.file} ended at byte ${at + got} while being read` };
          got += n;
        }
        pieces.push(piece);
      }
      if (!sameBytes(firstOf(pieces, this.head.byteLength), this.head) || !sameBytes(lastOf(pieces, this.tail.byteLength), this.tail)) {
        return { ok: false, why: `${this.file} was changed: its bytes are no longer those shown` };
      }
      return { ok: true, pieces };
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

/** The first `n` bytes across `pieces` (all of them when they hold fewer). */
function firstOf(pieces: readonly Uint8Array[], n: number): Uint8Array {
  let out: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < pieces.length && out.byteLength < n; i++) out = join(out, pieces[i]!.subarray(0, n - out.byteLength));
  return out;
}

/** The last `n` bytes across `pieces` (all of them when they hold fewer). */
function lastOf(pieces: readonly Uint8Array[], n: number): Uint8Array {
  let out: Uint8Array = new Uint8Array(0);
  for (let i = pieces.length - 1; i >= 0 && out.byteLength < n; i--) out = join(lastBytes(pieces[i]!, n - out.byteLength), out);
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
