// The tracer's side of debugger pauses (issue 15), on the real runtime: what a debugger
// evaluates in the program (globalThis[Symbol.for('async-trace.debuggerPaused')]) notes the
// begin on the program's own clock and, at the end, writes a debuggerPaused record; a task
// step that was stopped in the debugger is not reported as a blocked loop for the pause;
// the lock wait that spans the pause counts only program time. A "pause" here is the
// thread held by a spin between the two calls, which is what a debugger stop looks like
// to the program's clock.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeTrace } from '../../trace/decoder';
import { readTraceModel } from '../../trace/feed';
import { Lock, createTask, run, sleep, startTracing, stopTracing, tracingStatus } from '../../runtime/internal';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-paused-')); });
afterEach(async () => { await stopTracing(); rmSync(dir, { recursive: true, force: true }); });

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* spin */ }
}

type PauseFn = (phase: string, atUnixMs?: number) => number;
const debuggerPaused = (): PauseFn | undefined => (globalThis as Record<symbol, unknown>)[Symbol.for('async-trace.debuggerPaused')] as PauseFn | undefined;

/** What the extension does around a stop: begin while stopped, end once it runs again. */
function pauseHere(ms: number): { begin: number; length: number } {
  const f = debuggerPaused()!;
  const begin = f('begin');
  busy(ms);
  return { begin, length: f('end') };
}

describe('tracer: debugger pauses', () => {
  it('is there only while tracing, and answers -1 for an unknown phase', async () => {
    assert.equal(debuggerPaused(), undefined);
    startTracing({ target: path.join(dir, 'a.atrace') });
    assert.equal(debuggerPaused()!('what'), -1);
    assert.equal(debuggerPaused()!('end'), 0); // no pause open
    await stopTracing();
    assert.equal(debuggerPaused(), undefined);
  });

  it('records the pause inside a lock hold, and the waiter waited only the program time', async () => {
    const file = path.join(dir, 't.atrace');
    startTracing({ target: file, blockedMs: 50 });
    let answered: { begin: number; length: number } | undefined;
    await run(async () => {
      const lock = new Lock();
      await lock.acquire();
      const waiter = createTask(async () => { await lock.acquire(); lock.release(); }, { name: 'waiter' });
      await sleep(5);
      answered = pauseHere(400);
      await sleep(20);
      lock.release();
      await waiter;
    });
    await stopTracing();
    const events = decodeTrace(readFileSync(file)).events;
    const recs = events.filter((e) => e.type === 'debuggerPaused');
    assert.equal(recs.length, 1);
    const rec = recs[0]!;
    assert.ok(rec.type === 'debuggerPaused' && rec.durationMs >= 400 && rec.durationMs < 1000, JSON.stringify(rec));
    assert.ok(Math.abs(rec.durationMs - answered!.length) < 1e-6);
    // No blocked loop for the stopped step.
    assert.deepEqual(events.filter((e) => e.type === 'loopBlocked'), []);
    const { model } = readTraceModel(readFileSync(file));
    assert.equal(model.pauses.length, 1);
    // The begin the program noted, to the microsecond the record stores the end's lag in.
    assert.ok(Math.abs(model.pauses[0]!.begin - answered!.begin) < 1e-3);
    const lock = model.contention().find((r) => r.kind === 'lock')!;
    assert.ok(lock.totalWaitMs < 100, `${lock.totalWaitMs}`);
    assert.ok(lock.totalWaitMs >= 20, `${lock.totalWaitMs}`);
  });

  it("moves the begin and the end to the debugger's own readings, inside what the program knows", async () => {
    const file = path.join(dir, 'c.atrace');
    startTracing({ target: file });
    const origin = tracingStatus()!.header.clockOriginUnixMs;
    const unix = (trace: number): number => origin + trace;
    const f = debuggerPaused()!;
    let first!: { begin: number; length: number; noted: number };
    await run(async () => {
      await sleep(5);
      busy(60); // no event for 60 ms: the program ran up to its last event, then "stopped"
      const noted = performance.now() - (origin - performance.timeOrigin);
      // The debugger saw the stop 40 ms before the program heard of it.
      const begin = f('begin', unix(noted - 40));
      busy(100);
      const resumedAt = performance.now() - (origin - performance.timeOrigin);
      busy(30); // the program heard of the resume 30 ms late
      first = { begin, length: f('end', unix(resumedAt)), noted };
      await sleep(5);
    });
    assert.ok(Math.abs(first.begin - (first.noted - 40)) < 1, `begin ${first.begin} vs ${first.noted - 40}`);
    // 100 ms stopped, plus 40 before it was heard of; the late 30 are program time.
    assert.ok(first.length >= 139 && first.length < 139 + 30, `${first.length}`);
    await stopTracing();
    const { model } = readTraceModel(readFileSync(file));
    assert.equal(model.pauses.length, 1);
    assert.ok(Math.abs(model.pauses[0]!.begin - first.begin) < 1e-3);
    assert.ok(Math.abs(model.pauses[0]!.end - model.pauses[0]!.begin - first.length) < 1e-3);
  });

  it('never puts the begin before the last event, and ignores a clock that disagrees by seconds', async () => {
    startTracing({ target: path.join(dir, 'd.atrace') });
    const origin = tracingStatus()!.header.clockOriginUnixMs;
    const f = debuggerPaused()!;
    await run(async () => {
      await sleep(5);
      const last = performance.now() - (origin - performance.timeOrigin);
      busy(20);
      // A stop "seen" 10 ms before the last event: the program ran until that event.
      const begin = f('begin', origin + last - 10);
      assert.ok(begin >= last - 0.5 && begin <= last + 20, `${begin} vs last event ~${last}`);
      f('end');
      await sleep(1);
      const now = performance.now() - (origin - performance.timeOrigin);
      // 10 s early: the clocks disagree, the program's own reading stands.
      const skewed = f('begin', origin + now - 10_000);
      assert.ok(skewed >= now, `${skewed} vs ${now}`);
      // An end "before" the begin is the begin: a pause of 0, not a negative one.
      assert.equal(f('end', origin + skewed - 5), 0);
    });
  });
});
