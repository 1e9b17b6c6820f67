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
  /** What raw box `i` is. A new object each call: tracks keep no object per box (issue 18). */
  ref(i: number): SpanRef;
  /** The raw box `ref` is in this track, or -1. */
  find(ref: SpanRef): number;
  /** Every box's ref (tests and the golden layout; drawing and hit-testing use `ref` and `find`). */
  readonly refs: SpanRef[];
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

/**
 * `budget`: how much of the task lanes' tracks stays built while off screen, and how
 * recently a lane must have been used to keep its tracks regardless (tests shrink it).
 */
export function layoutTrace(model: TraceModelView, opts: LayoutOptions = defaultLayoutOptions, budget: TrackBudget = DEFAULT_TRACK_BUDGET): FlameLayout {
  const endTime = model.endTime;
  const lanes: Lane[] = [];
  let y = 0;
  const filter = opts.nameFilter.toLowerCase();
  const source = new TrackSource(endTime, opts, budget);
  const order = spawnOrder(model);
  for (let k = 0; k < order.items.length; k++) {
    const task = order.items[k], indent = order.indents[k];
    if (filter && !task.name.toLowerCase().includes(filter)) continue;
    const awaits = task.awaits.length;
    const lane = new TaskLane(source, task, indent, y, opts.rowHeight * (1 + awaitRowCount(task, awaits, endTime, opts)), task.runs.length, awaits);
    lanes.push(lane);
    y += lane.height + opts.laneGap;
  }
  for (const res of model.resources) {
    if (res.kind !== 'lock' && res.kind !== 'semaphore' && res.kind !== 'queue' && res.kind !== 'condition') continue;
    // Holds, then waits, packed into rows; no object per span (a busy lock has one per request).
    const rows = [...spanRows(res.holds, 'hold', res.id, endTime), ...spanRows(res.waits, 'wait', res.id, endTime)];
    const levels = levelTrackData(res.levels, res.capacity, endTime);
    const tracks: Track[] = [];
    let ty = y;
    for (const row of rows) { tracks.push(row.track(ty, opts.rowHeight, opts.levelsOfDetail)); ty += opts.rowHeight; }
    // A resource with nothing to show still gets a row (a queue shows its length instead).
    if (!rows.length && !res.levels.length) { tracks.push(makeTrack([], ty, opts.rowHeight, false, undefined, opts.levelsOfDetail)); ty += opts.rowHeight; }
    // Queue length gets levels of detail too: a busy queue changes level every few µs.
    if (res.levels.length) {
      const { begins, ends, fills, indices } = levels;
      tracks.push(new IndexTrack(begins, ends, new Uint8Array(begins.length).fill(colorOf('level')), ty, opts.rowHeight, opts.levelsOfDetail, 'level', res.id, indices, fills));
      ty += opts.rowHeight;
    }
    const height = ty - y;
    lanes.push({ id: resourceLaneId(res.id), kind: 'resource', label: `${res.kind} ${res.name || `#${res.id}`}`, indent: 0, y, height, taskId: 0, resourceId: res.id, tracks, end: undefined });
    y += height + opts.laneGap;
  }
  return { startTime: model.startTime, endTime, lanes, height: Math.max(0, y - opts.laneGap) };
}

/** Tasks depth-first over the spawn tree, children in creation order, with their depth in it. */
export function spawnOrder(model: TraceModelView): { items: TaskModel[]; indents: Int32Array } {
  return spawnOrderOf(model.tasks);
}

/**
 * Spawn-tree order of anything with an id and a parent id (the model's tasks,
 * coarse-scan's tasks): roots (parent 0, unknown or itself) in order, each followed
 * depth-first by its children in order; `indents[k]` is `items[k]`'s depth. Children
 * are linked lists in typed arrays and the walk a typed-array stack: a long trace has
 * hundreds of thousands of tasks, and a list and an object per task were a tenth of
 * each layout (issue 18).
 */
export function spawnOrderOf<T extends { id: number; parentId: number }>(items: readonly T[]): { items: T[]; indents: Int32Array } {
  const n = items.length;
  const ids = new Set<number>();
  for (let i = 0; i < n; i++) ids.add(items[i].id);
  // Each parent's children as a list through `next`, newest first: pushed onto the stack in that order, the oldest comes off first.
  const newest = new Map<number, number>();
  const next = new Int32Array(n);
  const stack = new Int32Array(n), stackIndent = new Int32Array(n);
  let roots = 0;
  for (let i = 0; i < n; i++) {
    const t = items[i];
    if (t.parentId === 0 || t.parentId === t.id || !ids.has(t.parentId)) { stack[roots++] = i; continue; }
    next[i] = newest.get(t.parentId) ?? -1;
    newest.set(t.parentId, i);
  }
  // Roots in order: the first on top.
  stack.subarray(0, roots).reverse();
  let sp = roots;
  const out: T[] = [];
  const indents = new Int32Array(n);
  const seen = new Set<number>();
  while (sp > 0) {
    const i = stack[--sp], indent = stackIndent[sp];
    const t = items[i];
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    indents[out.length] = indent;
    out.push(t);
    for (let c = newest.get(t.id) ?? -1; c >= 0; c = next[c]) { stack[sp] = c; stackIndent[sp++] = indent + 1; }
  }
  return { items: out, indents: indents.subarray(0, out.length) };
}

/**
 * How much of the task lanes' tracks stays built while off screen: past this, the lanes
 * used longest ago give theirs up (they are built again from the model when next drawn).
 */
export interface TrackBudget {
  /** In boxes, with each track's own objects counted as some boxes more (boxCount). */
  boxes: number;
  /** A lane used this recently keeps its tracks whatever the budget (every lane on screen is drawn every frame). */
  inUseMs: number;
}
const DEFAULT_TRACK_BUDGET: TrackBudget = { boxes: 4_000_000, inUseMs: 250 };

/**
 * Builds task lanes' tracks from the model when they are first needed (drawn, hit,
 * located) and keeps the recently used ones within a budget of boxes. A long trace has
 * hundreds of thousands of task lanes (issue 18: 386k at 10M events), and their tracks
 * built up front (typed arrays, levels of detail, objects per track) were most of the
 * webview's heap (~1.3 of 1.5 GB at 10M) and of its full layout's time; a frame draws
 * the few dozen lanes on screen.
 */
class TrackSource {
  private boxes = 0;
  /** Lanes with built tracks, least recently used first (a Set keeps insertion order). */
  private readonly built = new Set<TaskLane>();

  constructor(readonly endTime: TraceTime, readonly opts: LayoutOptions, private readonly budget: TrackBudget) {}

  tracksOf(lane: TaskLane): Track[] {
    const now = performance.now();
    lane.usedAt = now;
    let tracks = lane.built;
    if (tracks) {
      this.built.delete(lane);
      this.built.add(lane);
      return tracks;
    }
    tracks = taskTracks(lane.task, lane.runCount, lane.awaitCount, lane.y, this.endTime, this.opts);
    lane.built = tracks;
    lane.boxes = boxCount(tracks);
    this.boxes += lane.boxes;
    this.built.add(lane);
    // After the frame, not now: lanes this frame has yet to draw may have been idle for long.
    if (this.boxes > this.budget.boxes && !this.evictionDue) { this.evictionDue = true; setTimeout(() => this.evict(), 0); }
    return tracks;
  }

  private evictionDue = false;

  /** Lets go of the tracks used longest ago until within the budget, keeping those in use. */
  private evict(): void {
    this.evictionDue = false;
    const now = performance.now();
    for (const old of this.built) {
      if (this.boxes <= this.budget.boxes || now - old.usedAt < this.budget.inUseMs) break;
      this.built.delete(old);
      this.boxes -= old.boxes;
      old.built = undefined;
    }
  }
}

/**
 * What a lane's tracks cost against the budget, in boxes (~17 bytes each): their boxes
 * at every level, plus ~400 bytes of objects per track (the track, its levels, three
 * typed arrays), which is most of a short task's cost. So 4M is ~70 MB at most.
 */
function boxCount(tracks: Track[]): number {
  let n = 0;
  for (const t of tracks) {
    n += TRACK_COST_BOXES;
    for (const l of t.lods) n += l.begins.length;
  }
  return n;
}
const TRACK_COST_BOXES = 24;

/** A task's lane: its place and height are laid out at once, its tracks when first asked for (TrackSource). */
class TaskLane implements Lane {
  readonly kind = 'task';
  readonly resourceId = 0;
  readonly label: string;
  readonly taskId: number;
  readonly end: EndMark | undefined;
  /** @internal TrackSource's: the tracks while built, their box count, when last used. */
  built: Track[] | undefined = undefined;
  boxes = 0;
  usedAt = 0;

  constructor(
    private readonly source: TrackSource, readonly task: TaskModel, readonly indent: number, readonly y: number, readonly height: number,
    /**
     * The task's runs and awaits when laid out: a live trace (or one still being decoded) goes on
     * growing, and tracks built later show the lane as laid out (its rows fit its height).
     */
    readonly runCount: number, readonly awaitCount: number,
  ) {
    this.label = task.name || `task ${task.id}`;
    this.taskId = task.id;
    this.end = endMark(task.outcome, task.endedAt);
  }

  get id(): LaneId { return taskLaneId(this.taskId); }
  get tracks(): Track[] { return this.source.tracksOf(this); }

  /** Lanes compare as plain data (tests, the golden): the tracks are part of it. */
  toJSON(): unknown {
    const { id, kind, label, indent, y, height, taskId, resourceId, tracks, end } = this;
    return { id, kind, label, indent, y, height, taskId, resourceId, tracks, end };
  }
}

/**
 * How many await rows `taskTracks` makes for `task` (its lane is 1 + this rows high),
 * without building them: the same greedy packing per depth, in one pass over the awaits.
 */
function awaitRowCount(task: TaskModel, n: number, endTime: TraceTime, opts: LayoutOptions): number {
  const awaits = task.awaits;
  if (n === 0) return 0;
  const hidden = opts.hiddenKinds.size ? opts.hiddenKinds : undefined;
  // rowEnds[d]: the last end of each row of depth d; lastBegin[d] the begin of the last await seen at d.
  const rowEnds: number[][] = [];
  const lastBegin: number[] = [];
  for (let i = 0; i < n; i++) {
    if (hidden && hidden.has(awaits.kind(i))) continue;
    const d = awaits.depth(i), b = awaits.begin(i);
    // Out of begin order (the model keeps them in order): packIndices sorts first, so count its way.
    if (b < lastBegin[d]) return awaitRows(task, n, endTime, opts).length;
    lastBegin[d] = b;
    const ends = (rowEnds[d] ??= []);
    let r = 0;
    while (r < ends.length && ends[r] > b) r++;
    const e = endOf(awaits, i, endTime);
    ends[r] = e > b ? e : b;
  }
  let rows = 0;
  for (const ends of rowEnds) if (ends) rows += ends.length;
  return rows;
}

/** A task's awaits as rows: by depth, each depth packed (indices into `task.awaits`). */
function awaitRows(task: TaskModel, n: number, endTime: TraceTime, opts: LayoutOptions): number[][] {
  const awaits = task.awaits;
  const byDepth: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (opts.hiddenKinds.size && opts.hiddenKinds.has(awaits.kind(i))) continue;
    (byDepth[awaits.depth(i)] ??= []).push(i);
  }
  const rows: number[][] = [];
  // A malformed depth that overlaps its neighbour is packed into extra rows rather than drawn on top.
  for (let d = 0; d < byDepth.length; d++) rows.push(...packIndices(byDepth[d] ?? [], awaits, endTime));
  return rows;
}

/** Where a span ends in a layout made at `endTime`: open spans (and any that ended since) at `endTime`. */
function endOf(spans: SpanList<Interval>, i: number, endTime: TraceTime): TraceTime {
  const e = spans.end(i);
  return e === undefined || e > endTime ? endTime : e;
}

function taskTracks(task: TaskModel, runCount: number, awaitCount: number, y: number, endTime: TraceTime, opts: LayoutOptions): Track[] {
  const h = opts.rowHeight;
  const tracks: Track[] = [];
  const life: RawBox = { begin: task.createdAt, end: task.endedAt === undefined || task.endedAt > endTime ? endTime : task.endedAt, color: colorOf('life'), ref: { kind: 'task', taskId: task.id } };
  tracks.push(makeTrack([life], y, h, true, undefined, false));
  // Runs and awaits go straight from the model into typed arrays, refs made on first use: a big
  // trace has a million spans, and an object or two each was most of a layout's time (in GC).
  const taskId = task.id, runs = task.runs, awaits = task.awaits;
  {
    const n = runCount;
    const begins = new Float64Array(n), ends = new Float64Array(n), colors = new Uint8Array(n).fill(RUN);
    for (let i = 0; i < n; i++) { const b = runs.begin(i), e = endOf(runs, i, endTime); begins[i] = b; ends[i] = e > b ? e : b; }
    tracks.push(new IndexTrack(begins, ends, colors, y, h, opts.levelsOfDetail, 'run', taskId, undefined));
  }
  let rows = 1;
  for (const row of awaitRows(task, awaitCount, endTime, opts)) {
    const n = row.length;
    const begins = new Float64Array(n), ends = new Float64Array(n), colors = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const j = row[i], b = awaits.begin(j), e = endOf(awaits, j, endTime);
      begins[i] = b; ends[i] = e > b ? e : b; colors[i] = AWAIT_COLOR[awaits.kind(j)] ?? PROMISE;
    }
    tracks.push(new IndexTrack(begins, ends, colors, y + rows * h, h, opts.levelsOfDetail, 'await', taskId, row));
    rows++;
  }
  return tracks;
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
    const e = endOf(spans, i, endTime);
    lastEnd[r] = e > begin ? e : begin;
  }
  return rows;
}

