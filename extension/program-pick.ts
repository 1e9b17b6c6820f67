/**
 * Which program Trace Async Run traces. In order: an explicit file (command argument),
 * the active editor's .ts/.js file, else the launch configurations marked
 * `"asyncTrace": true` together with the `asyncTrace.program` setting: one candidate is
 * used directly, several are offered in a quick pick, none means nothing to trace.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { readConfig } from './config';

export interface ProgramChoice {
  program: string;
  folder: vscode.WorkspaceFolder | undefined;
  /** What the choice came from, for messages. */
  source: 'argument' | 'editor' | 'launch' | 'setting';
  /** Extra launch attributes (args, cwd, env, runtimeExecutable…) from a launch configuration. */
  launch: Record<string, unknown>;
  label: string;
}

const programFile = /\.(ts|mts|cts|tsx|js|mjs|cjs)$/;

function substitute(value: string, folder: vscode.WorkspaceFolder | undefined): string {
  const root = folder?.uri.fsPath ?? '';
  return value.replace(/\$\{workspaceFolder\}/g, root).replace(/\$\{workspaceRoot\}/g, root);
}

function fromUri(uri: vscode.Uri, source: ProgramChoice['source']): ProgramChoice {
  return { program: uri.fsPath, folder: vscode.workspace.getWorkspaceFolder(uri), source, launch: {}, label: path.basename(uri.fsPath) };
}

function launchCandidates(folder: vscode.WorkspaceFolder): ProgramChoice[] {
  const configs = vscode.workspace.getConfiguration('launch', folder.uri).get<unknown[]>('configurations') ?? [];
  const out: ProgramChoice[] = [];
  for (const c of configs) {
    if (typeof c !== 'object' || c === null) continue;
    const cfg = c as Record<string, unknown>;
    if (cfg.asyncTrace !== true || typeof cfg.program !== 'string') continue;
    const { type: _t, request: _r, name, program, asyncTrace: _a, preLaunchTask: _p, ...rest } = cfg;
    out.push({
      program: path.resolve(folder.uri.fsPath, substitute(program, folder)),
      folder, source: 'launch', launch: rest,
      label: typeof name === 'string' ? `${name} (launch.json)` : `${path.basename(program)} (launch.json)`,
    });
  }
  return out;
}

function settingCandidates(folder: vscode.WorkspaceFolder | undefined): ProgramChoice[] {
  const p = readConfig(folder?.uri).program;
  if (!p) return [];
  const program = path.resolve(folder?.uri.fsPath ?? process.cwd(), substitute(p, folder));
  return [{ program, folder, source: 'setting', launch: {}, label: `${path.basename(program)} (asyncTrace.program)` }];
}

/** The program to trace, or undefined when there is none or the user dismissed the pick. */
export async function pickProgram(explicit: vscode.Uri | undefined): Promise<ProgramChoice | undefined> {
  if (explicit) return fromUri(explicit, 'argument');
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file' && programFile.test(doc.uri.fsPath)) return fromUri(doc.uri, 'editor');
  const folders = vscode.workspace.workspaceFolders ?? [];
  const candidates = [...folders.flatMap(launchCandidates), ...(folders.length ? folders.flatMap(settingCandidates) : settingCandidates(undefined))];
  if (candidates.length <= 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: c.label, description: vscode.workspace.asRelativePath(c.program), choice: c })),
    { placeHolder: 'Which program should Async Trace run?' },
  );
  return picked?.choice;
}
