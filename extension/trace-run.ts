/**
 * Trace Async Run: pick → build → record while js-debug runs the program → summary.
 *
 * Invariants:
 * - Nothing is launched when the build fails; its errors become diagnostics on the
 *   right lines (cleared again by the next successful build).
 * - The recorder is open before the debug session starts and closed after it ends;
 *   every byte received is on disk before the panel sees it, so a crash, the stop
 *   button or a killed program keep everything recorded so far.
 * - The run's debug sessions are recognised by a marker in their configuration; the
 *   run ends when the last of them terminates.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TraceRunResult } from './commands';
import { readConfig } from './config';
import { LiveTrace, type TraceSummary } from './live-trace';
import type { PanelHost } from './panel';
import { buildForLaunch, type BuildProblem } from './program-build';
import { pickProgram, type ProgramChoice } from './program-pick';
import { parseRingSize } from '../runtime/tracer/ring-size';
import { trackRingRun } from './recent-trace';
import { Recorder } from './recorder';
import { RunStatus } from './run-status';

export const notTracedMessage = 'nothing was traced: the program does not import async-trace/runtime';
const runMarker = '__asyncTraceRun';
/** After the session ends, how long the recorder waits for the program's socket to close. */
const drainLimitMs = 3000;

export interface TraceRunDeps {
  context: vscode.ExtensionContext;
  panel: PanelHost;
  diagnostics: vscode.DiagnosticCollection;
  output: vscode.OutputChannel;
  /** A trace file was written (remembered for revival and export). */
  recorded(file: string): void;
}

function traceFileName(program: string, now = new Date()): string {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p2(now.getMonth() + 1)}${p2(now.getDate())}-${p2(now.getHours())}${p2(now.getMinutes())}${p2(now.getSeconds())}`;
  return `${path.basename(program).replace(/\.[^.]+$/, '')}-${stamp}-${randomBytes(2).toString('hex')}.atrace`;
}

export function showProblems(diagnostics: vscode.DiagnosticCollection, problems: BuildProblem[]): void {
  diagnostics.clear();
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const p of problems) {
    if (!p.file) continue;
    const start = new vscode.Position(Math.max(p.line - 1, 0), p.column);
    const d = new vscode.Diagnostic(new vscode.Range(start, start.translate(0, Math.max(p.length, 1))), p.message, vscode.DiagnosticSeverity.Error);
    d.source = 'Async Trace build';
    byFile.set(p.file, [...(byFile.get(p.file) ?? []), d]);
  }
  for (const [file, list] of byFile) diagnostics.set(vscode.Uri.file(file), list);
}

function describe(s: TraceSummary, bytes: number): string {
  const dropped = s.dropped ? `, ${s.dropped} dropped` : '';
  const partial = s.complete ? '' : ` (incomplete: ${s.error ?? 'the stream stopped mid-batch'})`;
  return `${s.events} events, ${s.tasks} tasks${dropped}, ${bytes} bytes${partial}`;
}

/** Resolves with every session of this run once the last one has terminated. */
function watchSessions(runId: string): { ended: Promise<void>; dispose(): void } {
  const live = new Set<string>();
  let started = false;
  let resolve!: () => void;
  const ended = new Promise<void>((r) => { resolve = r; });
  const ours = (s: vscode.DebugSession): boolean => s.configuration[runMarker] === runId || (s.parentSession !== undefined && live.has(s.parentSession.id));
  const subs = [
    vscode.debug.onDidStartDebugSession((s) => { if (ours(s)) { started = true; live.add(s.id); } }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (!live.delete(s.id)) return;
      if (started && live.size === 0) resolve();
    }),
  ];
  return { ended, dispose: () => subs.forEach((d) => d.dispose()) };
}

/** A ring run ended: its last window, written by the program at exit, is the trace shown. */
async function showRingWindow(deps: TraceRunDeps, view: ReturnType<PanelHost['show']>, traceFile: string, title: string, root: string, program: string): Promise<TraceRunResult> {
  if (!existsSync(traceFile)) {
    view.showEmpty('Nothing was traced', `${notTracedMessage}. Add \`import { run } from 'async-trace/runtime'\` and run your code with it.`);
    void vscode.window.showWarningMessage(notTracedMessage);
    return { started: true, message: notTracedMessage, program, bytes: 0, refused: 0 };
  }
  const bytes = new Uint8Array(await readFile(traceFile));
  const live = new LiveTrace();
  live.push(bytes);
  view.startTrace(title, root);
  view.chunk(bytes);
  const summary = live.summary();
  const message = `Recorded the most recent ${describe(summary, bytes.length)} to ${vscode.workspace.asRelativePath(traceFile)}`;
  view.end(summary.complete, message);
  deps.recorded(traceFile);
  deps.output.appendLine(message);
  void vscode.window.showInformationMessage(message);
  return { started: true, message, program, traceFile, bytes: bytes.length, refused: 0 };
}

