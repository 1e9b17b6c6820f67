/**
 * Exports as a stream of JSON text: generators of small strings, gathered into chunks
 * of at least `CHUNK_CHARS` characters, so a writer (the CLI, the extension) can put
 * them out one by one. A long trace never becomes one giant string (V8 caps a string at
 * ~512 MB; a 600-hold trace of one long-named task used to hit that), and memory stays
 * that of one chunk plus what the export keeps per task. Pure, no Node.
 */

/** Chunks are at least this long (except the last): few writes, small strings. */
export const CHUNK_CHARS = 1 << 16;

/** Concatenates `parts` into chunks of at least `minChars` characters. */
export function* coalesce(parts: Iterable<string>, minChars = CHUNK_CHARS): Generator<string> {
  let buf = '';
  for (const p of parts) {
    buf += p;
    if (buf.length >= minChars) { yield buf; buf = ''; }
  }
  if (buf !== '') yield buf;
}

/** `[` + each item as JSON, comma separated + `]`. */
export function* jsonArray<T>(items: Iterable<T>): Generator<string> {
  yield '[';
  let first = true;
  for (const item of items) {
    yield first ? JSON.stringify(item) : ',' + JSON.stringify(item);
    first = false;
  }
  yield ']';
}

/** The longest a name gets where it would be repeated (slice names, counter names); the full name is written once elsewhere. */
export const SHORT_NAME_CHARS = 64;

/**
 * A name for places that repeat it (every hold of a task names the task): names up to
 * SHORT_NAME_CHARS stay as they are; longer ones are cut and tagged with `#id` so two
 * names sharing a long prefix stay apart.
 */
export function shortName(name: string, id: number | string): string {
  return name.length <= SHORT_NAME_CHARS ? name : `${name.slice(0, SHORT_NAME_CHARS - 1)}\u2026 #${id}`;
}
