/**
 * The trace vocabulary's enums: what a task awaited, what a resource is, how something
 * ended... Each list is also a code table of the format: the index of a value is the
 * code stored in a record's `code` byte (trace/records.ts says which record uses which
 * list). Lists only ever grow at the end; never reorder or remove a value (old traces
 * would decode wrongly). The runtime takes these types from here (runtime/ reports in
 * the trace's vocabulary; trace/ never imports runtime/).
 */

export const OUTCOMES = ['ok', 'error', 'cancelled'] as const;
/** What a task was waiting on; also the colour of an await in the chart. */
export const AWAIT_KINDS = [
  'sleep', 'lock', 'semaphore', 'event', 'condition', 'queue', 'barrier',
  'future', 'task', 'gather', 'wait', 'executor', 'io', 'timer', 'promise',
] as const;
export const RESOURCE_KINDS = ['lock', 'semaphore', 'event', 'condition', 'queue', 'barrier'] as const;
/** What a loop callback was scheduled with. */
export const CALLBACK_KINDS = ['soon', 'later', 'at', 'threadsafe'] as const;
/** A signal on a resource that is neither an acquire nor a release. */
export const RESOURCE_SIGNALS = ['set', 'clear', 'notify', 'put', 'get', 'pass', 'reset', 'abort', 'shutdown'] as const;
export const IO_OPS = ['read', 'drain', 'connect', 'accept'] as const;

export type Outcome = (typeof OUTCOMES)[number];
export type AwaitKind = (typeof AWAIT_KINDS)[number];
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export type CallbackKind = (typeof CALLBACK_KINDS)[number];
export type ResourceSignal = (typeof RESOURCE_SIGNALS)[number];
export type IoOp = (typeof IO_OPS)[number];

/**
 * The code tables by the name records use for them, with the label the spec
 * (docs/trace-format.md, "Codes") gives each list.
 */
export const CODE_TABLES = {
  outcome: { label: 'outcome', values: OUTCOMES, type: 'Outcome' },
  awaitKind: { label: 'await kind', values: AWAIT_KINDS, type: 'AwaitKind' },
  resourceKind: { label: 'resource kind', values: RESOURCE_KINDS, type: 'ResourceKind' },
  callbackKind: { label: 'callback kind', values: CALLBACK_KINDS, type: 'CallbackKind' },
  signal: { label: 'signal', values: RESOURCE_SIGNALS, type: 'ResourceSignal' },
  ioOp: { label: 'io op', values: IO_OPS, type: 'IoOp' },
} as const;
export type CodeTableName = keyof typeof CODE_TABLES;

function codes<T extends string>(names: readonly T[]): Record<T, number> {
  const out = {} as Record<T, number>;
  names.forEach((n, i) => { out[n] = i; });
  return out;
}
/** Value → code, per table (the encoder's direction). */
export const OUTCOME_CODE = codes(OUTCOMES);
export const AWAIT_KIND_CODE = codes(AWAIT_KINDS);
export const RESOURCE_KIND_CODE = codes(RESOURCE_KINDS);
export const CALLBACK_KIND_CODE = codes(CALLBACK_KINDS);
export const RESOURCE_SIGNAL_CODE = codes(RESOURCE_SIGNALS);
export const IO_OP_CODE = codes(IO_OPS);
