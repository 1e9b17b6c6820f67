/**
 * Bytes → model for the webview: one TraceDecoder and one TraceModel per trace.
 * Chunks may split batches anywhere; the decoder keeps partial batches, so the
 * model only ever sees whole batches and grows append-only (which is what lets
 * the app keep its selection while a live trace grows).
 */
import { TraceDecoder } from '../trace/decoder';
import { TraceModel } from '../trace/model';

export class TraceFeed {
  readonly model = new TraceModel();
  private readonly decoder = new TraceDecoder();
  private failure: string | undefined;

  /**
   * Decodes `bytes` into the model, at most the whole batches that reach `maxEvents`
   * (the rest stays buffered: `push(new Uint8Array(0), n)` goes on); returns the number
   * of events added. Throws nothing: a format error is kept in `error`.
   */
  push(bytes: Uint8Array, maxEvents = Infinity): number {
    if (this.failure) return 0;
    try {
      const events = this.decoder.push(bytes, maxEvents);
      if (this.decoder.header && !this.model.header) this.model.setHeader(this.decoder.header);
      this.model.apply(events);
      const end = this.decoder.end();
      // A mid-stream corruption is final; a batch still arriving is not an error yet.
      if (end.error && !end.error.startsWith('truncated')) this.failure = end.error;
      return events.length;
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
