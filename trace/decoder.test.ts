import assert from 'node:assert/strict';
import { RAW_RECORD_TYPES, TraceDecoder, decodeTrace, type RecordSink } from './decoder';
import { TraceModel } from './model';
import { readRecord } from './records.generated';
import { encodeHeader, encodeTrace } from './encoder';
import type { TraceEvent, TraceEventType } from './events';
import { BATCH_HEADER_SIZE, FORMAT_VERSION, RECORD_SIZE, TraceFormatError } from './format';
import type { TraceHeader } from './model-types';

const header: TraceHeader = {
  formatVersion: FORMAT_VERSION,
  clockOriginUnixMs: 1_764_000_000_123.25,
  program: 'examples/lock-contention.ts',
  root: '/home/user/project',
  runtimeVersion: '0.1.0',
  nodeVersion: 'v20.20.0',
  pid: 4242,
};

/** One event of every type; the Record type makes the compiler insist on all of them. */
const oneOfEach: { [T in TraceEventType]: Extract<TraceEvent, { type: T }> } = {
  sitesRegistered: { type: 'sitesRegistered', time: 0, base: 1, sites: ['src/main.ts:3:9', 'src/main.ts:7:11', 'süd/ünï.ts:1:1'] },
  taskCreated: { type: 'taskCreated', time: 0.5, taskId: 10, parentId: 0, name: 'main', site: 1 },
  taskRenamed: { type: 'taskRenamed', time: 0.5, taskId: 10, name: 'main-renamed' },
  taskRunBegin: { type: 'taskRunBegin', time: 1, taskId: 10 },
  taskRunEnd: { type: 'taskRunEnd', time: 1.25, taskId: 10 },
  taskDone: { type: 'taskDone', time: 2, taskId: 10, outcome: 'error', message: 'boom: 💥' },
  awaitBegin: { type: 'awaitBegin', time: 2.5, taskId: 10, kind: 'semaphore', targetId: 77, site: 2 },
  awaitEnd: { type: 'awaitEnd', time: 3, taskId: 10, targetId: 77, outcome: 'cancelled' },
  wake: { type: 'wake', time: 3, wakerTaskId: 11, callbackId: 12, wokenTaskId: 10, targetId: 77 },
  resourceCreated: { type: 'resourceCreated', time: 3.5, resourceId: 77, kind: 'queue', name: 'jobs', site: 3, capacity: Infinity },
  resourceWaitBegin: { type: 'resourceWaitBegin', time: 4, resourceId: 77, taskId: 10, site: 2 },
  resourceWaitAbandoned: { type: 'resourceWaitAbandoned', time: 4.5, resourceId: 77, taskId: 10, outcome: 'error' },
  resourceAcquired: { type: 'resourceAcquired', time: 5, resourceId: 77, taskId: 10, site: 2 },
  resourceReleased: { type: 'resourceReleased', time: 5.5, resourceId: 77, taskId: 10, site: 3 },
  resourceSignal: { type: 'resourceSignal', time: 6, resourceId: 77, taskId: 0, signal: 'shutdown', site: 0 },
  resourceLevel: { type: 'resourceLevel', time: 6, resourceId: 77, level: 12 },
  callbackScheduled: { type: 'callbackScheduled', time: 6.5, handleId: 90, kind: 'later', delayMs: 12.75, site: 1 },
  callbackBegin: { type: 'callbackBegin', time: 7, handleId: 90 },
  callbackEnd: { type: 'callbackEnd', time: 7.5, handleId: 90 },
  loopTurnBegin: { type: 'loopTurnBegin', time: 8 },
  loopTurnEnd: { type: 'loopTurnEnd', time: 8.5 },
  jobSubmitted: { type: 'jobSubmitted', time: 9, jobId: 100, executorId: 99, fnName: 'hashFile', site: 3 },
  jobStarted: { type: 'jobStarted', time: 9.5, jobId: 100, workerIndex: 3 },
  jobFinished: { type: 'jobFinished', time: 10, jobId: 100, outcome: 'ok', message: '' },
  ioWaitBegin: { type: 'ioWaitBegin', time: 10.5, streamId: 200, taskId: 10, op: 'connect', peer: '127.0.0.1:8080', site: 2 },
  ioWaitEnd: { type: 'ioWaitEnd', time: 11, streamId: 200, taskId: 10, bytes: 65536, outcome: 'ok' },
  taskErrorThrown: { type: 'taskErrorThrown', time: 11, taskId: 10, site: 3, retrieved: 1 },
  taskErrorRetrieved: { type: 'taskErrorRetrieved', time: 11, taskId: 10 },
  exitHandles: { type: 'exitHandles', time: 11, handles: ['Timeout', 'Timeout', 'TCPServerWrap'] },
  dropped: { type: 'dropped', time: 11.5, count: 123456 },
  loopBlocked: { type: 'loopBlocked', time: 12, durationMs: 73.5 },
  debuggerPaused: { type: 'debuggerPaused', time: 12.5, endedBeforeUs: 40, durationMs: 3000.5 },
};
const allEvents: TraceEvent[] = Object.values(oneOfEach);

