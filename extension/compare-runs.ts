/**
 * The two compare commands: "Compare with Previous Run" (the program's last two runs,
 * from run-history.ts) and "Compare Trace Files..." (any two). Both read the files
 * here first, so a file that is missing or not a trace is named in an error message
 * and nothing is half shown; the panel then gets the compare view of the pair.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { TraceDecoder } from '../trace/decoder';
import { TraceFormatError } from '../trace/format';
import { TraceLiveState } from '../trace/live-state';
import type { PanelHost } from './panel';
import type { RunHistory } from './run-history';
import type { TraceView } from './trace-view';

export interface CompareResult {
  /** Run A (before) and run B (after). */
  a: string;
  b: string;
}

interface ReadTrace { file: string; bytes: Uint8Array; root: string; problem: string }

/** Reads and checks one trace; throws an Error whose message names the file and the problem. */
async function readTrace(file: string): Promise<ReadTrace> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(file));
  } catch (e) {
    throw new Error(`Cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    // Checked by folding the records into counts only: no event list, no model (issue 18).
    const d = new TraceDecoder();
    d.pushTo(bytes, new TraceLiveState());
    const end = d.end();
    if (!d.header) throw new TraceFormatError(end.error ?? 'no header', end.stoppedAt);
    return { file, bytes: new Uint8Array(bytes), root: d.header.root, problem: end.complete ? '' : end.error ?? 'truncated' };
  } catch (e) {
    if (e instanceof TraceFormatError) throw new Error(`${path.basename(file)} is not an async-trace file: ${e.message}`);
    throw e;
  }
}

/** Shows A and B in the panel's compare view; undefined (after an error message) when either cannot be read. */
export async function compareFiles(panel: PanelHost, a: string, b: string): Promise<CompareResult | undefined> {
  return compareInto(() => panel.show(), a, b);
}

/**
 * Reads A and B, then shows their compare view in the view `target` gives (the panel,
 * or the panel being revived after a reload); remembers the pair for that revival.
 */
export async function compareInto(target: () => TraceView, a: string, b: string): Promise<CompareResult | undefined> {
  let ta: ReadTrace, tb: ReadTrace;
  try {
    [ta, tb] = await Promise.all([readTrace(a), readTrace(b)]);
  } catch (e) {
    void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
    return undefined;
  }
  for (const t of [ta, tb]) if (t.problem) void vscode.window.showWarningMessage(`${path.basename(t.file)} is incomplete (${t.problem}); comparing what it holds.`);
  const view = target();
  view.compare({ title: path.basename(a), bytes: ta.bytes }, { title: path.basename(b), bytes: tb.bytes }, tb.root || ta.root);
  return { a, b };
}

/** The program to compare: the one given, else the active editor's when it has two runs, else the last traced. */
function programFor(history: RunHistory, given: vscode.Uri | undefined): string | undefined {
  if (given) return given.fsPath;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && history.runs(active.fsPath).length >= 2) return active.fsPath;
  return history.comparable()[0];
}

export async function compareWithPrevious(panel: PanelHost, history: RunHistory, given?: vscode.Uri): Promise<CompareResult | undefined> {
  const program = programFor(history, given);
  const runs = program ? history.runs(program) : [];
  if (!program || runs.length < 2) {
    const which = program ? path.basename(program) : 'a program';
    void vscode.window.showInformationMessage(`Compare with Previous Run needs two recorded runs of ${which}: run "Trace Async Run" on it again after your change.`);
    return undefined;
  }
  return compareFiles(panel, runs[1], runs[0]);
}

export async function compareTraceFiles(panel: PanelHost, a?: vscode.Uri, b?: vscode.Uri, near?: vscode.Uri): Promise<CompareResult | undefined> {
  const pick = async (title: string, many: boolean) => vscode.window.showOpenDialog({
    title, canSelectMany: many, filters: { 'Async Trace': ['atrace'] }, defaultUri: near,
  });
  let first = a, second = b;
  if (!first) {
    const picked = await pick('Compare Trace Files: run A (before), or both runs', true);
    if (!picked?.length) return undefined;
    [first, second] = picked.length >= 2 ? await byAge(picked[0], picked[1]) : [picked[0], second];
  }
  if (!second) {
    const picked = await pick(`Compare with ${path.basename(first.fsPath)}: run B (after)`, false);
    if (!picked?.length) return undefined;
    second = picked[0];
  }
  return compareFiles(panel, first.fsPath, second.fsPath);
}

/** Two files picked together: the older is run A. */
async function byAge(x: vscode.Uri, y: vscode.Uri): Promise<[vscode.Uri, vscode.Uri]> {
  const [sx, sy] = await Promise.all([vscode.workspace.fs.stat(x), vscode.workspace.fs.stat(y)]);
  return sx.mtime <= sy.mtime ? [x, y] : [y, x];
}