/**
 * A track of a task's runs or of one row of its awaits, over typed arrays; its refs are
 * built on first use (hit tests, labels, the selection). A class with the refs getter on
 * its prototype: a getter defined on each track made every track a dictionary-mode
 * object with a closure (a fifth of the heap at 1M events).
 */
class IndexTrack implements Track {
  readonly faint = false;
  readonly lods: Lod[];

  constructor(
    begins: Float64Array, ends: Float64Array, colors: Uint8Array, readonly y: number, readonly height: number, lods: boolean,
    /** What the boxes are, and of which task (runs, awaits) or resource (holds, waits, levels). */
    private readonly kind: 'run' | 'await' | 'hold' | 'wait' | 'level', private readonly ownerId: number,
    /** The span index of each box (runs: the box index is the run index). */
    private readonly indices: ArrayLike<number> | undefined,
    /** Levels: the fraction of the height each box fills. */
    readonly fill: Float32Array | undefined = undefined,
  ) {
    const raw: Lod = { resolution: 0, begins, ends, colors, fill };
    this.lods = lods ? buildLods(raw) : [raw];
  }

  ref(i: number): SpanRef {
    const { kind, ownerId } = this;
    const index = this.indices ? this.indices[i] : i;
    return (kind === 'run' || kind === 'await' ? { kind, taskId: ownerId, index } : { kind, resourceId: ownerId, index }) as SpanRef;
  }

