// The encoder's string handling: batches sealed in one exact-size buffer when every new
// string is ASCII, re-encoded with room to spare when one is not, and the direct-mapped
// string cache (a repeated name is sent once while it keeps its slot; evicted strings are
// sent again and still decode to the same text).
import assert from 'node:assert/strict';
import { decodeTrace } from '../../trace/decoder';
import { TraceEncoder, encodeHeader } from '../../trace/encoder';
import { FORMAT_VERSION } from '../../trace/format';
import type { TraceHeader } from '../../trace/model-types';

const header: TraceHeader = {
  formatVersion: FORMAT_VERSION, clockOriginUnixMs: 1, program: 'p.ts', root: '/r',
  runtimeVersion: '0.1.0', nodeVersion: 'v20', pid: 1,
};

function record(batchEvents: number, write: (enc: TraceEncoder) => void): { file: Uint8Array; batches: Uint8Array[] } {
  const batches: Uint8Array[] = [];
  const enc = new TraceEncoder({ batchEvents, onBatch: (b) => batches.push(b) });
  write(enc);
  const last = enc.seal();
  if (last) batches.push(last);
  const parts = [encodeHeader(header), ...batches];
  const file = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { file.set(p, o); o += p.length; }
  return { file, batches };
}

const stringsIn = (batches: Uint8Array[]): number =>
  batches.reduce((n, b) => n + new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(8, true), 0);

describe('trace encoder strings', () => {
  it('round-trips ASCII, accented, CJK and astral names mixed in one batch', () => {
    const names = ['main', 'ünïcode ✓', 'x', '名前', 'emoji 😀 end', '', 'tail-ascii', 'é'];
    const { file, batches } = record(64, (enc) => names.forEach((n, i) => enc.taskCreated(i, i + 1, 0, n, 0)));
    assert.equal(batches.length, 1);
    const got = decodeTrace(file).events.map((e) => e.type === 'taskCreated' && e.name);
    assert.deepEqual(got, names);
  });

  it('seals an all-ASCII batch with no slack bytes', () => {
    const { batches } = record(64, (enc) => { enc.taskCreated(0, 1, 0, 'alpha', 0); enc.taskCreated(1, 2, 0, 'beta', 0); });
    const dv = new DataView(batches[0]!.buffer, batches[0]!.byteOffset, batches[0]!.byteLength);
    assert.equal(batches[0]!.length, 16 + dv.getUint32(4, true));
    assert.equal(batches[0]!.byteLength, batches[0]!.buffer.byteLength);
  });

  it('decodes every name exactly through cache evictions, and sends a hot name far less often than it is used', () => {
    const expected: string[] = [];
    const { file, batches } = record(512, (enc) => {
      for (let i = 0; i < 20_000; i++) {
        const name = i % 2 === 0 ? 'worker' : `Task-${i}`;
        expected.push(name);
        enc.taskCreated(i, i + 1, 0, name, 0);
      }
    });
    const got = decodeTrace(file).events.map((e) => e.type === 'taskCreated' && e.name);
    assert.deepEqual(got, expected);
    // 10,000 unique names plus 'worker' re-sent only when a unique name evicted it.
    const sent = stringsIn(batches);
    assert.ok(sent >= 10_001 && sent < 10_000 + 1_000, `strings sent: ${sent}`);
  });
});
