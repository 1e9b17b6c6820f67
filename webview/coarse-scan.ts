/**
 * The first picture of a big trace, straight from its bytes: one pass over the
 * records (no event objects, no model) that lays out the same lanes and tracks as
 * layoutTrace, but with every track already merged at a resolution far under a
 * pixel at fit zoom. The webview's first frame of a big trace draws what ~100 ms of
 * it read (ingest.ts); layouts of the model as it is decoded replace it after that
 * (scanning on to the end cost more than decoding the model, issue 18). Stepped
 * through to the end, it is the picture of the whole trace.
 *
 * What it is: a correct picture of the whole trace at fit zoom (and a few steps of
 * zoom in): every task lane in spawn order, its lifetime, its runs and its awaits
 * nested by depth in their kind's colour, the end marker of a task that failed or was
 * cancelled, every lock/semaphore/queue/condition lane with its holds, waits and queue
 * length. What it is not: boxes have no refs (no
 * hit-testing, selection, labels or details), and records that draw nothing (wakes,
 * callbacks, jobs, I/O) are skipped.
 *
 * It mirrors trace/model.ts's rules for what a box is (await nesting by open depth,
 * awaitEnd closes the innermost open await with that target, releases close the
 * holder's hold or else the oldest, a put ends a blocked put) and layoutTrace's lane
 * order and row packing; flame-layout.test.ts checks the two agree on the fixtures.
 * It stops quietly at anything malformed: the full decoder reports errors.
 */
import { BATCH_HEADER_SIZE, BATCH_TAG, OFF_CODE, OFF_TIME, OFF_TYPE, RECORD_SIZE } from '../trace/format';
import { FIELD_OFFSET as F, RecordType } from '../trace/records.generated';
import { AWAIT_KINDS as AWAIT_CODES, OUTCOMES, RESOURCE_KINDS, RESOURCE_SIGNALS } from '../trace/vocabulary';
import { ArrayTrack, awaitColor, colorOf, endMark, spawnOrderOf, type FlameLayout, type Lane, type LayoutOptions, type Track } from './flame-layout';
import { resourceLaneId, taskLaneId } from './lane-id';
import type { Lod } from './levels-of-detail';

const utf8 = new TextDecoder('utf-8', { fatal: false });
/**
 * Where the records scanned here keep their subject (the taskId of task and await
 * records, the resourceId of resource records): the same first slot in all of them,
 * read once per record. The list is type-checked: a record table that moved one of
 * them fails to compile here.
 */
const SUBJECT = 12;
const SUBJECTS: (typeof SUBJECT)[] = [
  F.taskCreated.taskId, F.taskRenamed.taskId, F.taskRunBegin.taskId, F.taskRunEnd.taskId, F.taskDone.taskId,
  F.awaitBegin.taskId, F.awaitEnd.taskId, F.resourceCreated.resourceId, F.resourceWaitBegin.resourceId,
  F.resourceWaitAbandoned.resourceId, F.resourceAcquired.resourceId, F.resourceReleased.resourceId,
  F.resourceSignal.resourceId, F.resourceLevel.resourceId,
];
void SUBJECTS;

const NONE = new Float64Array(0);
const NO_COLORS = new Uint8Array(0);
/** A track's first arrays hold this many boxes (most tracks of a many-task trace never need more). */
const FIRST_BOXES = 4;

/** Streams boxes of one track (in begin order, non-overlapping) into one merged level at `resolution`. */
class MergedTrack {
  // Empty until the first box: a trace of many short tasks has tens of thousands of
  // tracks of a box or two, and allocating 64-box arrays for each of them was most of
  // the scan (typed-array allocation and the collections it caused, issue 18).
  begins = NONE;
  ends = NONE;
  colors = NO_COLORS;
  covered = NONE;
  /** Level tracks: the peak level of each merged box (normalised to a fill at the end). */
  peaks: Float64Array | undefined;
  n = 0;
  private longest = 0;

  /** `scan`: the share of records read so far (this batch included) and how many are left, to size growth. */
  constructor(private readonly resolution: number, private readonly scan: ScanProgress, levels = false) {
    if (levels) this.peaks = NONE;
  }

