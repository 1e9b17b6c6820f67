import assert from 'node:assert/strict';
import { TraceDecoder } from '../trace/decoder';
import { encodeTrace } from '../trace/encoder';
import type { TraceEvent } from '../trace/events';
import { TraceModel } from '../trace/model';
import type { TraceHeader } from '../trace/model-types';
import { CoarseScanner, coarseScan, fitResolution } from './coarse-scan';
import { COLOR_KEYS, defaultLayoutOptions, layoutTrace, type FlameLayout, type LayoutOptions } from './flame-layout';

/** An event without its time, for each kind of event (Omit over the union would keep only the shared fields). */
type Untimed<E> = E extends unknown ? Omit<E, 'time'> : never;

const header: TraceHeader = { formatVersion: 1, clockOriginUnixMs: 0, program: 'c.ts', root: '/w', runtimeVersion: '0', nodeVersion: 'v20', pid: 1 };

/**
 * Every kind of box: nested awaits, a renamed task, a contended lock, a semaphore of
 * two with overlapping holds, a queue with levels and a blocked put, an abandoned
 * wait, tasks ending ok, with an error and cancelled, and a task whose run and await
 * are still open at the end.
 */
function events(): TraceEvent[] {
  const ev: TraceEvent[] = [{ type: 'sitesRegistered', time: 0, base: 1, sites: ['src/c.ts:1:1', 'src/c.ts:2:1', 'src/c.ts:3:1'] }];
  const at = (time: number, e: Untimed<TraceEvent>) => ev.push({ ...e, time } as TraceEvent);
  at(0, { type: 'taskCreated', taskId: 1, parentId: 0, name: 'main', site: 1 });
  at(0, { type: 'resourceCreated', resourceId: 50, kind: 'lock', name: 'db', site: 1, capacity: 1 });
  at(0, { type: 'resourceCreated', resourceId: 51, kind: 'semaphore', name: 'pool', site: 1, capacity: 2 });
  at(0, { type: 'resourceCreated', resourceId: 52, kind: 'queue', name: 'jobs', site: 1, capacity: 0 });
  at(0, { type: 'resourceCreated', resourceId: 53, kind: 'event', name: 'ready', site: 1, capacity: 0 });
  at(0, { type: 'taskRunBegin', taskId: 1 });
  for (let k = 0; k < 4; k++) at(0.1, { type: 'taskCreated', taskId: 10 + k, parentId: 1, name: `w${k}`, site: 2 });
  at(0.1, { type: 'taskCreated', taskId: 20, parentId: 10, name: 'grandchild', site: 2 });
  at(0.2, { type: 'taskRenamed', taskId: 13, name: 'renamed' });
  at(0.5, { type: 'awaitBegin', taskId: 1, kind: 'gather', targetId: 0, site: 1 });
  at(0.5, { type: 'taskRunEnd', taskId: 1 });
  let t = 1;
  for (let round = 0; round < 30; round++) {
    for (let k = 0; k < 4; k++) {
      const id = 10 + k;
      at(t += 0.1, { type: 'taskRunBegin', taskId: id });
      if ((round + k) % 3 === 0) {
        at(t += 0.05, { type: 'resourceWaitBegin', resourceId: 50, taskId: id, site: 3 });
        at(t += 0.3, { type: 'resourceAcquired', resourceId: 50, taskId: id, site: 3 });
        at(t += 0.2, { type: 'resourceReleased', resourceId: 50, taskId: id, site: 3 });
      }
      at(t += 0.05, { type: 'resourceAcquired', resourceId: 51, taskId: id, site: 3 });
      if (k % 2) at(t += 0.05, { type: 'resourceReleased', resourceId: 51, taskId: id, site: 3 });
      at(t += 0.02, { type: 'resourceLevel', resourceId: 52, level: (round * 4 + k) % 5 });
      if (k === 3 && round % 4 === 0) {
        at(t += 0.01, { type: 'resourceWaitBegin', resourceId: 52, taskId: id, site: 3 });
        at(t += 0.4, { type: 'resourceSignal', resourceId: 52, taskId: id, signal: 'put', site: 3 });
      }
      if (k === 2 && round % 5 === 0) {
        at(t += 0.01, { type: 'resourceWaitBegin', resourceId: 51, taskId: id, site: 3 });
        at(t += 0.1, { type: 'resourceWaitAbandoned', resourceId: 51, taskId: id, outcome: 'cancelled' });
      }
      // An outer await, then one nested in the call it awaits.
      at(t += 0.02, { type: 'awaitBegin', taskId: id, kind: 'promise', targetId: 0, site: 2 });
      at(t += 0.01, { type: 'awaitBegin', taskId: id, kind: k % 2 ? 'sleep' : 'queue', targetId: 52, site: 3 });
      at(t += 0.01, { type: 'taskRunEnd', taskId: id });
      if (k % 2 === 0) at(t += 0.01, { type: 'resourceReleased', resourceId: 51, taskId: id, site: 3 });
    }
    for (let k = 0; k < 4; k++) {
      const id = 10 + k;
      at(t += 0.2, { type: 'awaitEnd', taskId: id, targetId: 52, outcome: 'ok' });
      at(t += 0.01, { type: 'awaitEnd', taskId: id, targetId: 0, outcome: 'ok' });
    }
  }
  // w0 ends ok, w1 fails, w2 is cancelled: the last two get end markers.
  at(t += 0.1, { type: 'taskDone', taskId: 10, outcome: 'ok', message: '' });
  at(t += 0.1, { type: 'taskDone', taskId: 11, outcome: 'error', message: 'boom' });
  at(t += 0.1, { type: 'taskDone', taskId: 12, outcome: 'cancelled', message: '' });
  // Task 13 is still running, and the grandchild is awaiting, when the trace ends.
  at(t += 0.1, { type: 'taskRunBegin', taskId: 20 });
  at(t += 0.1, { type: 'awaitBegin', taskId: 20, kind: 'event', targetId: 53, site: 1 });
  at(t += 0.1, { type: 'taskRunEnd', taskId: 20 });
  at(t += 0.1, { type: 'taskRunBegin', taskId: 13 });
  return ev;
}

