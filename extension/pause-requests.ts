/**
 * What the extension evaluates in a traced program around a debugger stop (the runtime
 * side is runtime/tracer/index.ts), and how it reads the answers. No vscode here, so it
 * is unit-tested.
 */
/** What the program answers `typeof fn === 'function' ? fn(phase, atUnixMs) : -1` with, as a number (-1: not traced). */
const pauseCall = (phase: 'begin' | 'end', atUnixMs: number): string =>
  `(() => { const f = globalThis[Symbol.for('async-trace.debuggerPaused')]; return typeof f === 'function' ? f('${phase}', ${Number.isFinite(atUnixMs) ? atUnixMs : 'undefined'}) : -1; })()`;
/** Evaluated in the stopped program: it notes when the pause began (`stopUnixMs`: when the extension saw the stop), on its trace clock; answers that time. */
export const pauseBeginExpression = (stopUnixMs: number): string => pauseCall('begin', stopUnixMs);
/** Evaluated once it runs again (`resumeUnixMs`: when the extension resumed it): it writes the `debuggerPaused` record; answers the pause's ms. */
export const pauseEndExpression = (resumeUnixMs: number): string => pauseCall('end', resumeUnixMs);
/** Evaluated in the stopped program: it sends the trace it still buffers; answers `{"through":bytes,"held":bytes}` ('' when not traced). */
export const traceUpToPauseExpression = "(() => { const f = globalThis[Symbol.for('async-trace.traceUpToPause')]; return typeof f === 'function' ? f() : ''; })()";

/** What the program answered traceUpToPauseExpression with, or undefined. */
export function parseUpToPause(result: string | undefined): { through: number; held: number } | undefined {
  let text = (result ?? '').trim();
  if (/^(['"]).*\1$/.test(text)) text = text.slice(1, -1);
  if (text === '') return undefined;
  try {
    const v = JSON.parse(text) as { through?: unknown; held?: unknown };
    return typeof v.through === 'number' && typeof v.held === 'number' ? { through: v.through, held: v.held } : undefined;
  } catch {
    return undefined;
  }
}
