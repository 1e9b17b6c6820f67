/**
 * Starting and stopping the tracer, by API or from the environment.
 *
 * ASYNC_TRACE (see trace/transport.ts) starts tracing when the runtime is imported, in the main
 * thread only, and is removed from process.env so child processes do not write into the
 * same trace. ASYNC_TRACE_BLOCKED_MS sets the blocked-loop threshold (default 50),
 * ASYNC_TRACE_ROOT the root that relative site paths refer to (default: the working
 * directory), ASYNC_TRACE_STACKS=1 turns on stack capture for code without build-time sites,
 * ASYNC_TRACE_RING (a size: `64MB`) makes it a flight recorder (ring-sink.ts): only the
 * most recent events are kept, and written to the ASYNC_TRACE file at exit, at a crash
 * and on signal; SIGUSR2, a blocked loop and saveRecentTrace() write numbered windows beside it.
 *
 * Whatever happens, the trace is flushed: on stopTracing(), when the loop runs dry
 * (beforeExit: the socket is drained before the process may exit), at exit, on uncaught
 * errors (uncaughtExceptionMonitor: the default crash still happens) and on SIGINT/SIGTERM
 * (flush, then, if nobody else listens, the signal is raised again so the default
 * behaviour — termination by that signal — is kept; if the program listens too, tracing
 * goes on through its handler).
 */
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { resolveErrorSites } from '../error-sites';
import { addInstrument, removeInstrument } from '../instrument';
import { registeredSites, setStackCapture } from '../sites';
import { parseTraceTarget } from '../../trace/transport';
import { RingSink } from './ring-sink';
import { MIN_RING_BYTES, parseRingSize } from './ring-size';
import { openSink, type Sink } from './sinks';
import { Tracer } from './tracer';
import { RUNTIME_VERSION } from './version';
import { RECORD_SIZE } from '../../trace/format';
import { TRACER_DEFAULTS, TRACER_ENV, envNumber } from '../../trace/tracer-settings';

export { parseTraceTarget, tokenLine, type TraceTarget } from '../../trace/transport';
export { RUNTIME_VERSION } from './version';

export interface TracingOptions {
  /** A file path, `unix:/abs/path.sock#TOKEN` or `tcp:127.0.0.1:PORT#TOKEN`. */
  target: string;
  /** Recorded in the header; default: the main script, relative to `root` when inside it. */
  program?: string;
  /** Folder relative site paths refer to; default ASYNC_TRACE_ROOT or the working directory. */
  root?: string;
  /** A loop turn longer than this is recorded as loopBlocked; default ASYNC_TRACE_BLOCKED_MS or 50. */
  blockedMs?: number;
  /** Events per batch (default 4096). */
  batchEvents?: number;
  /** Bytes of sealed batches allowed to wait for a socket's reader before events are dropped (default 64 MiB; a file never drops). */
  maxQueuedBytes?: number;
  /** How often a partial batch is shipped, for live viewers (default 50 ms). */
  flushIntervalMs?: number;
  /** Capture a stack for sites of code not built with site marks (default ASYNC_TRACE_STACKS=1). */
  stackCapture?: boolean;
  /**
   * Flight recorder: keep only the most recent events, this many bytes of them, in
   * memory, and write them to `target` (a file) at exit, at a crash, on SIGUSR2, after a
   * blocked loop and on saveRecentTrace(). Default ASYNC_TRACE_RING (`64MB`, `512KB`).
   */
  ringBytes?: number;
}

export interface TracingStatus {
  header: Tracer['header'];
  /** Events dropped so far because the sink fell behind (never for a file). */
  dropped: number;
  /** Events are being dropped right now (a socket's reader is behind), until the backlog halves. */
  dropping: boolean;
}

let active: { tracer: Tracer; detach: () => void; ring: Ring | undefined } | undefined;

/** The flight recorder's state while tracing into a ring. */
interface Ring {
  sink: RingSink;
  /** The exit window's file; windows saved while running are numbered beside it. */
  file: string;
  /** Windows saved so far, per reason (they number their files). */
  saves: { recent: number; blocked: number };
  lastTriggered: number;
}

