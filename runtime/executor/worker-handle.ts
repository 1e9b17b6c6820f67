/**
 * One worker, thread or process, behind the small interface the pool needs: send a job,
 * hear answers, hear it die, keep or stop keeping Node alive, terminate it.
 *
 * Idle workers are unref'd so that an idle pool never keeps a program from exiting; the
 * pool refs a worker while it runs a job.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './protocol';
import { processWorkerSource, threadWorkerSource } from './worker-source';

export interface WorkerEvents {
  message(msg: FromWorker): void;
  /** The worker is gone (crashed, exited, or terminated); `reason` describes how. */
  exit(reason: string): void;
}

export interface WorkerHandle {
  send(msg: ToWorker): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<void>;
}

export type WorkerKind = 'thread' | 'process';

export function startWorker(kind: WorkerKind, workerScript: string | undefined, events: WorkerEvents): WorkerHandle {
  return kind === 'thread' ? startThread(workerScript, events) : startProcess(workerScript, events);
}

function startThread(workerScript: string | undefined, events: WorkerEvents): WorkerHandle {
  // Source workers do not take the parent's --import hooks; worker-body loads tsx itself.
  const w = workerScript ? new Worker(workerScript) : new Worker(threadWorkerSource(), { eval: true });
  let lastError: Error | undefined;
  w.on('message', (m: FromWorker) => events.message(m));
  w.on('error', (e: Error) => { lastError = e; });
  w.on('exit', (code: number) => {
    events.exit(lastError ? `threw ${lastError.name}: ${lastError.message} outside any job` : `exited with code ${code}`);
  });
  return {
    send: (msg) => w.postMessage(msg),
    ref: () => w.ref(),
    unref: () => w.unref(),
    terminate: async () => { w.ref(); await w.terminate(); },
  };
}

function startProcess(workerScript: string | undefined, events: WorkerEvents): WorkerHandle {
  const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc'];
  const child: ChildProcess = workerScript
    ? fork(workerScript, [], { stdio, serialization: 'advanced', execArgv: [] })
    : spawn(process.execPath, ['-e', processWorkerSource()], { stdio, serialization: 'advanced' });
  let gone = false;
  let markExited: () => void = () => {};
  const exited = new Promise<void>((resolve) => { markExited = resolve; });
  const exit = (reason: string): void => {
    if (gone) return;
    gone = true;
    events.exit(reason);
    markExited();
  };
  child.on('exit', (code, signal) => exit(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  child.on('error', (e) => exit(`failed: ${e.message}`));
  child.on('message', (m) => events.message(m as FromWorker));
  return {
    send: (msg) => { child.send(msg); },
    ref: () => { child.ref(); child.channel?.ref(); },
    unref: () => { child.unref(); child.channel?.unref(); },
    terminate: async () => {
      if (gone) return;
      // An idle child is unref'd; waiting for its exit must keep Node alive.
      child.ref();
      child.kill();
      await exited;
    },
  };
}
