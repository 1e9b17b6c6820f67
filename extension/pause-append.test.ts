import assert from 'node:assert/strict';
import { encodeTrace } from '../trace/encoder';
import { readTraceModel } from '../trace/feed';
import type { TraceHeader } from '../trace/model-types';
import { unrecordedPauseBatch } from './pause-append';

const header: TraceHeader = { formatVersion: 1, clockOriginUnixMs: 0, program: 'p.ts', root: '/r', runtimeVersion: '0', nodeVersion: 'v22', pid: 1 };

describe('a pause the session ended in (extension/pause-append.ts)', () => {
  it('appends a debuggerPaused batch that the model reads after the program\'s own batches', () => {
    const program = encodeTrace(header, [
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 },
      { type: 'resourceCreated', time: 1, resourceId: 9, kind: 'lock', name: 'l', site: 0, capacity: 1 },
      { type: 'resourceAcquired', time: 5, resourceId: 9, taskId: 1, site: 0 },
    ]);
    const batch = unrecordedPauseBatch([{ beginTraceMs: 100, durationMs: 2500 }], 5)!;
    const file = new Uint8Array(program.length + batch.length);
    file.set(program);
    file.set(batch, program.length);
    const read = readTraceModel(file);
    assert.equal(read.complete, true);
    assert.deepEqual(read.model.pauses, [{ begin: 100, end: 2600 }]);
  });

  it('never writes a time earlier than the trace already has', () => {
    const batch = unrecordedPauseBatch([{ beginTraceMs: 100, durationMs: 50 }], 400)!;
    const file = new Uint8Array([...encodeTrace(header, [{ type: 'taskCreated', time: 400, taskId: 1, parentId: 0, name: 'main', site: 0 }]), ...batch]);
    const read = readTraceModel(file);
    assert.equal(read.complete, true);
    assert.deepEqual(read.model.pauses, [{ begin: 100, end: 150 }]);
    assert.equal(unrecordedPauseBatch([], 0), undefined);
  });
});
