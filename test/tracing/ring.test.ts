// The flight recorder (runtime/tracer/ring-sink.ts): the ring keeps exactly the most
// recent batches that fit in its size, and a saved window is a trace of its own whose
// model has every task alive across the cut once, with what it was awaiting, holding or
// waiting for, and every task of the window as the full trace has it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RingSink } from '../../runtime/tracer/ring-sink';
import { parseRingSize } from '../../runtime/tracer/ring-size';
import { Tracer } from '../../runtime/tracer/tracer';
import { decodeTrace, TraceDecoder } from '../../trace/decoder';
import { encodeHeader, TraceEncoder } from '../../trace/encoder';
import { TraceModel } from '../../trace/model';
import type { AwaitSpan, TaskModel } from '../../trace/model-types';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-ring-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = { formatVersion: 1, clockOriginUnixMs: 0, program: 'p.ts', root: '/r', runtimeVersion: '0', nodeVersion: 'v0', pid: 1 };

function modelOf(bytes: Uint8Array): TraceModel {
  const d = decodeTrace(bytes);
  assert.ok(d.complete, d.error);
  const m = new TraceModel();
  m.setHeader(d.header);
  m.apply(d.events);
  return m;
}

/**
 * A RingSink that also keeps every byte, segment by segment (each segment numbers its
 * strings from 1), for the model of the full run to compare the window with.
 */
class TeeRing extends RingSink {
  private readonly segments: Uint8Array[][] = [[]];
  override write(bytes: Uint8Array): void { this.segments.at(-1)!.push(bytes.slice()); super.write(bytes); }
  override tryWrite(bytes: Uint8Array): number { this.write(bytes); return bytes.length; }
  override newSegment(): void { this.segments.push([]); super.newSegment(); }
  get segmentCount(): number { return this.segments.length; }
  fullModel(): TraceModel {
    const [first, ...rest] = this.segments;
    const header = first[0];
    const m = new TraceModel();
    for (const seg of [first.slice(1), ...rest]) {
      const d = new TraceDecoder();
      d.push(header);
      if (!m.header) m.setHeader(d.header!);
      for (const b of seg) m.apply(d.push(b));
      assert.ok(d.end().complete);
    }
    return m;
  }
}

function tracerInto(sink: RingSink, batchEvents = 64): Tracer {
  return new Tracer({
    sink, program: 'p.ts', root: '/r', runtimeVersion: '0', batchEvents, maxQueuedBytes: 1 << 30,
    flushIntervalMs: 60_000, blockedMs: 1e9, onSinkFailed: () => assert.fail('sink failed'),
  });
}

/** Opens awaits, holds and waits that stay open across the cut, then churns short tasks (flushing now and then, as the tracer's timer does). */
function scenario(tr: Tracer, churn: number): void {
  tr.sitesRegistered(1, ['a.ts:1:1', 'a.ts:2:1\tfetch()', 'a.ts:3:1', 'a.ts:4:1']);
  tr.taskCreated(1, 0, 'main', 1);
  tr.resourceCreated(50, 'lock', 'db', 1, 1);
  tr.resourceCreated(51, 'queue', 'jobs', 1, 10);
  tr.resourceLevel(51, 3);
  tr.taskCreated(2, 1, 'holder', 1);
  tr.taskRunBegin(2);
  tr.resourceAcquired(50, 2, 3);
  tr.awaitBegin(2, 'promise', 0, 2);
  tr.awaitBegin(2, 'sleep', 900, 3);
  tr.taskRunEnd(2);
  tr.taskCreated(3, 1, 'waiter', 1);
  tr.taskRunBegin(3);
  tr.resourceWaitBegin(50, 3, 4);
  tr.awaitBegin(3, 'lock', 50, 4);
  tr.taskRunEnd(3);
  tr.taskCreated(4, 1, 'renamed-later', 1);
  tr.taskRenamed(4, 'sleeper');
  tr.taskRunBegin(4);
  tr.awaitBegin(4, 'sleep', 901, 3);
  tr.taskRunEnd(4);
  tr.taskCreated(5, 1, 'finished', 1);
  tr.taskDone(5, 'ok', '');
  for (let i = 0; i < churn; i++) {
    const id = 100 + i;
    tr.taskCreated(id, 1, `req-${id}`, 1);
    tr.taskRunBegin(id);
    tr.awaitBegin(id, 'promise', 0, 2);
    tr.awaitBegin(id, 'sleep', 10_000 + id, 3);
    tr.taskRunEnd(id);
    tr.wake(0, 7, id, 10_000 + id);
    tr.awaitEnd(id, 10_000 + id, 'ok');
    tr.awaitEnd(id, 0, 'ok');
    tr.taskRunBegin(id);
    tr.taskDone(id, i % 10 === 0 ? 'error' : 'ok', i % 10 === 0 ? `failed ${id}` : '');
    if (i % 50 === 0) tr.flush(false);
  }
}

const awaitsOf = (t: TaskModel | undefined): string[] => [...(t?.awaits ?? [])].map((a: AwaitSpan) => `${a.kind}@${a.depth}:${a.end === undefined ? 'open' : 'ended'}`);

