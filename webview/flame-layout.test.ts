import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  COLOR_KEYS, END_MARK_RADIUS, defaultLayoutOptions, hitEndMark, hitTest, laneById, layoutTrace, locate, refKey, type FlameLayout,
} from './flame-layout';
import { buildLods, pickLod, visibleRange, type Lod } from './levels-of-detail';
import { TimeScale } from './time-scale';
import { sampleTrace, syntheticTrace } from './test-fixtures';

const golden = path.join(__dirname, 'flame-layout.golden.json');

/** The layout as plain JSON: lanes, tracks and raw boxes with colour names and refs. */
function snapshot(layout: FlameLayout): unknown {
  return {
    height: layout.height,
    lanes: layout.lanes.map((l) => ({
      id: l.id, label: l.label, indent: l.indent, y: l.y, height: l.height,
      ...(l.end ? { end: `${l.end.time} ${l.end.outcome}` } : {}),
      tracks: l.tracks.map((t) => ({
        y: t.y, faint: t.faint,
        boxes: t.refs.map((r, i) => `${t.lods[0].begins[i]}..${t.lods[0].ends[i]} ${COLOR_KEYS[t.lods[0].colors[i]]} ${refKey(r)}${t.fill ? ` fill=${Math.round(t.fill[i] * 100) / 100}` : ''}`),
      })),
    })),
  };
}

