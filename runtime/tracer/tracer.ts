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
 *   `loopBlocked` record;
 * - the clock is read at step boundaries, not per event (docs/trace-format.md, "Times"):
 *   `performance.now()` costs ~40 ns here, more than the rest of a hook. Hooks that can
 *   open a new synchronous stretch (loopTurnBegin, awaitEnd) and hooks that close one
 *   (taskRunEnd, callbackEnd) read it; the events in between reuse that reading while it
 *   is "warm". Warmth ends at a process.nextTick queued when it began, which Node runs
 *   once the microtask queue of the current macrotask has drained, so a reading never
 *   outlives the macrotask it was taken in (no I/O wait, timer or other macrotask can
 *   pass under it) and an event stamped from it is early by at most the JavaScript that
 *   ran since that boundary. (A microtask would end warmth sooner but costs 100+ ns per
 *   stretch on Node 20, where AsyncLocalStorage wraps each one; a tick is queued about
 *   once per macrotask.) Outside warm stretches every event reads the clock. Times never
 *   decrease: each reading is later than the one it replaces.
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
  /** Called after a blocked loop was recorded (the flight recorder saves its window then). */
  onLoopBlocked?: () => void;
}

/**
 * A sink whose stream is cut into segments, each from a fresh encoder (the flight
 * recorder's ring, ring-sink.ts: a segment's strings are numbered from 1, so a window
 * needs nothing from the segments before it but what it declares).
 */
interface SegmentedSink extends Sink {
  wantsNewSegment(): boolean;
  newSegment(): void;
}

function isSegmented(s: Sink): s is SegmentedSink {
  return typeof (s as Partial<SegmentedSink>).newSegment === 'function';
}

// Bound once: `performance` is an accessor on globalThis (a getter call per use).
const now: () => number = performance.now.bind(performance);
/**
 * Events that may share one reading inside a step. Steps of ordinary code hold 1-4
 * events; a step that spawns or signals in a loop gets a fresh reading every REUSE events
 * (the bench's 10,000-task spawn loop: p90 error from ~12 ms to a few us, for ~1 read
 * per 8 events of that loop).
 */
const REUSE = 8;
/**
 * A debugger's clock reading further than this before the program's is not used (the
 * two clocks disagree: the wall clock was stepped between the processes' starts).
 */
const CLOCK_SKEW_MS = 2000;

