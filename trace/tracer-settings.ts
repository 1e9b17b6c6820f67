/**
 * The tracer's settings, named once: the environment variables the runtime reads and
 * their defaults. The runtime's tracer (runtime/tracer/index.ts) parses them, the
 * extension's settings (extension/config.ts, package.json's `contributes.configuration`,
 * checked by a test) default to the same values and pass them through the environment.
 */

/** Environment variables of a traced program (docs/trace-format.md, "The tracer"). */
export const TRACER_ENV = {
  /** Where the trace goes: a file path or a socket address (trace/transport.ts). */
  target: 'ASYNC_TRACE',
  /** A loop turn or task step longer than this (ms) is recorded as loopBlocked. */
  blockedMs: 'ASYNC_TRACE_BLOCKED_MS',
  /** The folder relative site paths refer to. */
  root: 'ASYNC_TRACE_ROOT',
  /** How many 32-byte records may wait for a socket's reader before events are dropped. */
  bufferEvents: 'ASYNC_TRACE_BUFFER_EVENTS',
  /** `1`/`0`: stack-capture sites on/off (unset: on exactly without build-time marks). */
  stacks: 'ASYNC_TRACE_STACKS',
  /** `1`: the program answers debuggers' snapshot requests (runtime/debug-snapshot.ts; the extension's debug launch sets it). */
  debug: 'ASYNC_TRACE_DEBUG',
  /** A size (`64MB`, `512KB`): a flight recorder keeping only the most recent events (runtime/tracer/ring-sink.ts). */
  ring: 'ASYNC_TRACE_RING',
} as const;

export const TRACER_DEFAULTS = {
  blockedMs: 50,
  /** 64 MiB of 32-byte records. */
  bufferEvents: 2_097_152,
  /** Records per batch. */
  batchEvents: 4096,
  /** How often a partial batch is shipped, for live viewers (ms). */
  flushIntervalMs: 50,
} as const;

/** A non-negative number from an environment value, or undefined when unset or not one. */
export function envNumber(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
