/**
 * THE record table: every record type of the .atrace format, with its number, its name
 * (the instrument hook's name, and the decoded event's `type`), where it comes from, and
 * its fields in the hook's parameter order, each with the record slot it is stored in.
 * Everything else that names the vocabulary is derived from this table:
 * - trace/records.generated.ts (written by trace/records-codegen.ts; a test fails when it
 *   is stale): the decoded event types, the runtime's `Instrument` interface and hook
 *   arities, the encoder's per-record writers, the decoder's per-record readers, and the
 *   byte offset of every field (for readers that scan raw records, webview/coarse-scan.ts);
 * - the record table of docs/trace-format.md (test/tracing/codec-spec.test.ts renders it
 *   from here and finds it in the spec).
 * A specialised writer per record (generated source, not a loop over `fields` at run
 * time) keeps the tracer's hot path as fast as hand-written code.
 *
 * Record layout (trace/format.ts): 0 f64 time, 8 u8 type, 9 u8 code, 10 u16 reserved,
 * then five u32 slots a b c d e at 12..28, or f64 `x` over d and e at 24.
 *
 * Changing the table: append new types with new numbers (never renumber), add fields
 * only in unused slots, note "added in" in the spec, and bump FORMAT_VERSION for anything
 * an older reader would misread. Then regenerate:
 * `UPDATE_RECORDS=1 npx mocha --node-option import=tsx test/tracing/records-generated.test.ts`.
 */
import type { CodeTableName } from './vocabulary';

/** u32 slots of a record; `x` is the f64 over `d` and `e`. */
export type U32Slot = 'a' | 'b' | 'c' | 'd';

export type FieldSpec =
  /** An id, count or site id, stored as is. */
  | { readonly name: string; readonly kind: 'u32'; readonly at: U32Slot }
  /** A string, stored as its string-table index (decoded back to the text). */
  | { readonly name: string; readonly kind: 'str'; readonly at: U32Slot }
  /** A float, in the x slot. */
  | { readonly name: string; readonly kind: 'f64'; readonly at: 'x' }
  /** An enum value, stored as its index in a code table in the record's code byte. */
  | { readonly name: string; readonly kind: 'code'; readonly table: CodeTableName }
  /** A list of fresh strings: `count` of them, defined consecutively from index `first`. */
  | { readonly name: string; readonly kind: 'strings'; readonly count: U32Slot; readonly first: U32Slot };

export interface RecordSpec {
  readonly type: number;
  readonly name: string;
  /** `hook`: an instrument hook of the runtime writes it; `tracer`: the tracer itself. */
  readonly from: 'hook' | 'tracer';
  /** The format version that introduced it. */
  readonly addedIn: number;
  /** Heading the hooks of this group in the generated Instrument interface. */
  readonly group: string;
  readonly doc?: string;
  readonly fields: readonly FieldSpec[];
}

const u32 = (name: string, at: U32Slot): FieldSpec => ({ name, kind: 'u32', at });
const str = (name: string, at: U32Slot): FieldSpec => ({ name, kind: 'str', at });
const f64 = (name: string): FieldSpec => ({ name, kind: 'f64', at: 'x' });
const code = (name: string, table: CodeTableName): FieldSpec => ({ name, kind: 'code', table });