  /** The same merge rule as levels-of-detail.ts's mergeLod, applied to the raw boxes as they complete. */
  add(b: number, e: number, c: number, peak = 0): void {
    const R = this.resolution;
    const m = this.n;
    if (e < b) e = b;
    if (m > 0) {
      const pb = this.begins[m - 1], pe = this.ends[m - 1];
      // Step tracks merge up to R long (see levels-of-detail.ts's mergeLod), others by gap.
      if (b - pe < R && (this.peaks ? e - pb <= R : pe - pb < R || e - b < R)) {
        if (e - b > this.longest) { this.longest = e - b; this.colors[m - 1] = c; }
        if (e > pe) this.ends[m - 1] = e;
        this.covered[m - 1] += e - b;
        if (this.peaks && peak > this.peaks[m - 1]) this.peaks[m - 1] = peak;
        return;
      }
    }
    if (m === this.begins.length) this.grow();
    this.begins[m] = b; this.ends[m] = e; this.colors[m] = c; this.covered[m] = e - b;
    if (this.peaks) this.peaks[m] = peak;
    this.longest = e - b;
    this.n = m + 1;
  }

  /** An independent copy (the picture adds open spans to copies while the scan goes on). */
  copy(): MergedTrack {
    const c = new MergedTrack(this.resolution, this.scan);
    c.begins = this.begins.slice(); c.ends = this.ends.slice(); c.colors = this.colors.slice(); c.covered = this.covered.slice();
    if (this.peaks) c.peaks = this.peaks.slice();
    c.n = this.n;
    c.longest = this.longest;
    return c;
  }

  private grow(): void {
    // Grow to the count this track is heading for (its boxes so far over the share of the trace scanned,
    // plus a margin), at least double: a track then grows once or twice, where doubling or quadrupling
    // zeroed and collected several times its final size (typed-array allocation dominated the scan).
    // Bounded: a box takes at least two records, and no more than 16x at once (an early burst misleads).
    const n = this.begins.length;
    const expected = Math.min((n / Math.max(this.scan.progress, 1e-6)) * 1.2, n + this.scan.remaining / 2 + 16, n * 16);
    const cap = Math.max(n * 2, FIRST_BOXES, Math.ceil(expected));
    const f = (a: Float64Array) => { const x = new Float64Array(cap); x.set(a); return x; };
    this.begins = f(this.begins); this.ends = f(this.ends); this.covered = f(this.covered);
    if (this.peaks) this.peaks = f(this.peaks);
    const c = new Uint8Array(cap); c.set(this.colors); this.colors = c;
  }

  lod(maxPeak = 1): Lod {
    const n = this.n;
    const lod: Lod = {
      resolution: this.resolution, begins: this.begins.slice(0, n), ends: this.ends.slice(0, n),
      colors: this.colors.slice(0, n), covered: this.covered.slice(0, n),
    };
    if (this.peaks) lod.fill = Float32Array.from(this.peaks.subarray(0, n), (p) => p / maxPeak);
    return lod;
  }
}

interface ScanProgress { progress: number; remaining: number }
interface OpenAwait { depth: number; target: number; begin: number; color: number; hidden: boolean }
interface ScanTask {
  id: number; parentId: number; nameAt: number; createdAt: number; endedAt: number | undefined;
  /** Outcome code of TaskDone (trace/format OUTCOMES), -1 until it ends. */
  outcome: number;
  runs: MergedTrack; runOpen: boolean; runBegin: number; depths: MergedTrack[]; open: OpenAwait[];
}
/** Greedy row packing done as spans begin: a span takes the first row whose last span has ended. */
interface Rows { tracks: MergedTrack[]; busy: number[] }
interface ScanResource {
  id: number; kind: string; nameAt: number; capacity: number;
  holds: Rows; waits: Rows;
  /** Open holds: [taskId, row, begin] in grant order. */
  openHolds: { taskId: number; row: number; begin: number }[];
  openWaits: Map<number, { row: number; begin: number }>;
  levels: MergedTrack | undefined; levelAt: number; level: number; maxLevel: number;
}

export interface CoarseScan {
  layout: FlameLayout;
  /** Records scanned and whole batches' byte length (the scan stops at the last whole batch). */
  events: number;
  bytes: number;
}

