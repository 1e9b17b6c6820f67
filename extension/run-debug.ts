/**
 * What a traced run does with its debugger: on every stop it reads the paused program's
 * own snapshot (a debug-adapter `evaluate` of the runtime's `__asyncTraceSnapshot()`,
 * runtime/debug-snapshot.ts) and where it stopped (the top stack frame, source-mapped
 * by js-debug), and shows both in the Async Tasks view; while the program runs the view
 * follows the recorded trace instead, at most a few times a second.
 *
 * It also gets every pause into the trace (paused time is not program time, issue 15):
 * on a stop it tells the paused program (`pauseBeginExpression`: the program notes its
 * own clock), and when the program goes again it tells it again (`pauseEndExpression`:
 * the program reads its clock and writes a `debuggerPaused` record, docs/trace-format.md).
 * Both ends are read on the program's own trace clock, so nothing is converted between
 * the extension's clock and the program's. A pause the program never saw end (its
 * session ended while stopped) is left to the run, which appends it to the trace file
 * with the length measured here (`unrecordedPauses`). The requests of one session are
 * sent in order (a chain), so a quick continue cannot overtake the begin.
 *
 * The begin and end calls carry the extension's own readings of the stop and the resume
 * (the program hears of a stop ~100 ms late, behind the adapter's other requests); the
 * program converts them and keeps them within what it knows itself
 * (runtime/tracer/tracer.ts pauseBegin).
 *
 * The trace up to the stop (issue 15): right after the begin the program is asked to send
 * what it still buffers (`traceUpToPauseExpression`); it writes it to the recorder's
 * socket, the same stream as always, so the panel gets those bytes the ordinary way and
 * nothing twice. Once the recorder has every byte the program handed the kernel, the
 * panel is told where the program stopped (`onPause`): a cursor at the stop and
 * "Paused at file.ts:12 in task 'cook-2'"; on continue it is told again (undefined).
 */
import * as vscode from 'vscode';
import type { AsyncTasksView, PauseLocation } from './async-tasks-view';
import type { RunDebugListener } from './debug-watch';
import type { LiveTrace } from './live-trace';
import type { PausedMessage } from '../webview/protocol';
import { parseUpToPause, pauseBeginExpression, pauseEndExpression, traceUpToPauseExpression } from './pause-requests';
import type { ProgramSnapshot } from '../trace/program-snapshot';

/** At most this many follow updates of the view per second while the program runs. */
const FOLLOW_PER_S = 4;

/** How long the panel waits for the recorder to receive the bytes sent at a stop before it shows the stop anyway. */
const RECEIVE_WAIT_MS = 2000;

export const snapshotExpression = "typeof globalThis.__asyncTraceSnapshot === 'function' ? globalThis.__asyncTraceSnapshot() : ''";

/**
 * A wall-clock interval the debuggee was stopped; `end` undefined while it still is.
 * `beginTraceMs`: the program's own note of the begin (trace time), once it answered;
 * `recorded`: the program wrote the record (it answered the end).
 */
export interface PauseInterval { beginUnixMs: number; endUnixMs: number | undefined; beginTraceMs?: number; recorded?: boolean }

/**
 * The value of an `evaluate` of a string expression, as an object. js-debug answers the
 * `clipboard` context with the string itself; other contexts (and adapters) quote it as
 * a JS literal, which is unquoted here.
 */
export function parseEvaluated(result: string): ProgramSnapshot | undefined {
  let text = result.trim();
  if (text === '' || text === "''" || text === '""') return undefined;
  if (text.startsWith("'") && text.endsWith("'")) {
    text = JSON.parse(`"${text.slice(1, -1).replace(/\\'/g, "'").replace(/(^|[^\\])"/g, '$1\\"')}"`) as string;
  }
  let v: unknown = JSON.parse(text);
  if (typeof v === 'string') v = JSON.parse(v);
  const s = v as Partial<ProgramSnapshot> | null;
  if (s === null || typeof s !== 'object' || s.version !== 1 || !Array.isArray(s.tasks) || !Array.isArray(s.resources)) return undefined;
  return s as ProgramSnapshot;
}

