/**
 * The pixel route for thin boxes: packed RGBA rows, one per dense track, uploaded and
 * stretched once a frame (renderer.ts decides which boxes take it). Pixels are written
 * as 32-bit words, so the packing assumes a little-endian host (every browser VS Code
 * runs on); LITTLE_ENDIAN lets the renderer fall back to canvas paths elsewhere.
 */

export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Thin boxes of dense tracks for one frame, as pixels: one row of 32-bit RGBA per
 * track (all a track's boxes span the same rows), one pixel per CSS px column. The
 * rows are uploaded once and each is stretched over its track's height, so a frame
 * costs one upload and one blit per dense track whatever the number of boxes.
 */
export class Raster {
  width = 0;
  private capacity = 0;
  private image: ImageData | undefined;
  pixels = new Uint32Array(0);
  private canvas: OffscreenCanvas | HTMLCanvasElement | undefined;
  private ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | undefined;
  /** Where each row used this frame goes, in canvas CSS px. */
  private rows: { top: number; height: number }[] = [];

  constructor(private readonly doc: Document | undefined) {}

  begin(width: number): boolean {
    width = Math.max(1, Math.floor(width));
    this.rows.length = 0;
    if (width !== this.width || !this.ctx) return this.allocate(width, Math.max(this.capacity, 64));
    return true;
  }

  private allocate(width: number, capacity: number): boolean {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, capacity) : this.doc?.createElement('canvas');
    if (!canvas) return false;
    canvas.width = width; canvas.height = capacity;
    const ctx = (canvas.getContext('2d') ?? undefined) as typeof this.ctx;
    if (!ctx) return false;
    const image = ctx.createImageData(width, capacity);
    const pixels = new Uint32Array(image.data.buffer);
    // Rows already handed out this frame keep their pixels.
    if (this.width === width) pixels.set(this.pixels.subarray(0, this.rows.length * width));
    Object.assign(this, { canvas, ctx, image, pixels, width, capacity });
    return true;
  }

  /** A cleared row for a track drawn at [top, top + height) canvas CSS px; -1 if none can be had. */
  row(top: number, height: number): number {
    const r = this.rows.length;
    if (r >= this.capacity && !this.allocate(this.width, this.capacity * 2)) return -1;
    this.rows.push({ top, height });
    return r;
  }

  /** Paints columns [x0, x1) (chart-local CSS px) of `row`; `rgba` is ABGR in memory (little-endian hosts). */
  fill(row: number, x0: number, x1: number, rgba: number): void {
    const W = this.width;
    // Whole pixel columns: the one a box starts in, through the one its end rounds to (at least one).
    const c0 = Math.floor(x0);
    const e = Math.min(W, Math.max(c0 + 1, Math.round(x1)));
    const px = this.pixels;
    for (let i = row * W + Math.max(0, c0), end = row * W + e; i < end; i++) px[i] = rgba;
  }

  /** Draws this frame's rows onto `ctx` (chart left edge at `left`), then clears them. */
  blit(ctx: CanvasRenderingContext2D, left: number): void {
    const n = this.rows.length;
    if (!n || !this.ctx || !this.image || !this.canvas) return;
    this.ctx.putImageData(this.image, 0, 0, 0, 0, this.width, n);
    const smoothing = ctx.imageSmoothingEnabled;
    ctx.imageSmoothingEnabled = false;
    for (let r = 0; r < n; r++) {
      const { top, height } = this.rows[r];
      ctx.drawImage(this.canvas, 0, r, this.width, 1, left, top, this.width, height);
    }
    ctx.imageSmoothingEnabled = smoothing;
    this.pixels.fill(0, 0, n * this.width);
    this.rows.length = 0;
  }
}

/** Palette entries as packed RGBA (alpha in the top byte), resolved through a canvas so any CSS colour works. */
const packedPalettes = new WeakMap<string[], Uint32Array>();
export function packedPalette(palette: string[], doc: Document | undefined): Uint32Array {
  let packed = packedPalettes.get(palette);
  if (packed) return packed;
  packed = new Uint32Array(palette.length);
  const c = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : doc?.createElement('canvas');
  const ctx = c?.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null | undefined;
  palette.forEach((color, i) => {
    if (!ctx) return;
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    packed![i] = ((d[3] << 24) | (d[2] << 16) | (d[1] << 8) | d[0]) >>> 0;
  });
  packedPalettes.set(palette, packed);
  return packed;
}

/** `rgba` with its alpha scaled by `alpha`. */
export function scaleAlpha(rgba: number, alpha: number): number {
  return ((Math.round((rgba >>> 24) * alpha) << 24) | (rgba & 0xffffff)) >>> 0;
}
