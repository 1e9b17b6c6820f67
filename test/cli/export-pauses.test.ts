// Debugger pauses in the Chrome and speedscope exports (issue 15): a trace with two
// `debuggerPaused` records shows them on a "debugger" track (Chrome: a slice per pause and
// a global instant at its begin) and as a "debugger pauses" profile (speedscope); a trace
// without pauses gains neither.
import assert from 'node:assert/strict';
import { HEADER, lockEvents } from './fixture-trace';
import type { TraceEvent } from '../../trace/events';
import { chromeTraceJson, toChromeTrace } from '../../trace/export-chrome';
import { speedscopeJson, toSpeedscope } from '../../trace/export-speedscope';
import { TraceModel } from '../../trace/model';

function modelOf(events: TraceEvent[]): TraceModel {
  const m = new TraceModel();
  m.setHeader(HEADER);
  m.apply(events);
  return m;
}

/** The lock fixture with a 40 ms pause ending at 60 (written at 70) and a 20 ms one ending at 250. */
function pausedEvents(): TraceEvent[] {
  const ev = lockEvents();
  const at = (t: number) => { let i = ev.findIndex((e) => e.time > t); if (i < 0) i = ev.length; return i; };
  ev.splice(at(70), 0, { type: 'debuggerPaused', time: 70, endedBeforeUs: 10_000, durationMs: 40 });
  ev.splice(at(250), 0, { type: 'debuggerPaused', time: 250, endedBeforeUs: 0, durationMs: 20 });
  return ev;
}

describe('exports: debugger pauses', () => {
  it('Chrome: a "debugger" thread with one slice per pause, and a global instant at each begin', () => {
    const doc = toChromeTrace(modelOf(pausedEvents()));
    const thread = doc.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && (e.args as { name?: string }).name === 'debugger');
    assert.ok(thread, 'a debugger thread');
    const slices = doc.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'debugger');
    assert.deepEqual(slices.map((e) => [e.name, e.ts, e.dur, e.tid]), [
      ['paused in debugger 40 ms', 20_000, 40_000, thread.tid],
      ['paused in debugger 20 ms', 230_000, 20_000, thread.tid],
    ]);
    const instants = doc.traceEvents.filter((e) => e.ph === 'i');
    assert.deepEqual(instants.map((e) => [e.name, e.s, e.ts]), [['debugger paused', 'g', 20_000], ['debugger paused', 'g', 230_000]]);
    assert.equal((slices[0]!.args as { durationMs: number }).durationMs, 40);
    // The streamed file says the same.
    assert.deepEqual(JSON.parse([...chromeTraceJson(modelOf(pausedEvents()))].join('')), doc);
  });

  it('speedscope: a "debugger pauses" profile after the tasks, one frame open per pause', () => {
    const m = modelOf(pausedEvents());
    const doc = toSpeedscope(m);
    assert.equal(doc.profiles.length, m.tasks.length + 1);
    const p = doc.profiles[doc.profiles.length - 1]!;
    assert.equal(p.name, 'debugger pauses');
    const frame = doc.shared.frames.findIndex((f) => f.name === 'debugger paused');
    assert.ok(frame >= 0);
    assert.deepEqual(p.events, [
      { type: 'O', frame, at: 20 }, { type: 'C', frame, at: 60 },
      { type: 'O', frame, at: 230 }, { type: 'C', frame, at: 250 },
    ]);
    assert.equal(p.startValue, m.startTime);
    assert.ok(p.endValue >= 250);
    assert.deepEqual(JSON.parse([...speedscopeJson(m)].join('')), doc);
  });

  it('adds nothing to a trace without pauses', () => {
    const m = modelOf(lockEvents());
    assert.equal(toChromeTrace(m).traceEvents.filter((e) => e.cat === 'debugger' || e.ph === 'i').length, 0);
    assert.ok(!toSpeedscope(m).profiles.some((p) => p.name === 'debugger pauses'));
  });
});
