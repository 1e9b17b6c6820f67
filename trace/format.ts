/**
 * The .atrace binary layout: magic, version, header, batch framing and the record
 * layout (the record types: trace/records.ts; the code tables: trace/vocabulary.ts).
 * docs/trace-format.md is the prose spec of these files; change them together and bump FORMAT_VERSION on any incompatible change.
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
 * Which field of which type lives in which slot: the record table, trace/records.ts
 * (field offsets: FIELD_OFFSET in trace/records.generated.ts).
 */
export const RECORD_SIZE = 32;
export const OFF_TIME = 0;
export const OFF_TYPE = 8;
export const OFF_CODE = 9;

/** Thrown for data that is not a trace this codec can read; the message names the problem and the byte offset. */
export class TraceFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'TraceFormatError';
  }
}

/** True when typed arrays on this host are little-endian (the encoder's fast path needs it). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
