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
 * - One run owns the panel and the status bar at a time: the latest one started. A run
 *   started while another is running asks first (stop it, run both, cancel); the older
 *   run, if kept, goes on recording to its own file but no longer draws.
 * - Editors are saved before the build as VS Code's own `debug.saveBeforeStart` says.
 */
import { randomBytes } from 'node:crypto';
import { traceFileName } from '../trace/file-names';
import { TRACER_ENV } from '../trace/tracer-settings';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TraceRunResult } from './commands';
import { readConfig } from './config';
import { describeRuntime } from '../bundler/bundle-program';
import { notTracedMessage } from '../trace/used-runtime';
import { LiveTrace, unreadableVersion, type TraceSummary } from './live-trace';
import type { PanelHost } from './panel';
import { buildForLaunch, type BuildProblem } from './program-build';
import { pickProgram, type ProgramChoice } from './program-pick';
import { parseRingSize } from '../runtime/tracer/ring-size';
import { trackRingRun } from './recent-trace';
import { Recorder } from './recorder';
import type { AsyncTasksView } from './async-tasks-view';
import { nowUnixMs, runMarker, type DebugWatch } from './debug-watch';
import { unrecordedPauseBatch } from './pause-append';
import { RunDebug } from './run-debug';
import { RunStatus } from './run-status';

export { notTracedMessage };
/** After the session ends, how long the recorder waits for the program's socket to close. */
const drainLimitMs = 3000;

export interface TraceRunDeps {
  context: vscode.ExtensionContext;
  panel: PanelHost;
  diagnostics: vscode.DiagnosticCollection;
  output: vscode.OutputChannel;
  /** A trace file of `program` was written (remembered for revival, export and comparing runs). */
  recorded(file: string, program: string): void;
  debugWatch: DebugWatch;
  tasksView: AsyncTasksView;
  /** The run's trace file is whole: its findings and await figures go to the editor (trace-insights.ts, read in a worker). */
  analysed?(file: string, root: string): Promise<void>;
}

interface ActiveRun {
  program: string;
  /** Stops the run's debug sessions. */
  stop(): Thenable<void>;
}

/** Runs in progress, by run id. */
const active = new Map<string, ActiveRun>();
/** The run whose trace the panel and the status bar show. */
let onScreen: string | undefined;

export const askStop = 'Stop it';
export const askBoth = 'Run both';

/** While another run is running: stop it, run both, or (dismissed) start nothing. */
async function settleRunning(program: string): Promise<'go' | 'cancel'> {
  if (active.size === 0) return 'go';
  const names = [...active.values()].map((r) => path.basename(r.program)).join(', ');
  const pick = await vscode.window.showWarningMessage(
    `${names} is still being traced. Stop it and trace ${path.basename(program)}, or trace both?`, askStop, askBoth);
  if (pick === askBoth) return 'go';
  if (pick !== askStop) return 'cancel';
  await Promise.all([...active.values()].map((r) => r.stop()));
  return 'go';
}

/** Saves before a run the way VS Code's debugger does (`debug.saveBeforeStart`). */
async function saveBeforeRun(program: string): Promise<void> {
  const mode = vscode.workspace.getConfiguration('debug').get<string>('saveBeforeStart', 'allEditorsInActiveGroup');
  if (mode === 'none') return;
  const group = vscode.window.tabGroups.activeTabGroup;
  const inGroup = new Set(group.tabs.map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri.toString() : '')));
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && (inGroup.has(d.uri.toString()) || d.uri.fsPath === program));
  // Untitled editors have nowhere to go without a dialog; the program itself never is one.
  for (const d of dirty) if (!d.isUntitled) await d.save();
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
function watchSessions(runId: string): { ended: Promise<void>; live(): vscode.DebugSession[]; dispose(): void } {
  const live = new Map<string, vscode.DebugSession>();
  let started = false;
  let resolve!: () => void;
  const ended = new Promise<void>((r) => { resolve = r; });
  const ours = (s: vscode.DebugSession): boolean => s.configuration[runMarker] === runId || (s.parentSession !== undefined && live.has(s.parentSession.id));
  const subs = [
    vscode.debug.onDidStartDebugSession((s) => { if (ours(s)) { started = true; live.set(s.id, s); } }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (!live.delete(s.id)) return;
      if (started && live.size === 0) resolve();
    }),
  ];
  return { ended, live: () => [...live.values()], dispose: () => subs.forEach((d) => d.dispose()) };
}

/** What a run draws into: the panel, while the run is the one on screen. */
interface RunView {
  showEmpty(message: string, hint: string): void;
  startTrace(title: string, root: string): void;
  chunk(bytes: Uint8Array): void;
  end(complete: boolean, message: string): void;
}

/** A ring run ended: its last window, written by the program at exit, is the trace shown. */
async function showRingWindow(deps: TraceRunDeps, view: RunView, traceFile: string, title: string, root: string, program: string): Promise<TraceRunResult> {
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
  const analysis = deps.analysed?.(traceFile, summary.root ?? root);
  deps.recorded(traceFile, program);
  deps.output.appendLine(message);
  void vscode.window.showInformationMessage(message);
  await analysis;
  return { started: true, message, program, traceFile, bytes: bytes.length, refused: 0 };
}

