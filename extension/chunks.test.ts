import assert from 'node:assert/strict';
import { coalesce } from './chunks';

const bytes = (n: number, from: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (from + i) % 256);
const concat = (parts: readonly Uint8Array[]): number[] => parts.flatMap((p) => [...p]);

describe('coalesce (replaying a recorded trace to a reloaded webview)', () => {
  it('joins many small chunks into one piece, bytes in order', () => {
    const chunks = Array.from({ length: 50 }, (_, i) => bytes(37, i * 37));
    const out = coalesce(chunks);
    assert.equal(out.length, 1);
    assert.deepEqual([...out[0]!], concat(chunks));
  });

  it('starts a new piece before one would pass the limit; a bigger chunk stays whole', () => {
    const chunks = [bytes(40, 0), bytes(40, 40), bytes(40, 80), bytes(150, 120), bytes(10, 14)];
    const out = coalesce(chunks, 100);
    assert.deepEqual(out.map((p) => p.byteLength), [80, 40, 150, 10]);
    assert.deepEqual(concat(out), concat(chunks));
    assert.equal(out[2], chunks[3], 'an oversized chunk is passed through, not copied');
  });

  it('skips empty chunks and returns nothing for nothing', () => {
    assert.deepEqual(coalesce([]), []);
    assert.deepEqual(coalesce([new Uint8Array(0)]), []);
    const one = bytes(5, 0);
    assert.deepEqual(coalesce([new Uint8Array(0), one]), [one]);
  });
});
