/**
 * Reveal a trace site: open the TS file at the site's line and column in the editor
 * column beside the trace panel, and highlight the line briefly. Sites are 1-based;
 * relative paths are resolved against the trace's root folder.
 *
 * Keyboard focus stays where it was (the panel): a person stepping with n / p keeps
 * typing into the chart, never into their source file. The file never opens in the
 * panel's own group, which would cover the chart.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { Site } from '../webview/protocol';

const highlightMs = 1500;
const highlight = vscode.window.createTextEditorDecorationType({
  backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
  isWholeLine: true,
});

export function siteUri(site: Site, root: string | undefined): vscode.Uri {
  if (path.isAbsolute(site.file)) return vscode.Uri.file(site.file);
  const base = root ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  return vscode.Uri.file(path.resolve(base, site.file));
}

/**
 * The editor column to use beside `beside` (the panel's): a column already showing the
 * file, else one showing another text editor, else a new column next to the panel.
 */
export function columnBeside(beside: vscode.ViewColumn | undefined, uri?: vscode.Uri): vscode.ViewColumn {
  const others = vscode.window.visibleTextEditors.filter((e) => e.viewColumn !== undefined && e.viewColumn !== beside);
  const same = uri && others.find((e) => e.document.uri.toString() === uri.toString());
  const column = (same ?? others[0])?.viewColumn;
  if (column !== undefined) return column;
  return beside === undefined ? vscode.ViewColumn.Beside : beside + 1;
}

export async function revealSite(site: Site, root: string | undefined, beside?: vscode.ViewColumn): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(siteUri(site, root));
  const line = Math.min(Math.max(site.line - 1, 0), Math.max(doc.lineCount - 1, 0));
  const col = Math.max(site.col - 1, 0);
  const pos = new vscode.Position(line, col);
  const editor = await vscode.window.showTextDocument(doc, {
    viewColumn: columnBeside(beside, doc.uri),
    selection: new vscode.Range(pos, pos),
    preserveFocus: true,
  });
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  editor.setDecorations(highlight, [new vscode.Range(line, 0, line, 0)]);
  setTimeout(() => editor.setDecorations(highlight, []), highlightMs);
  return editor;
}