describe('flight recorder: the ring', () => {
  it('keeps exactly the most recent whole batches that fit in its size', () => {
    const limit = 64 * 1024;
    const ring = new RingSink(limit, path.join(dir, 'unused.atrace'));
    const sent: Uint8Array[] = [];
    ring.write(encodeHeader(HEADER));
    const enc = new TraceEncoder({ batchEvents: 100, onBatch: (b) => { sent.push(b); ring.write(b); } });
    // Batches of different sizes (names of different lengths).
    for (let i = 0; i < 20_000; i++) enc.taskCreated(i, i + 1, 0, `t-${i}-${'x'.repeat(i % 37)}`, 0);
    let size = 0;
    let from = sent.length;
    while (from > 0 && size + sent[from - 1].length <= limit) size += sent[--from].length;
    assert.ok(from > 10, 'the ring turned over many times');
    assert.equal(ring.heldBytes, size);
    assert.ok(ring.heldBytes <= limit && ring.heldBytes + sent[from - 1].length > limit);
    assert.deepEqual(ring.heldBatchBytes(), sent.slice(from));
  });

  it('takes bytes in any chunking (a batch split across writes, several in one)', () => {
    const ring = new RingSink(1 << 20, path.join(dir, 'w.atrace'));
    const parts: Uint8Array[] = [encodeHeader(HEADER)];
    const enc = new TraceEncoder({ batchEvents: 10, onBatch: (b) => parts.push(b) });
    for (let i = 1; i <= 95; i++) enc.taskCreated(i, i, 0, `t${i}`, 0);
    parts.push(enc.seal()!);
    const all = Buffer.concat(parts);
    for (let p = 0; p < all.length; p += 7) ring.write(new Uint8Array(all.subarray(p, p + 7)));
    assert.equal(ring.heldBatches, parts.length - 1);
    assert.equal(modelOf(readFileSync(ring.save().file)).tasks.length, 95);
  });

  it('saves a window that decodes into a correct model: tasks alive across the cut once, with what they awaited, held and waited for', () => {
    const ring = new TeeRing(64 * 1024, path.join(dir, 'exit.atrace'));
    const tr = tracerInto(ring);
    scenario(tr, 3000);
    tr.flush(true);
    const saved = ring.save(path.join(dir, 'window.atrace'));
    const full = ring.fullModel();
    assert.ok(ring.segmentCount > 4, `${ring.segmentCount} segments`);
    const win = modelOf(readFileSync(saved.file));
    assert.ok(win.eventCount < full.eventCount / 4, `the window (${win.eventCount} events) is a part of the run (${full.eventCount})`);
    assert.ok(saved.bytes < 64 * 1024 * 1.5, `window file ${saved.bytes} bytes`);
    // Each task once.
    const ids = win.tasks.map((t) => t.id);
    assert.equal(new Set(ids).size, ids.length);
    // Alive across the cut: declared at the window's start, with their open awaits.
    for (const id of [1, 2, 3, 4]) assert.ok(win.task(id), `task ${id} is declared`);
    assert.equal(win.task(5), undefined, 'a task that ended before the window is not in it');
    assert.equal(win.task(4)!.name, 'sleeper', 'the name it had at the cut');
    assert.deepEqual(awaitsOf(win.task(2)), ['promise@0:open', 'sleep@1:open']);
    assert.equal(win.task(2)!.awaits.at(0)!.site?.label, 'fetch()');
    assert.deepEqual(awaitsOf(win.task(3)), ['lock@0:open']);
    assert.deepEqual(awaitsOf(win.task(4)), ['sleep@0:open']);
    assert.equal(win.task(2)!.parentId, 1);
    assert.equal(win.task(2)!.createdAt, win.startTime, 'declared at the start of the window');
    assert.deepEqual(win.awaitChainAt(2, win.endTime).map((a) => a.kind), ['promise', 'sleep']);
    const db = win.resources.find((r) => r.name === 'db')!;
    assert.deepEqual(win.holdersAt(db.id, win.endTime).map((h) => h.taskId), [2]);
    assert.deepEqual([...db.waits].filter((w) => w.end === undefined).map((w) => w.taskId), [3]);
    assert.equal(win.resources.find((r) => r.name === 'jobs')!.levels.at(-1)?.level, 3);
    // Tasks of the window: as the full trace has them (every one whose creation is in the window).
    const inWindow = win.tasks.filter((t) => t.id >= 100);
    assert.ok(inWindow.length > 100);
    for (const t of inWindow.slice(1)) {
      const f = full.task(t.id)!;
      assert.equal(t.name, f.name);
      assert.equal(t.outcome, f.outcome);
      assert.equal(t.message, f.message);
      assert.deepEqual(awaitsOf(t), awaitsOf(f));
      assert.deepEqual([...t.awaits].map((a) => [a.begin, a.end, a.wake?.time]), [...f.awaits].map((a) => [a.begin, a.end, a.wake?.time]));
    }
    // The last task of the run is in the window, and the stats agree on it.
    assert.equal(win.tasks.at(-1)!.id, full.tasks.at(-1)!.id);
    assert.equal(win.endTime, full.endTime);
  });

  it('saves a window of a ring that never turned over as the whole trace', () => {
    const ring = new TeeRing(8 << 20, path.join(dir, 'exit.atrace'));
    const tr = tracerInto(ring);
    scenario(tr, 200);
    tr.flush(true);
    const win = modelOf(readFileSync(ring.save().file));
    const full = ring.fullModel();
    assert.equal(win.tasks.length, full.tasks.length);
    assert.deepEqual(win.tasks.map((t) => awaitsOf(t)), full.tasks.map((t) => awaitsOf(t)));
    assert.deepEqual(win.contention(), full.contention());
  });

  it('reads sizes as people write them and refuses the rest', () => {
    assert.equal(parseRingSize('64MB'), 64 * 1024 * 1024);
    assert.equal(parseRingSize('512KB'), 512 * 1024);
    assert.equal(parseRingSize('1.5m'), 1.5 * 1024 * 1024);
    assert.equal(parseRingSize('100000'), 100000);
    assert.throws(() => parseRingSize('lots'), /ring size "lots" is not a size such as 64MB or 512KB/);
    assert.throws(() => parseRingSize('1KB'), /below the smallest ring, 64KB/);
  });
});
