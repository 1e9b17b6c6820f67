/**
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json): one
 * "evented" profile per task, whose frames are the task itself and its awaits, named
 * by kind and site. Pure, no Node.
 *
 * Evented profiles must nest strictly (every close matches the innermost open frame).
 * Awaits of one task can overlap without nesting (sibling promises in a
 * `Promise.all` ending out of order), so each span is clipped to its parent's end and
 * spans that begin after their parent closed are re-parented onto the enclosing open one.
 */
import type { TraceModelView } from './model-types';
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

interface Span { frame: number; begin: number; end: number }

export function toSpeedscope(model: TraceModelView): SpeedscopeFile {
  const frames: SpeedscopeFrame[] = [];
  const frameIndex = new Map<string, number>();
  const frameOf = (name: string, site: { file: string; line: number; col: number } | undefined): number => {
    const key = site ? `${name}\u0000${model.siteString(site)}` : name;
    let i = frameIndex.get(key);
    if (i === undefined) {
      i = frames.length;
      frames.push(site ? { name: `${name} ${model.siteString(site)}`, file: site.file, line: site.line, col: site.col } : { name });
      frameIndex.set(key, i);
    }
    return i;
  };
  const end = model.endTime;
  const profiles: SpeedscopeProfile[] = model.tasks.map((t) => {
    const root: Span = { frame: frameOf(`task ${t.name}`, t.site), begin: t.createdAt, end: t.endedAt ?? end };
    const spans: Span[] = t.awaits
      .map((a) => ({ frame: frameOf(`await ${awaitName(a.kind, a.site)}`, a.site), begin: a.begin, end: a.end ?? end, depth: a.depth }))
      .sort((a, b) => a.begin - b.begin || a.depth - b.depth);
    const events: SpeedscopeEvent[] = [];
    const stack: Span[] = [];
    const open = (s: Span): void => { stack.push(s); events.push({ type: 'O', frame: s.frame, at: s.begin }); };
    const closeUntil = (time: number): void => {
      while (stack.length > 0 && stack[stack.length - 1].end <= time) {
        const s = stack.pop()!;
        events.push({ type: 'C', frame: s.frame, at: s.end });
      }
    };
    open(root);
    for (const s of spans) {
      const begin = Math.max(s.begin, root.begin);
      closeUntil(begin);
      if (stack.length === 0) break;
      const parent = stack[stack.length - 1];
      const clipped = { frame: s.frame, begin, end: Math.min(s.end, parent.end) };
      if (clipped.end < clipped.begin) continue;
      open(clipped);
    }
    closeUntil(Infinity);
    return { type: 'evented', name: `${t.name} #${t.id}`, unit: 'milliseconds', startValue: root.begin, endValue: root.end, events };
  });
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles,
    name: model.header?.program || 'async-trace',
    activeProfileIndex: 0,
    exporter: 'async-trace',
  };
}