  find(ref: SpanRef): number {
    if (ref.kind !== this.kind) return -1;
    const owner = ref.kind === 'run' || ref.kind === 'await' ? ref.taskId : ref.kind === 'hold' || ref.kind === 'wait' || ref.kind === 'level' ? ref.resourceId : -1;
    if (owner !== this.ownerId) return -1;
    const n = this.lods[0].begins.length, { indices } = this, index = (ref as { index: number }).index;
    if (!indices) return index >= 0 && index < n ? index : -1;
    for (let i = 0; i < n; i++) if (indices[i] === index) return i;
    return -1;
  }

  get refs(): SpanRef[] {
    const n = this.lods[0].begins.length, refs: SpanRef[] = new Array(n);
    for (let i = 0; i < n; i++) refs[i] = this.ref(i);
    return refs;
  }

  toJSON(): unknown {
    const { y, height, faint, fill, refs, lods } = this;
    return { y, height, faint, fill, refs, lods };
  }
}

/**
 * A resource's holds or waits (`kind`) packed greedily into rows, in begin order: each
 * span goes to the first row whose last span ended by its begin. Read by iteration (an
 * array, or the model's columns), into typed arrays: no object per span.
 */
function spanRows(spans: Iterable<Interval> & { readonly length: number }, kind: 'hold' | 'wait', resourceId: number, endTime: TraceTime): { track(y: number, height: number, lods: boolean): Track }[] {
  const n = spans.length;
  const begins = new Float64Array(n), ends = new Float64Array(n);
  let k = 0, sorted = true;
  for (const sp of spans) {
    if (k === n) break;
    const b = sp.begin, e = sp.end ?? endTime;
    begins[k] = b; ends[k] = e > b ? e : b;
    if (k > 0 && b < begins[k - 1]) sorted = false;
    k++;
  }
  const ident = new Int32Array(k);
  for (let i = 0; i < k; i++) ident[i] = i;
  let order: ArrayLike<number> = ident;
  // A stable sort, as the array sort of the boxes was: equal begins keep their order.
  if (!sorted) order = Array.from(order).sort((a, b) => begins[a] - begins[b]);
  const rows: number[][] = [];
  const lastEnd: number[] = [];
  for (let o = 0; o < k; o++) {
    const i = order[o], b = begins[i];
    let r = 0;
    while (r < lastEnd.length && lastEnd[r] > b) r++;
    if (r === rows.length) { rows.push([]); lastEnd.push(-Infinity); }
    rows[r].push(i);
    lastEnd[r] = ends[i];
  }
  const color = colorOf(kind);
  return rows.map((row) => ({
    track(y: number, height: number, lods: boolean): Track {
      const m = row.length;
      const rb = new Float64Array(m), re = new Float64Array(m);
      for (let j = 0; j < m; j++) { rb[j] = begins[row[j]]; re[j] = ends[row[j]]; }
      return new IndexTrack(rb, re, new Uint8Array(m).fill(color), y, height, lods, kind, resourceId, row);
    },
  }));
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
  return new ArrayTrack(y, height, faint, fill, refs, lods ? buildLods(raw) : [raw]);
}