/** The picture of a layout: per lane and track, every box as text. */
function picture(layout: FlameLayout, level: (lod: FlameLayout['lanes'][0]['tracks'][0]['lods']) => FlameLayout['lanes'][0]['tracks'][0]['lods'][0]): unknown {
  return layout.lanes.map((l) => ({
    id: l.id, label: l.label, indent: l.indent, y: l.y, height: l.height, end: l.end && `${l.end.time.toFixed(6)} ${l.end.outcome}`,
    tracks: l.tracks.map((tr) => {
      const lod = level(tr.lods);
      return { y: tr.y, faint: tr.faint, boxes: Array.from(lod.begins, (b, i) => `${b.toFixed(6)}..${lod.ends[i].toFixed(6)} ${COLOR_KEYS[lod.colors[i]]}${lod.fill ? ` fill=${lod.fill[i].toFixed(3)}` : ''}`) };
    }),
  }));
}

function both(opts: LayoutOptions, pixels: number) {
  const bytes = encodeTrace(header, events(), 64);
  const decoder = new TraceDecoder();
  decoder.push(bytes, 0);
  const scan = coarseScan(decoder.buffered, opts, (span) => span / pixels)!;
  const model = new TraceModel();
  const d2 = new TraceDecoder();
  const all = d2.push(bytes);
  model.setHeader(d2.header!);
  model.apply(all);
  return { scan, full: layoutTrace(model, opts), model };
}

