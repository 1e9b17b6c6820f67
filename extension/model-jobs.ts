/**
 * Runs a trace job (extension/trace-jobs.ts) in a worker thread of its own: the model
 * it needs is built, used and dropped there, never in the extension host's heap, and
 * the host's event loop keeps answering while a long trace is read. One worker per
 * job, ended when the job is: nothing stays resident between runs. A worker that fails
 * (bad file, out of memory) rejects with why; nothing falls back to building the model
 * in the host. No vscode.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TraceInsightsResult, TraceJob, TraceJobResult } from './trace-jobs';

/** Where the bundled worker is (dist/extension/, beside extension.js). */
export const bundledWorker = path.join(__dirname, 'model-worker.js');

/** The worker's script: a file, or (`eval`) its source (the tests load the TypeScript through tsx that way). */
export interface WorkerSpec { file: string; eval?: boolean }

export function runModelJob(job: TraceJob, worker: WorkerSpec = { file: bundledWorker }): Promise<TraceJobResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const w = new Worker(worker.file, { workerData: job, eval: worker.eval === true });
    w.once('message', (m: { ok: true; value: TraceJobResult } | { ok: false; error: string }) => {
      settled = true;
      if (m.ok) resolve(m.value); else reject(new Error(m.error));
    });
    w.once('error', (e) => { if (!settled) { settled = true; reject(e); } });
    w.once('exit', (code) => { if (!settled) { settled = true; reject(new Error(`the trace worker stopped (exit code ${code}) before answering`)); } });
  });
}

/** The findings and await-site figures of a trace file, computed in a worker. */
export async function insightsInWorker(file: string, worker?: WorkerSpec): Promise<TraceInsightsResult> {
  const r = await runModelJob({ job: 'insights', file }, worker);
  if (r.job !== 'insights') throw new Error('the trace worker answered another job');
  return r.result;
}