/** A track whose few boxes carry their refs (a task's lifetime and runs of a small lane; coarse pictures: none). */
export class ArrayTrack implements Track {
  constructor(readonly y: number, readonly height: number, readonly faint: boolean, readonly fill: Float32Array | undefined, readonly refs: SpanRef[], readonly lods: Lod[]) {}
  ref(i: number): SpanRef { return this.refs[i]!; }
  find(ref: SpanRef): number {
    const refs = this.refs;
    for (let i = 0; i < refs.length; i++) {
      const r = refs[i]!;
      if (r.kind === ref.kind && (r.kind === 'task' || (r as { index: number }).index === (ref as { index: number }).index)) return i;
    }
    return -1;
  }
}

/** A resource's level changes as boxes (a box per nonzero level that lasts), filled by the level over the lane's peak. */
function levelTrackData(levels: ReadonlyArray<{ time: TraceTime; level: number }>, capacity: number, endTime: TraceTime): { begins: Float64Array; ends: Float64Array; fills: Float32Array; indices: Int32Array } {
  let maxLevel = Math.max(1, capacity);
  // A loop, not a spread: a busy queue has more levels than a call may take arguments.
  for (const l of levels) if (l.level > maxLevel) maxLevel = l.level;
  let n = 0;
  for (let i = 0; i < levels.length; i++) {
    const next = i + 1 < levels.length ? levels[i + 1]!.time : endTime;
    if (levels[i]!.level > 0 && next > levels[i]!.time) n++;
  }
  const begins = new Float64Array(n), ends = new Float64Array(n), fills = new Float32Array(n), indices = new Int32Array(n);
  for (let i = 0, k = 0; i < levels.length; i++) {
    const l = levels[i]!, next = i + 1 < levels.length ? levels[i + 1]!.time : endTime;
    if (l.level > 0 && next > l.time) { begins[k] = l.time; ends[k] = next; fills[k] = l.level / maxLevel; indices[k] = i; k++; }
  }
  return { begins, ends, fills, indices };
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
    if (tr.faint) faintHit = tr.ref(best); else return tr.ref(best);
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

/** Lanes by task and by resource id, made on the first look-up in a layout (a search over every lane cost ~1 ms per look-up at 10M events, several a frame). */
const laneIndex = new WeakMap<FlameLayout, { tasks: Map<number, Lane>; resources: Map<number, Lane> }>();

/** The lane with id `id` in `layout` (undefined when filtered out or unknown). */
export function laneById(layout: FlameLayout, id: LaneId): Lane | undefined {
  let index = laneIndex.get(layout);
  if (!index) {
    index = { tasks: new Map(), resources: new Map() };
    for (const l of layout.lanes) (l.kind === 'task' ? index.tasks : index.resources).set(l.kind === 'task' ? l.taskId : l.resourceId, l);
    laneIndex.set(layout, index);
  }
  return (id[0] === 't' ? index.tasks : index.resources).get(Number(id.slice(1)));
}

/** Where a ref's box sits: its track and index in the raw level (undefined when filtered out). */
export function locate(layout: FlameLayout, ref: SpanRef): { lane: Lane; track: Track; index: number } | undefined {
  // An end marker is no box: it stands for its task, whose box is its lifetime.
  if (ref.kind === 'end') ref = { kind: 'task', taskId: ref.taskId };
  const lane = laneById(layout, laneIdOf(ref));
  if (!lane) return undefined;
  // Each track finds the box without an object per box (this runs every frame).
  for (const track of lane.tracks) {
    const i = track.find(ref);
    if (i >= 0) return { lane, track, index: i };
  }
  return undefined;
}
