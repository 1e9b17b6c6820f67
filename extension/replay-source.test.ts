import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileReplay, MemoryReplay, type Replay } from './replay-source';

const bytes = (n: number, from: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (from * 7 + i * 13) % 251);
const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.byteLength; }
  return out;
};
const pieces = (r: Replay): Uint8Array[] => {
  assert.ok(r.ok, r.ok ? '' : r.why);
  return Array.from({ length: r.pieces }, (_, i) => {
    const p = r.read(i);
    assert.ok(p instanceof Uint8Array, p instanceof Uint8Array ? '' : p.why);
    return p;
  });
};
/** Why the replay was refused: before it began, or at the piece that found the file changed. */
const why = (r: Replay): string => {
  if (!r.ok) return r.why;
  for (let i = 0; i < r.pieces; i++) {
    const p = r.read(i);
    if (!(p instanceof Uint8Array)) return p.why;
  }
  return assert.fail('the replay was not refused');
};

describe('replaying the current trace to a reloaded webview', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-replay-'));
    file = path.join(dir, 'run.atrace');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A live recording: each batch written to the file, then posted (recorder.ts order). */
  function record(r: FileReplay, batches: readonly Uint8Array[]): Uint8Array {
    for (const b of batches) {
      appendFileSync(file, b);
      r.sent(b);
    }
    return concat(batches);
  }

  it('reads back exactly the bytes posted, not what the file gained since', () => {
    const r = new FileReplay(file);
    const shown = record(r, Array.from({ length: 40 }, (_, i) => bytes(1000 + i, i)));
    appendFileSync(file, bytes(5000, 99)); // written, not yet posted
    const out = pieces(r.replay());
    assert.equal(out.length, 1, 'a trace under the piece size goes out as one message');
    assert.deepEqual(out[0], shown);
    assert.equal(r.bytes, shown.byteLength);
  });

  it('splits a trace over the piece size, bytes in order', () => {
    const r = new FileReplay(file);
    const shown = record(r, Array.from({ length: 9 }, (_, i) => bytes(3000, i)));
    const out = pieces(r.replay(10_000));
    assert.deepEqual(out.map((p) => p.byteLength), [10_000, 10_000, 7000]);
    assert.deepEqual(concat(out), shown);
  });

  it('checks the last bytes across small pieces too', () => {
    const r = new FileReplay(file);
    const shown = record(r, [bytes(9000, 1), bytes(20, 2)]);
    assert.deepEqual(concat(pieces(r.replay(100))), shown);
  });

  it('replays nothing before the first byte, and does not need the file for it', () => {
    assert.deepEqual(pieces(new FileReplay(path.join(dir, 'never-written.atrace')).replay()), []);
  });

  it('says the file was moved, and keeps it, when it is gone', () => {
    const r = new FileReplay(file);
    record(r, [bytes(100, 1)]);
    renameSync(file, path.join(dir, 'moved.atrace'));
    assert.match(why(r.replay()), /run\.atrace was moved or deleted/);
  });

  it('refuses a file shorter than what was shown', () => {
    const r = new FileReplay(file);
    record(r, [bytes(6000, 1), bytes(6000, 2)]);
    truncateSync(file, 7000);
    assert.match(why(r.replay()), /holds 7000 bytes, fewer than the 12000 shown/);
  });

  it('refuses a file replaced by another of the same size or longer', () => {
    const r = new FileReplay(file);
    const shown = record(r, [bytes(6000, 1), bytes(6000, 2)]);
    const other = shown.slice();
    other[other.length - 1] ^= 1; // the last byte shown differs
    writeFileSync(file, concat([other, bytes(50, 3)]));
    assert.match(why(r.replay()), /was changed/);
    const head = shown.slice();
    head[0] ^= 1;
    writeFileSync(file, head);
    assert.match(why(r.replay()), /was changed/);
  });

  it('reads each piece only when asked, and refuses the piece that finds the file changed meanwhile', () => {
    const r = new FileReplay(file);
    const shown = record(r, Array.from({ length: 6 }, (_, i) => bytes(5000, i)));
    const plan = r.replay(10_000);
    assert.ok(plan.ok);
    assert.equal(plan.pieces, 3);
    assert.deepEqual(plan.read(0), shown.subarray(0, 10_000));
    const other = shown.slice();
    other[other.length - 1] ^= 1;
    writeFileSync(file, other);
    assert.deepEqual(plan.read(1), shown.subarray(10_000, 20_000), 'a piece outside the kept bytes is not judged');
    const last = plan.read(2);
    assert.ok(!(last instanceof Uint8Array) && /was changed/.test(last.why));
  });

  it('keeps the chunks of a trace without a file, joined on the first replay', () => {
    const m = new MemoryReplay();
    const chunks = Array.from({ length: 30 }, (_, i) => bytes(50, i));
    for (const c of chunks) m.sent(c);
    m.sent(new Uint8Array(0));
    const out = pieces(m.replay());
    assert.equal(out.length, 1);
    assert.deepEqual(out[0], concat(chunks));
    assert.deepEqual(pieces(m.replay()), out, 'a second replay sends the same');
  });
});
