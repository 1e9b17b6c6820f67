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
 */
import * as vscode from 'vscode';
import type { AsyncTasksView, PauseLocation } from './async-tasks-view';
import type { RunDebugListener } from './debug-watch';
import type { LiveTrace } from './live-trace';
import type { ProgramSnapshot } from '../trace/program-snapshot';

/** At most this many follow updates of the view per second while the program runs. */
const FOLLOW_PER_S = 4;

export const snapshotExpression = "typeof globalThis.__asyncTraceSnapshot === 'function' ? globalThis.__asyncTraceSnapshot() : ''";

/** What the program answers `typeof fn === 'function' ? fn(phase) : -1` with, as a number (-1: not traced). */
const pauseCall = (phase: 'begin' | 'end'): string =>
  `(() => { const f = globalThis[Symbol.for('async-trace.debuggerPaused')]; return typeof f === 'function' ? f('${phase}') : -1; })()`;
/** Evaluated in the stopped program: it notes when the pause began, on its trace clock; answers that time. */
export const pauseBeginExpression = pauseCall('begin');
/** Evaluated once it runs again: it writes the `debuggerPaused` record; answers the pause's ms. */
export const pauseEndExpression = pauseCall('end');

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

  constructor(
    private readonly view: AsyncTasksView,
    private readonly live: LiveTrace,
    private readonly root: string,
    private readonly log: (line: string) => void,
  ) {}

  get isPaused(): boolean {
    return this.stoppedSessions.size > 0;
  }

  stopped(session: vscode.DebugSession, threadId: number, reason: string, atUnixMs: number): void {
    if (!this.isPaused) {
      const p: PauseInterval = { beginUnixMs: atUnixMs, endUnixMs: undefined };
      this.pauses.push(p);
      this.inOrder(async () => {
        const t = await this.evaluateNumber(session, pauseBeginExpression);
        if (t !== undefined && t >= 0) p.beginTraceMs = t;
      });
    }
    this.stoppedSessions.add(session.id);
    this.cancelFollow();
    void this.readPaused(session, threadId, reason);
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
          const d = await this.evaluateNumber(session, pauseEndExpression);
          if (d !== undefined && d > 0) open.recorded = true;
        });
      }
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

  private async readPaused(session: vscode.DebugSession, threadId: number, reason: string): Promise<void> {
    try {
      const st = await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 }) as { stackFrames?: StackFrame[] };
      const frame = st.stackFrames?.[0];
      const where: PauseLocation = { path: localPath(frame?.source?.path), line: frame?.line ?? 0, column: frame?.column ?? 0, frameName: frame?.name ?? reason };
      const ev = await session.customRequest('evaluate', { expression: snapshotExpression, frameId: frame?.id, context: 'clipboard' }) as { result?: string };
      const snapshot = parseEvaluated(ev.result ?? '');
      if (!this.stoppedSessions.has(session.id)) return; // resumed meanwhile
      if (!snapshot) {
        this.lastError = 'the paused program has no async-trace snapshot (it has not loaded async-trace/runtime yet)';
        this.view.clear(`Paused at ${where.path ? `${where.path}:${where.line}` : where.frameName}: the program has not loaded async-trace/runtime yet.`);
        return;
      }
      this.lastError = undefined;
      this.view.show(snapshot, where, this.root);
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      this.log(`Async Tasks: could not read the paused program: ${this.lastError}`);
    }
  }
}