export async function traceRun(deps: TraceRunDeps, explicit?: vscode.Uri): Promise<TraceRunResult> {
  const choice = await pickProgram(explicit);
  if (!choice) {
    deps.panel.show(true);
    const message = 'No program to trace: open a .ts or .js file, set asyncTrace.program, or mark a launch configuration with "asyncTrace": true.';
    void vscode.window.showInformationMessage(message);
    return { started: false, message, bytes: 0, refused: 0 };
  }
  if (await settleRunning(choice.program) === 'cancel') {
    return { started: false, message: 'Cancelled: another trace is running.', program: choice.program, bytes: 0, refused: 0 };
  }
  await saveBeforeRun(choice.program);
  const runId = randomBytes(8).toString('hex');
  onScreen = runId;
  return runChoice(deps, choice, deps.panel.show(true), runId);
}

async function runChoice(deps: TraceRunDeps, choice: ProgramChoice, panelView: ReturnType<PanelHost['show']>, runId: string): Promise<TraceRunResult> {
  const { program, folder } = choice;
  const root = folder?.uri.fsPath ?? path.dirname(program);
  const config = readConfig(folder?.uri);
  // Everything this run shows goes through here, and only while it is the run on screen.
  const mine = (): boolean => onScreen === runId;
  const view = {
    showEmpty: (m: string, h: string): void => { if (mine()) panelView.showEmpty(m, h); },
    startTrace: (t: string, r: string): void => { if (mine()) panelView.startTrace(t, r, traceFile); },
    chunk: (b: Uint8Array): void => { if (mine()) panelView.chunk(b); },
    end: (c: boolean, m: string): void => { if (mine()) panelView.end(c, m); },
    pause: (p: Parameters<typeof panelView.pause>[0]): void => { if (mine()) panelView.pause(p); },
    set root(r: string) { if (mine()) panelView.root = r; },
  };

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
  const runtime = describeRuntime(built.runtime);
  deps.output.appendLine(`runtime: ${runtime}`);
  view.showEmpty(`Running ${path.basename(program)}…`, `Waiting for the program to load async-trace/runtime and connect. Runtime: ${runtime}.`);

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
  const traceFile = path.join(traceDir, traceFileName(program, new Date(), randomBytes(2).toString('hex')));
  // The program itself writes a ring's windows, into this folder.
  if (ring) mkdirSync(traceDir, { recursive: true });
  const live = new LiveTrace();
  const status = new RunStatus(path.basename(program), mine);
  const origin = built.runtime.origin === 'project' ? `project's async-trace ${built.runtime.version}` : `bundled async-trace ${built.runtime.version}`;
  const title = `${path.basename(program)} — ${path.basename(traceFile)} · runtime: ${origin}`;
  let foreign: string | undefined;
  // A stop shows the trace up to it in the panel, with where it stopped (run-debug.ts).
  const runDebug = new RunDebug(deps.tasksView, live, root, (line) => deps.output.appendLine(line), (p) => view.pause(p), () => recorder.stats.bytes);
  const recorder = await Recorder.open(traceFile, {
    onConnect: () => { deps.output.appendLine(`program connected; recording to ${traceFile}`); view.startTrace(title, root); },
    onBytes: (bytes) => {
      if (live.summary().events === 0 && foreign === undefined) {
        foreign = unreadableVersion(bytes);
        if (foreign) {
          deps.output.appendLine(foreign);
          view.showEmpty('Cannot read this trace', foreign);
        }
      }
      if (foreign) return;
      live.push(bytes);
      const s = live.summary();
      if (s.root) view.root = s.root;
      view.chunk(bytes);
      status.update(recorder.stats.bytes, s.events, s.tasks);
      runDebug.traceChanged();
    },
    onRefused: (why) => deps.output.appendLine(`refused a recorder connection: ${why}`),
  });
  const sessions = watchSessions(runId);
  // Stopping the top-level session ends its children (js-debug's launcher and the program).
  active.set(runId, { program, stop: async () => { for (const s of sessions.live().filter((x) => !x.parentSession)) await vscode.debug.stopDebugging(s); } });
  const debugging = deps.debugWatch.watch(runId, runDebug);
  const launch: vscode.DebugConfiguration = {
    cwd: root,
    ...choice.launch,
    type: 'node',
    request: 'launch',
    name: `Async Trace: ${path.basename(program)}`,
    program: built.outFile,
    sourceMaps: true,
    // Node maps error stacks through the bundle's map too (a stack printed by the program reads the user's lines and columns).
    runtimeArgs: [...((choice.launch.runtimeArgs as string[] | undefined) ?? []).filter((a) => a !== '--enable-source-maps'), '--enable-source-maps'],
    // Stepping never stops in the runtime or the site marks (js-debug's default keeps Node's internals out too).
    skipFiles: [...((choice.launch.skipFiles as string[] | undefined) ?? ['<node_internals>/**']), ...built.skipFiles],
    outFiles: [path.join(built.outDir, '**', '*.{js,cjs}')],
    env: {
      ...(choice.launch.env as Record<string, string> | undefined),
      [TRACER_ENV.target]: ring ? traceFile : recorder.address,
      ...(ring ? { [TRACER_ENV.ring]: ring } : {}),
      [TRACER_ENV.root]: root,
      [TRACER_ENV.bufferEvents]: String(config.eventBufferSize),
      [TRACER_ENV.blockedMs]: String(config.blockedLoopThresholdMs),
      // The runtime answers the Async Tasks view's snapshot requests (runtime/debug-snapshot.ts).
      [TRACER_ENV.debug]: '1',
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
    active.delete(runId);
    untrack();
    ringSessions?.dispose();
    sessions.dispose();
    debugging.dispose();
    runDebug.dispose();
    status.dispose();
    await recorder.close();
    const message = 'The debugger did not start the program.';
    void vscode.window.showErrorMessage(message);
    return { started: false, message, program, bytes: 0, refused: 0 };
  }
  await sessions.ended;
  active.delete(runId);
  sessions.dispose();
  debugging.dispose();
  runDebug.dispose();
  deps.tasksView.clear(`${path.basename(program)} has ended.`);
  untrack();
  ringSessions?.dispose();
  if (ring) {
    await recorder.close();
    status.dispose();
    return showRingWindow(deps, view, traceFile, title, root, program);
  }
  // The program's answers to the last pause requests (a record it writes then is still to come).
  await Promise.race([runDebug.settled(), new Promise((r) => setTimeout(r, drainLimitMs))]);
  await Promise.race([recorder.drained(), new Promise((r) => setTimeout(r, drainLimitMs))]);
  // A program that died before its socket connected (or with bytes queued) spilled them.
  const spill = recorder.adoptSpill();
  if (spill.kind === 'adopted') deps.output.appendLine(`adopted ${spill.bytes} bytes the program spilled at exit`);
  else if (spill.kind === 'rejected') deps.output.appendLine(`ignored the program's spill file: ${spill.reason}`);
  await recorder.close();
  status.dispose();
  if (!foreign && recorder.stats.connected) appendUnrecordedPauses(runDebug, live, view, traceFile, (line) => deps.output.appendLine(line));

  if (foreign) {
    deps.recorded(traceFile, program);
    void vscode.window.showErrorMessage(foreign);
    return { started: true, message: foreign, program, traceFile, bytes: recorder.stats.bytes, refused: recorder.stats.refused };
  }
  const decoded = live.summary();
  // Connected, decoded, and nothing ran on the runtime: the marks loaded it, the program never used it.
  if (!recorder.stats.connected || (decoded.complete && !decoded.usedRuntime)) {
    if (recorder.stats.connected) await vscode.workspace.fs.delete(vscode.Uri.file(traceFile)).then(undefined, () => undefined);
    view.showEmpty('Nothing was traced', `${notTracedMessage}. Add \`import { run } from 'async-trace/runtime'\` and run your code with it.`);
    void vscode.window.showWarningMessage(notTracedMessage, 'Open docs').then((pick) => {
      if (pick) void vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(deps.context.extensionUri, 'README.md'));
    });
    return { started: true, message: notTracedMessage, program, bytes: 0, refused: recorder.stats.refused };
  }
  const summary = live.summary();
  const message = `Recorded ${describe(summary, recorder.stats.bytes)} to ${vscode.workspace.asRelativePath(traceFile)}`;
  view.end(summary.complete, message);
  // The file is whole now (pauses appended): the worker reads it; the run ends with its findings shown.
  const analysis = deps.analysed?.(traceFile, summary.root ?? root);
  deps.recorded(traceFile, program);
  deps.output.appendLine(message);
  void vscode.window.showInformationMessage(message);
  await analysis;
  return { started: true, message, program, traceFile, bytes: recorder.stats.bytes, refused: recorder.stats.refused };
}

/**
 * Pauses the program could not record (its session ended while it was stopped) go at the
 * end of the trace file, and into the live state and the panel (extension/pause-append.ts).
 */
function appendUnrecordedPauses(runDebug: RunDebug, live: LiveTrace, view: RunView, traceFile: string, log: (line: string) => void): void {
  const pauses = runDebug.unrecordedPauses().map((p) => ({ beginTraceMs: p.beginTraceMs!, durationMs: (p.endUnixMs ?? nowUnixMs()) - p.beginUnixMs }));
  const batch = unrecordedPauseBatch(pauses, live.endTime);
  if (!batch) return;
  try {
    appendFileSync(traceFile, batch);
  } catch (e) {
    log(`could not append the debugger pauses to ${traceFile}: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  live.push(batch);
  view.chunk(batch);
  log(`appended ${pauses.length} debugger pause(s) the program did not record (its session ended while paused)`);
}
