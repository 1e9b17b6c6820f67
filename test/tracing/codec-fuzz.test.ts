// Fuzzing the decoder: random valid traces, then random mutations (bit flips, byte
// overwrites, cuts, insertions, deletions) fed whole and in random chunks. The decoder
// must only ever throw TraceFormatError, must terminate, and must never return more events
// than the input could hold. Seeded, so a failure reproduces.
import assert from 'node:assert/strict';
import { TraceDecoder, decodeTrace } from '../../trace/decoder';
import { encodeTrace } from '../../trace/encoder';
import type { TraceEvent } from '../../trace/events';
import { FORMAT_VERSION, RECORD_SIZE, TraceFormatError } from '../../trace/format';
import {
  AWAIT_KINDS, CALLBACK_KINDS, IO_OPS, OUTCOMES, RESOURCE_KINDS, RESOURCE_SIGNALS,
} from '../../trace/vocabulary';

/** mulberry32: small, seedable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomEvents(r: () => number, n: number): TraceEvent[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const id = (): number => Math.floor(r() * 1000);
  const name = (): string => pick(['', 'main', 'worker-1', 'ünïcode ✓', 'x'.repeat(Math.floor(r() * 40))]);
  let time = 0;
  const out: TraceEvent[] = [];
  for (let i = 0; i < n; i++) {
    time += r() < 0.3 ? 0 : r() * 5;
    const k = Math.floor(r() * 10);
    const e: TraceEvent =
      k === 0 ? { type: 'sitesRegistered', time, base: id(), sites: [name(), name()] }
        : k === 1 ? { type: 'taskCreated', time, taskId: id(), parentId: id(), name: name(), site: id() }
          : k === 2 ? { type: 'taskDone', time, taskId: id(), outcome: pick(OUTCOMES), message: name() }
            : k === 3 ? { type: 'awaitBegin', time, taskId: id(), kind: pick(AWAIT_KINDS), targetId: id(), site: id() }
              : k === 4 ? { type: 'wake', time, wakerTaskId: id(), callbackId: id(), wokenTaskId: id(), targetId: id() }
                : k === 5 ? { type: 'resourceCreated', time, resourceId: id(), kind: pick(RESOURCE_KINDS), name: name(), site: id(), capacity: id() }
                  : k === 6 ? { type: 'resourceSignal', time, resourceId: id(), taskId: id(), signal: pick(RESOURCE_SIGNALS), site: id() }
                    : k === 7 ? { type: 'callbackScheduled', time, handleId: id(), kind: pick(CALLBACK_KINDS), delayMs: r() * 100, site: id() }
                      : k === 8 ? { type: 'ioWaitBegin', time, streamId: id(), taskId: id(), op: pick(IO_OPS), peer: name(), site: id() }
                        : { type: 'dropped', time, count: id() };
    out.push(e);
  }
  return out;
}

function mutate(r: () => number, src: Uint8Array): Uint8Array {
  let b = src.slice();
  const edits = 1 + Math.floor(r() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * b.length);
    switch (Math.floor(r() * 5)) {
      case 0: b[at] ^= 1 << Math.floor(r() * 8); break;
      case 1: b[at] = Math.floor(r() * 256); break;
      case 2: b = b.subarray(0, at); break;
      case 3: { const ins = Uint8Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 256)); const n = new Uint8Array(b.length + ins.length); n.set(b.subarray(0, at)); n.set(ins, at); n.set(b.subarray(at), at + ins.length); b = n; break; }
      default: { const n = new Uint8Array(b.length - Math.min(4, b.length - at)); n.set(b.subarray(0, at)); n.set(b.subarray(at + 4), at); b = n; }
    }
    if (b.length === 0) break;
  }
  return b;
}

const header = {
  formatVersion: FORMAT_VERSION, clockOriginUnixMs: 1.5e12, program: 'fuzz.ts', root: '/tmp',
  runtimeVersion: '0.1.0', nodeVersion: 'v20', pid: 7,
};

describe('codec fuzz', () => {
  it('random valid traces round-trip', () => {
    const r = rng(1);
    for (let i = 0; i < 50; i++) {
      const events = randomEvents(r, Math.floor(r() * 200));
      assert.deepEqual(decodeTrace(encodeTrace(header, events, 1 + Math.floor(r() * 40))).events, events);
    }
  });

  it('mutated traces only ever raise TraceFormatError, in whole and in chunks', () => {
    const r = rng(2);
    let rejected = 0; let stoppedEarly = 0;
    for (let i = 0; i < 1500; i++) {
      const file = encodeTrace(header, randomEvents(r, 1 + Math.floor(r() * 60)), 1 + Math.floor(r() * 16));
      const bad = mutate(r, file);
      try {
        const got = decodeTrace(bad);
        assert.ok(got.events.length * RECORD_SIZE <= bad.length);
        assert.ok(got.stoppedAt <= bad.length);
        if (!got.complete) stoppedEarly++;
      } catch (e) {
        if (!(e instanceof TraceFormatError)) throw e;
        rejected++;
      }
      const d = new TraceDecoder();
      try {
        for (let p = 0; p < bad.length;) {
          const n = 1 + Math.floor(r() * 64);
          d.push(bad.subarray(p, p + n));
          p += n;
        }
        const end = d.end();
        assert.ok(end.stoppedAt <= bad.length);
      } catch (e) {
        if (!(e instanceof TraceFormatError)) throw e;
      }
    }
    // The mutations must actually exercise the error paths.
    assert.ok(rejected > 0 && stoppedEarly > 0, `rejected ${rejected}, stopped early ${stoppedEarly}`);
  });

  it('pure random bytes behind a valid header never hang or throw anything else', () => {
    const r = rng(3);
    const head = encodeTrace(header, []);
    for (let i = 0; i < 300; i++) {
      const tail = Uint8Array.from({ length: Math.floor(r() * 512) }, () => Math.floor(r() * 256));
      if (r() < 0.5 && tail.length >= 4) new DataView(tail.buffer).setUint32(0, 0x48435442, true);
      const file = new Uint8Array(head.length + tail.length);
      file.set(head); file.set(tail, head.length);
      const got = decodeTrace(file);
      assert.ok(got.stoppedAt >= head.length && got.stoppedAt <= file.length);
    }
  });
});