/** Where a debugger finds saveRecentTrace (globalThis[Symbol.for(...)]) while a ring is recording. */
const SAVE_RECENT = Symbol.for('async-trace.saveRecentTrace');

/**
 * Where a debugger tells the tracer the program is paused (docs/trace-format.md,
 * `debuggerPaused`): `('begin', stopUnixMs?)` while stopped answers the trace time it
 * noted, `('end', resumeUnixMs?)` once running again answers the pause's ms; -1 when not
 * tracing. The optional times are the debugger's own readings of the stop and the resume
 * (Tracer.pauseBegin says how they are used).
 */
const DEBUGGER_PAUSED = Symbol.for('async-trace.debuggerPaused');

function debuggerPaused(phase: unknown, atUnixMs?: unknown): number {
  const t = active?.tracer;
  if (!t) return -1;
  const at = typeof atUnixMs === 'number' ? atUnixMs : undefined;
  return phase === 'begin' ? t.pauseBegin(at) : phase === 'end' ? t.pauseEnd(at) : -1;
}

/**
 * Where a debugger that has the program stopped gets the trace up to the stop sent to
 * the recorder (Tracer.flushForDebugger): answers JSON `{"through":bytes,"held":bytes}`,
 * '' when not tracing.
 */
const TRACE_UP_TO_PAUSE = Symbol.for('async-trace.traceUpToPause');

function traceUpToPause(): string {
  const t = active?.tracer;
  return t ? JSON.stringify(t.flushForDebugger()) : '';
}

/** Blocked loops save a window at most this often (a loop that blocks every turn would otherwise save all the time). */
const TRIGGER_GAP_MS = 10_000;



/** Starts tracing; throws if tracing is already on or the target cannot be opened. */
export function startTracing(options: TracingOptions): TracingStatus {
  if (active) throw new Error('async-trace: tracing is already started');
  const root = path.resolve(options.root ?? (process.env[TRACER_ENV.root] || process.cwd()));
  const main = process.argv[1];
  const program = options.program ?? (main ? programPath(root, path.resolve(main)) : '');
  const target = parseTraceTarget(options.target);
  const ringEnv = process.env[TRACER_ENV.ring];
  const ringBytes = options.ringBytes ?? (ringEnv ? parseRingSize(ringEnv) : undefined);
  if (ringBytes !== undefined && target.kind !== 'file') throw new Error('ASYNC_TRACE_RING needs a file target (ASYNC_TRACE=path/to/file.atrace)');
  if (ringBytes !== undefined && ringBytes < MIN_RING_BYTES) throw new Error(`ring of ${ringBytes} bytes is below the smallest ring, 64KB`);
  const ring: Ring | undefined = ringBytes !== undefined && target.kind === 'file'
    ? { sink: new RingSink(ringBytes, target.path), file: target.path, saves: { recent: 0, blocked: 0 }, lastTriggered: -Infinity }
    : undefined;
  const sink = ring?.sink ?? openSink(target);
  // A ring holds whole batches: small rings get small batches, so they keep a window of many.
  const ringBatch = ringBytes === undefined ? undefined : Math.max(64, Math.min(4096, Math.floor(ringBytes / RECORD_SIZE / 64)));
  const tracer = new Tracer({
    sink,
    program,
    root,
    runtimeVersion: RUNTIME_VERSION,
    batchEvents: options.batchEvents ?? ringBatch ?? TRACER_DEFAULTS.batchEvents,
    // ASYNC_TRACE_BUFFER_EVENTS (the extension's asyncTrace.eventBufferSize) counts events;
    // the queue limit is in bytes of fixed-size records.
    maxQueuedBytes: options.maxQueuedBytes ?? bufferBytes(bufferEventsFromEnv() ?? TRACER_DEFAULTS.bufferEvents),
    flushIntervalMs: options.flushIntervalMs ?? TRACER_DEFAULTS.flushIntervalMs,
    blockedMs: options.blockedMs ?? envNumber(process.env[TRACER_ENV.blockedMs]) ?? TRACER_DEFAULTS.blockedMs,
    onSinkFailed: () => { if (active?.tracer === tracer) stopSync(); },
    onLoopBlocked: ring && (() => triggerSave(ring)),
  });
  if (options.stackCapture ?? process.env[TRACER_ENV.stacks] === '1') setStackCapture(true);
  // Sites registered before tracing started (modules loaded earlier) are named first.
  for (const r of registeredSites()) tracer.sitesRegistered(r.base, r.sites);
  addInstrument(tracer);
  active = { tracer, detach: attachProcessHooks(tracer, ring, sink), ring };
  return status(tracer);
}

