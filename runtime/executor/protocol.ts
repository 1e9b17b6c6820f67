/**
 * The messages between a pool and its workers (threads and processes speak the same
 * protocol). Everything here crosses by structured clone, so it holds data only.
 *
 * A job names its function either as source text (a self-contained function, compiled in
 * the worker) or as a `{ module, export }` reference (imported in the worker). The worker
 * answers every `run` with exactly one `done` carrying the same job id.
 */

/** How a job names the function the worker runs. */
export type FnSpec =
  | { readonly kind: 'source'; readonly source: string; readonly name: string }
  | { readonly kind: 'module'; readonly module: string; readonly export: string };

export interface RunMessage {
  readonly type: 'run';
  readonly jobId: number;
  readonly fn: FnSpec;
  readonly args: readonly unknown[];
}

/** An error as it crossed from the worker: enough to rebuild it with the worker's stack. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  readonly code?: string;
}

export type DoneMessage =
  | { readonly type: 'done'; readonly jobId: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'done'; readonly jobId: number; readonly ok: false; readonly error: WireError };

export type ToWorker = RunMessage;
export type FromWorker = DoneMessage;

/** What the worker body needs from its host: a way to receive jobs and to answer them. */
export interface WorkerTransport {
  onMessage(cb: (msg: ToWorker) => void): void;
  post(msg: FromWorker): void;
}
