/**
 * The code that runs inside every executor worker, thread or process.
 *
 * Invariant: `workerBody` is self-contained. It uses only its parameters and globals,
 * never an import or a module-level binding, because the pools ship it to workers as
 * source (`workerBody.toString()`, see worker-source.ts) so that executors work the
 * same from the bundled runtime and from TypeScript source under tsx. Type-only imports
 * are fine: they are erased.
 */
import type { FnSpec, FromWorker, ToWorker, WireError, WorkerTransport } from './protocol';

type Loader = (id: string) => unknown;

export function workerBody(transport: WorkerTransport, load: Loader): void {
  // esbuild (and so tsx) may wrap named inner functions in `__name(fn, "name")`; a
  // function shipped as source carries those calls with it, so the worker provides it.
  const nameHelper = (fn: unknown, name: string): unknown => {
    try { Object.defineProperty(fn, 'name', { value: name, configurable: true }); } catch { /* frozen */ }
    return fn;
  };
  // Compiled functions by source, least recently used first (Map keeps insertion order).
  // Bounded: a program that builds a new source per job must not grow the worker forever.
  const COMPILED_MAX = 256;
  const compiled = new Map<string, (...args: unknown[]) => unknown>();
  const modules = new Map<string, Promise<Record<string, unknown>>>();

  const compile = (source: string, name: string): ((...args: unknown[]) => unknown) => {
    let fn = compiled.get(source);
    if (fn) {
      compiled.delete(source);
      compiled.set(source, fn);
      return fn;
    }
    let value: unknown;
    try {
      value = new Function('require', '__name', `"use strict"; return (${source});`)(load, nameHelper);
    } catch (e) {
      throw new SyntaxError(
        `executor: the function "${name}" could not be compiled from its source in the worker ` +
        `(${(e as Error).message}). Pass a plain function or arrow function expression, ` +
        'or a { module, export } reference.');
    }
    if (typeof value !== 'function') throw new TypeError(`executor: the source of "${name}" is not a function`);
    fn = value as (...args: unknown[]) => unknown;
    compiled.set(source, fn);
    if (compiled.size > COMPILED_MAX) compiled.delete(compiled.keys().next().value as string);
    return fn;
  };

  const importModule = (specifier: string): Promise<Record<string, unknown>> => {
    let p = modules.get(specifier);
    if (!p) {
      p = (import(specifier) as Promise<Record<string, unknown>>).catch(async (e: { code?: string }) => {
        // TypeScript modules: use tsx's loader when it is installed (tests run from source).
        if (e && e.code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.[cm]?tsx?$/.test(specifier)) {
          // Built at run time: a minifier folds a plain string constant into `import("tsx/esm/api")`,
          // which every bundler that later bundles this runtime then tries to resolve
          // (scripts/build.mjs refuses a runtime bundle with such a literal import).
          const tsxApi = ['tsx', 'esm', 'api'].join('/');
          const api = (await import(tsxApi)) as { tsImport(s: string, parent: string): Promise<Record<string, unknown>> };
          return api.tsImport(specifier, 'file://' + process.cwd() + '/');
        }
        throw e;
      });
      modules.set(specifier, p);
    }
    return p;
  };

  const resolve = async (spec: FnSpec): Promise<(...args: unknown[]) => unknown> => {
    if (spec.kind === 'source') return compile(spec.source, spec.name);
    const mod = await importModule(spec.module);
    // A CommonJS module imported from ESM puts its exports on `default` as well.
    const fromDefault = mod.default as Record<string, unknown> | undefined;
    const fn = mod[spec.export] ?? (fromDefault && typeof fromDefault === 'object' ? fromDefault[spec.export] : undefined);
    if (typeof fn !== 'function') {
      throw new TypeError(`executor: module "${spec.module}" has no function export "${spec.export}"`);
    }
    return fn as (...args: unknown[]) => unknown;
  };

  const toWire = (e: unknown, spec: FnSpec): WireError => {
    const err = e instanceof Error ? e : new Error(String(e));
    let message = err.message;
    if (spec.kind === 'source' && err.name === 'ReferenceError') {
      message = `${message} (in executor function "${spec.name}": functions are sent to the worker as source ` +
        'and run in its global scope, so they cannot use closures or imports from where they were written; ' +
        'pass values as arguments, use require() inside the function, or pass a { module, export } reference)';
    }
    const stack = typeof err.stack === 'string' ? err.stack.replace(err.message, message) : `${err.name}: ${message}`;
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? { name: err.name, message, stack, code } : { name: err.name, message, stack };
  };

  const post = (msg: FromWorker, spec: FnSpec): void => {
    try {
      transport.post(msg);
    } catch (e) {
      // Typically a result that structured clone cannot copy (a function, a socket...).
      transport.post({ type: 'done', jobId: msg.jobId, ok: false, error: toWire(e, spec) });
    }
  };

  transport.onMessage((msg: ToWorker) => {
    if (msg.type !== 'run') return;
    const spec = msg.fn;
    resolve(spec)
      .then((fn) => fn(...msg.args))
      .then(
        (value) => post({ type: 'done', jobId: msg.jobId, ok: true, value }, spec),
        (e: unknown) => post({ type: 'done', jobId: msg.jobId, ok: false, error: toWire(e, spec) }, spec),
      );
  });
}
