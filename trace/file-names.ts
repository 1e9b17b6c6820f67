/**
 * Names of the files Async Trace writes, in one place for the CLI and the extension:
 * recorded traces (`<program>-<yyyymmdd-hhmmss>[-<unique>].atrace` in `.async-trace/`)
 * and exports beside a trace (`<trace>.trace.json` for Chrome's trace-event format,
 * `<trace>.speedscope.json`). Pure string code.
 */

export const TRACE_SUFFIX = '.atrace';
/** Where traces go, relative to the program's folder, unless told otherwise. */
export const DEFAULT_TRACE_FOLDER = '.async-trace';

export type ExportFormat = 'chrome' | 'speedscope';
export const EXPORT_SUFFIX: Record<ExportFormat, string> = { chrome: '.trace.json', speedscope: '.speedscope.json' };

/** Local time as `yyyymmdd-hhmmss`. */
function stamp(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * The file name of a new trace of `program` (a path; its folder and extension are
 * dropped). `unique` (a few random characters) keeps two runs in the same second apart.
 */
export function traceFileName(program: string, now: Date, unique = ''): string {
  const base = program.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  return `${base}-${stamp(now)}${unique ? `-${unique}` : ''}${TRACE_SUFFIX}`;
}

/** Where an export of `traceFile` goes by default: beside it, `.atrace` replaced by the format's suffix. */
export function exportPathFor(traceFile: string, format: ExportFormat): string {
  return (traceFile.endsWith(TRACE_SUFFIX) ? traceFile.slice(0, -TRACE_SUFFIX.length) : traceFile) + EXPORT_SUFFIX[format];
}