/** Time of the first and of the last record in the whole batches of `buf`, and how many records (batch headers only are walked). */
function timeRange(buf: Uint8Array, dv: DataView): { first: number; last: number; end: number; records: number } | undefined {
  let p = 0, first = NaN, last = NaN, records = 0;
  while (buf.length - p >= BATCH_HEADER_SIZE) {
    if (dv.getUint32(p, true) !== BATCH_TAG) break;
    const bodyLen = dv.getUint32(p + 4, true), count = dv.getUint32(p + 12, true);
    const endAt = p + BATCH_HEADER_SIZE + bodyLen;
    if (endAt > buf.length || count * RECORD_SIZE > bodyLen) break;
    records += count;
    if (count > 0) {
      if (Number.isNaN(first)) first = dv.getFloat64(endAt - count * RECORD_SIZE + OFF_TIME, true);
      last = dv.getFloat64(endAt - RECORD_SIZE + OFF_TIME, true);
    }
    p = endAt;
  }
  return Number.isNaN(first) ? undefined : { first, last, end: p, records };
}

/**
 * The merge resolution for a chart `chartWidth` px wide at fit zoom: the level
 * levels-of-detail.ts's buildLods would pick there (span / 2^22 times a power of 4, at most a
 * pixel), so the first picture looks like the full layout's at fit.
 */
export function fitResolution(chartWidth: number): (span: number) => number {
  return (span) => {
    const msPerPx = (span + 2 * Math.max(span * 0.02, 1e-3)) / Math.max(1, chartWidth);
    let r = span / 2 ** 22;
    while (r * 4 <= msPerPx) r *= 4;
    return r;
  };
}

/**
 * Lays out the trace in `buf` (whole batches from the start of a trace, right after
 * its header), each track merged at `resolution(span)` ms (fitResolution for a chart).
 */
export function coarseScan(buf: Uint8Array, opts: LayoutOptions, resolution: (span: number) => number): CoarseScan | undefined {
  const scanner = CoarseScanner.open(buf, opts, resolution);
  if (!scanner) return undefined;
  scanner.step(Infinity);
  return scanner.picture();
}

/**
 * The coarse scan in steps (issue 18: the first frame of a long trace may not wait for
 * a pass over all of it): `step` reads whole batches for about that many ms, and
 * `picture` lays out what has been read so far over the whole trace's time range
 * (found first from the batch headers alone), spans still open drawn to the last time
 * read. Once `done`, the picture is the whole coarse scan. `picture` changes nothing,
 * so the scan goes on after it.
 */
export class CoarseScanner {
  readonly startTime: number;
  readonly endTime: number;
  /** Records in the whole batches (the picture is complete when `events` reaches it). */
  readonly records: number;
  /** Records read so far. */
  events = 0;
  private p = 0;
  private lastTime: number;
  private stopped = false;
  private readonly dv: DataView;
  private readonly end: number;
  private readonly R: number;
  /** String table: byte offset and length of each string, decoded only when a lane needs its name. */
  private readonly strAt: number[] = [-1];
  private readonly strLen: number[] = [0];
  private readonly tasks: ScanTask[] = [];
  // Ids are small sequential integers in practice: an array finds them faster than a Map (this runs per record).
  private readonly taskArr: (ScanTask | undefined)[] = [];
  private readonly taskMap = new Map<number, ScanTask>();
  private readonly resources: ScanResource[] = [];
  private readonly resById = new Map<number, ScanResource>();
  private readonly scan: ScanProgress;
  private readonly hiddenCode: boolean[];

  static open(buf: Uint8Array, opts: LayoutOptions, resolution: (span: number) => number): CoarseScanner | undefined {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const range = timeRange(buf, dv);
    return range ? new CoarseScanner(buf, dv, range, opts, resolution) : undefined;
  }

  private constructor(
    private readonly buf: Uint8Array, dv: DataView, range: { first: number; last: number; end: number; records: number },
    private readonly opts: LayoutOptions, resolution: (span: number) => number,
  ) {
    this.dv = dv;
    this.startTime = range.first;
    this.endTime = range.last;
    this.lastTime = range.first;
    this.end = range.end;
    this.records = range.records;
    this.R = Math.max(resolution(range.last - range.first), 1e-12);
    this.scan = { progress: 0, remaining: range.records };
    this.hiddenCode = AWAIT_CODES.map((k) => opts.hiddenKinds.has(k));
  }

  /** Every whole batch has been read (or the scan stopped at something malformed). */
  get done(): boolean { return this.stopped || this.p >= this.end; }

