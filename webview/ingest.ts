/**
 * Chunks from the host → TraceFeed → App, without freezing the page on a big trace.
 *
 * - Small chunks (a live trace's batches) are decoded at once, as before.
 * - A big chunk at the start of a trace (a saved file, a reload's replay) is laid out
 *   coarsely straight from its bytes (coarse-scan.ts) for `firstScanMs` (100 ms), and
 *   what that read is drawn over the whole trace's time range at once (the first frame
 *   does not wait for a pass over a long trace, issue 18). Then the model is decoded in
 *   slices of about `sliceMs` between frames, from the start (the scan is dropped: a
 *   second pass over the bytes, with its own boxes for every lane, took most of a 10M
 *   event load and most of its garbage collection); while it grows, the layout of the
 *   model decoded so far replaces the picture, laid out over the whole time range as
 *   the scan's was, no more often than a few times its own cost. Chunks arriving
 *   meanwhile queue behind it, and when the backlog is gone the app leaves the
 *   provisional picture and lays out the full model (selection, details, the
 *   contention table come back then).
 * - `end` waits for the backlog, so "complete" is judged on everything decoded.
 */
import type { App } from './app';
import { CoarseScanner, fitResolution } from './coarse-scan';
import { layoutTrace } from './flame-layout';
import type { TraceFeed } from '../trace/feed';
import { BIG_CHUNK_BYTES } from './protocol';

/** Below this a whole decode + layout costs a few tens of ms: not worth a provisional picture. */
export const COARSE_MIN_BYTES = 1 << 20;
const NO_BYTES = new Uint8Array(0);
/** A partial picture is laid out again at most this often (and never more than a fifth of the time goes to laying it out). */
const PICTURE_EVERY_MS = 250;

export interface IngestOptions {
  /** Off: every chunk is decoded at once (benchmarks measure the old path with it). */
  progressive?: boolean;
  /** About how long each slice of decoding between frames runs (ms). */
  sliceMs?: number;
  /** How long the coarse scan runs before the first picture is drawn (ms). */
  firstScanMs?: number;
  /** Called once per big chunk (protocol.ts BIG_CHUNK_BYTES) when it goes to the decoder or is let go: the host then sends the next. */
  taken?: () => void;
}

export class Ingest {
  private busy = false;
  private cancelled = false;
  private pendingEnd: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private reported: string | undefined;
  private readonly channel = new MessageChannel();
  /** The whole trace's time range and record count, from the first picture's scan (a partial model's layout is drawn over it). */
  private whole: { startTime: number; endTime: number; records: number } | undefined;
  /** Records in the picture on screen: a layout of the model replaces it once the model has more. */
  private pictured = 0;
  private pictureAt = 0;
  private pictureCost = 0;
  /** Chunks received while the backlog is decoded, oldest first. */
  private readonly waiting: Uint8Array[] = [];

  private readonly progressive: boolean;
  private readonly sliceMs: number;
  private readonly firstScanMs: number;
  private readonly taken: () => void;

  constructor(
    private readonly app: App,
    readonly feed: TraceFeed,
    private readonly onError: (message: string) => void,
    opts: IngestOptions = {},
  ) {
    this.progressive = opts.progressive ?? true;
    this.sliceMs = opts.sliceMs ?? 10;
    this.firstScanMs = opts.firstScanMs ?? 100;
    this.taken = opts.taken ?? (() => {});
    // A message is the quickest way to yield to rendering and input and come back (setTimeout clamps to 4 ms).
    this.channel.port1.onmessage = () => this.slice();
  }

  get loading(): boolean { return this.busy; }

  /**
   * A chunk the host delivered: its own copy, handed over (the decoder keeps it as it is).
   * While a backlog is decoded, chunks wait here, each whole, and go to the decoder one at
   * a time as it runs dry: appended to its buffer at once, a replay's 64 MB pieces were
   * copied into one store that doubled up to 512 MB (issue 18).
   */
  chunk(bytes: Uint8Array): void {
    if (this.cancelled) { this.took(bytes); return; }
    if (this.busy) { if (bytes.length) this.waiting.push(bytes); return; }
    this.took(bytes);
    let rest = bytes;
    if (this.progressive && this.feed.model.eventCount === 0 && bytes.length >= COARSE_MIN_BYTES) {
      this.feed.push(bytes, 0, true);
      // The bytes are in the decoder now: whatever happens below must not push them again.
      rest = NO_BYTES;
      // The scan reads the decoder's buffered bytes in place: nothing is decoded (so nothing compacted) until it is dropped, below.
      const scanner = CoarseScanner.open(this.feed.buffered, this.app.layoutOptions(), fitResolution(this.app.measuredChartWidth()));
      if (scanner && this.feed.hasBacklog) {
        this.busy = true;
        scanner.step(this.firstScanMs);
        this.whole = { startTime: scanner.startTime, endTime: scanner.endTime, records: scanner.records };
        const t0 = performance.now();
        this.app.setProvisional(scanner.picture().layout, scanner.records);
        this.pictured = scanner.events;
        this.pictureAt = performance.now();
        this.pictureCost = this.pictureAt - t0;
        this.channel.port2.postMessage(0);
        return;
      }
    }
    this.feed.push(rest, Infinity, true);
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
    this.dropWaiting();
    this.channel.port1.onmessage = null;
    this.channel.port1.close();
  }

  /**
   * Draws the model decoded so far, over the whole trace's time range, in place of the
   * picture on screen (the whole trace's records are the total the status line counts to).
   */
  private showModel(whole: { startTime: number; endTime: number; records: number }): void {
    const t0 = performance.now();
    const layout = layoutTrace(this.feed.model, this.app.layoutOptions());
    layout.startTime = whole.startTime;
    layout.endTime = whole.endTime;
    layout.provisional = true;
    this.app.setProvisional(layout, whole.records);
    this.pictured = this.feed.model.eventCount;
    this.pictureAt = performance.now();
    this.pictureCost = this.pictureAt - t0;
  }

  private slice(): void {
    if (this.cancelled) return;
    const t0 = performance.now();
    // 2048-event batches cost ~0.5 ms each: check the clock per batch.
    while (performance.now() - t0 < this.sliceMs && this.refill()) this.feed.push(NO_BYTES, 1);
    this.check();
    if (this.refill()) {
      const model = this.feed.model, whole = this.whole;
      if (whole && model.eventCount > this.pictured && performance.now() - this.pictureAt > Math.max(PICTURE_EVERY_MS, 4 * this.pictureCost)) this.showModel(whole);
      this.app.loadingProgress(model.eventCount);
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

  /** Whether there is more to decode: the decoder's backlog, else the next waiting chunk handed to it. */
  private refill(): boolean {
    while (!this.feed.hasBacklog && this.waiting.length && !this.feed.error) {
      const next = this.waiting.shift()!;
      this.took(next);
      this.feed.push(next, 0, true);
    }
    // Decoding stopped (a corrupt batch): what waits is let go, and the host told so.
    if (this.feed.error) this.dropWaiting();
    return this.feed.hasBacklog;
  }

  private took(bytes: Uint8Array): void {
    if (bytes.length >= BIG_CHUNK_BYTES) this.taken();
  }

  private dropWaiting(): void {
    for (const b of this.waiting.splice(0)) this.took(b);
  }

  private check(): void {
    const err = this.feed.error;
    if (err && err !== this.reported) { this.reported = err; this.onError(err); }
  }
}
