/**
 * Bytes → model, the one way: a TraceDecoder feeding a TraceModel. The webview, the
 * extension host, the CLI and the tests all read traces through this (a live stream
 * chunk by chunk with TraceFeed, a whole file with readTraceModel).
 * Chunks may split batches anywhere; the decoder keeps partial batches, so the
 * model only ever sees whole batches and grows append-only (which is what lets
 * the webview keep its selection while a live trace grows).
 */
import { TraceDecoder } from './decoder';
import { TraceFormatError } from './format';
import { TraceModel } from './model';
import type { TraceHeader } from './model-types';

export class TraceFeed {
  readonly model = new TraceModel();
  private readonly decoder = new TraceDecoder();
  private failure: string | undefined;

  /**
   * Decodes `bytes` into the model, at most the whole batches that reach `maxEvents`
   * (the rest stays buffered: `push(new Uint8Array(0), n)` goes on); returns the number
   * of events added. Throws nothing: a format error is kept in `error`. `owned`: the
   * caller hands the bytes over and never reads them again (TraceDecoder.pushTo).
   */
  push(bytes: Uint8Array, maxEvents = Infinity, owned = false): number {
    if (this.failure) return 0;
    try {
      // Records straight into the model (no event object per bulk record).
      const n = this.decoder.pushTo(bytes, this.model, maxEvents, owned);
      const end = this.decoder.end();
      // A mid-stream corruption is final; a batch still arriving is not an error yet.
      if (end.error && !end.error.startsWith('truncated')) this.failure = end.error;
      return n;
    } catch (e) {
      this.failure = e instanceof Error ? e.message : String(e);
      return 0;
    }
  }

  /** Whole batches are buffered that a `push` would decode. */
  get hasBacklog(): boolean { return !this.failure && this.decoder.hasWholeBatch; }

  /** The buffered, not yet decoded bytes (from a batch boundary), for coarse-scan.ts. */
  get buffered(): Uint8Array { return this.decoder.buffered; }

  /** Why decoding stopped, if it did. */
  get error(): string | undefined { return this.failure; }

  /** The state at end of stream: complete, or why not. */
  finish(): { complete: boolean; message: string } {
    if (this.failure) return { complete: false, message: this.failure };
    const end = this.decoder.end();
    return { complete: end.complete, message: end.error ?? '' };
  }
}

export interface ReadTrace {
  model: TraceModel;
  header: TraceHeader;
  /** The bytes ended exactly after a whole batch and nothing was wrong. */
  complete: boolean;
  /** Byte offset just after the last whole batch. */
  stoppedAt: number;
  /** What was wrong or left over, when not complete. */
  error: string | undefined;
}

/**
 * A whole trace file's model. Throws TraceFormatError for data that is not a trace
 * (bad magic, unsupported version, no whole header); a trace cut short or corrupted
 * inside a batch keeps everything up to its last whole batch (`complete: false`).
 */
export function readTraceModel(bytes: Uint8Array): ReadTrace {
  const model = new TraceModel();
  const d = new TraceDecoder();
  d.pushTo(bytes, model);
  const end = d.end();
  if (!d.header) throw new TraceFormatError(end.error ?? 'no header', end.stoppedAt);
  return { model, header: d.header, complete: end.complete, stoppedAt: end.stoppedAt, error: end.error };
}
