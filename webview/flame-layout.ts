/**
 * Model → layout: turns a TraceModelView into lanes and tracks of boxes. Pure: no
 * DOM, no canvas, deterministic, so it is snapshot-tested (flame-layout.test.ts).
 *
 * Coordinate spaces: box x extents are `traceTime` (ms); vertical positions are
 * `layoutY` (CSS px from the top of the lane area, before scrolling). The renderer
 * maps traceTime through a TimeScale and subtracts the scroll offset; it never sees
 * tasks or resources, only tracks, colour indices and boxes.
 *
 * Invariants:
 * - Lanes: task lanes first, depth-first over the spawn tree, children in creation
 *   order (roots are tasks whose parent is 0 or unknown); then resource lanes in
 *   creation order.
 * - Within one track boxes never overlap and are sorted by begin, so both begins and
 *   ends are sorted: a visible range is two binary searches.
 * - `lods[k]` merges neighbours closer than `lods[k].resolution` ms; the renderer
 *   picks the coarsest level whose resolution is under one pixel, so per-frame work
 *   follows visible pixels rather than the number of spans.
 * - Open intervals (end undefined) are laid out to the model's `endTime`.
 * - A task lane whose task ended 'error' or 'cancelled' carries an end marker at its
 *   end time (`Lane.end`); 'ok' and still-running tasks carry none. One per lane, so
 *   drawing markers costs per visible lane, not per span.
 */
import type { AwaitKind, Interval, SpanList, TaskModel, TraceModelView, TraceTime } from '../trace/model-types';
import { laneIdOf, resourceLaneId, taskLaneId, type LaneId } from './lane-id';
import { buildLods, visibleRange, type Lod } from './levels-of-detail';

/** What a box stands for; indices point into the model's arrays, stable while the trace grows. */
export type SpanRef =
  | { kind: 'task'; taskId: number }
  | { kind: 'run'; taskId: number; index: number }
  | { kind: 'await'; taskId: number; index: number }
  | { kind: 'hold'; resourceId: number; index: number }
  | { kind: 'wait'; resourceId: number; index: number }
  | { kind: 'level'; resourceId: number; index: number }
  /** The end marker of a task that failed or was cancelled (hover shows why; a click selects the task). */
  | { kind: 'end'; taskId: number };

/** Task outcomes that get an end marker. */
export type EndOutcome = 'error' | 'cancelled';

/** Where and how a task that did not finish 'ok' ended. */
export interface EndMark {
  time: TraceTime;
  outcome: EndOutcome;
}

export const AWAIT_KINDS: readonly AwaitKind[] = [
  'sleep', 'lock', 'semaphore', 'event', 'condition', 'queue', 'barrier',
  'future', 'task', 'gather', 'wait', 'executor', 'io', 'timer', 'promise',
];

/** Colour keys; a box's colour is an index into this list (colors.ts maps them to CSS). */
export const COLOR_KEYS = ['life', 'run', 'hold', 'wait', 'level', ...AWAIT_KINDS.map((k) => `await-${k}`)] as const;
export type ColorKey = (typeof COLOR_KEYS)[number];
const colorIndex = new Map<string, number>(COLOR_KEYS.map((k, i) => [k, i]));
export function colorOf(key: ColorKey): number { return colorIndex.get(key)!; }
export function awaitColor(kind: AwaitKind): number { return colorIndex.get(`await-${kind}`) ?? colorIndex.get('await-promise')!; }

export interface Track {
  /** layoutY of the track's top edge, and its height in CSS px. */
  y: number;
  height: number;
  /** Boxes drawn with reduced emphasis (task lifetime behind its runs). */
  faint: boolean;
  /** Step-function tracks: per raw box, the fraction (0..1] of the height to fill (each level of detail carries its own in `Lod.fill`). */
  fill: Float32Array | undefined;
  refs: SpanRef[];
  /** lods[0] is the raw boxes, parallel to `refs`. */
  lods: Lod[];
}

export interface Lane {
  id: LaneId;
  kind: 'task' | 'resource';
  label: string;
  /** Spawn-tree depth (0 for roots and resources). */
  indent: number;
  y: number;
  height: number;
  taskId: number;
  resourceId: number;
  tracks: Track[];
  /** Task lanes: the end marker when the task ended 'error' or 'cancelled'. Always present (one object shape for all lanes). */
  end: EndMark | undefined;
}

export interface FlameLayout {
  startTime: TraceTime;
  endTime: TraceTime;
  lanes: Lane[];
  /** Total layoutY height. */
  height: number;
  /**
   * A first picture made by coarse-scan.ts before the model is built: tracks hold
   * one merged level and no refs (nothing to hit-test, select or label yet).
   */
  provisional?: boolean;
}

