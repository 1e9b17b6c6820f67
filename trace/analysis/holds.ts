/**
 * What holders of locks and semaphore permits did during their holds, by await site,
 * and the `lock-held-across-await` finding: a holder awaited something else (a sleep, a
 * query, another lock) while other tasks waited for what it held.
 *
 * Only the awaits written in the critical section count, not the awaits nested inside
 * them (`await refresh()` is the line to look at, not the sleep three calls down):
 * an await is top-level in a hold when no other await begun in the same hold encloses
 * it. The acquisition of the held resource itself is not an await inside the hold.
 * "Others waited" is the waiting time of other tasks for that resource that overlaps
 * the await, from a step function of open waits (StepArea), so each question costs a
 * binary search; each await of each hold is visited once.
 */
import type { AwaitKind, AwaitList, HoldSpan, ResourceModel, Site, TraceModelView, TraceTime } from '../model-types';
import { formatSite } from '../sites';
import type { Finding, FindingSpan } from './finding-types';
import { StepArea } from './step-area';
import { programTime, unpausedMs } from '../pauses';

const HELD_KINDS = new Set(['lock', 'semaphore']);
/** Below this much waiting by others, an await in a hold is not worth a warning. */
export const HELD_AWAIT_MIN_MS = 1;
/** Selectable spans kept per finding (the finding's figures cover all of them). */
const MAX_SPANS = 40;

export interface HoldAwaitSite {
  resourceId: number;
  site: Site | undefined;
  kind: AwaitKind;
  /** Awaits at this site inside holds of the resource. */
  count: number;
  /** Their summed duration (inside the hold). */
  totalMs: number;
  /** Time other tasks spent waiting for the resource during those awaits. */
  othersWaitedMs: number;
  first: TraceTime;
  holderIds: number[];
  acquireSite: Site | undefined;
  spans: FindingSpan[];
}

/** Per resource id: what its holders awaited during their holds, most others' waiting first. */
export function holdAwaitSites(model: TraceModelView): Map<number, HoldAwaitSite[]> {
  const out = new Map<number, HoldAwaitSite[]>();
  for (const r of model.resources) {
    if (!HELD_KINDS.has(r.kind) || r.holds.length === 0) continue;
    const groups: Groups = { groups: new Map(), holders: new Map(), bySite: new Map() };
    // In program time: others' waiting during a debugger pause is not counted.
    const waits = r.waits;
    const begins = new Float64Array(waits.length), ends = new Float64Array(waits.length);
    let i = 0;
    for (const w of waits) {
      begins[i] = programTime(w.begin, model.pauses);
      ends[i++] = programTime(w.end ?? model.endTime, model.pauses);
    }
    const waiting = new StepArea(begins, ends);
    for (const h of r.holds) {
      const task = model.task(h.taskId);
      if (task) addTopLevelAwaits(model, groups, r, h, task.awaits, waiting);
    }
    out.set(r.id, [...groups.groups.values()].sort((a, b) => b.othersWaitedMs - a.othersWaitedMs || b.totalMs - a.totalMs));
  }
  return out;
}

interface Groups {
  /** By `kind site` as text: the grouping itself. */
  groups: Map<string, HoldAwaitSite>;
  /** A set beside each group's holder list: thousands of holders at one site (issue 16). */
  holders: Map<HoldAwaitSite, Set<number>>;
  /** The same groups by site object and kind, so most awaits need no text key. */
  bySite: Map<Site | undefined, Map<AwaitKind, HoldAwaitSite>>;
}