  /** Reads batches for about `maxMs` (at least one); returns `done`. */
  step(maxMs: number): boolean {
    const t0 = performance.now();
    do this.batch(); while (!this.done && (maxMs === Infinity || performance.now() - t0 < maxMs));
    return this.done;
  }

  private taskById(id: number): ScanTask | undefined {
    return id < 1 << 20 ? this.taskArr[id] : this.taskMap.get(id);
  }

  private batch(): void {
    const { buf, dv, R, scan, strAt, strLen, tasks, resources, resById } = this;
    const endTime = this.endTime;
    const awaitColors = AWAIT_COLORS, hiddenCode = this.hiddenCode;
    const RUN = colorOf('run'), HOLD = colorOf('hold'), WAIT = colorOf('wait'), LEVEL = colorOf('level');
    const takeRow = (rows: Rows, begin: number): number => {
      let r = rows.busy.findIndex((e) => e <= begin);
      if (r < 0) { r = rows.tracks.length; rows.tracks.push(new MergedTrack(R, scan)); rows.busy.push(Infinity); }
      rows.busy[r] = Infinity;
      return r;
    };
    const closeWait = (res: ScanResource, taskId: number, t: number) => {
      const w = res.openWaits.get(taskId);
      if (!w) return;
      res.openWaits.delete(taskId);
      closeRow(res.waits, w.row, w.begin, t, WAIT);
    };
    const p = this.p;
    const bodyLen = dv.getUint32(p + 4, true), stringCount = dv.getUint32(p + 8, true), count = dv.getUint32(p + 12, true);
    const endAt = p + BATCH_HEADER_SIZE + bodyLen;
    let q = p + BATCH_HEADER_SIZE;
    for (let i = 0; i < stringCount; i++) {
      const len = dv.getUint32(q, true); q += 4;
      if (q + len > endAt) { this.stopped = true; return; }
      strAt.push(q); strLen.push(len); q += len;
    }
    if (q + count * RECORD_SIZE !== endAt) { this.stopped = true; return; }
    const events = this.events;
    scan.progress = (events + count) / this.records;
    scan.remaining = this.records - events;
    let t = this.lastTime;
    for (let i = 0; i < count; i++, q += RECORD_SIZE) {
      t = dv.getFloat64(q + OFF_TIME, true);
      const type = buf[q + OFF_TYPE];
      const a = dv.getUint32(q + SUBJECT, true);
      switch (type) {
        case RecordType.TaskRunBegin: {
          const task = this.taskById(a);
          if (task) { task.runOpen = true; task.runBegin = t; }
          break;
        }
        case RecordType.TaskRunEnd: {
          const task = this.taskById(a);
          if (task && task.runOpen) { task.runOpen = false; task.runs.add(task.runBegin, t, RUN); }
          break;
        }
        case RecordType.AwaitBegin: {
          const task = this.taskById(a);
          if (!task) break;
          const code = buf[q + OFF_CODE];
          let depth = 0;
          for (const o of task.open) if (o.depth + 1 > depth) depth = o.depth + 1;
          task.open.push({ depth, target: dv.getUint32(q + F.awaitBegin.targetId, true), begin: t, color: awaitColors[code] ?? 0, hidden: hiddenCode[code] ?? false });
          break;
        }
        case RecordType.AwaitEnd: {
          const task = this.taskById(a);
          if (!task) break;
          const target = dv.getUint32(q + F.awaitEnd.targetId, true);
          const open = task.open;
          let k = open.length - 1;
          while (k >= 0 && open[k].target !== target) k--;
          if (k < 0) break;
          const o = open[k];
          // Usually the innermost await ends: pop is much cheaper than a generic splice.
          if (k === open.length - 1) open.pop(); else open.splice(k, 1);
          if (!o.hidden) (task.depths[o.depth] ??= new MergedTrack(R, scan)).add(o.begin, t, o.color);
          break;
        }
        case RecordType.TaskCreated: {
          const task: ScanTask = {
            id: a, parentId: dv.getUint32(q + F.taskCreated.parentId, true), nameAt: dv.getUint32(q + F.taskCreated.name, true), createdAt: t, endedAt: undefined, outcome: -1,
            runs: new MergedTrack(R, scan), runOpen: false, runBegin: 0, depths: [], open: [],
          };
          tasks.push(task);
          if (a < 1 << 20) this.taskArr[a] = task; else this.taskMap.set(a, task);
          break;
        }
        case RecordType.TaskRenamed: { const task = this.taskById(a); if (task) task.nameAt = dv.getUint32(q + F.taskRenamed.name, true); break; }
        case RecordType.TaskDone: {
          const task = this.taskById(a);
          if (!task) break;
          task.endedAt = t;
          task.outcome = buf[q + OFF_CODE];
          if (task.runOpen) { task.runOpen = false; task.runs.add(task.runBegin, t, RUN); }
          break;
        }
        case RecordType.ResourceCreated: {
          const kind = RESOURCE_KINDS[buf[q + OFF_CODE]] ?? 'lock';
          const res: ScanResource = {
            id: a, kind, nameAt: dv.getUint32(q + F.resourceCreated.name, true), capacity: dv.getFloat64(q + F.resourceCreated.capacity, true),
            holds: { tracks: [], busy: [] }, waits: { tracks: [], busy: [] }, openHolds: [], openWaits: new Map(),
            levels: undefined, levelAt: 0, level: 0, maxLevel: 0,
          };
          resources.push(res);
          resById.set(a, res);
          break;
        }
        case RecordType.ResourceWaitBegin: {
          const res = resById.get(a);
          if (!res) break;
          const taskId = dv.getUint32(q + F.resourceWaitBegin.taskId, true);
          const prev = res.openWaits.get(taskId);
          // The model replaces an open wait of the same task; its box stays open to the end.
          if (prev) closeRow(res.waits, prev.row, prev.begin, endTime, WAIT);
          res.openWaits.set(taskId, { row: takeRow(res.waits, t), begin: t });
          break;
        }
        case RecordType.ResourceWaitAbandoned: { const res = resById.get(a); if (res) closeWait(res, dv.getUint32(q + F.resourceWaitAbandoned.taskId, true), t); break; }
        case RecordType.ResourceAcquired: {
          const res = resById.get(a);
          if (!res) break;
          const taskId = dv.getUint32(q + F.resourceAcquired.taskId, true);
          closeWait(res, taskId, t);
          if (res.kind === 'lock' || res.kind === 'semaphore' || res.kind === 'condition') {
            res.openHolds.push({ taskId, row: takeRow(res.holds, t), begin: t });
          }
          break;
        }
        case RecordType.ResourceReleased: {
          const res = resById.get(a);
          if (!res || res.openHolds.length === 0) break;
          const taskId = dv.getUint32(q + F.resourceReleased.taskId, true);
          let k = res.openHolds.length - 1;
          while (k >= 0 && res.openHolds[k].taskId !== taskId) k--;
          // Without a task match, the oldest open hold (FIFO like the runtime's grants).
          if (k < 0) k = 0;
          const h = res.openHolds[k];
          if (k === res.openHolds.length - 1) res.openHolds.pop(); else res.openHolds.splice(k, 1);
          closeRow(res.holds, h.row, h.begin, t, HOLD);
          break;
        }
        case RecordType.ResourceSignal: {
          if (buf[q + OFF_CODE] !== PUT) break;
          const res = resById.get(a);
          if (res) closeWait(res, dv.getUint32(q + F.resourceSignal.taskId, true), t);
          break;
        }
        case RecordType.ResourceLevel: {
          const res = resById.get(a);
          if (!res) break;
          const level = dv.getFloat64(q + F.resourceLevel.level, true);
          res.levels ??= new MergedTrack(R, scan, true);
          if (res.level > 0 && t > res.levelAt) res.levels.add(res.levelAt, t, LEVEL, res.level);
          res.levelAt = t; res.level = level;
          if (level > res.maxLevel) res.maxLevel = level;
          break;
        }
        default: break;
      }
    }
    this.lastTime = t;
    this.events = events + count;
    this.p = endAt;
  }