/** Every hook (Required: a new hook record in trace/records.ts needs a method here). */
export class Tracer implements Required<Instrument> {
  readonly header: TraceHeader;
  private readonly origin: number;
  private enc: TraceEncoder;
  private readonly batchEvents: number;
  /** Every site block registered, to name them again at a new segment. */
  private readonly siteBlocks: [number, readonly string[]][] = [];
  private readonly onLoopBlocked: (() => void) | undefined;
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
  /** A flush a millisecond from now: a socket's kernel buffer was full (see flush). */
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** Queued bytes past which a hook writes the queue to the sink itself (a file: never drop). */
  private readonly syncBound: number;
  private readonly timer: ReturnType<typeof setInterval>;
  /** When the current loop turn began, ms since the origin (-1 when none runs). */
  private turnStart = -1;
  /** When the current task run slice began, ms since the origin (-1 when none runs). */
  private runStart = -1;
  /** A slice of this turn was already reported blocked: the turn itself is not reported again. */
  private blockedInTurn = false;
  private stopped = false;
  /** exitHandles was written (once per run). */
  private exitRecorded = false;
  /** The last clock reading (performance.now()), reused while `warm`. */
  private clock = 0;
  /** `clock` may stamp further events; true exactly while `cool` is queued (nextTick). */
  private warm = false;
  private readonly cool = (): void => { this.warm = false; this.epoch++; };
  /** Counts the times warmth ended, i.e. the loop got control back (see taskRunEnd). */
  private epoch = 0;
  /** When the current warm stretch began (ms since the origin): within this macrotask. */
  private warmSince = 0;
  /** `epoch` when the current task run slice began. */
  private runEpoch = 0;
  /** How many more events may reuse `clock` before one reads the clock again. */
  private reuse = 0;
  /** The last hook of this turn was callbackEnd: only loop bookkeeping has run since. */
  private turnTail = false;
  /** When a debugger stopped the program (ms since the origin), -1 while it runs. */
  private pausedSince = -1;
  /** The last few pauses [begin, end] (ms since the origin): a blocked-loop time leaves them out. */
  private readonly recentPauses: [number, number][] = [];

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
    // Below the drop bound, so a file never reaches it even with a tiny buffer setting.
    this.syncBound = Math.min(cfg.sink.writeBound, cfg.maxQueuedBytes / 2);
    this.blockedMs = cfg.blockedMs;
    this.onSinkFailed = cfg.onSinkFailed;
    this.batchEvents = cfg.batchEvents;
    this.onLoopBlocked = cfg.onLoopBlocked;
    this.enc = this.newEncoder();
    this.sink.write(encodeHeader(this.header));
    this.timer = setInterval(() => this.flush(true), cfg.flushIntervalMs);
    this.timer.unref();
  }

  private newEncoder(): TraceEncoder {
    return new TraceEncoder({ batchEvents: this.batchEvents, onBatch: (b) => this.enqueue(b) });
  }

  /** Starts a new segment when a segmented sink asks: the partial batch goes out, a fresh encoder names every site again. */
  private maybeNewSegment(): void {
    const sink = this.sink;
    if (!isSegmented(sink) || !sink.wantsNewSegment()) return;
    const b = this.enc.seal();
    if (b) sink.write(b);
    sink.newSegment();
    // Read now: later than every time already encoded (the clock is monotonic).
    const t = this.t();
    this.enc = this.newEncoder();
    for (const [base, sites] of this.siteBlocks) this.enc.sitesRegistered(t, base, sites);
  }

  /** ms since the clock origin, read now (tracer bookkeeping, not hot). */
  private t(): number { return now() - this.origin; }

  /** A fresh reading at a step boundary; later events of the same stretch may reuse it. */
  private fresh(): number {
    const c = now();
    this.clock = c;
    this.reuse = REUSE;
    if (!this.warm) {
      this.warm = true;
      this.warmSince = c - this.origin;
      process.nextTick(this.cool);
    }
    return c - this.origin;
  }

  /**
   * An event inside a stretch: the boundary's reading while warm (at most REUSE events
   * in a row, so a loop that spawns or signals thousands of times in one step still gets
   * times that move), else the clock.
   */
  private stamp(): number {
    if (this.warm && --this.reuse > 0) return this.clock - this.origin;
    return this.warm ? this.fresh() : now() - this.origin;
  }

  /** A step that starts within a warm stretch (a callback right after the previous one). */
  private stampWarm(): number {
    return this.warm ? this.clock - this.origin : this.fresh();
  }

  private enqueue(batch: Uint8Array): void {
    this.queue.push(batch);
    this.queuedBytes += batch.length;
    if (this.stopped) return;
    // A socket takes what the kernel accepts now, so the recorder reads while a long
    // synchronous burst of events goes on; a file takes everything once a small bound
    // is queued (it never waits on a reader), so a program that never lets the loop run
    // loses nothing to a file. The rest waits for the setImmediate flush.
    this.pump();
    if (this.queuedBytes >= this.syncBound) this.writeQueued();
    if (this.queuedBytes + this.sink.backlog() > this.maxQueued) this.dropping = true;
    if (this.queue.length > 0 && this.immediate === undefined) this.immediate = setImmediate(() => this.flush(false));
  }

  /** Queued bytes the sink takes without waiting (none for a file), oldest first. */
  private pump(): void {
    const q = this.queue;
    while (q.length > 0) {
      const head = q[0]!;
      const n = this.sink.tryWrite(head);
      if (n === 0) return;
      this.queuedBytes -= n;
      if (n < head.length) { q[0] = head.subarray(n); return; }
      q.shift();
    }
  }

  /** Everything queued to `sink.write` (a file writes it now; a socket's Node buffer takes the rest). */
  private writeQueued(): void {
    const q = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    for (const b of q) this.sink.write(b);
  }

  /**
   * Writes queued batches to the sink; with `seal`, the partial batch too. Never throws.
   * Runs from the loop (setImmediate, the flush timer, a retry). A socket with a direct
   * path keeps what the kernel does not take now in this queue and retries in a
   * millisecond, rather than handing it to Node's buffer: that buffer only moves when
   * the loop polls, and while it holds bytes no direct write may overtake them, so one
   * hand-off before a burst that never yields would stall delivery for the whole burst.
   */
  flush(seal: boolean): void {
    if (this.immediate !== undefined) { clearImmediate(this.immediate); this.immediate = undefined; }
    if (seal) {
      const b = this.enc.seal();
      if (b) { this.queue.push(b); this.queuedBytes += b.length; }
    }
    this.pump();
    if (this.queue.length > 0) {
      if (this.sink.direct && !this.stopped) this.retryLater();
      else this.writeQueued();
    }
    if (this.dropping) this.resumeIfRoom();
    if (this.sink.failed && !this.stopped) this.onSinkFailed();
    if (!this.stopped) this.maybeNewSegment();
  }

  private retryLater(): void {
    if (this.retry !== undefined) return;
    this.retry = setTimeout(() => { this.retry = undefined; this.flush(false); }, 1);
    this.retry.unref();
  }

  /** Recording again once the backlog (queued here and in the sink) has halved. */
  private resumeIfRoom(): void {
    if (this.queuedBytes + this.sink.backlog() <= this.maxQueued / 2) this.resume();
  }

  /**
   * An event not recorded while the buffer is over its bound: counted, written later as
   * one `dropped`. Every 1024 of them the queue is pumped again: in a program that never
   * yields no flush runs, and a reader that caught up must let recording resume.
   */
  private skip(): void {
    this.lost++;
    this.totalDropped++;
    if ((this.lost & 1023) === 0 && !this.stopped) {
      this.pump();
      this.resumeIfRoom();
    }
  }

  /** Recording again: the count of what was skipped goes first. */
  private resume(): void {
    this.dropping = false;
    if (this.lost > 0) {
      this.enc.dropped(this.t(), this.lost);
      this.lost = 0;
    }
  }

  get sinkFailed(): boolean { return this.sink.failed; }

  get isDropping(): boolean { return this.dropping; }

  /**
   * Node's active resources as the process is stopped by a signal or runs dry
   * (`process.getActiveResourcesInfo()`), once: what kept a process with no pending task alive. The tracer's own are left
   * out: its pending flush (an Immediate) and `ownResources` (the standard streams and
   * the sink's socket, index.ts). Written even while dropping (it is one record).
   */
  exitHandles(ownResources: readonly string[] = []): void {
    if (this.stopped || this.exitRecorded) return;
    this.exitRecorded = true;
    let list: string[];
    try { list = process.getActiveResourcesInfo(); } catch { return; }
    // The flush and retry timers are unref'd, and Node does not list those; the immediate it does.
    const own = [...ownResources];
    if (this.immediate !== undefined) own.push('Immediate');
    for (const name of own) {
      const i = list.indexOf(name);
      if (i >= 0) list.splice(i, 1);
    }
    this.resume();
    this.enc.exitHandles(this.t(), list);
  }

  /** Stops the timers and writes everything still held: the synchronous exit path. */
  finishSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    if (this.immediate !== undefined) { clearImmediate(this.immediate); this.immediate = undefined; }
    if (this.retry !== undefined) { clearTimeout(this.retry); this.retry = undefined; }
    this.resume();
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
    if (this.retry !== undefined) { clearTimeout(this.retry); this.retry = undefined; }
    this.resume();
    // Stopped: flush hands everything to the sink (a socket's Node buffer takes what the
    // kernel does not), and close resolves once it is out.
    this.flush(true);
    await this.sink.close();
  }

  // --- debugger pauses (not hooks: the debugger calls these, see index.ts) -----

  /**
   * A debugger has the program stopped: the pause began about now (the debugger asks as
   * soon as it sees the stop, a DAP round trip after it). Returns that trace time.
   * Idempotent while paused (a step that stops again within a pause keeps its begin).
   *
   * `stopUnixMs`: when the debugger saw the stop, on its own clock (Unix ms,
   * `performance.timeOrigin + performance.now()` in the extension). The program hears
   * of a stop ~100 ms after it (the DAP requests queued ahead of ours), time that would
   * otherwise count as program time; the debugger's reading is converted through the
   * header's clock origin (both clocks are the same machine's wall clock at process
   * start plus a monotonic clock) and kept only inside what the program itself knows:
   * not after now, not before the last event recorded (the program ran up to it), and
   * not when the two clocks disagree by more than CLOCK_SKEW_MS.
   */
  pauseBegin(stopUnixMs?: number): number {
    if (this.pausedSince < 0) this.pausedSince = this.fromDebuggerClock(stopUnixMs, this.enc.lastTime, this.t());
    return this.pausedSince;
  }

  /**
   * The program runs again. The record is written at the next microtask checkpoint, never
   * from here: the debugger may call this from an inspector interrupt, between the stores
   * of another record. Returns the pause's length in ms (0 if no pause was open).
   * `resumeUnixMs`: when the debugger resumed it, on its clock (see pauseBegin); kept
   * between the begin and now.
   */
  pauseEnd(resumeUnixMs?: number): number {
    if (this.pausedSince < 0) return 0;
    const begin = this.pausedSince;
    const now = this.t();
    const end = this.fromDebuggerClock(resumeUnixMs, begin, now);
    this.pausedSince = -1;
    this.recentPauses.push([begin, end]);
    if (this.recentPauses.length > 16) this.recentPauses.shift();
    // A clock reading from before the pause must not stamp events after it.
    // (The warm reading moves to now; times never decrease.)
    this.clock = now + this.origin;
    this.reuse = 0;
    queueMicrotask(() => this.writePause(begin, end));
    return end - begin;
  }

  /** A debugger's Unix-ms reading as trace time within [lo, hi]; `hi` when absent or when the clocks disagree. */
  private fromDebuggerClock(unixMs: number | undefined, lo: number, hi: number): number {
    if (unixMs === undefined || !Number.isFinite(unixMs)) return hi;
    const t = unixMs - this.header.clockOriginUnixMs;
    if (t >= hi) return hi;
    if (hi - t > CLOCK_SKEW_MS) return hi;
    return Math.max(lo, t);
  }

  /**
   * The trace up to a debugger stop, for a live viewer (the extension evaluates this in
   * the stopped program): the partial batch is sealed and every queued batch the kernel
   * takes goes out now, straight to the socket's fd, the same stream the recorder reads,
   * so nothing reaches it twice and nothing is skipped. A file takes it all. Returns
   * `through`, the stream bytes handed to the OS (a reader with that many has the trace
   * up to here; -1 when the sink cannot tell), and `held`, the bytes still in this
   * process (the kernel's buffer was full, or bytes queued in Node, which only moves them
   * when the loop runs): they follow when the program runs again.
   *
   * Safe at a stop: a debugger stops the program in its own code (the runtime is in
   * js-debug's skipFiles, so V8 does not pause inside it), never between the stores of a
   * record, and this only seals whole records.
   */
  flushForDebugger(): { through: number; held: number } {
    if (!this.stopped) {
      const b = this.enc.seal();
      if (b) { this.queue.push(b); this.queuedBytes += b.length; }
      this.pump();
      if (this.queue.length > 0 && !this.sink.direct) this.writeQueued();
    }
    return { through: this.sink.delivered?.() ?? -1, held: this.queuedBytes + this.sink.backlog() };
  }

  private writePause(begin: number, end: number): void {
    if (this.stopped) return;
    if (this.dropping) return this.skip();
    const t = this.fresh();
    this.enc.debuggerPaused(t, Math.min(0xffffffff, Math.max(0, Math.round((t - end) * 1000))), end - begin);
  }

  /** Paused ms within [from, to] (a blocked-loop time is program time only). */
  private pausedWithin(from: number, to: number): number {
    let s = 0;
    for (const [b, e] of this.recentPauses) s += Math.max(0, Math.min(e, to) - Math.max(b, from));
    return s;
  }

  // --- hooks: one check, a clock read at boundaries only, a few stores ----------

  sitesRegistered(base: number, sites: readonly string[]): void {
    this.siteBlocks.push([base, sites]);
    this.enc.sitesRegistered(this.stamp(), base, sites);
  }

  taskCreated(taskId: number, parentId: number, name: string, site: number): void {
    if (this.dropping) return this.skip();
    this.enc.taskCreated(this.stamp(), taskId, parentId, name, site);
  }

  taskRenamed(taskId: number, name: string): void {
    if (this.dropping) return this.skip();
    this.enc.taskRenamed(this.stamp(), taskId, name);
  }

  taskRunBegin(taskId: number): void {
    // Right after awaitEnd (a resumed step), or inside a turn right after its start or the
    // end of the step or callback before (a first step): all warm.
    const t = this.stampWarm();
    this.runStart = t;
    this.runEpoch = this.epoch;
    if (this.dropping) return this.skip();
    this.enc.taskRunBegin(t, taskId);
  }

  taskRunEnd(taskId: number): void {
    // Task steps run on microtasks, after the loop turn that woke them has ended, so a
    // long synchronous stretch inside a task is seen here, not by loopTurnEnd.
    // A slice stays open across an await the runtime does not see (a plain promise in a
    // program without await marks): if the loop got control
    // back meanwhile (warmth ended), the slice was not one blocking run, and only what
    // ran in this macrotask since its first clock reading counts: a wait on I/O or a
    // timer is never reported as a blocked loop (a block just after such an await may be
    // under-reported in programs without marks; with marks its awaitEnd starts the count).
    const end = this.fresh();
    const from = this.runStart < 0 ? end : this.runEpoch === this.epoch ? this.runStart : this.warmSince;
    let d = end - from;
    if (d > this.blockedMs && this.recentPauses.length > 0) d -= this.pausedWithin(from, end);
    this.runStart = -1;
    if (this.dropping) return this.skip();
    this.enc.taskRunEnd(end, taskId);
    if (d > this.blockedMs) {
      this.blockedInTurn = true;
      this.enc.loopBlocked(end, d);
      this.onLoopBlocked?.();
    }
  }

  taskDone(taskId: number, outcome: Outcome, message: string): void {
    if (this.dropping) return this.skip();
    this.enc.taskDone(this.stamp(), taskId, outcome, message);
  }

  taskErrorThrown(taskId: number, site: number, retrieved: number): void {
    if (this.dropping) return this.skip();
    this.enc.taskErrorThrown(this.stamp(), taskId, site, retrieved);
  }

  taskErrorRetrieved(taskId: number): void {
    if (this.dropping) return this.skip();
    this.enc.taskErrorRetrieved(this.stamp(), taskId);
  }

  awaitBegin(taskId: number, kind: AwaitKind, targetId: number, site: number): void {
    if (this.dropping) return this.skip();
    this.enc.awaitBegin(this.stamp(), taskId, kind, targetId, site);
  }

  awaitEnd(taskId: number, targetId: number, outcome: Outcome): void {
    // The first event of a resumed continuation: time may have passed since anything else.
    const t = this.fresh();
    if (this.dropping) return this.skip();
    this.enc.awaitEnd(t, taskId, targetId, outcome);
  }

  wake(wakerTaskId: number, callbackId: number, wokenTaskId: number, targetId: number): void {
    if (this.dropping) return this.skip();
    this.enc.wake(this.stamp(), wakerTaskId, callbackId, wokenTaskId, targetId);
  }

  resourceCreated(resourceId: number, kind: ResourceKind, name: string, site: number, capacity: number): void {
    if (this.dropping) return this.skip();
    this.enc.resourceCreated(this.stamp(), resourceId, kind, name, site, capacity);
  }

  resourceWaitBegin(resourceId: number, taskId: number, site: number): void {
    if (this.dropping) return this.skip();
    this.enc.resourceWaitBegin(this.stamp(), resourceId, taskId, site);
  }

  resourceWaitAbandoned(resourceId: number, taskId: number, outcome: Outcome): void {
    if (this.dropping) return this.skip();
    this.enc.resourceWaitAbandoned(this.stamp(), resourceId, taskId, outcome);
  }

  resourceAcquired(resourceId: number, taskId: number, site: number): void {
    if (this.dropping) return this.skip();
    this.enc.resourceAcquired(this.stamp(), resourceId, taskId, site);
  }

  resourceReleased(resourceId: number, taskId: number, site: number): void {
    if (this.dropping) return this.skip();
    this.enc.resourceReleased(this.stamp(), resourceId, taskId, site);
  }

  resourceSignal(resourceId: number, taskId: number, signal: ResourceSignal, site: number): void {
    if (this.dropping) return this.skip();
    this.enc.resourceSignal(this.stamp(), resourceId, taskId, signal, site);
  }

  resourceLevel(resourceId: number, level: number): void {
    if (this.dropping) return this.skip();
    this.enc.resourceLevel(this.stamp(), resourceId, level);
  }

  callbackScheduled(handleId: number, kind: CallbackKind, delayMs: number, site: number): void {
    if (this.dropping) return this.skip();
    this.enc.callbackScheduled(this.stamp(), handleId, kind, delayMs, site);
  }

  callbackBegin(handleId: number): void {
    // Within a turn, right after loopTurnBegin or the previous callbackEnd.
    const t = this.stampWarm();
    this.turnTail = false;
    if (this.dropping) return this.skip();
    this.enc.callbackBegin(t, handleId);
  }

  callbackEnd(handleId: number): void {
    const t = this.fresh();
    this.turnTail = true;
    if (this.dropping) return this.skip();
    this.enc.callbackEnd(t, handleId);
  }

  loopTurnBegin(): void {
    // A turn is a microtask or an immediate of its own: always a fresh reading.
    this.turnStart = this.fresh();
    this.turnTail = false;
    this.blockedInTurn = false;
  }

  loopTurnEnd(): void {
    // Right after the turn's last callbackEnd (a fresh reading) only loop bookkeeping has
    // run; otherwise (no callbacks, or hooks since) the turn's end is read.
    const end = this.turnTail && this.warm ? this.clock - this.origin : this.fresh();
    this.turnTail = false;
    let d = end - this.turnStart;
    if (d > this.blockedMs && this.recentPauses.length > 0) d -= this.pausedWithin(this.turnStart, end);
    if (d <= this.blockedMs || this.turnStart < 0 || this.blockedInTurn) return;
    this.turnStart = -1;
    if (this.dropping) return this.skip();
    this.enc.loopBlocked(end, d);
    this.onLoopBlocked?.();
  }

  jobSubmitted(jobId: number, executorId: number, fnName: string, site: number): void {
    if (this.dropping) return this.skip();
    this.enc.jobSubmitted(this.stamp(), jobId, executorId, fnName, site);
  }

  jobStarted(jobId: number, workerIndex: number): void {
    if (this.dropping) return this.skip();
    this.enc.jobStarted(this.stamp(), jobId, workerIndex);
  }

  jobFinished(jobId: number, outcome: Outcome, message: string): void {
    if (this.dropping) return this.skip();
    this.enc.jobFinished(this.stamp(), jobId, outcome, message);
  }

  ioWaitBegin(streamId: number, taskId: number, op: IoOp, peer: string, site: number): void {
    if (this.dropping) return this.skip();
    this.enc.ioWaitBegin(this.stamp(), streamId, taskId, op, peer, site);
  }

  ioWaitEnd(streamId: number, taskId: number, bytes: number, outcome: Outcome): void {
    if (this.dropping) return this.skip();
    this.enc.ioWaitEnd(this.stamp(), streamId, taskId, bytes, outcome);
  }
}
