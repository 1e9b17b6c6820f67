/**
 * The first picture of a big trace, straight from its bytes: one pass over the
 * records (no event objects, no model) that lays out the same lanes and tracks as
 * layoutTrace, but with every track already merged at a resolution far under a
 * pixel at fit zoom. The app draws this while the full model is decoded in slices,
 * then replaces it with the real layout.
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
import { awaitColor, colorOf, endMark, spawnOrderOf, type FlameLayout, type Lane, type LayoutOptions, type Track } from './flame-layout';
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

/** Streams boxes of one track (in begin order, non-overlapping) into one merged level at `resolution`. */
class MergedTrack {
  begins = new Float64Array(64);
  ends = new Float64Array(64);
  colors = new Uint8Array(64);
  covered = new Float64Array(64);
  /** Level tracks: the peak level of each merged box (normalised to a fill at the end). */
  peaks: Float64Array | undefined;
  n = 0;
  private longest = 0;

  /** `scan`: the share of records read so far (this batch included) and how many are left, to size growth. */
  constructor(private readonly resolution: number, private readonly scan: ScanProgress, levels = false) {
    if (levels) this.peaks = new Float64Array(64);
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

  private grow(): void {
    // Grow to the count this track is heading for (its boxes so far over the share of the trace scanned,
    // plus a margin), at least double: a track then grows once or twice, where doubling or quadrupling
    // zeroed and collected several times its final size (typed-array allocation dominated the scan).
    // Bounded: a box takes at least two records, and no more than 16x at once (an early burst misleads).
    const n = this.begins.length;
    const expected = Math.min((n / Math.max(this.scan.progress, 1e-6)) * 1.2, n + this.scan.remaining / 2 + 16, n * 16);
    const cap = Math.max(n * 2, Math.ceil(expected));
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
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const range = timeRange(buf, dv);
  if (!range) return undefined;
  const startTime = range.first, endTime = range.last;
  const R = Math.max(resolution(endTime - startTime), 1e-12);
  /** String table: byte offset and length of each string, decoded only when a lane needs its name. */
  const strAt: number[] = [-1], strLen: number[] = [0];
  const tasks: ScanTask[] = [];
  // Ids are small sequential integers in practice: an array finds them faster than a Map (this runs per record).
  const taskArr: (ScanTask | undefined)[] = [];
  const taskMap = new Map<number, ScanTask>();
  const taskById = { get: (id: number) => (id < 1 << 20 ? taskArr[id] : taskMap.get(id)), set: (id: number, t: ScanTask) => { if (id < 1 << 20) taskArr[id] = t; else taskMap.set(id, t); } };
  const resources: ScanResource[] = [];
  const resById = new Map<number, ScanResource>();
  const awaitColors = AWAIT_CODES.map((k) => awaitColor(k));
  const hiddenCode = AWAIT_CODES.map((k) => opts.hiddenKinds.has(k));
  const RUN = colorOf('run'), HOLD = colorOf('hold'), WAIT = colorOf('wait'), LEVEL = colorOf('level');
  const PUT = RESOURCE_SIGNALS.indexOf('put');
  const takeRow = (rows: Rows, begin: number): number => {
    let r = rows.busy.findIndex((e) => e <= begin);
    if (r < 0) { r = rows.tracks.length; rows.tracks.push(new MergedTrack(R, scan)); rows.busy.push(Infinity); }
    rows.busy[r] = Infinity;
    return r;
  };
  const closeRow = (rows: Rows, row: number, begin: number, end: number, color: number) => {
    rows.tracks[row].add(begin, end, color);
    rows.busy[row] = end;
  };
  const closeWait = (res: ScanResource, taskId: number, t: number) => {
    const w = res.openWaits.get(taskId);
    if (!w) return;
    res.openWaits.delete(taskId);
    closeRow(res.waits, w.row, w.begin, t, WAIT);
  };

  const scan: ScanProgress = { progress: 0, remaining: range.records };
  let p = 0, events = 0;
  reading: while (p < range.end) {
    const bodyLen = dv.getUint32(p + 4, true), stringCount = dv.getUint32(p + 8, true), count = dv.getUint32(p + 12, true);
    const endAt = p + BATCH_HEADER_SIZE + bodyLen;
    let q = p + BATCH_HEADER_SIZE;
    for (let i = 0; i < stringCount; i++) {
      const len = dv.getUint32(q, true); q += 4;
      if (q + len > endAt) break reading;
      strAt.push(q); strLen.push(len); q += len;
    }
    if (q + count * RECORD_SIZE !== endAt) break;
    scan.progress = (events + count) / range.records;
    scan.remaining = range.records - events;
    for (let i = 0; i < count; i++, q += RECORD_SIZE) {
      const t = dv.getFloat64(q + OFF_TIME, true);
      const type = buf[q + OFF_TYPE];
      const a = dv.getUint32(q + SUBJECT, true);
      switch (type) {
        case RecordType.TaskRunBegin: {
          const task = taskById.get(a);
          if (task) { task.runOpen = true; task.runBegin = t; }
          break;
        }
        case RecordType.TaskRunEnd: {
          const task = taskById.get(a);
          if (task && task.runOpen) { task.runOpen = false; task.runs.add(task.runBegin, t, RUN); }
          break;
        }
        case RecordType.AwaitBegin: {
          const task = taskById.get(a);
          if (!task) break;
          const code = buf[q + OFF_CODE];
          let depth = 0;
          for (const o of task.open) if (o.depth + 1 > depth) depth = o.depth + 1;
          task.open.push({ depth, target: dv.getUint32(q + F.awaitBegin.targetId, true), begin: t, color: awaitColors[code] ?? 0, hidden: hiddenCode[code] ?? false });
          break;
        }
        case RecordType.AwaitEnd: {
          const task = taskById.get(a);
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
          taskById.set(a, task);
          break;
        }
        case RecordType.TaskRenamed: { const task = taskById.get(a); if (task) task.nameAt = dv.getUint32(q + F.taskRenamed.name, true); break; }
        case RecordType.TaskDone: {
          const task = taskById.get(a);
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
    events += count;
    p = endAt;
  }

  const name = (i: number) => (i > 0 && i < strAt.length ? utf8.decode(buf.subarray(strAt[i], strAt[i] + strLen[i])) : '');
  const h = opts.rowHeight;
  const filter = opts.nameFilter.toLowerCase();
  const lanes: Lane[] = [];
  let y = 0;
  for (const { item: task, indent } of spawnOrderOf(tasks)) {
    const label = name(task.nameAt);
    if (filter && !label.toLowerCase().includes(filter)) continue;
    // Spans still open at the end are drawn to the end, as in the full layout.
    if (task.runOpen) { task.runOpen = false; task.runs.add(task.runBegin, endTime, RUN); }
    const stillOpen = task.open.slice().sort((x, z) => x.begin - z.begin);
    for (const o of stillOpen) if (!o.hidden) (task.depths[o.depth] ??= new MergedTrack(R, scan)).add(o.begin, endTime, o.color);
    task.open.length = 0;
    const life = new MergedTrack(R, scan);
    life.add(task.createdAt, task.endedAt ?? endTime, colorOf('life'));
    const tracks: Track[] = [track(life.lod(), y, h, true), track(task.runs.lod(), y, h, false)];
    let rows = 1;
    for (const d of task.depths) if (d && d.n > 0) { tracks.push(track(d.lod(), y + rows * h, h, false)); rows++; }
    // The outcome is in the TaskDone record itself: the first picture shows end markers as the full layout does.
    const end = endMark(OUTCOMES[task.outcome], task.endedAt);
    lanes.push({ id: taskLaneId(task.id), kind: 'task', label: label || `task ${task.id}`, indent, y, height: rows * h, taskId: task.id, resourceId: 0, tracks, end });
    y += rows * h + opts.laneGap;
  }
  for (const res of resources) {
    if (res.kind !== 'lock' && res.kind !== 'semaphore' && res.kind !== 'queue' && res.kind !== 'condition') continue;
    for (const o of res.openHolds) closeRow(res.holds, o.row, o.begin, endTime, HOLD);
    for (const w of res.openWaits.values()) closeRow(res.waits, w.row, w.begin, endTime, WAIT);
    res.openHolds.length = 0; res.openWaits.clear();
    const rows = [...res.holds.tracks, ...res.waits.tracks];
    const tracks: Track[] = [];
    let ty = y;
    if (rows.length || !res.levels) {
      for (const row of rows.length ? rows : [new MergedTrack(R, scan)]) { tracks.push(track(row.lod(), ty, h, false)); ty += h; }
    }
    if (res.levels) {
      if (res.level > 0 && endTime > res.levelAt) res.levels.add(res.levelAt, endTime, LEVEL, res.level);
      tracks.push(track(res.levels.lod(Math.max(1, res.capacity, res.maxLevel)), ty, h, false));
      ty += h;
    }
    const label = name(res.nameAt);
    lanes.push({ id: resourceLaneId(res.id), kind: 'resource', label: `${res.kind} ${label || `#${res.id}`}`, indent: 0, y, height: ty - y, taskId: 0, resourceId: res.id, tracks, end: undefined });
    y += ty - y + opts.laneGap;
  }
  return { layout: { startTime, endTime, lanes, height: Math.max(0, y - opts.laneGap), provisional: true }, events, bytes: range.end };
}

function track(lod: Lod, y: number, height: number, faint: boolean): Track {
  return { y, height, faint, fill: undefined, refs: [], lods: [lod] };
}
