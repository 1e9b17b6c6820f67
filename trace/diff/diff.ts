/**
 * The diff of two traces (`async-trace diff`, the compare views): resources, await
 * sites and groups of tasks of run A paired with those of run B (pairing.ts), each
 * figure judged against its run-to-run spread (noise.ts), and findings added and
 * resolved. Pure, no Node or DOM: the CLI, the extension and the webview share it.
 */
import type { TraceModelView } from '../model-types';
import { collectResources, collectSites, collectTaskGroups, type ResourceEntry, type SiteGroup, type TaskGroup } from './collect';
import { isChange, Samples, type Figure } from './noise';
import { pairItems, siteKeys, type Pairable } from './pairing';

/** A finding as the diff sees it (trace/analysis's findings fit): paired across runs by kind and sites. */
export interface FindingLike {
  kind: string;
  severity?: string;
  message?: string;
  /** `path:line:col`, the most telling first. */
  sites: readonly string[];
}

export interface NamedFigure { name: string; fig: Figure; changed: boolean }

export interface DiffRow<T> {
  title: string;
  a: T | undefined;
  b: T | undefined;
  figures: NamedFigure[];
  /** Names of the figures that changed beyond the noise rule. */
  changed: string[];
  /** How big the change is, for "biggest first": the largest |Δ| of a changed time figure, in ms. */
  magnitudeMs: number;
}

export interface SideSummary {
  program: string;
  durationMs: number;
  events: number;
  /** When the first root task was created: the compare view's time 0 for this run. */
  rootStartMs: number;
  tasks: { total: number; completed: number; cancelled: number; failed: number; pending: number };
}

export interface TraceDiff {
  a: SideSummary;
  b: SideSummary;
  resources: DiffRow<ResourceEntry>[];
  awaitSites: DiffRow<SiteGroup>[];
  taskGroups: DiffRow<TaskGroup>[];
  /** Undefined when no findings were given. */
  findings: { added: FindingLike[]; resolved: FindingLike[]; kept: number } | undefined;
  /** Site `path:line:col` in A → its pair in B, over every site the two traces name. */
  siteMap: ReadonlyMap<string, string>;
}

export type AnyRow = DiffRow<ResourceEntry> | DiffRow<SiteGroup> | DiffRow<TaskGroup>;

/** Every row of a diff: resources, await sites, groups of tasks. */
export function allRows(d: TraceDiff): AnyRow[] {
  return [...d.resources, ...d.awaitSites, ...d.taskGroups];
}

/** The rows that changed beyond the noise rule, biggest change first. */
export function changedRows(d: TraceDiff): AnyRow[] {
  return allRows(d).filter((r) => r.changed.length > 0).sort((x, y) => y.magnitudeMs - x.magnitudeMs);
}

export interface DiffInput { findingsA?: readonly FindingLike[]; findingsB?: readonly FindingLike[] }

const ZERO = new Samples([]);

function summary(m: TraceModelView): SideSummary {
  const tasks = { total: m.tasks.length, completed: 0, cancelled: 0, failed: 0, pending: 0 };
  let rootStart = Infinity;
  for (const t of m.tasks) {
    if (t.outcome === 'ok') tasks.completed++;
    else if (t.outcome === 'cancelled') tasks.cancelled++;
    else if (t.outcome === 'error') tasks.failed++;
    else tasks.pending++;
    if (t.parentId === 0 && t.createdAt < rootStart) rootStart = t.createdAt;
  }
  return {
    program: m.header?.program ?? '', durationMs: m.endTime - m.startTime, events: m.eventCount,
    rootStartMs: Number.isFinite(rootStart) ? rootStart : m.startTime, tasks,
  };
}

function row<T>(title: string, a: T | undefined, b: T | undefined, figures: { name: string; fig: Figure }[]): DiffRow<T> {
  const judged = figures.map((f) => ({ ...f, changed: isChange(f.fig) }));
  let magnitudeMs = 0;
  for (const f of judged) if (f.changed && f.fig.unit === 'ms' && !f.name.startsWith('mean') && !f.name.startsWith('p')) magnitudeMs = Math.max(magnitudeMs, Math.abs(f.fig.b - f.fig.a));
  // A row whose only changes are counts or percentiles still ranks by how much time it moved.
  if (magnitudeMs === 0) for (const f of judged) if (f.changed && f.fig.unit === 'ms') magnitudeMs = Math.max(magnitudeMs, Math.abs(f.fig.b - f.fig.a));
  return { title, a, b, figures: judged, changed: judged.filter((f) => f.changed).map((f) => f.name), magnitudeMs };
}

const fig = (unit: Figure['unit'], a: number, b: number, spreadA = 0, spreadB = 0): Figure => ({ a, b, spreadA, spreadB, unit });