export const RECORDS: readonly RecordSpec[] = [
  {
    type: 1, name: 'sitesRegistered', from: 'hook', addedIn: 1, group: 'sites',
    doc: 'Site ids `base .. base + sites.length - 1` now mean these `file:line:col` strings (1-based, original source).',
    fields: [u32('base', 'a'), { name: 'sites', kind: 'strings', count: 'b', first: 'c' }],
  },
  {
    type: 2, name: 'taskCreated', from: 'hook', addedIn: 1, group: 'tasks',
    fields: [u32('taskId', 'a'), u32('parentId', 'b'), str('name', 'c'), u32('site', 'd')],
  },
  { type: 3, name: 'taskRenamed', from: 'hook', addedIn: 1, group: 'tasks', fields: [u32('taskId', 'a'), str('name', 'b')] },
  {
    type: 4, name: 'taskRunBegin', from: 'hook', addedIn: 1, group: 'tasks',
    doc: 'The task starts a running slice (one step of its body, until its next suspension).',
    fields: [u32('taskId', 'a')],
  },
  { type: 5, name: 'taskRunEnd', from: 'hook', addedIn: 1, group: 'tasks', fields: [u32('taskId', 'a')] },
  {
    type: 6, name: 'taskDone', from: 'hook', addedIn: 1, group: 'tasks',
    doc: "The task finished; `message` is the error's message (or the cancel message), '' for ok.",
    fields: [u32('taskId', 'a'), code('outcome', 'outcome'), str('message', 'b')],
  },
  {
    type: 7, name: 'awaitBegin', from: 'hook', addedIn: 1, group: 'awaits',
    doc: '`taskId` suspends on `targetId` (a future, task, resource, job, stream; 0 for a plain promise).',
    fields: [u32('taskId', 'a'), code('kind', 'awaitKind'), u32('targetId', 'b'), u32('site', 'c')],
  },
  {
    type: 8, name: 'awaitEnd', from: 'hook', addedIn: 1, group: 'awaits',
    fields: [u32('taskId', 'a'), u32('targetId', 'b'), code('outcome', 'outcome')],
  },
  {
    type: 9, name: 'wake', from: 'hook', addedIn: 1, group: 'awaits',
    doc: 'The arrow from waker to woken: `wakerTaskId` (0 outside any task) completed a future,\n'
      + 'released a lock, set an event, put an item... and so made `wokenTaskId` runnable.\n'
      + '`callbackId` is the loop handle that was running (0 if none): a `callLater` that\n'
      + 'sets a result is the waker of whoever awaited that future.',
    fields: [u32('wakerTaskId', 'a'), u32('callbackId', 'b'), u32('wokenTaskId', 'c'), u32('targetId', 'd')],
  },
  {
    type: 10, name: 'resourceCreated', from: 'hook', addedIn: 1, group: 'resources',
    doc: "`capacity`: a semaphore's initial value, a queue's maxsize, a barrier's parties; 1 for a lock, 0 otherwise.",
    fields: [u32('resourceId', 'a'), code('kind', 'resourceKind'), str('name', 'b'), u32('site', 'c'), f64('capacity')],
  },
  {
    type: 11, name: 'resourceWaitBegin', from: 'hook', addedIn: 1, group: 'resources',
    doc: '`taskId` asked and must wait (contended). Uncontended acquires go straight to `resourceAcquired`.',
    fields: [u32('resourceId', 'a'), u32('taskId', 'b'), u32('site', 'c')],
  },
  {
    type: 12, name: 'resourceWaitAbandoned', from: 'hook', addedIn: 1, group: 'resources',
    doc: 'The wait ended without the resource (cancelled, timed out, broken).',
    fields: [u32('resourceId', 'a'), u32('taskId', 'b'), code('outcome', 'outcome')],
  },
  {
    type: 13, name: 'resourceAcquired', from: 'hook', addedIn: 1, group: 'resources',
    fields: [u32('resourceId', 'a'), u32('taskId', 'b'), u32('site', 'c')],
  },
  {
    type: 14, name: 'resourceReleased', from: 'hook', addedIn: 1, group: 'resources',
    fields: [u32('resourceId', 'a'), u32('taskId', 'b'), u32('site', 'c')],
  },
  {
    type: 15, name: 'resourceSignal', from: 'hook', addedIn: 1, group: 'resources',
    fields: [u32('resourceId', 'a'), u32('taskId', 'b'), code('signal', 'signal'), u32('site', 'c')],
  },
  {
    type: 16, name: 'resourceLevel', from: 'hook', addedIn: 1, group: 'resources',
    doc: "A queue's length (or a semaphore's value, a barrier's waiting count) changed.",
    fields: [u32('resourceId', 'a'), f64('level')],
  },
  {
    type: 17, name: 'callbackScheduled', from: 'hook', addedIn: 1, group: 'the loop',
    fields: [u32('handleId', 'a'), code('kind', 'callbackKind'), f64('delayMs'), u32('site', 'b')],
  },
  { type: 18, name: 'callbackBegin', from: 'hook', addedIn: 1, group: 'the loop', fields: [u32('handleId', 'a')] },
  { type: 19, name: 'callbackEnd', from: 'hook', addedIn: 1, group: 'the loop', fields: [u32('handleId', 'a')] },
  {
    type: 20, name: 'loopTurnBegin', from: 'hook', addedIn: 1, group: 'the loop',
    doc: 'One turn of the loop (ready callbacks + task steps) starts / ends: the tracer times blocked loops from these.',
    fields: [],
  },
  { type: 21, name: 'loopTurnEnd', from: 'hook', addedIn: 1, group: 'the loop', fields: [] },
  {
    type: 22, name: 'jobSubmitted', from: 'hook', addedIn: 1, group: 'executors',
    fields: [u32('jobId', 'a'), u32('executorId', 'b'), str('fnName', 'c'), u32('site', 'd')],
  },
  { type: 23, name: 'jobStarted', from: 'hook', addedIn: 1, group: 'executors', fields: [u32('jobId', 'a'), u32('workerIndex', 'b')] },
  {
    type: 24, name: 'jobFinished', from: 'hook', addedIn: 1, group: 'executors',
    fields: [u32('jobId', 'a'), code('outcome', 'outcome'), str('message', 'b')],
  },
  {
    type: 25, name: 'ioWaitBegin', from: 'hook', addedIn: 1, group: 'streams',
    fields: [u32('streamId', 'a'), u32('taskId', 'b'), code('op', 'ioOp'), str('peer', 'c'), u32('site', 'd')],
  },
  {
    type: 26, name: 'ioWaitEnd', from: 'hook', addedIn: 1, group: 'streams',
    fields: [u32('streamId', 'a'), u32('taskId', 'b'), f64('bytes'), code('outcome', 'outcome')],
  },
  {
    type: 27, name: 'dropped', from: 'tracer', addedIn: 1, group: 'tracer',
    doc: "The tracer's buffer was full and exactly `count` events were not recorded just before `time`.",
    fields: [f64('count')],
  },
  {
    type: 28, name: 'loopBlocked', from: 'tracer', addedIn: 1, group: 'tracer',
    doc: "One loop turn or task step ran `durationMs`, longer than the tracer's threshold; `time` is when it ended.",
    fields: [f64('durationMs')],
  },
  {
    type: 29, name: 'debuggerPaused', from: 'tracer', addedIn: 1, group: 'tracer',
    doc: 'A debugger had the program paused for `durationMs` (breakpoint, `debugger`, step): paused time, not program time.\n'
      + 'The pause ended `endedBeforeUs` microseconds before `time` (the record is written just after it), so it spans\n'
      + '`time - endedBeforeUs/1000 - durationMs .. time - endedBeforeUs/1000` on the trace clock.',
    fields: [u32('endedBeforeUs', 'a'), f64('durationMs')],
  },
  {
    type: 30, name: 'taskErrorThrown', from: 'hook', addedIn: 1, group: 'tasks',
    doc: 'A task failed (never written on the non-failing path): after its `taskDone`, as late as when tracing stops. `site`:\n'
      + "where the error was thrown, the innermost frame of its stack in user code (not the runtime, node_modules or\n"
      + 'node:internal), 0 when `stack` names none. `retrieved`: 1 when the error had been retrieved by then, else 0 until\n'
      + 'a `taskErrorRetrieved` says so: a failed task with neither is the runtime\'s "Task exception was never retrieved".',
    fields: [u32('taskId', 'a'), u32('site', 'b'), u32('retrieved', 'c')],
  },
  {
    type: 31, name: 'taskErrorRetrieved', from: 'hook', addedIn: 1, group: 'tasks',
    doc: "The error of failed task `taskId` was retrieved after it failed (awaited, `result()`, `exception()`, gather...): once per task.",
    fields: [u32('taskId', 'a')],
  },
  {
    type: 32, name: 'exitHandles', from: 'tracer', addedIn: 1, group: 'tracer',
    doc: "Node's active resources (`process.getActiveResourcesInfo()`, the tracer's own left out) when tracing stopped at the\n"
      + 'end of the process (the loop ran dry, exit, or a signal): what kept a process with no pending task alive.',
    fields: [{ name: 'handles', kind: 'strings', count: 'a', first: 'b' }],
  },
];

/** Byte offset of each slot within a 32-byte record. */
export const SLOT_OFFSET = { a: 12, b: 16, c: 20, d: 24, x: 24 } as const;

/**
 * The record table of docs/trace-format.md, rendered from RECORDS: one row per type,
 * the code list's label, and each slot's field (`name (str)` for strings).
 */
export function specRecordTable(codeLabel: (table: CodeTableName) => string): string {
  const lines = ['| type | name | code | a | b | c | d | x (f64 at 24) |', '|---|---|---|---|---|---|---|---|'];
  for (const r of RECORDS) {
    const slots: Record<string, string> = { a: '', b: '', c: '', d: '', x: '' };
    let codeCell = '—';
    for (const f of r.fields) {
      if (f.kind === 'code') codeCell = codeLabel(f.table);
      else if (f.kind === 'strings') { slots[f.count] = 'count'; slots[f.first] = 'first string'; }
      else slots[f.at] = f.kind === 'str' ? `${f.name} (str)` : f.name;
    }
    const cells = [String(r.type), r.name, codeCell, slots.a, slots.b, slots.c, slots.d, slots.x];
    lines.push('|' + cells.map((c) => (c ? ` ${c} |` : ' |')).join(''));
  }
  return lines.join('\n');
}
