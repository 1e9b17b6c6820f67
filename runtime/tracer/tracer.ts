/**
 * The tracer: an Instrument that turns every hook into one fixed-size record in the
 * encoder's preallocated buffer (trace/encoder.ts) and ships sealed batches off the hot
 * path (a setImmediate after a batch fills, a timer for partial batches).
 *
 * Invariants:
 * - a hook never throws and never blocks: it reads the clock and writes a few words;
 * - memory is bounded: when sealed batches waiting to be written (ours plus the sink's
 *   own buffer) exceed `maxQueuedBytes`, hooks only count; when the backlog halves, one
 *   `dropped` event with the exact count is written before anything else, so a reader
 *   sees where and how much was lost. sitesRegistered is never dropped (later records
 *   name its ids);
 * - loop turns are not recorded one by one: a turn longer than `blockedMs` becomes one
 *   `loopBlocked` record.
 */
import type {
  AwaitKind, CallbackKind, Instrument, IoOp, Outcome, ResourceKind, ResourceSignal,
} from '../instrument-types';
import { TraceEncoder, encodeHeader } from '../../trace/encoder';
import { FORMAT_VERSION } from '../../trace/format';
import type { TraceHeader } from '../../trace/events';
import type { Sink } from './sinks';

export interface TracerConfig {
  sink: Sink;
  program: string;
  root: string;
  runtimeVersion: string;
  batchEvents: number;
  maxQueuedBytes: number;
  flushIntervalMs: number;
  blockedMs: number;
  /** Called (once) from a flush when the sink has failed; the tracer should be removed. */
  onSinkFailed: () => void;
}

const now = (): number => performance.now();

export class Tracer implements Instrument {
  readonly header: TraceHeader;
  private readonly origin: number;
  private readonly enc: TraceEncoder;
  private readonly sink: Sink;
  private readonly maxQueued: number;
  private readonly blockedMs: number;
  private readonly onSinkFailed: () => void;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private dropping = false;
  private lost = 0;
  /** Events dropped over the whole run (for tests and reports). */
  totalDropped = 0;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  private turnStart = 0;
  /** When the current task run slice began (0 when none runs). */
  private runStart = 0;
  /** A slice of this turn was already reported blocked: the turn itself is not reported again. */
  private blockedInTurn = false;
  private stopped = false;

  constructor(cfg: TracerConfig) {
    this.origin = now();
    this.header = {
      formatVersion: FORMAT_VERSION,
      clockOriginUnixMs: performance.timeOrigin + this.origin,
      program: cfg.program,
      root: cfg.root,
      runtimeVersion: cfg.runtimeVersion,
      nodeVersion: process.version,
      pid: process.pid,
    };
    this.sink = cfg.sink;
    this.maxQueued = cfg.maxQueuedBytes;
    this.blockedMs = cfg.blockedMs;
    this.onSinkFailed = cfg.onSinkFailed;
    this.enc = new TraceEncoder({ batchEvents: cfg.batchEvents, onBatch: (b) => this.enqueue(b) });
    this.sink.write(encodeHeader(this.header));
    this.timer = setInterval(() => this.flush(true), cfg.flushIntervalMs);
    this.timer.unref();
  }

  /** ms since the clock origin. */
  private t(): number { return now() - this.origin; }

  private enqueue(batch: Uint8Array): void {
    this.queue.push(batch);
    this.queuedBytes += batch.length;
    if (this.queuedBytes + this.sink.backlog() > this.maxQueued) this.dropping = true;
    if (this.immediate === undefined && !this.stopped) this.immediate = setImmediate(() => this.flush(false));
  }

  /** Writes queued batches to the sink; with `seal`, the partial batch too. Never throws. */
  flush(seal: boolean): void {
    if (this.immediate !== undefined) { clearImmediate(this.immediate); this.immediate = undefined; }
    if (seal) {
      const b = this.enc.seal();
      if (b) { this.queue.push(b); this.queuedBytes += b.length; }
    }
    const q = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    for (const b of q) this.sink.write(b);
    if (this.dropping && this.sink.backlog() <= this.maxQueued / 2) this.resume();
    if (this.sink.failed && !this.stopped) this.onSinkFailed();
  }

  private resume(): void {
    this.dropping = false;
    if (this.lost > 0) {
      this.enc.dropped(this.t(), this.lost);
      this.lost = 0;
    }
  }

  get sinkFailed(): boolean { return this.sink.failed; }

