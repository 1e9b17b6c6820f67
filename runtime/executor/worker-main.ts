/**
 * The executor worker as a file: the build bundles this to dist/runtime/worker.js, and the
 * pools start it when it sits beside the bundled runtime (see worker-source.ts). It runs
 * the same `workerBody` that the source form ships, on a worker thread's `parentPort` or
 * on a child process's IPC channel.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { workerBody } from './worker-body';
import type { FromWorker, ToWorker } from './protocol';

if (!isMainThread && parentPort) {
  const port = parentPort;
  workerBody({ onMessage: (cb) => port.on('message', (m: ToWorker) => cb(m)), post: (m: FromWorker) => port.postMessage(m) }, require);
} else if (typeof process.send === 'function') {
  const send = process.send.bind(process);
  workerBody({ onMessage: (cb) => process.on('message', (m) => cb(m as ToWorker)), post: (m: FromWorker) => { send(m); } }, require);
} else {
  throw new Error('runtime/worker.js is an executor worker: start it as a worker thread or a forked child process');
}