export async function traceRun(deps: TraceRunDeps, explicit?: vscode.Uri): Promise<TraceRunResult> {
  const choice = await pickProgram(explicit);
  const view = deps.panel.show(true);
  if (!choice) {
    const message = 'No program to trace: open a .ts or .js file, set asyncTrace.program, or mark a launch configuration with "asyncTrace": true.';
    void vscode.window.showInformationMessage(message);
    return { started: false, message, bytes: 0, refused: 0 };
  }
  return runChoice(deps, choice, view);
}

async function runChoice(deps: TraceRunDeps, choice: ProgramChoice, view: ReturnType<PanelHost['show']>): Promise<TraceRunResult> {
  const { program, folder } = choice;
  const root = folder?.uri.fsPath ?? path.dirname(program);
  const config = readConfig(folder?.uri);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === program);
  if (doc?.isDirty) await doc.save();

  deps.output.appendLine(`building ${program}`);
  const built = await buildForLaunch({
    program, root,
    cacheDir: path.join(deps.context.globalStorageUri.fsPath, 'builds'),
  });
  if (!built.ok) {
    showProblems(deps.diagnostics, built.problems);
    const first = built.problems[0];
    const message = `Build failed, nothing was launched: ${first.message}` + (built.problems.length > 1 ? ` (and ${built.problems.length - 1} more)` : '');
    void vscode.window.showErrorMessage(message);
    view.showEmpty('Build failed', `${message}. See the Problems view.`);
    return { started: false, message, program, bytes: 0, refused: 0 };
  }
  deps.diagnostics.clear();
  view.showEmpty(`Running ${path.basename(program)}…`, 'Waiting for the program to load async-trace/runtime and connect.');

  // Flight recorder: the program keeps the most recent events and writes them to the
  // trace file at its end (and windows beside it on Save Recent Trace); nothing is live.
  const ring = config.ringSize;
  if (ring) {
    try { parseRingSize(ring); } catch (e) {
      const message = `asyncTrace.ringSize: ${(e as Error).message}`;
      void vscode.window.showErrorMessage(message);
      view.showEmpty('Nothing was launched', message);
      return { started: false, message, program, bytes: 0, refused: 0 };
    }
    view.showEmpty(`Running ${path.basename(program)} with the flight recorder…`, `The program keeps its most recent ${ring} of events. Run "Async Trace: Save Recent Trace" to see them now; they are shown here when it ends.`);
  }
  const traceDir = path.resolve(root, config.traceFolder);
  const traceFile = path.join(traceDir, traceFileName(program));
  // The program itself writes a ring's windows, into this folder.
  if (ring) mkdirSync(traceDir, { recursive: true });
  const live = new LiveTrace();
  const status = new RunStatus(path.basename(program));
  const title = `${path.basename(program)} — ${path.basename(traceFile)}`;
  const recorder = await Recorder.open(traceFile, {
    onConnect: () => { deps.output.appendLine(`program connected; recording to ${traceFile}`); view.startTrace(title, root); },
    onBytes: (bytes) => {
      live.push(bytes);
      const s = live.summary();
      if (s.root) view.root = s.root;
      view.chunk(bytes);
      status.update(recorder.stats.bytes, s.events, s.tasks);
    },
    onRefused: (why) => deps.output.appendLine(`refused a recorder connection: ${why}`),
  });
  const runId = randomBytes(8).toString('hex');
  const sessions = watchSessions(runId);
  const launch: vscode.DebugConfiguration = {
    cwd: root,
    ...choice.launch,
    type: 'node',
    request: 'launch',
    name: `Async Trace: ${path.basename(program)}`,
    program: built.outFile,
    sourceMaps: true,
    // Stepping never stops in the runtime or the site marks (js-debug's default keeps Node's internals out too).
    skipFiles: [...((choice.launch.skipFiles as string[] | undefined) ?? ['<node_internals>/**']), ...built.skipFiles],
    outFiles: [path.join(built.outDir, '**', '*.{js,cjs}')],
    env: {
      ...(choice.launch.env as Record<string, string> | undefined),
      ASYNC_TRACE: ring ? traceFile : recorder.address,
      ...(ring ? { ASYNC_TRACE_RING: ring } : {}),
      ASYNC_TRACE_ROOT: root,
      ASYNC_TRACE_BUFFER_EVENTS: String(config.eventBufferSize),
      ASYNC_TRACE_BLOCKED_MS: String(config.blockedLoopThresholdMs),
    },
    [runMarker]: runId,
  };
  status.start();
  const ringRun = { traceFile, sessions: new Set<vscode.DebugSession>() };
  const untrack = ring ? trackRingRun(ringRun) : () => undefined;
  const ringSessions = ring ? vscode.debug.onDidStartDebugSession((s) => {
    if (s.configuration[runMarker] === runId || (s.parentSession && ringRun.sessions.has(s.parentSession))) ringRun.sessions.add(s);
  }) : undefined;
  let started = false;
  try {
    started = await vscode.debug.startDebugging(folder, launch);
  } catch (e) {
    deps.output.appendLine(`startDebugging failed: ${String(e)}`);
  }
  if (!started) {
    untrack();
    ringSessions?.dispose();
    sessions.dispose();
    status.dispose();
    await recorder.close();
    const message = 'The debugger did not start the program.';
    void vscode.window.showErrorMessage(message);
    return { started: false, message, program, bytes: 0, refused: 0 };
  }
  await sessions.ended;
  sessions.dispose();
  untrack();
  ringSessions?.dispose();
  if (ring) {
    await recorder.close();
    status.dispose();
    return showRingWindow(deps, view, traceFile, title, root, program);
  }
  await Promise.race([recorder.drained(), new Promise((r) => setTimeout(r, drainLimitMs))]);
  // A program that died before its socket connected (or with bytes queued) spilled them.
  const spill = recorder.adoptSpill();
  if (spill.kind === 'adopted') deps.output.appendLine(`adopted ${spill.bytes} bytes the program spilled at exit`);
  else if (spill.kind === 'rejected') deps.output.appendLine(`ignored the program's spill file: ${spill.reason}`);
  await recorder.close();
  status.dispose();

  if (!recorder.stats.connected) {
    view.showEmpty('Nothing was traced', `${notTracedMessage}. Add \`import { run } from 'async-trace/runtime'\` and run your code with it.`);
    void vscode.window.showWarningMessage(notTracedMessage, 'Open docs').then((pick) => {
      if (pick) void vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(deps.context.extensionUri, 'README.md'));
    });
    return { started: true, message: notTracedMessage, program, bytes: 0, refused: recorder.stats.refused };
  }
  const summary = live.summary();
  const message = `Recorded ${describe(summary, recorder.stats.bytes)} to ${vscode.workspace.asRelativePath(traceFile)}`;
  view.end(summary.complete, message);
  deps.recorded(traceFile);
  deps.output.appendLine(message);
  void vscode.window.showInformationMessage(message);
  return { started: true, message, program, traceFile, bytes: recorder.stats.bytes, refused: recorder.stats.refused };
}
