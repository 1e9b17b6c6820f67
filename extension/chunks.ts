/**
 * Joins a recorded trace's chunks for a replay. A live recording arrives as many small
 * chunks (one per socket read); posting them one by one to a reloaded webview makes it
 * decode and redraw as if the trace were still growing, while one big first chunk takes
 * its fast path (a coarse first frame, the model decoded in slices behind it: the
 * webview treats a first chunk of 1 MB or more that way). No `vscode` here: unit-tested.
 */

/** Consecutive chunks joined into pieces of at most `maxBytes` (a bigger chunk stays whole). */
export function coalesce(chunks: readonly Uint8Array[], maxBytes = 64 * 1024 * 1024): Uint8Array[] {
  const out: Uint8Array[] = [];
  let group: Uint8Array[] = [];
  let size = 0;
  const flush = (): void => {
    if (group.length === 1) out.push(group[0]!);
    else if (group.length > 1) {
      const joined = new Uint8Array(size);
      let at = 0;
      for (const c of group) {
        joined.set(c, at);
        at += c.byteLength;
      }
      out.push(joined);
    }
    group = [];
    size = 0;
  };
  for (const c of chunks) {
    if (c.byteLength === 0) continue;
    if (size > 0 && size + c.byteLength > maxBytes) flush();
    group.push(c);
    size += c.byteLength;
  }
  flush();
  return out;
}