function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Byte offsets where each batch ends, read from the framing. */
function batchEnds(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = encodeHeader(header).length;
  const ends = [p];
  while (p < bytes.length) { p += BATCH_HEADER_SIZE + dv.getUint32(p + 4, true); ends.push(p); }
  return ends;
}

describe('trace decoder', () => {
  it('round-trips one event of every type with its header', () => {
    const file = encodeTrace(header, allEvents);
    const got = decodeTrace(file);
    assert.deepEqual(got.header, header);
    assert.deepEqual(got.events, allEvents);
    assert.equal(got.complete, true);
    assert.equal(got.stoppedAt, file.length);
    assert.equal(got.error, undefined);
  });

  it('round-trips across many small batches, with strings reused between batches', () => {
    const events: TraceEvent[] = [];
    for (let i = 0; i < 50; i++) events.push(...allEvents.map((e) => ({ ...e, time: e.time + i * 20 })));
    const file = encodeTrace(header, events, 3);
    assert.deepEqual(decodeTrace(file).events, events);
  });

  it('decodes the same events when bytes arrive one at a time', () => {
    const file = encodeTrace(header, allEvents, 4);
    const d = new TraceDecoder();
    const got: TraceEvent[] = [];
    for (const c of chunks(file, 1)) got.push(...d.push(c));
    assert.deepEqual(d.header, header);
    assert.deepEqual(got, allEvents);
    assert.deepEqual(d.end(), { complete: true, stoppedAt: file.length });
  });

  it('decodes at most the batches that reach a limit, keeping the rest buffered for later calls', () => {
    const file = encodeTrace(header, allEvents, 4);
    const d = new TraceDecoder();
    assert.deepEqual(d.push(file, 0), []);
    assert.deepEqual(d.header, header);
    assert.equal(d.buffered.length, file.length - batchEnds(file)[0], 'everything after the header is buffered');
    assert.ok(d.hasWholeBatch);
    const got: TraceEvent[] = [];
    for (let step = 0; d.hasWholeBatch; step++) {
      const part = d.push(new Uint8Array(0), 5);
      // Whole batches of 4: a limit of 5 takes two.
      assert.ok(part.length === 8 || !d.hasWholeBatch, `step ${step}: ${part.length}`);
      got.push(...part);
    }
    assert.deepEqual(got, allEvents);
    assert.equal(d.buffered.length, 0);
    assert.deepEqual(d.push(new Uint8Array(0)), []);
    assert.deepEqual(d.end(), { complete: true, stoppedAt: file.length });
  });

  it('lets go of a big buffer once it is all decoded, and goes on with the chunks after it', () => {
    // Over a megabyte handed over at once (a saved trace in the webview), then a live tail in small chunks.
    const many: TraceEvent[] = [allEvents[0]];
    for (let i = 0; i < 40_000; i++) many.push({ type: 'taskRunBegin', time: 10 + i, taskId: 10 }, { type: 'taskRunEnd', time: 10.5 + i, taskId: 10 });
    const file = encodeTrace(header, many, 2048);
    const cut = batchEnds(file).find((e) => e > 1 << 20)!;
    assert.ok(cut < file.length);
    const d = new TraceDecoder();
    const got = d.push(file.subarray(0, cut));
    const held = () => (d as unknown as { store: Uint8Array }).store.length;
    assert.equal(held(), 0, 'the drained megabytes are let go of');
    for (let at = cut; at < file.length; at += 1000) got.push(...d.push(file.subarray(at, at + 1000)));
    assert.deepEqual(got, many);
    assert.deepEqual(d.end(), { complete: true, stoppedAt: file.length });
  });

  it('returns whole batches only, as soon as each one is complete', () => {
    const file = encodeTrace(header, allEvents, 5);
    const ends = batchEnds(file);
    const d = new TraceDecoder();
    let seen = 0;
    for (let i = 0; i < file.length; i++) {
      const got = d.push(file.subarray(i, i + 1));
      if (ends.includes(i + 1) && i + 1 > ends[0]) assert.ok(got.length > 0, `batch ending at ${i + 1} decoded`);
      else assert.equal(got.length, 0);
      seen += got.length;
    }
    assert.equal(seen, allEvents.length);
  });

  it('reads a truncated file up to its last whole batch and says where it stopped', () => {
    const file = encodeTrace(header, allEvents, 4);
    const ends = batchEnds(file);
    const cut = ends[3] + 10; // inside the fourth batch
    const got = decodeTrace(file.subarray(0, cut));
    assert.equal(got.complete, false);
    assert.equal(got.stoppedAt, ends[3]);
    assert.deepEqual(got.events, allEvents.slice(0, 12));
    assert.match(got.error ?? '', /truncated batch/);
  });

  it('reads a file cut right after its header as complete and empty', () => {
    const h = encodeHeader(header);
    const got = decodeTrace(h);
    assert.deepEqual(got.events, []);
    assert.equal(got.complete, true);
    assert.equal(got.stoppedAt, h.length);
  });

  it('rejects a foreign file naming the bad magic and its offset', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.throws(() => decodeTrace(png), (e: unknown) => e instanceof TraceFormatError && /bad magic/.test(e.message) && e.offset === 0);
    const almost = encodeTrace(header, allEvents);
    almost[5] = 0x58;
    assert.throws(() => new TraceDecoder().push(almost), (e: unknown) => e instanceof TraceFormatError && e.offset === 5 && /byte 5/.test(e.message));
  });

  it('rejects an unsupported version naming it', () => {
    const file = encodeTrace(header, allEvents);
    new DataView(file.buffer).setUint16(8, 99, true);
    assert.throws(() => decodeTrace(file), (e: unknown) => e instanceof TraceFormatError && /version 99/.test(e.message) && e.offset === 8);
  });

  it('stops at the previous batch end when a batch is corrupt, keeping the good ones', () => {
    const file = encodeTrace(header, allEvents, 4);
    const ends = batchEnds(file);
    const type = ends[3] - 4 * RECORD_SIZE + RECORD_SIZE + 8; // 2nd record of the 3rd batch (records end it), type byte
    file[type] = 250;
    const got = decodeTrace(file);
    assert.deepEqual(got.events, allEvents.slice(0, 8));
    assert.equal(got.stoppedAt, ends[2]);
    assert.equal(got.complete, false);
    assert.match(got.error ?? '', new RegExp(`unknown record type 250 at byte ${type}`));
  });

  it('treats time going backwards as corruption', () => {
    const file = encodeTrace(header, allEvents, 100);
    const dv = new DataView(file.buffer);
    const lastRecord = file.length - RECORD_SIZE;
    dv.setFloat64(lastRecord, 1, true);
    const got = decodeTrace(file);
    assert.deepEqual(got.events, []);
    assert.match(got.error ?? '', /time 1 before 12 at/);
  });

  it('needs a header before it can say anything', () => {
    assert.throws(() => decodeTrace(new Uint8Array(0)), TraceFormatError);
    assert.throws(() => decodeTrace(encodeHeader(header).subarray(0, 20)), /truncated header/);
  });

  /** A sink that turns what pushTo hands it back into events (raw records through the generated reader). */
  function collecting(): RecordSink & { events: TraceEvent[]; headers: number } {
    const sink = {
      events: [] as TraceEvent[], headers: 0,
      setHeader: () => { sink.headers++; },
      applyEvent: (e: TraceEvent) => { sink.events.push(e); },
      rawRecord: (dv: DataView, p: number, type: number, code: number, time: number) => {
        assert.ok(RAW_RECORD_TYPES.includes(type));
        sink.events.push(readRecord({ str: () => '', strings: () => [] }, dv, p, 0, type, code, time)!);
      },
    };
    return sink;
  }

  it('pushTo hands a sink the same events as push, in order, the header once, across chunk boundaries', () => {
    const file = encodeTrace(header, [...allEvents, ...allEvents.map((e) => ({ ...e, time: e.time + 20 }))], 5);
    for (const size of [1, 7, 64, file.length]) {
      const d = new TraceDecoder();
      const sink = collecting();
      let n = 0;
      for (const c of chunks(file, size)) n += d.pushTo(c, sink);
      assert.deepEqual(sink.events, decodeTrace(file).events);
      assert.equal(n, sink.events.length);
      assert.equal(sink.headers, 1);
      assert.deepEqual(d.end(), { complete: true, stoppedAt: file.length });
    }
  });

  it('pushTo gives a sink nothing of a corrupt batch, even a bad code in a record read in place', () => {
    const file = encodeTrace(header, allEvents, 4);
    const ends = batchEnds(file);
    // awaitEnd is the 8th event: the 4th record of the 2nd batch; its code byte.
    const code = ends[2] - RECORD_SIZE + 9;
    file[code] = 9;
    const d = new TraceDecoder();
    const sink = collecting();
    d.pushTo(file, sink);
    const whole = decodeTrace(file);
    assert.deepEqual(sink.events, whole.events);
    assert.deepEqual(sink.events, allEvents.slice(0, 4));
    assert.deepEqual(d.end(), { complete: whole.complete, stoppedAt: whole.stoppedAt, error: whole.error });
    assert.match(whole.error ?? '', /bad code 9 for record type 8/);
  });

  it('a model fed by pushTo equals one fed the decoded events', () => {
    const file = encodeTrace(header, allEvents, 3);
    const a = new TraceModel();
    const whole = decodeTrace(file);
    a.setHeader(whole.header);
    a.apply(whole.events);
    const b = new TraceModel();
    new TraceDecoder().pushTo(file, b);
    assert.deepEqual(b, a);
  });
});
