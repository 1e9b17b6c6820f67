/**
 * What a finished trace says, in the editor: its findings (trace/analysis/) as
 * diagnostics in the Problems view at their sites, with the other end of a cycle or of
 * a hold as related information; and a CodeLens above every await site with its
 * figures ("11 waits · 1.5 s · p99 151 ms"). One trace at a time: the last run or the
 * last trace file opened replaces what was shown. Build errors keep their own
 * collection (trace-run.ts), so a clean build does not wipe the findings of a run.
 * It holds only the results (extension/trace-jobs.ts computes them in a worker from the
 * trace file, issue 18), never the trace's model, and needs no panel open.
 */
import * as vscode from 'vscode';
import type { Finding, Severity } from '../trace/analysis/finding-types';
import { siteFiguresTitle } from '../trace/analysis/site-figures';
import type { Site } from '../trace/model-types';
import type { TraceInsightsResult } from './trace-jobs';
import { siteUri } from './reveal';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function rangeAt(site: Site): vscode.Range {
  const p = new vscode.Position(Math.max(site.line - 1, 0), Math.max(site.col - 1, 0));
  return new vscode.Range(p, p.translate(0, 1));
}

export class TraceInsights implements vscode.CodeLensProvider, vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('asyncTrace.findings');
  private lenses = new Map<string, { line: number; title: string }[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly registration: vscode.Disposable;
  /** The findings shown now (for the integration suite and commands). */
  findings: Finding[] = [];

  constructor() {
    this.registration = vscode.languages.registerCodeLensProvider(
      ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'].map((language) => ({ scheme: 'file', language })), this);
  }

  /** Shows what a whole trace says (its findings and await figures); sites are relative to `root`. */
  show({ findings, figures }: TraceInsightsResult, root: string | undefined): void {
    this.findings = findings;
    this.diagnostics.clear();
    const byFile = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    for (const f of findings) {
      const site = f.sites[0];
      if (!site) continue;
      const uri = siteUri(site, root);
      const d = new vscode.Diagnostic(rangeAt(site), f.message, SEVERITY[f.severity]);
      d.source = 'Async Trace';
      d.code = f.kind;
      // The other end of a cycle, the acquire of a hold: each place that explains it, with
      // who did what there (two tasks of a cycle often wait on the same line).
      d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(siteUri(r.site, root), rangeAt(r.site)), r.message));
      const entry = byFile.get(uri.fsPath) ?? { uri, list: [] };
      entry.list.push(d);
      byFile.set(uri.fsPath, entry);
    }
    for (const { uri, list } of byFile.values()) this.diagnostics.set(uri, list);
    this.lenses = new Map();
    for (const fig of figures) {
      const file = siteUri(fig.site, root).fsPath;
      const list = this.lenses.get(file) ?? [];
      list.push({ line: fig.site.line - 1, title: siteFiguresTitle(fig) });
      this.lenses.set(file, list);
    }
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const list = this.lenses.get(document.uri.fsPath) ?? [];
    // Several awaits on one line (a nested call) share one lens each, in column order.
    return list.filter((l) => l.line < document.lineCount).map((l) => new vscode.CodeLens(new vscode.Range(l.line, 0, l.line, 0), { title: l.title, command: '' }));
  }

  dispose(): void {
    this.registration.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}
