/**
 * Turning what the user passed to an executor into something a worker can run, and a
 * worker's error back into an Error in the awaiting task.
 *
 * A function crosses as its source text, so it must be self-contained: it sees only its
 * arguments, globals, and `require`. Anything it closes over is missing in the worker and
 * shows up as a ReferenceError there, which the worker rewrites into a message naming
 * the function and explaining why (worker-body.ts).
 */
import type { FnSpec, WireError } from './protocol';

/** Real code for a worker: the worker imports `module` and calls its export `export`. */
export interface ModuleRef {
  /** An absolute path, a file: URL, or a package name (resolved from the worker's cwd). */
  readonly module: string;
  readonly export: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function shape is accepted
export type ExecutorFn = ((...args: any[]) => unknown) | ModuleRef;

export function toFnSpec(fn: ExecutorFn): FnSpec {
  if (typeof fn !== 'function') {
    if (fn && typeof fn.module === 'string' && typeof fn.export === 'string') {
      return { kind: 'module', module: fn.module, export: fn.export };
    }
    throw new TypeError('executor: expected a function or a { module, export } reference');
  }
  const source = Function.prototype.toString.call(fn);
  const name = fn.name || '<anonymous>';
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new TypeError(
      `executor: the function "${name}" is native or bound, so its source cannot be sent to a worker; ` +
      'pass a self-contained function or a { module, export } reference');
  }
  return { kind: 'source', source, name };
}

export function fnName(spec: FnSpec): string {
  return spec.kind === 'source' ? spec.name : `${spec.module}#${spec.export}`;
}

const builtinErrors: Record<string, ErrorConstructor> = {
  Error, TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError,
};

/** Rebuilds a worker's error: same class for built-in errors, same message, the worker's stack. */
export function fromWire(w: WireError, jobId: number, workerIndex: number): Error {
  const Ctor = builtinErrors[w.name] ?? Error;
  const err = new Ctor(w.message);
  if (err.name !== w.name) Object.defineProperty(err, 'name', { value: w.name, configurable: true, writable: true });
  if (w.code !== undefined) (err as Error & { code?: string }).code = w.code;
  err.stack = `${w.stack}\n    at <executor job ${jobId} on worker ${workerIndex}>`;
  return err;
}
