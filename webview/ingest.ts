/**
 * Chunks from the host → TraceFeed → App, without freezing the page on a big trace.
 *
 * - Small chunks (a live trace's batches) are decoded at once, as before.
 * - A big chunk at the start of a trace (a saved file, a reload's replay) is laid out
 *   coarsely straight from its bytes (coarse-scan.ts) and drawn on the next frame;
 *   the model is then decoded in slices of about `sliceMs` between frames, chunks
 *   arriving meanwhile queue behind it, and when the backlog is gone the app leaves
 *   the provisional picture and lays out the full model (selection, details, the
 *   contention table, labels and the raw zoom levels come back then).
 * - `end` waits for the backlog, so "complete" is judged on everything decoded.
 */
import type { App } from './app';
import { coarseScan, fitResolution } from './coarse-scan';
import type { TraceFeed } from '../trace/feed';

/** Below this a whole decode + layout costs a few tens of ms: not worth a provisional picture. */
export const COARSE_MIN_BYTES = 1 << 20;
const NO_BYTES = new Uint8Array(0);

export class Ingest {
  private busy = false;
  private cancelled = false;
  private pendingEnd: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private reported: string | undefined;
  private readonly channel = new MessageChannel();

  constructor(
    private readonly app: App,
    readonly feed: TraceFeed,
    private readonly onError: (message: string) => void,
    /** Off: every chunk is decoded at once (benchmarks measure the old path with it). */
    private readonly progressive = true,
    private readonly sliceMs = 10,
  ) {
    // A message is the quickest way to yield to rendering and input and come back (setTimeout clamps to 4 ms).
    this.channel.port1.onmessage = () => this.slice();
  }

  get loading(): boolean { return this.busy; }

  chunk(bytes: Uint8Array): void {
    if (this.cancelled) return;
    if (this.busy) { this.feed.push(bytes, 0); return; }
    let rest = bytes;
    if (this.progressive && this.feed.model.eventCount === 0 && bytes.length >= COARSE_MIN_BYTES) {
      this.feed.push(bytes, 0);
      // The bytes are in the decoder now: whatever happens below must not push them again.
      rest = NO_BYTES;
      const scan = coarseScan(this.feed.buffered, this.app.layoutOptions(), fitResolution(this.app.measuredChartWidth()));
      if (scan && this.feed.hasBacklog) {
        this.busy = true;
        this.app.setProvisional(scan.layout, scan.events);
        this.channel.port2.postMessage(0);
        return;
      }
    }
    this.feed.push(rest);
    this.check();
    this.app.modelChanged();
  }

  /** Runs `done` once everything received so far is decoded. */
  end(done: () => void): void {
    if (this.busy) this.pendingEnd = done; else done();
  }

  /** Resolves when no backlog is left (benchmarks and tests). */
  idle(): Promise<void> {
    return this.busy ? new Promise((r) => this.idleWaiters.push(r)) : Promise.resolve();
  }

  /** A new trace replaced this one: stop decoding it. */
  cancel(): void {
    this.cancelled = true;
    this.busy = false;
    this.channel.port1.onmessage = null;
    this.channel.port1.close();
  }

  private slice(): void {
    if (this.cancelled) return;
    const t0 = performance.now();
    // 2048-event batches cost ~0.5 ms each: check the clock per batch.
    while (this.feed.hasBacklog && performance.now() - t0 < this.sliceMs) this.feed.push(NO_BYTES, 1);
    this.check();
    if (this.feed.hasBacklog) {
      this.app.loadingProgress(this.feed.model.eventCount);
      this.channel.port2.postMessage(0);
      return;
    }
    this.busy = false;
    this.app.loaded();
    const end = this.pendingEnd;
    this.pendingEnd = undefined;
    end?.();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private check(): void {
    const err = this.feed.error;
    if (err && err !== this.reported) { this.reported = err; this.onError(err); }
  }
}