/** Next to the exit window's file: `app.atrace` → `app.recent-3.atrace`. */
function numberedFile(file: string, why: string, n: number): string {
  const ext = path.extname(file);
  return `${ext ? file.slice(0, -ext.length) : file}.${why}-${n}${ext || '.atrace'}`;
}

function saveRing(tracer: Tracer, ring: Ring, why: 'recent' | 'blocked'): string | undefined {
  tracer.flush(true);
  try {
    const r = ring.sink.save(numberedFile(ring.file, why, ++ring.saves[why]));
    process.stderr.write(`async-trace: recent trace (${why === 'blocked' ? 'after a blocked loop' : 'as asked'}) written to ${r.file}: ${r.events} events\n`);
    return r.file;
  } catch (e) {
    process.stderr.write(`async-trace: cannot write the recent trace: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  }
}

/**
 * After a blocked loop, at once (from the hook that recorded it, between records): the
 * window ends with the blocked step and shows what led to it. Later would lose it: the
 * runtime runs turns as microtasks, so thousands of events can follow before any
 * setImmediate. Not more than once per TRIGGER_GAP_MS.
 */
function triggerSave(ring: Ring): void {
  const now = performance.now();
  if (now - ring.lastTriggered < TRIGGER_GAP_MS) return;
  ring.lastTriggered = now;
  if (active?.ring === ring) saveRing(active.tracer, ring, 'blocked');
}

/**
 * Flight recorder: writes the recent events held in the ring to a new file beside the
 * trace file (`NAME.recent-N.atrace`) and returns its path; undefined when tracing is
 * not into a ring. SIGUSR2 does the same.
 */
export function saveRecentTrace(): string | undefined {
  const a = active;
  return a?.ring && saveRing(a.tracer, a.ring, 'recent');
}

function bufferEventsFromEnv(): number | undefined {
  return envNumber(process.env[TRACER_ENV.bufferEvents]);
}

function bufferBytes(events: number): number {
  return Math.max(1, Math.floor(events)) * RECORD_SIZE;
}

/** Relative to `root` when inside it, else absolute. */
function programPath(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

function status(tracer: Tracer): TracingStatus {
  return { header: tracer.header, dropped: tracer.totalDropped, dropping: tracer.isDropping };
}

/** The running tracer's state, or undefined when not tracing. */
export function tracingStatus(): TracingStatus | undefined {
  return active && status(active.tracer);
}

/** Stops tracing; resolves when every byte has been handed to the file or socket. */
export async function stopTracing(): Promise<void> {
  const a = active;
  if (!a) return;
  resolveErrorSites();
  active = undefined;
  removeInstrument(a.tracer);
  a.detach();
  await a.tracer.finish();
}

function stopSync(): void {
  const a = active;
  if (!a) return;
  resolveErrorSites();
  active = undefined;
  removeInstrument(a.tracer);
  a.detach();
  a.tracer.finishSync();
}

/**
 * Resource names (as `process.getActiveResourcesInfo()` spells them) of handles that are
 * not the program's: stdout, stderr and an idle stdin (a piped stdout is listed, yet
 * keeps nothing alive) and the sink's socket. Read from `process._getActiveHandles()` (undocumented,
 * hence the care); nothing when it is missing.
 */
function notTheProgramsResources(sink: Sink): string[] {
  const own: string[] = [];
  const sinkHandle = (sink as { ownHandle?: object }).ownHandle;
  let handles: unknown[];
  try { handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles(); } catch { return own; }
  for (const h of handles) {
    const fd = (h as { fd?: unknown }).fd;
    // stdin is the program's when it reads it (a readline prompt keeps a process alive).
    const stdinIdle = fd === 0 && (h as { readableFlowing?: boolean | null }).readableFlowing !== true;
    if (h !== sinkHandle && !stdinIdle && fd !== 1 && fd !== 2) continue;
    const kind = (h as { _handle?: { constructor?: { name?: string } } })._handle?.constructor?.name;
    if (kind === 'Pipe') own.push('PipeWrap');
    else if (kind === 'TTY') own.push('TTYWrap');
    else if (kind === 'TCP') own.push('TCPSocketWrap');
  }
  return own;
}

function attachProcessHooks(tracer: Tracer, ring: Ring | undefined, sink: Sink): () => void {
  let draining = false;
  // What Node still had open when the process was stopped by a signal (or ran dry): the
  // pending-at-exit finding's "kept alive by" for a process with no pending task. Not at
  // a plain exit: a program that calls process.exit() was not kept alive by anything.
  const recordExitHandles = (): void => { if (active?.tracer === tracer) tracer.exitHandles(notTheProgramsResources(sink)); };
  const onBeforeExit = (): void => {
    // The loop ran dry: ship everything and keep the process alive until the sink drains.
    if (draining || active?.tracer !== tracer) return;
    draining = true;
    recordExitHandles();
    void stopTracing();
  };
  const onExit = (): void => stopSync();
  const onUncaught = (): void => stopSync();
  const onSignal = (signal: NodeJS.Signals): void => {
    recordExitHandles();
    if (process.listenerCount(signal) > 1) {
      // The program handles this signal and may carry on (a graceful shutdown): ship what
      // we have and keep tracing; exit flushes the rest.
      tracer.flush(true);
      return;
    }
    stopSync();
    process.kill(process.pid, signal);
  };
  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  process.on('uncaughtExceptionMonitor', onUncaught);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Flight recorder: SIGUSR2 saves the window and the program carries on.
  const onSave = (): void => { if (ring) saveRing(tracer, ring, 'recent'); };
  const g = globalThis as Record<symbol, unknown>;
  g[DEBUGGER_PAUSED] = debuggerPaused;
  g[TRACE_UP_TO_PAUSE] = traceUpToPause;
  if (ring) {
    process.on('SIGUSR2', onSave);
    // For a debugger (the extension's Save Recent Trace evaluates this in the program): no signals on Windows.
    g[SAVE_RECENT] = saveRecentTrace;
  }
  return () => {
    process.off('SIGUSR2', onSave);
    if (g[SAVE_RECENT] === saveRecentTrace) delete g[SAVE_RECENT];
    if (g[DEBUGGER_PAUSED] === debuggerPaused) delete g[DEBUGGER_PAUSED];
    if (g[TRACE_UP_TO_PAUSE] === traceUpToPause) delete g[TRACE_UP_TO_PAUSE];
    process.off('beforeExit', onBeforeExit);
    process.off('exit', onExit);
    process.off('uncaughtExceptionMonitor', onUncaught);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * A program started with ASYNC_TRACE that was not built with the site plugin (whose
 * banner sets `globalThis.__asyncTraceSiteMarks`) falls back to stack capture, so its
 * trace still names source lines (architecture.md). ASYNC_TRACE_STACKS=1 or 0 decides
 * explicitly: stack capture costs tens of times the untraced run.
 */
function autoStackCapture(): boolean {
  const env = process.env[TRACER_ENV.stacks];
  if (env === '1') return true;
  if (env === '0') return false;
  return (globalThis as { __asyncTraceSiteMarks?: boolean }).__asyncTraceSiteMarks !== true;
}

function autoStart(): void {
  const spec = process.env[TRACER_ENV.target];
  if (!spec || !isMainThread) return;
  delete process.env[TRACER_ENV.target];
  try {
    startTracing({ target: spec, stackCapture: autoStackCapture() });
  } catch (e) {
    process.stderr.write(`async-trace: cannot start tracing (${e instanceof Error ? e.message : String(e)})\n`);
  }
}

autoStart();