const percentile = (p: number, a: number, b: number, sa: Samples, sb: Samples): Figure =>
  ({ ...fig('ms', a, b, sa.percentileSpread(p), sb.percentileSpread(p)), judged: sa.judges(p) && sb.judges(p) });

function resourceRow(a: ResourceEntry | undefined, b: ResourceEntry | undefined): DiffRow<ResourceEntry> {
  const s = (a ?? b as ResourceEntry).stats;
  const sa = a?.stats, sb = b?.stats;
  const wa = a?.waits ?? ZERO, wb = b?.waits ?? ZERO, ha = a?.holds ?? ZERO, hb = b?.holds ?? ZERO;
  return row(`${s.kind} ${s.name || `(unnamed, created at ${s.site ?? '?'})`}`, a, b, [
    { name: 'totalWaitMs', fig: fig('ms', sa?.totalWaitMs ?? 0, sb?.totalWaitMs ?? 0, wa.totalSpread, wb.totalSpread) },
    { name: 'totalHoldMs', fig: fig('ms', sa?.totalHoldMs ?? 0, sb?.totalHoldMs ?? 0, ha.totalSpread, hb.totalSpread) },
    { name: 'p50WaitMs', fig: percentile(50, sa?.p50WaitMs ?? 0, sb?.p50WaitMs ?? 0, wa, wb) },
    { name: 'p99WaitMs', fig: percentile(99, sa?.p99WaitMs ?? 0, sb?.p99WaitMs ?? 0, wa, wb) },
    { name: 'acquisitions', fig: fig('count', sa?.acquisitions ?? 0, sb?.acquisitions ?? 0) },
    { name: 'contended', fig: fig('count', sa?.contended ?? 0, sb?.contended ?? 0,
      Samples.shareSpread(sa?.contended ?? 0, sa?.acquisitions ?? 0), Samples.shareSpread(sb?.contended ?? 0, sb?.acquisitions ?? 0)) },
  ]);
}

/** `sleep() at prog.ts:8:13 in main.worker`, `done.get() (queue) at a.ts:3:5 → a.ts:8:5 in main` for a moved site. */
function siteRowTitle(a: SiteGroup | undefined, b: SiteGroup | undefined): string {
  const g = (b ?? a) as SiteGroup;
  const sites = a && b && a.siteText !== b.siteText ? `${a.siteText} → ${b.siteText}` : g.siteText;
  // The callee as written, with the kind when the callee does not say it.
  const label = g.site?.label;
  const name = !label ? g.kind : g.kind === 'promise' || label.toLowerCase().includes(g.kind) ? label : `${label} (${g.kind})`;
  return `${name} at ${sites}${g.site?.fn ? ` in ${g.site.fn}` : ''}`;
}

function siteRow(a: SiteGroup | undefined, b: SiteGroup | undefined): DiffRow<SiteGroup> {
  const da = a?.durations ?? ZERO, db = b?.durations ?? ZERO;
  return row(siteRowTitle(a, b), a, b, [
    { name: 'totalMs', fig: fig('ms', da.total, db.total, da.totalSpread, db.totalSpread) },
    { name: 'meanMs', fig: fig('ms', da.mean, db.mean, da.meanSpread, db.meanSpread) },
    // Waits on a resource happen only when it is busy, so how many there are is chance (√n); other awaits the program decides.
    { name: 'count', fig: BLOCKING.has((a ?? b as SiteGroup).kind) ? fig('count', da.count, db.count, Math.sqrt(da.count), Math.sqrt(db.count)) : fig('count', da.count, db.count) },
  ]);
}

/** Await kinds recorded only when the await blocked (a free lock or a non-empty queue does not wait). */
const BLOCKING = new Set(['lock', 'semaphore', 'event', 'condition', 'queue', 'barrier']);

function taskRow(a: TaskGroup | undefined, b: TaskGroup | undefined): DiffRow<TaskGroup> {
  const la = a?.lifetimes ?? ZERO, lb = b?.lifetimes ?? ZERO;
  return row(`tasks ${(a ?? b as TaskGroup).name}`, a, b, [
    { name: 'meanMs', fig: fig('ms', la.mean, lb.mean, a?.meanSpread ?? 0, b?.meanSpread ?? 0) },
    { name: 'count', fig: fig('count', la.count, lb.count) },
    { name: 'failed', fig: fig('count', a?.failed ?? 0, b?.failed ?? 0) },
    { name: 'cancelled', fig: fig('count', a?.cancelled ?? 0, b?.cancelled ?? 0) },
    { name: 'pending', fig: fig('count', a?.pending ?? 0, b?.pending ?? 0) },
  ]);
}

function paired<T, R>(as: T[], bs: T[], keys: (x: T) => Pairable, make: (a: T | undefined, b: T | undefined) => R): R[] {
  const p = pairItems(as.map(keys), bs.map(keys));
  return [
    ...p.pairs.map(([i, j]) => make(as[i], bs[j])),
    ...p.onlyA.map((i) => make(as[i], undefined)),
    ...p.onlyB.map((j) => make(undefined, bs[j])),
  ];
}

