import assert from 'node:assert/strict';
import { decodeTrace } from './decoder';
import { TraceEncoder, encodeHeader } from './encoder';
import { BATCH_HEADER_SIZE, FORMAT_VERSION, RECORD_SIZE } from './format';
import type { TraceHeader } from './model-types';

const header: TraceHeader = {
  formatVersion: FORMAT_VERSION, clockOriginUnixMs: 1, program: 'p.ts', root: '/r',
  runtimeVersion: '0.1.0', nodeVersion: 'v20', pid: 1,
};

function fileOf(batches: Uint8Array[]): Uint8Array {
  const parts = [encodeHeader(header), ...batches];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

describe('trace encoder', () => {
  it('never lets time go backwards: an earlier time is clamped to the previous one', () => {
    const batches: Uint8Array[] = [];
    const enc = new TraceEncoder({ onBatch: (b) => batches.push(b) });
    enc.taskRunBegin(5, 1);
    enc.taskRunEnd(3, 1);
    enc.taskRunBegin(7, 1);
    batches.push(enc.seal()!);
    assert.deepEqual(decodeTrace(fileOf(batches)).events.map((e) => e.time), [5, 5, 7]);
  });

  it('sends each string once per stream, in the batch that first uses it', () => {
    const batches: Uint8Array[] = [];
    const enc = new TraceEncoder({ batchEvents: 2, onBatch: (b) => batches.push(b) });
    for (let i = 0; i < 6; i++) enc.taskCreated(i, i + 1, 0, 'worker', 0);
    batches.push(enc.seal()!);
    assert.equal(batches.length, 3);
    const stringCounts = batches.map((b) => new DataView(b.buffer).getUint32(8, true));
    assert.deepEqual(stringCounts, [1, 0, 0]);
    const events = decodeTrace(fileOf(batches)).events;
    assert.deepEqual(events.map((e) => e.type === 'taskCreated' && e.name), Array(6).fill('worker'));
  });

  it('seals a full batch through onBatch before writing the next event', () => {
    const batches: Uint8Array[] = [];
    const enc = new TraceEncoder({ batchEvents: 4, onBatch: (b) => batches.push(b) });
    for (let i = 0; i < 9; i++) enc.callbackBegin(i, i);
    assert.equal(batches.length, 2);
    assert.equal(enc.buffered, 1);
    assert.equal(batches[0].length, BATCH_HEADER_SIZE + 4 * RECORD_SIZE);
    batches.push(enc.seal()!);
    assert.equal(enc.seal(), undefined);
    assert.deepEqual(decodeTrace(fileOf(batches)).events.map((e) => e.type === 'callbackBegin' && e.handleId), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps site strings resolvable when a sites record lands at a batch boundary', () => {
    const batches: Uint8Array[] = [];
    const enc = new TraceEncoder({ batchEvents: 1, onBatch: (b) => batches.push(b) });
    enc.taskRunBegin(0, 1);
    enc.sitesRegistered(1, 5, ['a.ts:1:1', 'b.ts:2:2']);
    enc.taskCreated(2, 2, 1, 'x', 5);
    batches.push(enc.seal()!);
    const events = decodeTrace(fileOf(batches)).events;
    assert.deepEqual(events[1], { type: 'sitesRegistered', time: 1, base: 5, sites: ['a.ts:1:1', 'b.ts:2:2'] });
    assert.deepEqual(events[2], { type: 'taskCreated', time: 2, taskId: 2, parentId: 1, name: 'x', site: 5 });
  });
});