export interface LayoutOptions {
  rowHeight: number;
  laneGap: number;
  /** Only task lanes whose name contains this (case-insensitive); '' keeps all. */
  nameFilter: string;
  /** Await kinds left out of the chart. */
  hiddenKinds: ReadonlySet<AwaitKind>;
  /** Build coarser levels of detail (off only to measure what they save). */
  levelsOfDetail: boolean;
}

export const defaultLayoutOptions: LayoutOptions = { rowHeight: 18, laneGap: 6, nameFilter: '', hiddenKinds: new Set(), levelsOfDetail: true };

interface RawBox { begin: number; end: number; color: number; ref: SpanRef }

export function layoutTrace(model: TraceModelView, opts: LayoutOptions = defaultLayoutOptions): FlameLayout {
  const endTime = model.endTime;
  const lanes: Lane[] = [];
  let y = 0;
  const filter = opts.nameFilter.toLowerCase();
  for (const { task, indent } of spawnOrder(model)) {
    if (filter && !task.name.toLowerCase().includes(filter)) continue;
    const lane = taskLane(task, indent, y, endTime, opts);
    lanes.push(lane);
    y += lane.height + opts.laneGap;
  }
  for (const res of model.resources) {
    if (res.kind !== 'lock' && res.kind !== 'semaphore' && res.kind !== 'queue' && res.kind !== 'condition') continue;
    const rows: RawBox[][] = [];
    const holdRows = pack(Array.from(res.holds, (h, index) => ({ begin: h.begin, end: h.end ?? endTime, color: colorOf('hold'), ref: { kind: 'hold', resourceId: res.id, index } as SpanRef })));
    const waitRows = pack(Array.from(res.waits, (w, index) => ({ begin: w.begin, end: w.end ?? endTime, color: colorOf('wait'), ref: { kind: 'wait', resourceId: res.id, index } as SpanRef })));
    rows.push(...holdRows, ...waitRows);
    const levelBoxes: RawBox[] = [];
    const fills: number[] = [];
    let maxLevel = Math.max(1, res.capacity);
    // A loop, not a spread: a busy queue has more levels than a call may take arguments.
    for (const l of res.levels) if (l.level > maxLevel) maxLevel = l.level;
    res.levels.forEach((l, index) => {
      const next = res.levels[index + 1]?.time ?? endTime;
      if (l.level > 0 && next > l.time) {
        levelBoxes.push({ begin: l.time, end: next, color: colorOf('level'), ref: { kind: 'level', resourceId: res.id, index } });
        fills.push(l.level / maxLevel);
      }
    });
    const tracks: Track[] = [];
    let ty = y;
    for (const row of rows.length || !res.levels.length ? (rows.length ? rows : [[]]) : []) { tracks.push(makeTrack(row, ty, opts.rowHeight, false, undefined, opts.levelsOfDetail)); ty += opts.rowHeight; }
    // Queue length gets levels of detail too: a busy queue changes level every few µs.
    if (res.levels.length) { tracks.push(makeTrack(levelBoxes, ty, opts.rowHeight, false, Float32Array.from(fills), opts.levelsOfDetail)); ty += opts.rowHeight; }
    const height = ty - y;
    lanes.push({ id: resourceLaneId(res.id), kind: 'resource', label: `${res.kind} ${res.name || `#${res.id}`}`, indent: 0, y, height, taskId: 0, resourceId: res.id, tracks, end: undefined });
    y += height + opts.laneGap;
  }
  return { startTime: model.startTime, endTime, lanes, height: Math.max(0, y - opts.laneGap) };
}

/** Tasks depth-first over the spawn tree, children in creation order. */
export function spawnOrder(model: TraceModelView): { task: TaskModel; indent: number }[] {
  return spawnOrderOf(model.tasks).map(({ item, indent }) => ({ task: item, indent }));
}

/** Spawn-tree order of anything with an id and a parent id (the model's tasks, coarse-scan's tasks). */
export function spawnOrderOf<T extends { id: number; parentId: number }>(items: readonly T[]): { item: T; indent: number }[] {
  const ids = new Set(items.map((t) => t.id));
  const kids = new Map<number, T[]>();
  const roots: T[] = [];
  for (const t of items) {
    if (t.parentId === 0 || !ids.has(t.parentId) || t.parentId === t.id) roots.push(t);
    else { const list = kids.get(t.parentId) ?? []; list.push(t); kids.set(t.parentId, list); }
  }
  const out: { item: T; indent: number }[] = [];
  const stack: { item: T; indent: number }[] = roots.map((item) => ({ item, indent: 0 })).reverse();
  const seen = new Set<number>();
  while (stack.length) {
    const e = stack.pop()!;
    if (seen.has(e.item.id)) continue;
    seen.add(e.item.id);
    out.push(e);
    const children = kids.get(e.item.id) ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ item: children[i], indent: e.indent + 1 });
  }
  return out;
}