describe('flame layout', () => {
  it('matches the golden layout of the sample trace', () => {
    const actual = snapshot(layoutTrace(sampleTrace()));
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, JSON.stringify(actual, null, 1) + '\n');
    assert.deepEqual(actual, JSON.parse(readFileSync(golden, 'utf8')));
  });

  it('orders task lanes depth-first by spawn tree, then resource lanes', () => {
    const layout = layoutTrace(sampleTrace());
    assert.deepEqual(layout.lanes.map((l) => `${l.indent}:${l.label}`),
      ['0:main', '1:consumer', '1:fetch-0', '1:fetch-1', '1:fetch-2', '0:lock cache lock', '0:queue results']);
  });

  it('nests awaits by depth below the running row', () => {
    const fetch0 = layoutTrace(sampleTrace()).lanes.find((l) => l.label === 'fetch-0')!;
    const kindsAt = (y: number) => fetch0.tracks.filter((t) => t.y === y).flatMap((t) => t.refs.map((r) => r.kind));
    assert.deepEqual(kindsAt(fetch0.y), ['task', 'run', 'run', 'run', 'run', 'run']);
    assert.equal(fetch0.height, 3 * defaultLayoutOptions.rowHeight);
  });

  it('filters task lanes by name and hides await kinds', () => {
    const layout = layoutTrace(sampleTrace(), { ...defaultLayoutOptions, nameFilter: 'FETCH-1', hiddenKinds: new Set(['sleep']) });
    const tasks = layout.lanes.filter((l) => l.kind === 'task');
    assert.deepEqual(tasks.map((l) => l.label), ['fetch-1']);
    assert.ok(tasks[0].tracks.every((t) => t.refs.every((r) => r.kind !== 'await' || sampleTrace().task(3)!.awaits.kind(r.index) !== 'sleep')));
  });

  it('hit-tests the innermost box under a point and prefers runs over the task lifetime', () => {
    const layout = layoutTrace(sampleTrace());
    const fetch0 = layout.lanes.find((l) => l.label === 'fetch-0')!;
    const h = defaultLayoutOptions.rowHeight;
    assert.deepEqual(hitTest(layout, 10, fetch0.y + 2.5 * h, 0), { kind: 'await', taskId: 2, index: 0 });
    assert.deepEqual(hitTest(layout, 2.5, fetch0.y + 1, 0), { kind: 'run', taskId: 2, index: 0 });
    assert.deepEqual(hitTest(layout, 10, fetch0.y + 1, 0), { kind: 'task', taskId: 2 });
    assert.equal(hitTest(layout, 10, layout.height + 100, 0), undefined);
  });

  it('marks the end of a task that failed or was cancelled, and of no other', () => {
    const m = sampleTrace();
    // A task still running at the end of the trace gets no marker, whatever its outcome field says.
    m.addTask(6, 1, 'straggler', 50, undefined, 30);
    m.task(6)!.outcome = 'cancelled';
    const layout = layoutTrace(m);
    const ends = Object.fromEntries(layout.lanes.filter((l) => l.kind === 'task').map((l) => [l.label, l.end ? `${l.end.time} ${l.end.outcome}` : '-']));
    assert.deepEqual(ends, { main: '-', consumer: '96 cancelled', 'fetch-0': '-', 'fetch-1': '70 error', 'fetch-2': '-', straggler: '-' });
  });

  it('hit-tests an end marker within its badge, in the lane\'s first row, before the box under it', () => {
    const layout = layoutTrace(sampleTrace());
    const fetch1 = layout.lanes.find((l) => l.label === 'fetch-1')!;
    const msPerPx = 0.1;
    const y = fetch1.y + defaultLayoutOptions.rowHeight / 2;
    assert.deepEqual(hitEndMark(layout, 70, y, msPerPx), { kind: 'end', taskId: 3 });
    assert.deepEqual(hitEndMark(layout, 70 - END_MARK_RADIUS * msPerPx, y, msPerPx), { kind: 'end', taskId: 3 });
    assert.equal(hitEndMark(layout, 70 - (END_MARK_RADIUS + 2) * msPerPx, y, msPerPx), undefined, 'left of the badge: the last run');
    assert.equal(hitEndMark(layout, 70, fetch1.y + 1.5 * defaultLayoutOptions.rowHeight, msPerPx), undefined, 'an await row below');
    const fetch0 = layout.lanes.find((l) => l.label === 'fetch-0')!;
    assert.equal(hitEndMark(layout, 60, fetch0.y + 2, msPerPx), undefined, 'fetch-0 ended ok');
    assert.equal(refKey({ kind: 'end', taskId: 3 }), 'end:3');
    assert.equal(locate(layout, { kind: 'end', taskId: 3 })?.track.refs[0].kind, 'task', 'a marker locates to its task\'s lifetime');
  });

  it('locates a ref back to its track', () => {
    const layout = layoutTrace(sampleTrace());
    const where = locate(layout, { kind: 'hold', resourceId: 100, index: 1 })!;
    assert.equal(where.lane.label, 'lock cache lock');
    assert.equal(where.track.lods[0].begins[where.index], 32);
  });

  it('merges sub-resolution neighbours in coarser levels without losing coverage', () => {
    const n = 10_000;
    const raw: Lod = { resolution: 0, begins: new Float64Array(n), ends: new Float64Array(n), colors: new Uint8Array(n) };
    // Bursts of ten 0.1 ms boxes, bursts 10 ms apart and every 10th burst 1 s apart.
    let t = 0;
    for (let i = 0; i < n; i++) {
      raw.begins[i] = t; raw.ends[i] = t + 0.1; raw.colors[i] = i % 3;
      t += i % 100 === 99 ? 1000 : i % 10 === 9 ? 10 : 0.2;
    }
    const lods = buildLods(raw);
    assert.ok(lods.length >= 3, `${lods.length} levels`);
    for (let k = 1; k < lods.length; k++) {
      const l = lods[k];
      assert.ok(l.begins.length < lods[k - 1].begins.length);
      assert.equal(l.begins[0], 0);
      assert.equal(l.ends[l.ends.length - 1], raw.ends[n - 1]);
      for (let i = 1; i < l.begins.length; i++) assert.ok(l.begins[i] >= l.ends[i - 1], 'boxes stay sorted and disjoint');
      const coveredTotal = l.covered!.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(coveredTotal - n * 0.1) < 1e-6, 'covered time is conserved across levels');
      for (let i = 0; i < l.begins.length; i++) assert.ok(l.covered![i] <= l.ends[i] - l.begins[i] + 1e-9);
      for (let i = 0; i < n; i += 37) {
        const [lo, hi] = visibleRange(l, raw.begins[i], raw.ends[i]);
        assert.ok(hi > lo && l.begins[lo] <= raw.begins[i] && l.ends[lo] >= raw.ends[i], 'every raw box is covered');
      }
    }
    const scale = TimeScale.fit(0, raw.ends[n - 1], 800);
    const chosen = pickLod({ lods }, scale.msPerPx);
    assert.ok(chosen.resolution <= scale.msPerPx && chosen.begins.length <= 2 * 800, `${chosen.begins.length} boxes for 800 px`);
  });

  it('gives a busy queue-length track levels of detail that keep each step\'s peak', () => {
    const m = sampleTrace();
    const levels = m.resource(101)!.levels;
    levels.length = 0;
    // A queue whose length changes every 10 µs for 1 s, with a spike to 50 once.
    for (let i = 0; i < 100_000; i++) levels.push({ time: i * 0.01, level: i === 54_321 ? 50 : 1 + (i % 7) });
    const layout = layoutTrace(m);
    const lane = layout.lanes.find((l) => l.id === 'r101')!;
    const track = lane.tracks[lane.tracks.length - 1];
    assert.ok(track.fill && track.lods.length > 2, `${track.lods.length} levels`);
    for (const lod of track.lods) {
      assert.equal(lod.fill!.length, lod.begins.length);
      assert.ok(Math.abs(Math.max(...lod.fill!) - 1) < 1e-6, 'the spike (the largest level) survives every level of detail');
    }
    const scale = TimeScale.fit(0, 1000, 800);
    assert.ok(pickLod(track, scale.msPerPx).begins.length <= 2 * 800);
  });

  it('finds the visible range with binary search', () => {
    const raw: Lod = { resolution: 0, begins: Float64Array.from([0, 10, 20, 30]), ends: Float64Array.from([5, 15, 25, 35]), colors: new Uint8Array(4) };
    assert.deepEqual(visibleRange(raw, 12, 22), [1, 3]);
    assert.deepEqual(visibleRange(raw, 16, 19), [2, 2]);
    assert.deepEqual(visibleRange(raw, -5, 100), [0, 4]);
  });

  it('builds a task lane\'s tracks when first asked for, and builds them again the same after letting them go', async () => {
    const model = syntheticTrace(20_000, 40);
    const eager = snapshot(layoutTrace(model));
    // No budget: after the frame (a task later), every lane not in use this very moment gives its tracks up.
    const layout = layoutTrace(model, defaultLayoutOptions, { boxes: 0, inUseMs: -1 });
    const afterFrame = () => new Promise((r) => setTimeout(r, 0));
    const tasks = layout.lanes.filter((l) => l.kind === 'task');
    const first = tasks[1].tracks;
    void tasks[2].tracks;
    assert.equal(tasks[1].tracks, first, 'kept until the frame is over');
    await afterFrame();
    assert.notEqual(tasks[1].tracks, first, 'let go of, then built again');
    assert.deepEqual(tasks[1].tracks.map((t) => Array.from(t.lods[0].begins)), first.map((t) => Array.from(t.lods[0].begins)));
    assert.deepEqual(snapshot(layout), eager, 'the same layout as with every lane kept');
    // Heights come before the tracks: each lane is as high as the rows its tracks take.
    for (const l of tasks) assert.equal(l.height, new Set(l.tracks.map((t) => t.y)).size * defaultLayoutOptions.rowHeight, l.label);
    // In use (within inUseMs): kept whatever the budget.
    const busy = layoutTrace(model, defaultLayoutOptions, { boxes: 0, inUseMs: 60_000 });
    const kept = busy.lanes[1].tracks;
    void busy.lanes[2].tracks;
    await afterFrame();
    assert.equal(busy.lanes[1].tracks, kept);
  });

  it('builds a lane\'s tracks as the model was when it was laid out, though the model grew since (live, loading)', () => {
    const model = sampleTrace();
    const before = snapshot(layoutTrace(model));
    const layout = layoutTrace(model);
    const end = model.endTime;
    const fetch0 = model.tasks.find((t) => t.name === 'fetch-0')!;
    fetch0.runs.items.push({ begin: end + 1, end: end + 2 });
    fetch0.awaits.items.push({ taskId: fetch0.id, kind: 'sleep', targetId: 0, site: undefined, depth: 4, begin: end + 2, end: end + 3, outcome: 'ok', wake: undefined });
    model.endTime = end + 10;
    assert.deepEqual(snapshot(layout), before);
  });

  it('finds lanes by id without a search', () => {
    const layout = layoutTrace(sampleTrace());
    assert.equal(laneById(layout, 't2')?.label, 'fetch-0');
    assert.equal(laneById(layout, 'r101')?.kind, 'resource');
    assert.equal(laneById(layout, 't999'), undefined);
  });

  it('lays out a large synthetic trace with levels of detail on every busy track', () => {
    const layout = layoutTrace(syntheticTrace(200_000, 50));
    const busy = layout.lanes.filter((l) => l.kind === 'task').flatMap((l) => l.tracks).filter((t) => t.refs.length >= 500);
    assert.ok(busy.length >= 50);
    assert.ok(busy.every((t) => t.lods.length > 1));
  });
});
