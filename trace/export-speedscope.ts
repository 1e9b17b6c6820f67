/**
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json): one
 * "evented" profile per task, whose frames are the task itself and its awaits, named
 * by kind and site. Pure, no Node.
 *
 * Evented profiles must nest strictly (every close matches the innermost open frame).
 * Awaits of one task can overlap without nesting (sibling promises in a
 * `Promise.all` ending out of order), so each span is clipped to its parent's end and
 * spans that begin after their parent closed are re-parented onto the enclosing open one.
 *
 * Debugger pauses (issue 15): speedscope has no markers or global ranges, only profiles
 * of frames, so the pauses are one more profile, "debugger pauses", after the tasks': a
 * "debugger paused" frame open for each pause, on the same time axis as the tasks.
 */
import type { Site, TaskModel, TraceModelView } from './model-types';
import { coalesce, jsonArray } from './json-chunks';
import { awaitName } from './sites';

export interface SpeedscopeFrame { name: string; file?: string; line?: number; col?: number }
export interface SpeedscopeEvent { type: 'O' | 'C'; frame: number; at: number }
export interface SpeedscopeProfile {
  type: 'evented';
  name: string;
  unit: 'milliseconds';
  startValue: number;
  endValue: number;
  events: SpeedscopeEvent[];
}
export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json';
  shared: { frames: SpeedscopeFrame[] };
  profiles: SpeedscopeProfile[];
  name: string;
  activeProfileIndex: number;
  exporter: string;
}

interface Span { frame: number; begin: number; end: number; depth: number }

/**
 * Frames shared by all profiles, one per name and site (tasks of one name share a
 * frame). One map keyed by name and site together: a map per name cost ~0.5 KB per
 * uniquely named task (+500 MB peak at 5M events of `req-N` tasks).
 */
class Frames {
  readonly list: SpeedscopeFrame[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly model: TraceModelView) {}

  of(name: string, site: Site | undefined): number {
    const siteKey = site ? this.model.siteString(site) : '';
    const key = siteKey === '' ? name : `${name}\u0000${siteKey}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(site ? { name: `${name} ${siteKey}`, file: site.file, line: site.line, col: site.col } : { name });
      this.index.set(key, i);
    }
    return i;
  }
}

/** Whether `spans` is already in (begin, depth) order, so it needs no sorted copy. */
function ordered(spans: readonly Span[]): boolean {
  for (let i = 1; i < spans.length; i++) {
    const a = spans[i - 1], b = spans[i];
    if (a.begin > b.begin || (a.begin === b.begin && a.depth > b.depth)) return false;
  }
  return true;
}

/** One task's profile: its fields, and its open/close events as a generator (a task may have millions). */
function profileOf(model: TraceModelView, frames: Frames, t: TaskModel): { head: Omit<SpeedscopeProfile, 'events'>; events: () => Generator<SpeedscopeEvent> } {
  const end = model.endTime;
  const root: Span = { frame: frames.of(`task ${t.name}`, t.site), begin: t.createdAt, end: t.endedAt ?? end, depth: -1 };
  const spans: Span[] = Array.from(t.awaits, (a) => ({ frame: frames.of(`await ${awaitName(a.kind, a.site)}`, a.site), begin: a.begin, end: a.end ?? end, depth: a.depth }));
  if (!ordered(spans)) spans.sort((a, b) => a.begin - b.begin || a.depth - b.depth);
  function* events(): Generator<SpeedscopeEvent> {
    const stack: Span[] = [root];
    yield { type: 'O', frame: root.frame, at: root.begin };
    function* closeUntil(time: number): Generator<SpeedscopeEvent> {
      while (stack.length > 0 && stack[stack.length - 1].end <= time) {
        const s = stack.pop()!;
        yield { type: 'C', frame: s.frame, at: s.end };
      }
    }
    for (const s of spans) {
      const begin = Math.max(s.begin, root.begin);
      yield* closeUntil(begin);
      if (stack.length === 0) break;
      const parent = stack[stack.length - 1];
      const clipped = { frame: s.frame, begin, end: Math.min(s.end, parent.end), depth: s.depth };
      if (clipped.end < clipped.begin) continue;
      stack.push(clipped);
      yield { type: 'O', frame: clipped.frame, at: clipped.begin };
    }
    yield* closeUntil(Infinity);
  }
  return { head: { type: 'evented', name: `${t.name} #${t.id}`, unit: 'milliseconds', startValue: root.begin, endValue: root.end }, events };
}

/** The profile of the trace's debugger pauses; undefined when it has none. */
function pausesProfile(model: TraceModelView, frames: Frames): SpeedscopeProfile | undefined {
  const pauses = model.pauses ?? [];
  if (pauses.length === 0) return undefined;
  const frame = frames.of('debugger paused', undefined);
  const events: SpeedscopeEvent[] = [];
  for (const p of pauses) events.push({ type: 'O', frame, at: p.begin }, { type: 'C', frame, at: p.end });
  return { type: 'evented', name: 'debugger pauses', unit: 'milliseconds', startValue: model.startTime, endValue: Math.max(model.endTime, pauses[pauses.length - 1]!.end), events };
}

const SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

/** The whole document as one object (small traces and tests; files are written with speedscopeJson). */
export function toSpeedscope(model: TraceModelView): SpeedscopeFile {
  const frames = new Frames(model);
  const profiles = model.tasks.map((t) => {
    const p = profileOf(model, frames, t);
    return { ...p.head, events: [...p.events()] };
  });
  const paused = pausesProfile(model, frames);
  if (paused) profiles.push(paused);
  return { $schema: SCHEMA, shared: { frames: frames.list }, profiles, name: model.header?.program || 'async-trace', activeProfileIndex: 0, exporter: 'async-trace' };
}

/**
 * The document as JSON text in chunks (json-chunks.ts): what `export --format
 * speedscope` writes. Profiles come first and the shared frames last (a JSON object's
 * keys are unordered), so each profile is written as it is made and only the frames,
 * one per distinct name and site, are kept.
 */
export function speedscopeJson(model: TraceModelView): Generator<string> {
  return coalesce((function* () {
    const frames = new Frames(model);
    yield `{"$schema":${JSON.stringify(SCHEMA)},"name":${JSON.stringify(model.header?.program || 'async-trace')},"activeProfileIndex":0,"exporter":"async-trace","profiles":[`;
    let first = true;
    for (const t of model.tasks) {
      const p = profileOf(model, frames, t);
      const head = JSON.stringify(p.head);
      yield (first ? '' : ',') + head.slice(0, -1) + ',"events":';
      first = false;
      yield* jsonArray(p.events());
      yield '}';
    }
    const paused = pausesProfile(model, frames);
    if (paused) yield (first ? '' : ',') + JSON.stringify(paused);
    yield '],"shared":{"frames":';
    yield* jsonArray(frames.list);
    yield '}}\n';
  })());
}
