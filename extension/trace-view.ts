/**
 * Hosts the trace webview in a WebviewPanel (the live "Async Trace" panel or a
 * custom editor for a saved .atrace file) and speaks webview/protocol.ts with it.
 *
 * Invariants:
 * - The HTML is set once; a trace is streamed as `reset`, `chunk`*, `end`.
 * - Nothing is posted before the webview says `ready` (a message posted to a page
 *   that is still loading is lost): until then messages queue, in order.
 * - When a page reloads (it says `ready` again) the current trace is replayed, so a
 *   hidden-and-shown panel is never blank: from its file when it has one, else from
 *   the chunks kept here (replay-source.ts); a debugger stop shown (`paused`) is
 *   replayed after the chunks, as it was sent after them.
 * - A chunk of 1 MB or more (a replay's piece, a file opened) is the last message on its
 *   way until the page says it has `taken` it into its decoder (protocol.ts); what comes
 *   meanwhile waits in order. Several 64 MB pieces posted at once sat serialised in the
 *   host together (1.4 GB RSS replaying a 324 MB trace), and pieces sent as fast as
 *   they were delivered piled up in the page, which decodes slower (up to the whole
 *   trace waiting there, issue 18).
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { BIG_CHUNK_BYTES, isFromWebview, dispatch, type MessageOf, type PausedMessage, type ToWebview, type Site } from '../webview/protocol';
import { emptyState, panelHtml } from './panel-html';
import { FileReplay, MemoryReplay, type ReplaySource } from './replay-source';
import type { TraceInsightsResult } from './trace-jobs';
import { ViewInsights } from './view-insights';

export interface TraceViewHost {
  extensionUri: vscode.Uri;
  /** Opens `site` in an editor beside `panel`; `root` resolves relative site paths. */
  reveal(site: Site, root: string | undefined, panel: vscode.WebviewPanel): Promise<void>;
  /** A failure the webview reported (a corrupt chunk, …). */
  report(message: string): void;
}

/**
 * Only a plain Uint8Array that owns its whole buffer goes out as is. A Node Buffer
 * (fs reads) would be serialised through Buffer.toJSON and arrive as a plain object,
 * and a view into a larger buffer would carry the whole buffer: both are copied.
 */
function plainBytes(bytes: Uint8Array): Uint8Array {
  const plain = Object.getPrototypeOf(bytes) === Uint8Array.prototype && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return plain ? bytes : new Uint8Array(bytes);
}

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

interface CurrentTrace {
  title: string;
  trace: string | undefined;
  /** What a reloaded page is sent again: the trace's file, or its chunks when it has none. */
  source: ReplaySource;
  end: ToWebview | undefined;
  /** The debugger's stop shown now, if any. */
  paused: PausedMessage | undefined;
}

export class TraceView implements vscode.Disposable {
  /** Every open view, so the host can ask the one showing a trace for its findings. */
  private static readonly open = new Set<TraceView>();

  /**
   * The findings of `file` from a visible view that shows it (its webview holds the model),
   * or undefined when none can answer: then the caller reads the file (issue 18).
   */
  static insightsFor(file: string): Promise<TraceInsightsResult> | undefined {
    for (const v of TraceView.open) {
      const p = v.panel.visible ? v.insights.wait(file) : undefined;
      if (p) return p;
    }
    return undefined;
  }

  private readonly insights = new ViewInsights();
  private ready = false;
  private disposed = false;
  private queue: ToWebview[] = [];
  /** What waits for a big chunk on its way (a replay's pieces are read from the file when their turn comes). */
  private outbox: (ToWebview | (() => ToWebview | undefined))[] = [];
  /** A big chunk was sent to this page and it has not said `taken` yet. */
  private inFlight = false;
  /** Counts the page loads: a delivery for an earlier page says nothing about the outbox of this one. */
  private page = 0;
  private current: CurrentTrace | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Folder that relative sites of the current trace are resolved against. */
  root: string | undefined;
  /** Bytes handed to the webview for the current trace (tests and status read it). */
  postedBytes = 0;
  /** Chunk messages handed to the webview for the current trace (a replay of up to 64 MB sends one). */
  postedChunks = 0;
  /** How often the page was reloaded and the trace replayed (hidden and shown again). */
  replays = 0;
  /** The empty state last shown (tests read it), undefined while a trace is shown. */
  emptyState: { message: string; hint: string } | undefined;