describe('coarse scan (first picture straight from the bytes)', () => {
  it('at a fine resolution draws exactly the full layout: lanes, rows, boxes, colours, queue length', () => {
    const { scan, full, model } = both(defaultLayoutOptions, 1e9);
    assert.equal(scan.events, model.eventCount);
    assert.equal(scan.layout.provisional, true);
    assert.equal(scan.layout.startTime, full.startTime);
    assert.equal(scan.layout.endTime, full.endTime);
    assert.equal(scan.layout.height, full.height);
    assert.deepEqual(picture(scan.layout, (l) => l[0]), picture(full, (l) => l[0]));
    assert.ok(scan.layout.lanes.every((l) => l.tracks.every((tr) => tr.refs.length === 0)), 'no refs: nothing to select yet');
    assert.deepEqual(scan.layout.lanes.filter((l) => l.end).map((l) => `${l.label} ${l.end!.outcome}`), ['w1 error', 'w2 cancelled'], 'end markers from the first frame');
  });

  it('follows the name filter and hidden await kinds like the full layout', () => {
    const opts = { ...defaultLayoutOptions, nameFilter: 'W', hiddenKinds: new Set(['sleep'] as const) };
    const { scan, full } = both(opts, 1e9);
    assert.deepEqual(picture(scan.layout, (l) => l[0]), picture(full, (l) => l[0]));
  });

  it('at a coarse resolution merges neighbours but covers every box of the full layout', () => {
    const { scan, full } = both(defaultLayoutOptions, 64);
    const R = (full.endTime - full.startTime) / 64;
    scan.layout.lanes.forEach((lane, li) => lane.tracks.forEach((tr, ti) => {
      const c = tr.lods[0], raw = full.lanes[li].tracks[ti].lods[0];
      assert.equal(c.resolution, R);
      assert.ok(c.begins.length <= raw.begins.length);
      for (let i = 1; i < c.begins.length; i++) assert.ok(c.begins[i] >= c.ends[i - 1], 'sorted and disjoint');
      for (let i = 0; i < raw.begins.length; i++) {
        const j = c.begins.findIndex((b, k) => b <= raw.begins[i] && c.ends[k] >= raw.ends[i]);
        assert.ok(j >= 0, `${lane.id} track ${ti}: box ${i} covered`);
        if (c.fill) assert.ok(c.fill[j] >= raw.fill![i] - 1e-6, 'a merged queue-length step shows the peak');
      }
    }));
  });

  it('in steps: each picture is the full layout of the records read so far, and the last one is the whole scan', () => {
    const bytes = encodeTrace(header, events(), 16);
    const decoder = new TraceDecoder();
    decoder.push(bytes, 0);
    const all = new TraceDecoder().push(bytes);
    const scanner = CoarseScanner.open(decoder.buffered, defaultLayoutOptions, (span) => span / 1e9)!;
    let pictures = 0;
    while (!scanner.step(0)) {
      const partial = scanner.picture();
      const model = new TraceModel();
      model.setHeader(decoder.header!);
      model.apply(all.slice(0, partial.events));
      assert.equal(partial.layout.endTime, scanner.endTime, 'the whole time range from the first picture');
      assert.deepEqual(picture(partial.layout, (l) => l[0]), picture(layoutTrace(model, defaultLayoutOptions), (l) => l[0]), `after ${partial.events} records`);
      pictures++;
    }
    assert.ok(pictures > 3);
    const whole = coarseScan(decoder.buffered, defaultLayoutOptions, (span) => span / 1e9)!;
    assert.deepEqual(picture(scanner.picture().layout, (l) => l[0]), picture(whole.layout, (l) => l[0]));
    assert.equal(scanner.picture().events, whole.events);
  });

  it('stops at the last whole batch and at a bad batch tag', () => {
    const bytes = encodeTrace(header, events(), 64);
    const decoder = new TraceDecoder();
    decoder.push(bytes, 0);
    const body = decoder.buffered;
    const cut = coarseScan(body.subarray(0, body.length - 10), defaultLayoutOptions, fitResolution(1000))!;
    const whole = coarseScan(body, defaultLayoutOptions, fitResolution(1000))!;
    assert.ok(cut.events < whole.events && cut.events > 0);
    const bad = body.slice();
    bad[0] ^= 0xff;
    assert.equal(coarseScan(bad, defaultLayoutOptions, fitResolution(1000)), undefined);
  });
});