/** Changed rows first, biggest change first; then the rest by size in A (then B). */
function ranked<T>(rows: DiffRow<T>[], size: (r: DiffRow<T>) => number): DiffRow<T>[] {
  return rows.sort((x, y) => (y.changed.length > 0 ? 1 : 0) - (x.changed.length > 0 ? 1 : 0) || y.magnitudeMs - x.magnitudeMs || size(y) - size(x));
}

/** Every distinct site a trace names (tasks, awaits, resources), for mapping finding sites across runs. */
function allSites(m: TraceModelView): Pairable[] {
  const seen = new Map<string, Pairable>();
  const add = (site: Parameters<typeof siteKeys>[1]) => {
    if (!site) return;
    const k = siteKeys('', site);
    if (!seen.has(k.exact)) seen.set(k.exact, k);
  };
  for (const t of m.tasks) { add(t.site); for (const a of t.awaits) add(a.site); }
  for (const r of m.resources) { add(r.site); for (const h of r.holds) add(h.site); for (const w of r.waits) add(w.site); }
  return [...seen.values()];
}

const position = (p: Pairable): string => `${p.file}:${p.line}:${p.col}`;

function diffFindings(as: readonly FindingLike[], bs: readonly FindingLike[], siteMap: ReadonlyMap<string, string>): NonNullable<TraceDiff['findings']> {
  const key = (f: FindingLike, map: boolean) => `${f.kind}\0${f.sites.map((s) => (map ? siteMap.get(s) ?? s : s)).join('\0')}`;
  const left = new Map<string, number>();
  for (const b of bs) left.set(key(b, false), (left.get(key(b, false)) ?? 0) + 1);
  const resolved: FindingLike[] = [];
  let kept = 0;
  const matched = new Map<string, number>();
  for (const a of as) {
    const k = key(a, true);
    const n = left.get(k) ?? 0;
    if (n > 0) { left.set(k, n - 1); matched.set(k, (matched.get(k) ?? 0) + 1); kept++; } else resolved.push(a);
  }
  const added: FindingLike[] = [];
  for (const b of bs) {
    const k = key(b, false);
    const m = matched.get(k) ?? 0;
    if (m > 0) matched.set(k, m - 1); else added.push(b);
  }
  return { added, resolved, kept };
}

export function diffTraces(a: TraceModelView, b: TraceModelView, input: DiffInput = {}): TraceDiff {
  const resA = collectResources(a), resB = collectResources(b);
  const named = (l: ResourceEntry[], yes: boolean) => l.filter((r) => (r.stats.name !== '') === yes);
  const namedKeys = (r: ResourceEntry): Pairable => {
    const k = `${r.stats.kind}\0${r.stats.name}`;
    return { exact: k, group: k, file: '', line: 0, col: 0 };
  };
  // Unnamed resources pair by creation site; the site lives in the model the entry came from.
  const unnamedKeys = (model: TraceModelView) => (r: ResourceEntry): Pairable => siteKeys(r.stats.kind, model.resource(r.stats.resourceId)?.site);
  const unA = named(resA, false), unB = named(resB, false);
  const pu = pairItems(unA.map(unnamedKeys(a)), unB.map(unnamedKeys(b)));
  const resources = [
    ...paired(named(resA, true), named(resB, true), namedKeys, resourceRow),
    ...pu.pairs.map(([i, j]) => resourceRow(unA[i], unB[j])),
    ...pu.onlyA.map((i) => resourceRow(unA[i], undefined)),
    ...pu.onlyB.map((j) => resourceRow(undefined, unB[j])),
  ];
  const awaitSites = paired(collectSites(a), collectSites(b), (g) => siteKeys(g.kind, g.site), siteRow);
  const tasksKey = (g: TaskGroup): Pairable => ({ exact: g.name, group: g.name, file: '', line: 0, col: 0 });
  const taskGroups = paired(collectTaskGroups(a), collectTaskGroups(b), tasksKey, taskRow);

  const sa = allSites(a), sb = allSites(b);
  const ps = pairItems(sa, sb);
  const siteMap = new Map<string, string>();
  for (const [i, j] of ps.pairs) siteMap.set(position(sa[i]), position(sb[j]));

  return {
    a: summary(a),
    b: summary(b),
    resources: ranked(resources, (r) => (r.a ?? r.b)?.stats.totalWaitMs ?? 0),
    awaitSites: ranked(awaitSites, (r) => (r.a ?? r.b)?.durations.total ?? 0),
    taskGroups: ranked(taskGroups, (r) => (r.a ?? r.b)?.lifetimes.total ?? 0),
    findings: input.findingsA && input.findingsB ? diffFindings(input.findingsA, input.findingsB, siteMap) : undefined,
    siteMap,
  };
}