  constructor(readonly panel: vscode.WebviewPanel, private readonly host: TraceViewHost) {
    const dir = webviewRoot(host.extensionUri);
    const script = vscode.Uri.joinPath(dir, 'main.js');
    const style = vscode.Uri.joinPath(dir, 'main.css');
    const webview = panel.webview;
    webview.options = webviewOptions(host.extensionUri);
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      script: existsSync(script.fsPath) ? webview.asWebviewUri(script).toString() : undefined,
      style: existsSync(style.fsPath) ? webview.asWebviewUri(style).toString() : undefined,
    });
    this.disposables.push(webview.onDidReceiveMessage((raw: unknown) => {
      if (!isFromWebview(raw)) return;
      dispatch({
        ready: () => this.onReady(),
        taken: () => { this.inFlight = false; this.flush(); },
        reveal: (m) => void this.host.reveal(m.site, this.root, this.panel),
        error: (m) => { this.insights.failed(m.message); this.host.report(m.message); },
        insights: (m) => this.insights.answer(m.trace, { findings: m.findings, figures: m.figures }),
      }, raw);
    }));
    // A hidden webview is torn down (no retained context): it cannot answer until shown and replayed.
    this.disposables.push(panel.onDidChangeViewState(() => this.insights.canAnswer(panel.visible)));
    TraceView.open.add(this);
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The compare view shown, replayed when the page reloads; undefined while a single trace is shown. */
  compared: MessageOf<ToWebview, 'compare'> | undefined;

  /** Replaces the view with the compare view of two whole trace files; `root` resolves relative sites. */
  compare(a: { title: string; bytes: Uint8Array }, b: { title: string; bytes: Uint8Array }, root: string | undefined): void {
    this.current = undefined;
    this.insights.showing(undefined);
    this.root = root;
    this.compared = { type: 'compare', a: { title: a.title, bytes: plainBytes(a.bytes) }, b: { title: b.title, bytes: plainBytes(b.bytes) } };
    this.post(this.compared);
  }

  showEmpty(message = emptyState.message, hint = emptyState.hint): void {
    this.compared = undefined;
    this.current = undefined;
    this.insights.showing(undefined);
    this.postedBytes = 0;
    this.emptyState = { message, hint };
    this.post({ type: 'empty', message, hint });
  }

  /** `trace` names the trace (its file), so the webview restores a saved view only into the same trace. */
  startTrace(title: string, root: string | undefined, trace?: string): void {
    this.compared = undefined;
    this.current = { title, trace, source: trace ? new FileReplay(trace) : new MemoryReplay(), end: undefined, paused: undefined };
    this.insights.showing(trace);
    this.emptyState = undefined;
    this.root = root;
    this.postedBytes = 0;
    this.postedChunks = 0;
    this.post({ type: 'reset', title, trace });
  }

  chunk(bytes: Uint8Array): void {
    if (!this.current || bytes.byteLength === 0) return;
    const own = plainBytes(bytes);
    this.current.source.sent(own);
    this.post({ type: 'chunk', bytes: own });
  }

  /** The debugger has the program stopped (`p`: every chunk up to the stop was sent before), or runs it again (undefined). */
  pause(p: Omit<PausedMessage, 'type'> | undefined): void {
    if (!this.current) return;
    if (!p && !this.current.paused) return;
    this.current.paused = p && { type: 'paused', ...p };
    this.post(this.current.paused ?? { type: 'resumed' });
  }

  /** The stop shown now (tests read it). */
  get paused(): PausedMessage | undefined {
    return this.current?.paused;
  }

  end(complete: boolean, message: string): void {
    if (!this.current) return;
    this.current.paused = undefined;
    this.current.end = { type: 'end', complete, message };
    this.post(this.current.end);
  }

  private post(msg: ToWebview | (() => ToWebview | undefined)): void {
    if (this.disposed) return;
    if (!this.ready) {
      // Before the first `ready` only whole messages are posted (a replay needs a page that asked).
      if (typeof msg !== 'function') this.queue.push(msg);
      return;
    }
    this.outbox.push(msg);
    this.flush();
  }

  private flush(): void {
    while (!this.inFlight && !this.disposed && this.outbox.length > 0) {
      const next = this.outbox.shift()!;
      const msg = typeof next === 'function' ? next() : next;
      if (msg) this.send(msg);
    }
  }

  private send(msg: ToWebview): void {
    const big = msg.type === 'chunk' && msg.bytes.byteLength >= BIG_CHUNK_BYTES;
    if (msg.type === 'chunk') {
      this.postedBytes += msg.bytes.byteLength;
      this.postedChunks++;
    }
    const delivered = this.panel.webview.postMessage(msg);
    if (!big) return;
    this.inFlight = true;
    const page = this.page;
    // Not delivered (the page went away): no answer will come for it.
    const lost = (): void => {
      if (page !== this.page) return;
      this.inFlight = false;
      this.flush();
    };
    delivered.then((ok) => { if (!ok) lost(); }, lost);
  }

  private onReady(): void {
    const reloaded = this.ready;
    this.ready = true;
    if (reloaded) {
      this.queue = [];
      // What was on its way went to the page that is gone.
      this.page++;
      this.outbox = [];
      this.inFlight = false;
      this.replay();
      return;
    }
    const queued = this.queue;
    this.queue = [];
    if (queued.length === 0 && !this.current && !this.compared) this.showEmpty();
    for (const m of queued) this.post(m);
  }

  private replay(): void {
    if (this.compared) { this.replays++; this.post(this.compared); return; }
    const t = this.current;
    // A reloaded webview keeps saying why there is no trace ("Build failed", "Nothing was traced").
    if (!t) return this.showEmpty(this.emptyState?.message, this.emptyState?.hint);
    this.replays++;
    // Nothing is lost when it fails: the file is left as it is, and the view says why.
    const cannot = (why: string): void => this.showEmpty('Cannot show this trace again', `${why}. Open a trace file, or run Trace Async Run again.`);
    const replay = t.source.replay();
    if (!replay.ok) return cannot(replay.why);
    this.postedBytes = 0;
    this.postedChunks = 0;
    this.post({ type: 'reset', title: t.title, trace: t.trace });
    // Big messages (see chunks.ts): the webview then draws a first frame at once.
    for (let i = 0; i < replay.pieces; i++) {
      this.post(() => {
        if (this.current !== t) return undefined;
        const piece = replay.read(i);
        if (piece instanceof Uint8Array) return { type: 'chunk', bytes: piece };
        // The rest of this replay (pieces, the stop, the end) is dropped with it.
        this.outbox = [];
        cannot(piece.why);
        return undefined;
      });
    }
    if (t.paused) this.post(t.paused);
    if (t.end) this.post(t.end);
  }

  dispose(): void {
    this.disposed = true;
    TraceView.open.delete(this);
    this.insights.canAnswer(false, 'the view was closed');
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
