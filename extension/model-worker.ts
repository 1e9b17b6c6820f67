/**
 * The worker thread of extension/model-jobs.ts: runs one trace job (extension/trace-jobs.ts)
 * on the message it is started with, posts the result or the error, and ends, so the
 * model it built goes with it. Bundled to dist/extension/model-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runTraceJob, type TraceJob } from './trace-jobs';

try {
  parentPort!.postMessage({ ok: true, value: runTraceJob(workerData as TraceJob) });
} catch (e) {
  parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
}
