/**
 * What the extension host needs from a whole trace but must not keep a model for
 * (issue 18: the webview holds the one full model): the findings and per-site await
 * figures of a finished trace (Problems view, CodeLens) and the exports. Each job reads
 * the trace file in slices into a model of its own, computes its small result, and
 * lets the model go. extension/model-jobs.ts runs them in a worker thread, so the
 * host's heap never holds the model and its event loop stays free meanwhile. No vscode.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { analyze } from '../trace/analysis/analyze';
import type { Finding } from '../trace/analysis/finding-types';
import { awaitSiteFigures, type SiteFigures } from '../trace/analysis/site-figures';
import { chromeTraceJson } from '../trace/export-chrome';
import { speedscopeJson } from '../trace/export-speedscope';
import { TraceFeed } from '../trace/feed';
import type { ExportFormat } from '../trace/file-names';
import type { TraceModel } from '../trace/model';

/** The file is read this much at a time (never all of its bytes at once beside the model). */
const SLICE_BYTES = 4 << 20;

export type TraceJob =
  | { job: 'insights'; file: string }
  | { job: 'export'; file: string; format: ExportFormat; out: string };

/** What a finished trace says in the editor: small, whatever the trace's length. */
export interface TraceInsightsResult { findings: Finding[]; figures: SiteFigures[] }

export type TraceJobResult = { job: 'insights'; result: TraceInsightsResult } | { job: 'export'; out: string };

/** The model of a trace file, read slice by slice; a trace cut short keeps what was whole. Throws for a file that is not a trace. */
export function readModelFromFile(file: string): TraceModel {
  const feed = new TraceFeed();
  const fd = openSync(file, 'r');
  try {
    const slice = new Uint8Array(SLICE_BYTES);
    for (let n; (n = readSync(fd, slice, 0, slice.length, null)) > 0;) {
      feed.push(slice.subarray(0, n));
      if (feed.error) break;
    }
  } finally {
    closeSync(fd);
  }
  if (!feed.model.header) throw new Error(`${file} is not an async-trace file: ${feed.error ?? feed.finish().message}`);
  return feed.model;
}

export function traceInsights(model: TraceModel): TraceInsightsResult {
  return { findings: analyze(model).findings, figures: awaitSiteFigures(model) };
}

/** Writes the export chunk by chunk: the document is never one string in memory. */
export function writeExport(model: TraceModel, format: ExportFormat, out: string): void {
  const fd = openSync(out, 'w');
  try {
    for (const chunk of format === 'chrome' ? chromeTraceJson(model) : speedscopeJson(model)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

export function runTraceJob(job: TraceJob): TraceJobResult {
  const model = readModelFromFile(job.file);
  if (job.job === 'insights') return { job: 'insights', result: traceInsights(model) };
  writeExport(model, job.format, job.out);
  return { job: 'export', out: job.out };
}