  /**
   * The lanes of what has been read, over the whole time range; spans still open are
   * drawn to the last time read (the trace's end once done), on copies of their tracks.
   */
  picture(): CoarseScan {
    const { buf, R, scan, strAt, strLen, opts } = this;
    const until = this.done ? this.endTime : this.lastTime;
    const RUN = colorOf('run'), HOLD = colorOf('hold'), WAIT = colorOf('wait'), LEVEL = colorOf('level');
    const name = (i: number) => (i > 0 && i < strAt.length ? utf8.decode(buf.subarray(strAt[i], strAt[i] + strLen[i])) : '');
    const h = opts.rowHeight;
    const filter = opts.nameFilter.toLowerCase();
    const lanes: Lane[] = [];
    let y = 0;
    const order = spawnOrderOf(this.tasks);
    for (let k = 0; k < order.items.length; k++) {
      const task = order.items[k], indent = order.indents[k];
      const label = name(task.nameAt);
      if (filter && !label.toLowerCase().includes(filter)) continue;
      // Spans still open are drawn to the end, as in the full layout (on copies: the scan goes on).
      let runs = task.runs;
      if (task.runOpen) { runs = runs.copy(); runs.add(task.runBegin, until, RUN); }
      let depths = task.depths;
      if (task.open.length > 0) {
        depths = depths.slice();
        const copied = new Set<number>();
        for (const o of task.open.slice().sort((x, z) => x.begin - z.begin)) {
          if (o.hidden) continue;
          if (!copied.has(o.depth)) { copied.add(o.depth); depths[o.depth] = depths[o.depth]?.copy() ?? new MergedTrack(R, scan); }
          depths[o.depth].add(o.begin, until, o.color);
        }
      }
      const life = new MergedTrack(R, scan);
      life.add(task.createdAt, task.endedAt ?? until, colorOf('life'));
      const tracks: Track[] = [track(life.lod(), y, h, true), track(runs.lod(), y, h, false)];
      let rows = 1;
      for (const d of depths) if (d && d.n > 0) { tracks.push(track(d.lod(), y + rows * h, h, false)); rows++; }
      // The outcome is in the TaskDone record itself: the first picture shows end markers as the full layout does.
      const end = endMark(OUTCOMES[task.outcome], task.endedAt);
      lanes.push({ id: taskLaneId(task.id), kind: 'task', label: label || `task ${task.id}`, indent, y, height: rows * h, taskId: task.id, resourceId: 0, tracks, end });
      y += rows * h + opts.laneGap;
    }
    for (const res of this.resources) {
      if (res.kind !== 'lock' && res.kind !== 'semaphore' && res.kind !== 'queue' && res.kind !== 'condition') continue;
      const holds = openRows(res.holds, res.openHolds, until, HOLD);
      const waits = openRows(res.waits, [...res.openWaits.values()], until, WAIT);
      const rows = [...holds, ...waits];
      const tracks: Track[] = [];
      let ty = y;
      if (rows.length || !res.levels) {
        for (const row of rows.length ? rows : [new MergedTrack(R, scan)]) { tracks.push(track(row.lod(), ty, h, false)); ty += h; }
      }
      if (res.levels) {
        let levels = res.levels;
        if (res.level > 0 && until > res.levelAt) { levels = levels.copy(); levels.add(res.levelAt, until, LEVEL, res.level); }
        tracks.push(track(levels.lod(Math.max(1, res.capacity, res.maxLevel)), ty, h, false));
        ty += h;
      }
      const label = name(res.nameAt);
      lanes.push({ id: resourceLaneId(res.id), kind: 'resource', label: `${res.kind} ${label || `#${res.id}`}`, indent: 0, y, height: ty - y, taskId: 0, resourceId: res.id, tracks, end: undefined });
      y += ty - y + opts.laneGap;
    }
    return { layout: { startTime: this.startTime, endTime: this.endTime, lanes, height: Math.max(0, y - opts.laneGap), provisional: true }, events: this.events, bytes: this.p };
  }
}

const AWAIT_COLORS = AWAIT_CODES.map((k) => awaitColor(k));
const PUT = RESOURCE_SIGNALS.indexOf('put');

function closeRow(rows: Rows, row: number, begin: number, end: number, color: number): void {
  rows.tracks[row].add(begin, end, color);
  rows.busy[row] = end;
}

/** A resource's rows with its open spans added up to `until`, on copies of the rows they are in. */
function openRows(rows: Rows, open: { row: number; begin: number }[], until: number, color: number): MergedTrack[] {
  if (open.length === 0) return rows.tracks;
  const out = rows.tracks.slice();
  const copied = new Set<number>();
  for (const o of open) {
    if (!copied.has(o.row)) { copied.add(o.row); out[o.row] = out[o.row].copy(); }
    out[o.row].add(o.begin, until, color);
  }
  return out;
}

function track(lod: Lod, y: number, height: number, faint: boolean): Track {
  return new ArrayTrack(y, height, faint, undefined, [], [lod]);
}