  /** Stops the timers and writes everything still held: the synchronous exit path. */
  finishSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    if (this.immediate !== undefined) { clearImmediate(this.immediate); this.immediate = undefined; }
    this.dropping = false;
    if (this.lost > 0) { this.enc.dropped(this.t(), this.lost); this.lost = 0; }
    const last = this.enc.seal();
    if (last) this.queue.push(last);
    const q = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    for (const b of q) this.sink.writeAtExit(b);
    this.sink.closeSync();
  }

  /** Stops and closes the sink, resolving when the bytes are out. */
  async finish(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.dropping = false;
    if (this.lost > 0) { this.enc.dropped(this.t(), this.lost); this.lost = 0; }
    this.flush(true);
    await this.sink.close();
  }

  // --- hooks: one check, one clock read, a few stores -------------------------

  sitesRegistered(base: number, sites: readonly string[]): void {
    this.enc.sitesRegistered(this.t(), base, sites);
  }

  taskCreated(taskId: number, parentId: number, name: string, site: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.taskCreated(this.t(), taskId, parentId, name, site);
  }

  taskRenamed(taskId: number, name: string): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.taskRenamed(this.t(), taskId, name);
  }

  taskRunBegin(taskId: number): void {
    this.runStart = now();
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.taskRunBegin(this.runStart - this.origin, taskId);
  }

  taskRunEnd(taskId: number): void {
    // Task steps run on microtasks, after the loop turn that woke them has ended, so a
    // long synchronous stretch inside a task is seen here, not by loopTurnEnd.
    const end = now();
    const d = this.runStart === 0 ? 0 : end - this.runStart;
    this.runStart = 0;
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.taskRunEnd(end - this.origin, taskId);
    if (d > this.blockedMs) {
      this.blockedInTurn = true;
      this.enc.loopBlocked(end - this.origin, d);
    }
  }

  taskDone(taskId: number, outcome: Outcome, message: string): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.taskDone(this.t(), taskId, outcome, message);
  }

  awaitBegin(taskId: number, kind: AwaitKind, targetId: number, site: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.awaitBegin(this.t(), taskId, kind, targetId, site);
  }

  awaitEnd(taskId: number, targetId: number, outcome: Outcome): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.awaitEnd(this.t(), taskId, targetId, outcome);
  }

  wake(wakerTaskId: number, callbackId: number, wokenTaskId: number, targetId: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.wake(this.t(), wakerTaskId, callbackId, wokenTaskId, targetId);
  }

  resourceCreated(resourceId: number, kind: ResourceKind, name: string, site: number, capacity: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.resourceCreated(this.t(), resourceId, kind, name, site, capacity);
  }

  resourceWaitBegin(resourceId: number, taskId: number, site: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.resourceWaitBegin(this.t(), resourceId, taskId, site);
  }

  resourceWaitAbandoned(resourceId: number, taskId: number, outcome: Outcome): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.resourceWaitAbandoned(this.t(), resourceId, taskId, outcome);
  }

  resourceAcquired(resourceId: number, taskId: number, site: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.resourceAcquired(this.t(), resourceId, taskId, site);
  }

  resourceReleased(resourceId: number, taskId: number, site: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.resourceReleased(this.t(), resourceId, taskId, site);
  }

  resourceSignal(resourceId: number, taskId: number, signal: ResourceSignal, site: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.resourceSignal(this.t(), resourceId, taskId, signal, site);
  }

  resourceLevel(resourceId: number, level: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.resourceLevel(this.t(), resourceId, level);
  }

  callbackScheduled(handleId: number, kind: CallbackKind, delayMs: number, site: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.callbackScheduled(this.t(), handleId, kind, delayMs, site);
  }

  callbackBegin(handleId: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.callbackBegin(this.t(), handleId);
  }

  callbackEnd(handleId: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.callbackEnd(this.t(), handleId);
  }

  loopTurnBegin(): void {
    this.turnStart = now();
    this.blockedInTurn = false;
  }

  loopTurnEnd(): void {
    const end = now();
    const d = end - this.turnStart;
    if (d <= this.blockedMs || this.turnStart === 0 || this.blockedInTurn) return;
    this.turnStart = 0;
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.loopBlocked(end - this.origin, d);
  }

  jobSubmitted(jobId: number, executorId: number, fnName: string, site: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.jobSubmitted(this.t(), jobId, executorId, fnName, site);
  }

  jobStarted(jobId: number, workerIndex: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.jobStarted(this.t(), jobId, workerIndex);
  }

  jobFinished(jobId: number, outcome: Outcome, message: string): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.jobFinished(this.t(), jobId, outcome, message);
  }

  ioWaitBegin(streamId: number, taskId: number, op: IoOp, peer: string, site: number): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.ioWaitBegin(this.t(), streamId, taskId, op, peer, site);
  }

  ioWaitEnd(streamId: number, taskId: number, bytes: number, outcome: Outcome): void {
    if (this.dropping) { this.lost++; this.totalDropped++; return; }
    this.enc.ioWaitEnd(this.t(), streamId, taskId, bytes, outcome);
  }
}