/** A frame's source path as a local file path (code-server's js-debug reports `vscode-remote://` URIs). */
export function localPath(p: string | undefined): string | undefined {
  if (p === undefined || !/^[a-z][\w+.-]+:\/\//i.test(p)) return p;
  return vscode.Uri.parse(p).fsPath;
}

interface StackFrame { id: number; name: string; line: number; column: number; source?: { path?: string } }

export class RunDebug implements RunDebugListener {
  readonly pauses: PauseInterval[] = [];
  private stoppedSessions = new Set<string>();
  /** Pause requests to the program, in order. */
  private chain: Promise<void> = Promise.resolve();
  private followTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFollow = 0;
  /** Why the last snapshot could not be read (the output channel shows it). */
  lastError: string | undefined;
  /** The panel's stop on show (tests read it). */
  shownPause: Omit<PausedMessage, 'type'> | undefined;

  constructor(
    private readonly view: AsyncTasksView,
    private readonly live: LiveTrace,
    private readonly root: string,
    private readonly log: (line: string) => void,
    /** The panel: where the program is stopped, or undefined once it runs again. */
    private readonly onPause: (p: Omit<PausedMessage, 'type'> | undefined) => void = () => undefined,
    /** Trace bytes the recorder has received so far (the stream after its token line). */
    private readonly received: () => number = () => Infinity,
  ) {}

  get isPaused(): boolean {
    return this.stoppedSessions.size > 0;
  }

  stopped(session: vscode.DebugSession, threadId: number, reason: string, atUnixMs: number): void {
    const located = this.readPaused(session, threadId, reason);
    if (!this.isPaused) {
      const p: PauseInterval = { beginUnixMs: atUnixMs, endUnixMs: undefined };
      this.pauses.push(p);
      this.inOrder(async () => {
        const t = await this.evaluateNumber(session, pauseBeginExpression(atUnixMs));
        if (t !== undefined && t >= 0) p.beginTraceMs = t;
      });
      this.inOrder(async () => {
        if (p.beginTraceMs === undefined || p.endUnixMs !== undefined) return;
        const ev = await session.customRequest('evaluate', { expression: traceUpToPauseExpression, context: 'clipboard' }) as { result?: string };
        const sent = parseUpToPause(ev.result);
        if (sent && sent.through >= 0) await this.untilReceived(sent.through);
        const where = await located;
        if (p.endUnixMs !== undefined || p.beginTraceMs === undefined) return; // resumed meanwhile
        const task = where?.snapshot?.tasks.find((x) => x.id === where.snapshot?.runningTaskId);
        this.shownPause = {
          at: p.beginTraceMs,
          where: where?.location.path ? `${vscode.workspace.asRelativePath(where.location.path)}:${where.location.line}` : where?.location.frameName ?? reason,
          taskId: task?.id ?? 0,
          task: task?.name ?? '',
          held: sent?.held ?? 0,
        };
        this.onPause(this.shownPause);
      });
    }
    this.stoppedSessions.add(session.id);
    this.cancelFollow();
  }

  /** Resolves once the recorder has `bytes` of the stream, or after RECEIVE_WAIT_MS. */
  private async untilReceived(bytes: number): Promise<void> {
    const deadline = Date.now() + RECEIVE_WAIT_MS;
    while (this.received() < bytes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  resumed(session: vscode.DebugSession, atUnixMs: number, ending = false): void {
    if (!this.stoppedSessions.delete(session.id) || this.isPaused) return;
    const open = this.pauses[this.pauses.length - 1];
    if (open && open.endUnixMs === undefined) {
      open.endUnixMs = atUnixMs;
      // A session that is ending cannot answer: the run appends the pause itself.
      if (!ending) {
        this.inOrder(async () => {
          if (open.beginTraceMs === undefined) return;
          const d = await this.evaluateNumber(session, pauseEndExpression(atUnixMs));
          if (d !== undefined && d >= 0) open.recorded = true;
        });
      }
    }
    if (this.shownPause) {
      this.shownPause = undefined;
      this.onPause(undefined);
    }
    this.follow();
  }

  /** Resolves once every pause request sent so far has been answered (or failed). */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Pauses the program noted the begin of but never recorded (it ended while stopped, or did not answer the end). */
  unrecordedPauses(): PauseInterval[] {
    return this.pauses.filter((p) => p.beginTraceMs !== undefined && !p.recorded);
  }

  private inOrder(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((e: unknown) => {
      this.log(`Async Trace: could not tell the program about a debugger pause: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  /** A number the program evaluates to (global scope: works stopped and running). */
  private async evaluateNumber(session: vscode.DebugSession, expression: string): Promise<number | undefined> {
    const ev = await session.customRequest('evaluate', { expression, context: 'clipboard' }) as { result?: string };
    const n = Number((ev.result ?? '').trim());
    return Number.isFinite(n) ? n : undefined;
  }

  /** The trace grew: follow it in the view while the program runs (throttled). */
  traceChanged(): void {
    if (this.isPaused || this.followTimer !== undefined) return;
    const wait = Math.max(0, this.lastFollow + 1000 / FOLLOW_PER_S - Date.now());
    this.followTimer = setTimeout(() => { this.followTimer = undefined; this.follow(); }, wait);
  }

  /** Shows the trace's state now (when the program runs). */
  follow(): void {
    if (this.isPaused || !this.live.started) return;
    this.lastFollow = Date.now();
    this.view.show(this.live.snapshot(), undefined, this.root);
  }

  dispose(): void {
    this.cancelFollow();
  }

  private cancelFollow(): void {
    if (this.followTimer !== undefined) clearTimeout(this.followTimer);
    this.followTimer = undefined;
  }

  /** Shows the paused program in the Async Tasks view; resolves with where it stopped and its snapshot (undefined when unreadable). */
  private async readPaused(session: vscode.DebugSession, threadId: number, reason: string): Promise<{ location: PauseLocation; snapshot: ProgramSnapshot | undefined } | undefined> {
    try {
      const st = await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 }) as { stackFrames?: StackFrame[] };
      const frame = st.stackFrames?.[0];
      const where: PauseLocation = { path: localPath(frame?.source?.path), line: frame?.line ?? 0, column: frame?.column ?? 0, frameName: frame?.name ?? reason };
      const ev = await session.customRequest('evaluate', { expression: snapshotExpression, frameId: frame?.id, context: 'clipboard' }) as { result?: string };
      const snapshot = parseEvaluated(ev.result ?? '');
      if (!this.stoppedSessions.has(session.id)) return { location: where, snapshot }; // resumed meanwhile
      if (!snapshot) {
        this.lastError = 'the paused program has no async-trace snapshot (it has not loaded async-trace/runtime yet)';
        this.view.clear(`Paused at ${where.path ? `${where.path}:${where.line}` : where.frameName}: the program has not loaded async-trace/runtime yet.`);
        return { location: where, snapshot };
      }
      this.lastError = undefined;
      this.view.show(snapshot, where, this.root);
      return { location: where, snapshot };
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      this.log(`Async Tasks: could not read the paused program: ${this.lastError}`);
      return undefined;
    }
  }
}