/** Await `i` of the holder's `awaits`, top-level in hold `h` of `r`, into its group (read by index: no span object). */
function addAwait(model: TraceModelView, { groups, holders, bySite }: Groups, r: ResourceModel, h: HoldSpan, awaits: AwaitList, i: number, waiting: StepArea): void {
  const begin = awaits.begin(i), site = awaits.site(i), kind = awaits.kind(i);
  const end = Math.min(awaits.end(i) ?? model.endTime, h.end ?? model.endTime);
  let kinds = bySite.get(site);
  if (!kinds) { kinds = new Map(); bySite.set(site, kinds); }
  let g = kinds.get(kind);
  if (!g) {
    const key = `${kind} ${site ? formatSite(site) : ''}`;
    g = groups.get(key);
    if (!g) {
      g = { resourceId: r.id, site, kind, count: 0, totalMs: 0, othersWaitedMs: 0, first: begin, holderIds: [], acquireSite: h.site, spans: [] };
      groups.set(key, g);
      holders.set(g, new Set());
    }
    kinds.set(kind, g);
  }
  const others = waiting.between(programTime(begin, model.pauses), programTime(end, model.pauses));
  g.count++;
  g.totalMs += unpausedMs(begin, end, model.pauses);
  g.othersWaitedMs += others;
  const seen = holders.get(g)!;
  if (!seen.has(h.taskId)) { seen.add(h.taskId); g.holderIds.push(h.taskId); }
  if (others > 0 && g.spans.length < MAX_SPANS) {
    g.spans.push({ type: 'await', taskId: h.taskId, begin }, { type: 'hold', resourceId: r.id, taskId: h.taskId, begin: h.begin });
  }
}

/** The awaits that begin inside the hold and are not nested in another such await, each into its group. */
function addTopLevelAwaits(model: TraceModelView, groups: Groups, r: ResourceModel, h: HoldSpan, awaits: AwaitList, waiting: StepArea): void {
  const end = h.end ?? model.endTime;
  let lo = 0, hi = awaits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (awaits.begin(mid) < h.begin) lo = mid + 1; else hi = mid;
  }
  let top = -1;
  for (let i = lo; i < awaits.length; i++) {
    const begin = awaits.begin(i);
    if (!(begin < end)) break;
    if (awaits.targetId(i) === r.id) continue;
    const aEnd = awaits.end(i);
    // The holder cannot release while it is suspended, so an await that outlasts the
    // hold began around it (stamped at the same instant as the grant), not inside it.
    if (h.end !== undefined && (aEnd === undefined || aEnd > h.end) && begin === h.begin) continue;
    if (top >= 0 && awaits.depth(top) < awaits.depth(i)) {
      const topEnd = awaits.end(top);
      if (topEnd === undefined || topEnd >= begin) continue;
    }
    top = i;
    addAwait(model, groups, r, h, awaits, i, waiting);
  }
}

/**
 * One finding per (resource, await site) where others waited at least HELD_AWAIT_MIN_MS
 * during the holders' awaits: a warning for a lock, information for a semaphore.
 * `skip`: awaits already explained by a deadlock.
 */
export function findHeldAcrossAwait(model: TraceModelView, sites: ReadonlyMap<number, HoldAwaitSite[]>, skip: (taskId: number, begin: TraceTime) => boolean): Finding[] {
  const out: Finding[] = [];
  const name = (id: number): string => model.task(id)?.name || `task ${id}`;
  for (const [rid, groups] of sites) {
    const r = model.resource(rid)!;
    for (const g of groups) {
      if (g.othersWaitedMs < HELD_AWAIT_MIN_MS) continue;
      if (g.spans.length > 0 && g.spans.every((s) => s.type !== 'await' || skip(s.taskId, s.begin))) continue;
      const holders = g.holderIds.length === 1 ? name(g.holderIds[0]) : `${g.holderIds.length} holders (${g.holderIds.slice(0, 3).map(name).join(', ')}${g.holderIds.length > 3 ? ', ...' : ''})`;
      const where = g.site ? ` at ${formatSite(g.site)}` : '';
      const res = `${r.kind} ${r.name || '(unnamed)'}`;
      out.push({
        kind: 'lock-held-across-await',
        // A semaphore usually exists to bound work that is awaited (fetches, queries):
        // worth knowing where its holders spent the time, rarely a bug. A lock held
        // across an await serialises everyone behind that await.
        severity: r.kind === 'lock' ? 'warning' : 'info',
        message: `${holders} held ${res} across await ${g.site?.label ?? g.kind}${where} `
          + `(${g.count}x, ${g.totalMs.toFixed(1)} ms) while others waited ${g.othersWaitedMs.toFixed(1)} ms for it`,
        taskIds: g.holderIds,
        resourceIds: [rid],
        sites: [g.site, g.acquireSite].filter((s): s is Site => s !== undefined),
        related: g.acquireSite ? [{ site: g.acquireSite, message: `${res} acquired here` }] : [],
        spans: g.spans,
        at: g.first,
        durationMs: g.othersWaitedMs,
      });
    }
  }
  return out;
}