function taskLane(task: TaskModel, indent: number, y: number, endTime: TraceTime, opts: LayoutOptions): Lane {
  const h = opts.rowHeight;
  const tracks: Track[] = [];
  const life: RawBox = { begin: task.createdAt, end: task.endedAt ?? endTime, color: colorOf('life'), ref: { kind: 'task', taskId: task.id } };
  tracks.push(makeTrack([life], y, h, true, undefined, false));
  // Runs and awaits go straight from the model into typed arrays, refs made on first use: a big
  // trace has a million spans, and an object or two each was most of a layout's time (in GC).
  const taskId = task.id, runs = task.runs, awaits = task.awaits;
  {
    const n = runs.length;
    const begins = new Float64Array(n), ends = new Float64Array(n), colors = new Uint8Array(n).fill(RUN);
    for (let i = 0; i < n; i++) { const b = runs.begin(i), e = runs.end(i) ?? endTime; begins[i] = b; ends[i] = e > b ? e : b; }
    tracks.push(indexTrack(begins, ends, colors, y, h, opts.levelsOfDetail, (i) => ({ kind: 'run', taskId, index: i })));
  }
  const byDepth: number[][] = [];
  for (let i = 0; i < awaits.length; i++) {
    if (opts.hiddenKinds.size && opts.hiddenKinds.has(awaits.kind(i))) continue;
    (byDepth[awaits.depth(i)] ??= []).push(i);
  }
  let rows = 1;
  for (let d = 0; d < byDepth.length; d++) {
    // A malformed depth that overlaps its neighbour is packed into extra rows rather than drawn on top.
    for (const row of packIndices(byDepth[d] ?? [], awaits, endTime)) {
      const n = row.length;
      const begins = new Float64Array(n), ends = new Float64Array(n), colors = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const j = row[i], b = awaits.begin(j), e = awaits.end(j) ?? endTime;
        begins[i] = b; ends[i] = e > b ? e : b; colors[i] = AWAIT_COLOR[awaits.kind(j)] ?? PROMISE;
      }
      tracks.push(indexTrack(begins, ends, colors, y + rows * h, h, opts.levelsOfDetail, (i) => ({ kind: 'await', taskId, index: row[i] })));
      rows++;
    }
  }
  return {
    id: taskLaneId(task.id), kind: 'task', label: task.name || `task ${task.id}`, indent, y, height: rows * h, taskId: task.id, resourceId: 0, tracks,
    end: endMark(task.outcome, task.endedAt),
  };
}

/** The end marker for a task's outcome: only a task that has ended, and not 'ok'. */
export function endMark(outcome: string | undefined, endedAt: TraceTime | undefined): EndMark | undefined {
  if (endedAt === undefined || (outcome !== 'error' && outcome !== 'cancelled')) return undefined;
  return { time: endedAt, outcome };
}

const RUN = colorOf('run');
const PROMISE = awaitColor('promise');
const AWAIT_COLOR: Partial<Record<AwaitKind, number>> = Object.fromEntries(AWAIT_KINDS.map((k) => [k, awaitColor(k)]));

/** The same greedy packing as `pack`, over indices of spans sorted by begin (the model keeps awaits so). */
function packIndices(idx: number[], spans: SpanList<Interval>, endTime: number): number[][] {
  let sorted = true;
  for (let i = 1; i < idx.length; i++) if (spans.begin(idx[i]) < spans.begin(idx[i - 1])) { sorted = false; break; }
  if (!sorted) idx = idx.slice().sort((a, b) => spans.begin(a) - spans.begin(b));
  const rows: number[][] = [];
  const lastEnd: number[] = [];
  for (const i of idx) {
    const begin = spans.begin(i);
    let r = 0;
    while (r < lastEnd.length && lastEnd[r] > begin) r++;
    if (r === rows.length) { rows.push([]); lastEnd.push(-Infinity); }
    rows[r].push(i);
    const e = spans.end(i) ?? endTime;
    lastEnd[r] = e > begin ? e : begin;
  }
  return rows;
}

/** A track over typed arrays whose refs are built on first use (hit tests, labels, the selection). */
function indexTrack(begins: Float64Array, ends: Float64Array, colors: Uint8Array, y: number, height: number, lods: boolean, ref: (i: number) => SpanRef): Track {
  const raw: Lod = { resolution: 0, begins, ends, colors };
  let refs: SpanRef[] | undefined;
  const track = { y, height, faint: false, fill: undefined, lods: lods ? buildLods(raw) : [raw] } as unknown as Track;
  Object.defineProperty(track, 'refs', {
    enumerable: true,
    get: () => (refs ??= Array.from({ length: begins.length }, (_, i) => ref(i))),
  });
  return track;
}

