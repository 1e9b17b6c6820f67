/**
 * The .atrace binary layout: magic, version, header, batch framing, record layout and
 * the enum code tables. docs/trace-format.md is the prose spec of exactly this file;
 * change them together and bump FORMAT_VERSION on any incompatible change.
 *
 * All integers are little-endian. A stream is `header batch*`.
 *
 * Invariants the encoder guarantees and the decoder checks:
 * - record times never decrease within a stream;
 * - a record only refers to strings defined in its own batch (before the records) or in
 *   an earlier one; string index 0 is always '';
 * - a batch's `bodyLength` equals the sum of its string entries and `eventCount * RECORD_SIZE`,
 *   so a cut anywhere inside a batch is detected and the reader stops at the previous
 *   batch end.
 */

/** "ATRACE" 0x00 0x1A: the 0x1A stops `type`-ing the file, the NUL marks it binary. */
export const MAGIC = new Uint8Array([0x41, 0x54, 0x52, 0x41, 0x43, 0x45, 0x00, 0x1a]);
export const FORMAT_VERSION = 1;
/** Versions this codec reads. */
export const SUPPORTED_VERSIONS: readonly number[] = [1];

/** magic(8) version(u16) reserved(u16) headerBodyLength(u32) */
export const HEADER_PREFIX_SIZE = 16;
/** Refuse absurd header bodies (corrupt or foreign data) instead of waiting for them. */
export const MAX_HEADER_BODY = 1 << 20;

/** "BTCH" as a little-endian u32: the first word of every batch. */
export const BATCH_TAG = 0x48435442;
/** tag(u32) bodyLength(u32) stringCount(u32) eventCount(u32) */
export const BATCH_HEADER_SIZE = 16;
/** Refuse batches above this size as corrupt (the tracer ships far smaller ones). */
export const MAX_BATCH_BODY = 64 << 20;

/**
 * One event record, 32 bytes:
 *   0 f64 time (ms since clock origin)
 *   8 u8  type (RecordType)   9 u8 code (enum value, per type)   10 u16 reserved (0)
 *  12 u32 a   16 u32 b   20 u32 c
 *  24 u32 d   28 u32 e      — or, for types with a float payload, 24 f64 x
 * Field use per type: RECORD_FIELDS and docs/trace-format.md.
 */
export const RECORD_SIZE = 32;
export const OFF_TIME = 0;
export const OFF_TYPE = 8;
export const OFF_CODE = 9;
export const OFF_A = 12;
export const OFF_B = 16;
export const OFF_C = 20;
export const OFF_D = 24;
export const OFF_E = 28;
export const OFF_X = 24;

/** Record type codes. Never renumber; new types take new codes ("added in" the spec). */
export enum RecordType {
  SitesRegistered = 1,
  TaskCreated = 2,
  TaskRenamed = 3,
  TaskRunBegin = 4,
  TaskRunEnd = 5,
  TaskDone = 6,
  AwaitBegin = 7,
  AwaitEnd = 8,
  Wake = 9,
  ResourceCreated = 10,
  ResourceWaitBegin = 11,
  ResourceWaitAbandoned = 12,
  ResourceAcquired = 13,
  ResourceReleased = 14,
  ResourceSignal = 15,
  ResourceLevel = 16,
  CallbackScheduled = 17,
  CallbackBegin = 18,
  CallbackEnd = 19,
  LoopTurnBegin = 20,
  LoopTurnEnd = 21,
  JobSubmitted = 22,
  JobStarted = 23,
  JobFinished = 24,
  IoWaitBegin = 25,
  IoWaitEnd = 26,
  Dropped = 27,
  LoopBlocked = 28,
}
export const MAX_RECORD_TYPE = 28;

/** Code tables: the index is the code stored in the record's `code` byte. Append only. */
export const OUTCOMES = ['ok', 'error', 'cancelled'] as const;
export const AWAIT_KINDS = [
  'sleep', 'lock', 'semaphore', 'event', 'condition', 'queue', 'barrier',
  'future', 'task', 'gather', 'wait', 'executor', 'io', 'timer', 'promise',
] as const;
export const RESOURCE_KINDS = ['lock', 'semaphore', 'event', 'condition', 'queue', 'barrier'] as const;
export const CALLBACK_KINDS = ['soon', 'later', 'at', 'threadsafe'] as const;
export const RESOURCE_SIGNALS = ['set', 'clear', 'notify', 'put', 'get', 'pass', 'reset', 'abort', 'shutdown'] as const;
export const IO_OPS = ['read', 'drain', 'connect', 'accept'] as const;

function codes<T extends string>(names: readonly T[]): Record<T, number> {
  const out = {} as Record<T, number>;
  names.forEach((n, i) => { out[n] = i; });
  return out;
}
export const OUTCOME_CODE = codes(OUTCOMES);
export const AWAIT_KIND_CODE = codes(AWAIT_KINDS);
export const RESOURCE_KIND_CODE = codes(RESOURCE_KINDS);
export const CALLBACK_KIND_CODE = codes(CALLBACK_KINDS);
export const RESOURCE_SIGNAL_CODE = codes(RESOURCE_SIGNALS);
export const IO_OP_CODE = codes(IO_OPS);

/** Thrown for data that is not a trace this codec can read; the message names the problem and the byte offset. */
export class TraceFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'TraceFormatError';
  }
}

/** True when typed arrays on this host are little-endian (the encoder's fast path needs it). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
