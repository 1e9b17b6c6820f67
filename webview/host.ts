/**
 * The webview's only contact with its host. Inside VS Code it wraps
 * `acquireVsCodeApi()` (callable once per page); in a plain browser (the CLI's
 * `async-trace view` page, browser tests without a stub) it runs standalone: the
 * trace bytes come from a data file next to the page or a local server
 * (standalone-data.ts, named by attributes of `<script type="application/octet-stream"
 * id="atrace-data">`) or base64-encoded inside that element, state lives in memory,
 * and `reveal` has nowhere to go (the app shows the site in its status line either way).
 */
import { dispatch, isToWebview, type FromWebview, type Handlers, type ToWebview } from './protocol';
import { decodeBase64, externalTrace } from './standalone-data';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Provided by VS Code inside webviews.
  function acquireVsCodeApi(): VsCodeApi;
}

export interface Host {
  post(msg: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
  /** Starts delivering host messages; sends `ready` (VS Code) or replays the embedded trace (standalone). */
  listen(handlers: Handlers<ToWebview>): void;
}

export function createHost(win: Window = window): Host {
  return typeof acquireVsCodeApi === 'function' ? vscodeHost(acquireVsCodeApi(), win) : standaloneHost(win.document);
}

function vscodeHost(api: VsCodeApi, win: Window): Host {
  return {
    post: (msg) => api.postMessage(msg),
    getState: () => api.getState(),
    setState: (s) => api.setState(s),
    listen(handlers) {
      win.addEventListener('message', (e: MessageEvent<unknown>) => {
        const msg = normaliseChunk(e.data);
        if (isToWebview(msg)) dispatch(handlers, msg);
      });
      api.postMessage({ type: 'ready' } satisfies FromWebview);
    },
  };
}

function standaloneHost(doc: Document): Host {
  let state: unknown;
  return {
    post: () => undefined,
    getState: () => state,
    setState: (s) => { state = s; },
    listen(handlers) {
      // `async-trace view A B`: two traces to compare.
      const ea = doc.getElementById('atrace-data-a'), eb = doc.getElementById('atrace-data-b');
      if (ea && eb) {
        const side = (e: HTMLElement) => ({ title: e.getAttribute('data-title') || 'trace', bytes: decodeBase64(e.textContent?.replace(/\s+/g, '') ?? '') });
        dispatch(handlers, { type: 'compare', a: side(ea), b: side(eb) });
        return;
      }
      const el = doc.getElementById('atrace-data');
      const external = el && externalTrace(doc, el);
      if (el && external) {
        // A data file next to the page or a local server (standalone-data.ts).
        external.bytes.then((bytes) => {
          // For benchmarks: when the bytes were all here (bench/viewer-load-bench.ts).
          performance.mark('atrace-data');
          dispatch(handlers, { type: 'reset', title: el.getAttribute('data-title') || doc.title || 'trace' });
          dispatch(handlers, { type: 'chunk', bytes });
          dispatch(handlers, { type: 'end', complete: true, message: '' });
        }, (e: unknown) => {
          dispatch(handlers, { type: 'empty', message: `Cannot read the trace from ${external.where}: ${e instanceof Error ? e.message : String(e)}`, hint: 'Keep the page and its .data.js file together, or write the page again with `async-trace view <file.atrace>`.' });
        });
        return;
      }
      const text = el?.textContent?.replace(/\s+/g, '') ?? '';
      if (!text) {
        dispatch(handlers, { type: 'empty', message: 'No trace yet', hint: 'Open this page with `async-trace view <file.atrace>`, or run "Trace Async Run" from the VS Code Command Palette.' });
        return;
      }
      const bytes = decodeBase64(text);
      performance.mark('atrace-data');
      dispatch(handlers, { type: 'reset', title: el?.getAttribute('data-title') || doc.title || 'trace' });
      dispatch(handlers, { type: 'chunk', bytes });
      dispatch(handlers, { type: 'end', complete: true, message: '' });
    },
  };
}

export { decodeBase64 };

/** A chunk whose bytes arrived as an ArrayBuffer or another view (older hosts) becomes a Uint8Array chunk. */
export function normaliseChunk(data: unknown): unknown {
  const c = data as { type?: unknown; a?: { bytes?: unknown }; b?: { bytes?: unknown } } | null;
  if (c && c.type === 'compare' && c.a && c.b) return { ...c, a: { ...c.a, bytes: asBytes(c.a.bytes) }, b: { ...c.b, bytes: asBytes(c.b.bytes) } };
  const m = data as { type?: unknown; bytes?: unknown } | null;
  if (!m || m.type !== 'chunk' || m.bytes instanceof Uint8Array) return data;
  if (m.bytes instanceof ArrayBuffer) return { ...m, bytes: new Uint8Array(m.bytes) };
  if (ArrayBuffer.isView(m.bytes)) return { ...m, bytes: new Uint8Array(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength) };
  return data;
}

function asBytes(b: unknown): unknown {
  if (b instanceof Uint8Array) return b;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return b;
}
