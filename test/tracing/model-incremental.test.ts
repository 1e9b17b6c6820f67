// A live trace arrives in arbitrary chunks: the model folded batch by batch from the
// incremental decoder ends up identical to the model of the whole file, and while it
// grows, spans that are still open read as open (end undefined), then close in place.
import assert from 'node:assert/strict';
import { TraceDecoder, decodeTrace } from '../../trace/decoder';
import { TraceModel } from '../../trace/model';
import { lockTraceBytes } from '../cli/fixture-trace';

/** Deterministic chunk sizes (xorshift), so a failure reproduces. */
function chunks(bytes: Uint8Array, seed: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let x = seed;
  for (let at = 0; at < bytes.length;) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const n = 1 + (Math.abs(x) % 97);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

function snapshot(m: TraceModel): unknown {
  return JSON.parse(JSON.stringify({
    tasks: m.tasks, resources: m.resources, wakes: m.wakes, contention: m.contention(),
    eventCount: m.eventCount, startTime: m.startTime, endTime: m.endTime,
  }));
}

describe('model fed incrementally', () => {
  const bytes = lockTraceBytes();
  const whole = new TraceModel();
  const decoded = decodeTrace(bytes);
  whole.setHeader(decoded.header);
  whole.apply(decoded.events);

  for (const seed of [1, 7, 2024]) {
    it(`equals the whole-file model when bytes arrive in random chunks (seed ${seed})`, () => {
      const d = new TraceDecoder();
      const m = new TraceModel();
      let sawOpenLockWait = false;
      for (const c of chunks(bytes, seed)) {
        const events = d.push(c);
        if (!m.header && d.header) m.setHeader(d.header);
        m.apply(events);
        const lock = m.resource(100);
        if ([...(lock?.waits ?? [])].some((w) => w.end === undefined)) sawOpenLockWait = true;
      }
      assert.ok(d.end().complete);
      assert.ok(sawOpenLockWait, 'some chunk boundary fell while a lock wait was open');
      assert.deepEqual(snapshot(m), snapshot(whole));
    });
  }
});
