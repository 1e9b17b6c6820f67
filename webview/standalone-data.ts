/**
 * Where the standalone page (`async-trace view`) finds its trace when the bytes are not
 * inline. The data element (`<script type="application/octet-stream" id="atrace-data">`)
 * says which, by attribute:
 * - `data-src="NAME.data.js"`: a script next to the page that hands the bytes over in
 *   base64 parts (`asyncTraceData.part(...)`). A page opened from file:// may load a
 *   sibling script but not fetch a sibling file (Chromium blocks fetch of file://), so
 *   this is how a written page reads a trace file next to it;
 * - `data-fetch="URL"`: the trace itself, fetched and read as a stream (`view --serve`,
 *   a local server), with no base64 at all.
 * Either way the bytes are gathered into one buffer of the announced size
 * (`data-bytes`), then handed over as one chunk, so the first frame is the coarse
 * picture of the whole trace (ingest.ts) exactly as with an inline trace.
 */

/** What the data script calls; installed on `window` before the script is added. */
export interface DataReceiver {
  begin(totalBytes: number): void;
  part(base64: string): void;
  end(): void;
}

export const RECEIVER_GLOBAL = 'asyncTraceData';

/** Decodes base64 with the browser's native decoder when it has one (Chromium 140+), else atob. */
export function decodeBase64(text: string): Uint8Array {
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native) return native(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Collects parts into one buffer; the size is checked, so a cut or swapped data file is named as such. */
class Gather {
  private buf: Uint8Array;
  private at = 0;
  constructor(readonly total: number) { this.buf = new Uint8Array(total); }
  add(bytes: Uint8Array): void {
    if (this.at + bytes.length > this.total) throw new Error(`more bytes than the ${this.total} announced`);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
  }
  done(): Uint8Array {
    if (this.at !== this.total) throw new Error(`${this.at} of ${this.total} bytes arrived`);
    const b = this.buf;
    this.buf = new Uint8Array(0);
    return b;
  }
}

/** Loads `src` (a sibling data script) and resolves to its bytes. */
export function loadDataScript(doc: Document, src: string): Promise<Uint8Array> {
  const win = doc.defaultView as unknown as Record<string, unknown>;
  return new Promise((resolve, reject) => {
    let gather: Gather | undefined;
    let failure: Error | undefined;
    const guard = (f: () => void): void => { if (!failure) try { f(); } catch (e) { failure = e instanceof Error ? e : new Error(String(e)); } };
    const receiver: DataReceiver = {
      begin: (total) => guard(() => { gather = new Gather(total); }),
      part: (b64) => guard(() => { if (!gather) throw new Error('data before its size'); gather.add(decodeBase64(b64)); }),
      end: () => guard(() => { if (!gather) throw new Error('no data'); resolve(gather.done()); }),
    };
    win[RECEIVER_GLOBAL] = receiver;
    const script = doc.createElement('script');
    script.src = src;
    const cleanup = (): void => { script.remove(); delete win[RECEIVER_GLOBAL]; };
    script.onload = () => {
      cleanup();
      // end() resolved already unless the file was cut short or wrong.
      reject(failure ?? new Error('the data file ended early'));
    };
    script.onerror = () => { cleanup(); reject(new Error('the file could not be loaded')); };
    doc.body.appendChild(script);
  });
}

/** Fetches `url` and reads its body as a stream into one buffer of `totalBytes` (or of the response's length). */
export async function fetchTrace(url: string, totalBytes: number | undefined): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`${res.status} ${res.statusText}`);
  const total = totalBytes ?? Number(res.headers.get('content-length'));
  if (!Number.isFinite(total)) throw new Error('the server did not say how big the trace is');
  const gather = new Gather(total);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    gather.add(value);
  }
  return gather.done();
}

/** The bytes named by the data element's attributes, or undefined when the trace is inline. */
export function externalTrace(doc: Document, el: HTMLElement): { where: string; bytes: Promise<Uint8Array> } | undefined {
  const total = el.dataset.bytes !== undefined ? Number(el.dataset.bytes) : undefined;
  if (el.dataset.fetch) return { where: el.dataset.fetch, bytes: fetchTrace(el.dataset.fetch, total) };
  if (el.dataset.src) return { where: el.dataset.src, bytes: loadDataScript(doc, el.dataset.src) };
  return undefined;
}
