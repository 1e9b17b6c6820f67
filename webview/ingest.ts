/**
 * Chunks from the host → TraceFeed → App, without freezing the page on a big trace.
 *
 * - Small chunks (a live trace's batches) are decoded at once, as before.
 * - A big chunk at the start of a trace (a saved file, a reload's replay) is laid out
 *   coarsely straight from its bytes (coarse-scan.ts): the scan runs for `firstScanMs` (100 ms)
 *   and what it has read is drawn over the whole trace's time range at once (the first
 *   frame does not wait for a pass over a long trace, issue 18); the scan goes on in
 *   slices between frames, the picture redrawn as it fills in (no more often than a
 *   few times its own cost); then the model is decoded in slices of about `sliceMs`
 *   between frames, chunks
 *   arriving meanwhile queue behind it, and when the backlog is gone the app leaves
 *   the provisional picture and lays out the full model (selection, details, the
 *   contention table, labels and the raw zoom levels come back then).
 * - `end` waits for the backlog, so "complete" is judged on everything decoded.
 */
import type { App } from './app';
import { CoarseScanner, fitResolution } from './coarse-scan';
import type { TraceFeed } from '../trace/feed';

/** Below this a whole decode + layout costs a few tens of ms: not worth a provisional picture. */
export const COARSE_MIN_BYTES = 1 << 20;
const NO_BYTES = new Uint8Array(0);
/** A partial coarse picture is redrawn at most this often (and never more than a fifth of the time goes to redrawing it). */
const PICTURE_EVERY_MS = 250;

export class Ingest {
  private busy = false;
  private cancelled = false;
  private pendingEnd: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private reported: string | undefined;
  private readonly channel = new MessageChannel();
  /**
   * The coarse scan still going (dropped when done). It reads the decoder's buffered
   * bytes in place: safe because nothing is decoded (so nothing is compacted) until it
   * is done; chunks arriving meanwhile are appended after them, or into a new store.
   */
  private scanner: CoarseScanner | undefined;
  private pictureAt = 0;
  private pictureCost = 0;

  constructor(
    private readonly app: App,
    readonly feed: TraceFeed,
    private readonly onError: (message: string) => void,
    /** Off: every chunk is decoded at once (benchmarks measure the old path with it). */
    private readonly progressive = true,
    private readonly sliceMs = 10,
    /** How long the coarse scan runs before the first picture is drawn. */
    private readonly firstScanMs = 100,
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
      const scanner = CoarseScanner.open(this.feed.buffered, this.app.layoutOptions(), fitResolution(this.app.measuredChartWidth()));
      if (scanner && this.feed.hasBacklog) {
        this.busy = true;
        this.scanner = scanner.step(this.firstScanMs) ? undefined : scanner;
        this.showPicture(scanner);
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
    this.scanner = undefined;
    this.busy = false;
    this.channel.port1.onmessage = null;
    this.channel.port1.close();
  }

  /** Draws what the scan has read (the whole trace's events are the total the status line counts to). */
  private showPicture(scanner: CoarseScanner): void {
    const t0 = performance.now();
    this.app.setProvisional(scanner.picture().layout, scanner.records);
    this.pictureAt = performance.now();
    this.pictureCost = this.pictureAt - t0;
  }

  private slice(): void {
    if (this.cancelled) return;
    const scanner = this.scanner;
    if (scanner) {
      const done = scanner.step(this.sliceMs);
      if (done) this.scanner = undefined;
      if (done || performance.now() - this.pictureAt > Math.max(PICTURE_EVERY_MS, 4 * this.pictureCost)) this.showPicture(scanner);
      this.channel.port2.postMessage(0);
      return;
    }
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
