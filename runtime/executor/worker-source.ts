/**
 * How a pool starts a worker: either the bundled entry file (dist/runtime/worker.js, built
 * from worker-main.ts) when it sits beside the running runtime, or the worker body shipped
 * as source text (`node -e` for processes, `eval: true` for threads). The source form needs
 * no build step, which is what makes executors work from TypeScript source under tsx.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { workerBody } from './worker-body';

const prelude = 'const __name = (f) => f;\n';

/** Source of a worker thread: runs `workerBody` on `parentPort`. */
export function threadWorkerSource(): string {
  return prelude +
    "const { parentPort } = require('node:worker_threads');\n" +
    `(${workerBody.toString()})({ onMessage: (cb) => parentPort.on('message', cb), post: (m) => parentPort.postMessage(m) }, require);\n`;
}

/** Source of a worker process: runs `workerBody` on the IPC channel. */
export function processWorkerSource(): string {
  return prelude +
    `(${workerBody.toString()})({ onMessage: (cb) => process.on('message', cb), post: (m) => process.send(m) }, require);\n`;
}

/**
 * The bundled worker entry, if this code runs from the bundle (dist/runtime/index.js with
 * worker.js beside it); undefined when running from source.
 */
export function bundledWorkerFile(): string | undefined {
  if (typeof __filename !== 'string' || path.extname(__filename) !== '.js') return undefined;
  const file = path.join(path.dirname(__filename), 'worker.js');
  return existsSync(file) ? file : undefined;
}
