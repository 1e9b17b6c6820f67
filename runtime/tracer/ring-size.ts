/** Ring sizes for the flight recorder (ASYNC_TRACE_RING, `record --ring`, the extension's asyncTrace.ringSize). */

/** Smaller rings hold too few batches to be a window of anything. */
export const MIN_RING_BYTES = 64 * 1024;

/** `64MB`, `512KB`, `1GB`, `100000` (bytes); units are powers of 1024. Throws for anything else. */
export function parseRingSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\s*$/i.exec(text);
  if (!m) throw new Error(`ring size ${JSON.stringify(text)} is not a size such as 64MB or 512KB`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const bytes = Math.floor(Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1));
  if (bytes < MIN_RING_BYTES) throw new Error(`ring size ${text.trim()} is below the smallest ring, 64KB`);
  return bytes;
}