/** Greedy interval packing: each box goes to the first row whose last box ended by its begin. */
function pack(boxes: RawBox[]): RawBox[][] {
  const sorted = boxes.slice().sort((a, b) => a.begin - b.begin);
  const rows: RawBox[][] = [];
  const lastEnd: number[] = [];
  for (const b of sorted) {
    let r = lastEnd.findIndex((e) => e <= b.begin);
    if (r < 0) { r = rows.length; rows.push([]); lastEnd.push(-Infinity); }
    rows[r].push(b);
    lastEnd[r] = Math.max(b.end, b.begin);
  }
  return rows;
}

function makeTrack(boxes: RawBox[], y: number, height: number, faint: boolean, fill: Float32Array | undefined, lods: boolean): Track {
  // Plain loops: TypedArray.from with a mapping function goes through the iterator protocol and cost most of a layout.
  const n = boxes.length;
  const begins = new Float64Array(n), ends = new Float64Array(n), colors = new Uint8Array(n);
  const refs: SpanRef[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const b = boxes[i];
    begins[i] = b.begin; ends[i] = b.end > b.begin ? b.end : b.begin; colors[i] = b.color; refs[i] = b.ref;
  }
  const raw: Lod = { resolution: 0, begins, ends, colors, fill };
  return { y, height, faint, fill, refs, lods: lods ? buildLods(raw) : [raw] };
}

/** The box under (time, layoutY), searching the raw level; faint tracks lose to others. */
export function hitTest(layout: FlameLayout, t: TraceTime, y: number, slopMs: number): SpanRef | undefined {
  const lane = laneAt(layout, y);
  if (!lane) return undefined;
  let faintHit: SpanRef | undefined;
  for (const tr of lane.tracks) {
    if (y < tr.y || y >= tr.y + tr.height) continue;
    const raw = tr.lods[0];
    const [lo, hi] = visibleRange(raw, t - slopMs, t + slopMs);
    if (lo >= hi) continue;
    // Prefer a box that contains t; else the nearest within the slop.
    let best = lo, bestDist = Infinity;
    for (let i = lo; i < hi; i++) {
      const d = t < raw.begins[i] ? raw.begins[i] - t : t > raw.ends[i] ? t - raw.ends[i] : 0;
      if (d < bestDist) { bestDist = d; best = i; }
    }
    if (tr.faint) faintHit = tr.refs[best]; else return tr.refs[best];
  }
  return faintHit;
}

export function laneAt(layout: FlameLayout, y: number): Lane | undefined {
  let lo = 0, hi = layout.lanes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (layout.lanes[mid].y + layout.lanes[mid].height <= y) lo = mid + 1; else hi = mid;
  }
  const lane = layout.lanes[lo];
  return lane && y >= lane.y ? lane : undefined;
}

export function refKey(r: SpanRef): string {
  return r.kind === 'task' || r.kind === 'end' ? `${r.kind}:${r.taskId}` : `${r.kind}:${'taskId' in r ? r.taskId : r.resourceId}:${r.index}`;
}

/**
 * Half the width, in CSS px, of an end marker's badge (renderer.ts draws it centred on
 * the task's end time, in the lane's first row); hit-testing uses the same size.
 */
export const END_MARK_RADIUS = 7;

/**
 * The end marker under (time, layoutY): within the badge (END_MARK_RADIUS + 1 px of
 * the end time, in the lane's first row). Checked before boxes: the badge is drawn
 * on top of them (the task's last run ends where the marker is).
 */
export function hitEndMark(layout: FlameLayout, t: TraceTime, y: number, msPerPx: number): SpanRef | undefined {
  const lane = laneAt(layout, y);
  const end = lane?.end;
  if (!lane || !end) return undefined;
  const row = lane.tracks[0];
  if (!row || y >= row.y + row.height) return undefined;
  return Math.abs(t - end.time) <= (END_MARK_RADIUS + 1) * msPerPx ? { kind: 'end', taskId: lane.taskId } : undefined;
}

/** Where a ref's box sits: its track and index in the raw level (undefined when filtered out). */
export function locate(layout: FlameLayout, ref: SpanRef): { lane: Lane; track: Track; index: number } | undefined {
  // An end marker is no box: it stands for its task, whose box is its lifetime.
  if (ref.kind === 'end') ref = { kind: 'task', taskId: ref.taskId };
  const laneId = laneIdOf(ref);
  const lane = layout.lanes.find((l) => l.id === laneId);
  if (!lane) return undefined;
  // Refs in one lane share the task/resource id, so kind and index identify one (this runs every frame).
  const index = ref.kind === 'task' ? -1 : ref.index;
  for (const track of lane.tracks) {
    const refs = track.refs;
    for (let i = 0; i < refs.length; i++) {
      const r = refs[i];
      if (r.kind === ref.kind && (r.kind === 'task' || r.index === index)) return { lane, track, index: i };
    }
  }
  return undefined;
}
