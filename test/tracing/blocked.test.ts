// loopBlocked from task run slices, on the real runtime: a slice that computes past the
// threshold is reported with at least that duration; a slice that stays open across an
// await the runtime does not see (a plain promise, with or without an await mark) is not
// reported for the time the loop was free; a block right after a marked await is.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeTrace } from '../../trace/decoder';
import { __asyncTraceMarks as awaitMarks, run, sleep, startTracing, stopTracing } from '../../runtime/internal';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-blocked-')); });
afterEach(async () => { await stopTracing(); rmSync(dir, { recursive: true, force: true }); });

/** Keeps the thread busy for `ms` (a blocked loop). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* spin */ }
}

const idle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function blockedDurations(body: () => Promise<void>, blockedMs: number): Promise<number[]> {
  const file = path.join(dir, 't.atrace');
  startTracing({ target: file, blockedMs });
  await run(body);
  await stopTracing();
  return decodeTrace(readFileSync(file)).events.flatMap((e) => (e.type === 'loopBlocked' ? [e.durationMs] : []));
}

describe('tracer: blocked loops from task slices', () => {
  it('reports a slice that computes past the threshold, with at least the time it computed', async () => {
    const d = await blockedDurations(async () => { await sleep(0); busy(80); await sleep(0); }, 30);
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.ok(d[0]! >= 80, `${d[0]}`);
  });

  it('does not report the wait on a plain promise the runtime does not see as a blocked loop', async () => {
    const d = await blockedDurations(async () => { await sleep(0); await idle(150); await sleep(0); }, 50);
    assert.deepEqual(d, []);
  });

  it('after a marked plain-promise await, counts the block from where the task resumed, not the wait', async () => {
    const m = awaitMarks;
    const d = await blockedDurations(async () => {
      await sleep(0);
      await m.aw(m.pre(0), idle(300));
      busy(80);
      await sleep(0);
    }, 30);
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.ok(d[0]! >= 80 && d[0]! < 300, `${d[0]}`);
  });
});
