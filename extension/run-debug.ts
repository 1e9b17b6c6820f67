/**
 * What a traced run does with its debugger: on every stop it reads the paused program's
 * own snapshot (a debug-adapter `evaluate` of the runtime's `__asyncTraceSnapshot()`,
 * runtime/debug-snapshot.ts) and where it stopped (the top stack frame, source-mapped
 * by js-debug), and shows both in the Async Tasks view; while the program runs the view
 * follows the recorded trace instead, at most a few times a second. It also keeps the
 * intervals the program was paused, in wall-clock time, for the trace (paused time is
 * not program time).
 */
import * as vscode from 'vscode';
import type { AsyncTasksView, PauseLocation } from './async-tasks-view';
import type { RunDebugListener } from './debug-watch';
import type { LiveTrace } from './live-trace';
import { snapshotFromModel, type ProgramSnapshot } from '../trace/program-snapshot';

/** At most this many follow updates of the view per second while the program runs. */
const FOLLOW_PER_S = 4;

export const snapshotExpression = "typeof globalThis.__asyncTraceSnapshot === 'function' ? globalThis.__asyncTraceSnapshot() : ''";

/** A wall-clock interval the debuggee was stopped; `end` undefined while it still is. */
export interface PauseInterval { beginUnixMs: number; endUnixMs: number | undefined }

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
  private followTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFollow = 0;
  /** Why the last snapshot could not be read (the output channel shows it). */
  lastError: string | undefined;

  constructor(
    private readonly view: AsyncTasksView,
    private readonly live: LiveTrace,
    private readonly root: string,
    private readonly log: (line: string) => void,
    /** A pause ended (the run writes it into the trace). */
    private readonly onPauseEnded: (p: PauseInterval) => void = () => {},
  ) {}

  get isPaused(): boolean {
    return this.stoppedSessions.size > 0;
  }

  stopped(session: vscode.DebugSession, threadId: number, reason: string, atUnixMs: number): void {
    if (!this.isPaused) this.pauses.push({ beginUnixMs: atUnixMs, endUnixMs: undefined });
    this.stoppedSessions.add(session.id);
    this.cancelFollow();
    void this.readPaused(session, threadId, reason);
  }

  resumed(session: vscode.DebugSession, atUnixMs: number): void {
    if (!this.stoppedSessions.delete(session.id) || this.isPaused) return;
    const open = this.pauses[this.pauses.length - 1];
    if (open && open.endUnixMs === undefined) {
      open.endUnixMs = atUnixMs;
      this.onPauseEnded(open);
    }
    this.follow();
  }

  /** The trace grew: follow it in the view while the program runs (throttled). */
  traceChanged(): void {
    if (this.isPaused || this.followTimer !== undefined) return;
    const wait = Math.max(0, this.lastFollow + 1000 / FOLLOW_PER_S - Date.now());
    this.followTimer = setTimeout(() => { this.followTimer = undefined; this.follow(); }, wait);
  }

  /** Shows the trace's state now (when the program runs). */
  follow(): void {
    if (this.isPaused || !this.live.model.header) return;
    this.lastFollow = Date.now();
    this.view.show(snapshotFromModel(this.live.model), undefined, this.root);
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
