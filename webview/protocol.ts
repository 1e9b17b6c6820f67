/**
 * The one protocol between the extension (or the CLI's standalone page) and the
 * webview. Both sides import these types; nothing else defines message shapes.
 *
 * Invariants:
 * - The host sends `reset` before the first `chunk` of a trace; `chunk`s carry the
 *   raw `.atrace` bytes in file order, split anywhere (the webview decodes them
 *   itself with trace/decoder.ts, so the extension only forwards what it records).
 * - `end` comes once per trace, after its last `chunk`; `complete: false` means the
 *   recording stopped early (`message` says why). A live trace may never send `end`.
 * - `empty` replaces whatever is shown with the "No trace yet" state.
 * - `compare` replaces whatever is shown with the compare view of two whole files.
 * - `paused` says a debugger has the live program stopped (issue 15): every chunk of
 *   the trace up to the stop was sent before it; `resumed` says it runs again. A
 *   `reset` ends a pause shown.
 * - The webview sends `ready` once its listener is installed; the host must not
 *   post before it (postMessage to a webview that is still loading is lost).
 * - `reveal` asks the host to show `site` in an editor; `error` reports a failure
 *   in the webview (a corrupt chunk) so the host can show it.
 * - `insights` is sent once the webview has analysed a complete trace that came with
 *   a `trace` name: the findings and await-site figures of its own model, so the host
 *   needs no second model of that trace (issue 18). Small, whatever the trace's length.
 * - A `chunk` of `BIG_CHUNK_BYTES` or more is answered with one `taken` once the page
 *   has handed it to its decoder (at once when nothing is waiting) or let it go (a new
 *   trace, an error): the host sends the next big chunk only then, so a replay's 64 MB
 *   pieces do not pile up in a page that decodes slower than they arrive (issue 18).
 *   Smaller chunks get no answer.
 */
import type { Finding } from '../trace/analysis/finding-types';
import type { SiteFigures } from '../trace/analysis/site-figures';
import type { Site } from '../trace/model-types';

export type { Site };

export type ToWebview =
  /** `trace` names the trace (its file): a view saved for one trace is restored only into that trace. */
  | { type: 'reset'; title: string; trace?: string }
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'end'; complete: boolean; message: string }
  | { type: 'empty'; message: string; hint: string }
  /** Replaces the view with the compare view of two whole trace files (run A before, run B after). */
  | { type: 'compare'; a: { title: string; bytes: Uint8Array }; b: { title: string; bytes: Uint8Array } }
  | PausedMessage
  | { type: 'resumed' };

/**
 * Where a debugger stopped the live program. `at`: the stop's trace time (the chart's
 * cursor); `where`: its source line as the debugger reports it ("cook.ts:12"); `taskId`
 * and `task`: the task that was running (0 and '' outside any task); `held`: trace bytes
 * the program could not send at the stop (they follow when it runs again).
 */
export interface PausedMessage { type: 'paused'; at: number; where: string; taskId: number; task: string; held: number }

/** A chunk at least this big is answered with `taken` (see above). */
export const BIG_CHUNK_BYTES = 1 << 20;

export type FromWebview =
  | { type: 'ready' }
  /** The page has taken (or dropped) the oldest big chunk not answered yet. */
  | { type: 'taken' }
  | { type: 'reveal'; site: Site }
  | { type: 'error'; message: string }
  /** `trace`: the name the trace's `reset` carried. */
  | { type: 'insights'; trace: string; findings: Finding[]; figures: SiteFigures[] };

export type ToWebviewType = ToWebview['type'];
export type FromWebviewType = FromWebview['type'];

/** The message of kind `K` in union `M`: `MessageOf<ToWebview, 'chunk'>`. */
export type MessageOf<M extends { type: string }, K extends M['type']> = Extract<M, { type: K }>;

/** One handler per message kind: a `switch` the compiler checks for completeness. */
export type Handlers<M extends { type: string }> = { [K in M['type']]: (msg: MessageOf<M, K>) => void };

/** Calls the handler for `msg.type`. Exhaustive by construction of `Handlers`. */
export function dispatch<M extends { type: string }>(handlers: Handlers<M>, msg: M): void {
  const h = handlers[msg.type as M['type']] as (m: M) => void;
  h(msg);
}

const toWebviewTypes: ReadonlySet<string> = new Set<ToWebviewType>(['reset', 'chunk', 'end', 'empty', 'compare', 'paused', 'resumed']);
const fromWebviewTypes: ReadonlySet<string> = new Set<FromWebviewType>(['ready', 'taken', 'reveal', 'error', 'insights']);

function hasType(x: unknown): x is { type: string } {
  return typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string';
}

/** Checks a received value's kind (and the chunk payload) before it is dispatched. */
export function isToWebview(x: unknown): x is ToWebview {
  if (!hasType(x) || !toWebviewTypes.has(x.type)) return false;
  if (x.type === 'compare') {
    const side = (v: unknown) => typeof v === 'object' && v !== null && typeof (v as { title?: unknown }).title === 'string' && (v as { bytes?: unknown }).bytes instanceof Uint8Array;
    return side((x as { a?: unknown }).a) && side((x as { b?: unknown }).b);
  }
  if (x.type === 'paused') {
    const p = x as Partial<PausedMessage>;
    return typeof p.at === 'number' && typeof p.where === 'string' && typeof p.taskId === 'number' && typeof p.task === 'string' && typeof p.held === 'number';
  }
  return x.type !== 'chunk' || (x as { bytes?: unknown }).bytes instanceof Uint8Array;
}

export function isFromWebview(x: unknown): x is FromWebview {
  if (!hasType(x) || !fromWebviewTypes.has(x.type)) return false;
  if (x.type === 'insights') {
    const m = x as { trace?: unknown; findings?: unknown; figures?: unknown };
    return typeof m.trace === 'string' && Array.isArray(m.findings) && Array.isArray(m.figures);
  }
  if (x.type !== 'reveal') return true;
  const site = (x as { site?: Partial<Site> }).site;
  return typeof site === 'object' && site !== null && typeof site.file === 'string'
    && typeof site.line === 'number' && typeof site.col === 'number';
}
