/**
 * When to relayout. Layout is O(spans): while a big trace streams in, relayouting on
 * every batch would take every frame. So a relayout waits until 4x the last one's cost
 * has passed since it began; frames in between draw the previous layout (panning stays
 * smooth), and a timer brings the due relayout when no frame would. A change the user
 * made (a filter) skips the wait.
 */

export class LayoutThrottle {
  private dirty = false;
  private lastAt = 0;
  private lastMs = 0;
  private timerSet = false;

  /**
   * `wake` asks for a frame when a postponed relayout comes due. The clock and the
   * timer are the page's unless a test passes its own.
   */
  constructor(
    private readonly wake: () => void,
    private readonly clock: () => number = () => performance.now(),
    private readonly after: (ms: number, fn: () => void) => void = (ms, fn) => { setTimeout(fn, ms); },
  ) {}

  /** The model grew or was replaced: relayout when the throttle allows. */
  markDirty(): void { this.dirty = true; }

  /** The user changed what is laid out: relayout on the next frame, whatever the last one cost. */
  markUrgent(): void { this.dirty = true; this.lastAt = -Infinity; }

  /** A layout arrived from elsewhere (a provisional picture): nothing is due. */
  markClean(): void { this.dirty = false; }

  /**
   * Runs `layout` if a relayout is due, else (when one is pending) arranges the wake-up
   * for when it will be. `hasLayout`: a previous layout can be drawn meanwhile (without
   * one, a relayout is due at once). Returns whether `layout` ran.
   */
  run(hasLayout: boolean, layout: () => void): boolean {
    if (!this.dirty) return false;
    const now = this.clock();
    const wait = hasLayout ? this.lastAt + 4 * this.lastMs - now : 0;
    if (wait > 0) {
      if (!this.timerSet) { this.timerSet = true; this.after(wait, () => { this.timerSet = false; this.wake(); }); }
      return false;
    }
    this.dirty = false;
    this.lastAt = now;
    layout();
    this.lastMs = this.clock() - now;
    return true;
  }
}
