/**
 * Instrument registry and the `hooks` dispatcher.
 *
 * Invariant: `hooks.on` is true iff at least one instrument is installed, so the
 * uninstrumented hot path costs one property read (`if (hooks.on) hooks.x(...)`).
 * Each hook keeps its own array of the instruments that implement it, so an unused
 * hook dispatches over nothing. An instrument that throws is removed before it is
 * reported (so a reporter that triggers hooks cannot recurse into it), then reported
 * through the running loop's exception handler, or console.error when no loop is running.
 */
import type { HookName, Instrument } from './instrument-types';
import { HOOK_ARITY as ARITY, HOOK_NAMES } from '../trace/records.generated';
import { runningLoopOrUndefined } from './running-loop';

type HookFns = { [K in HookName]-?: NonNullable<Instrument[K]> };
export type Hooks = HookFns & { on: boolean };

export const hookNames: readonly HookName[] = HOOK_NAMES;

const installed: Instrument[] = [];
const perHook = new Map<HookName, Instrument[]>();
for (const name of HOOK_NAMES) perHook.set(name, []);

let idCounter = 0;
/** Process-wide id for tasks, futures, resources, handles, jobs and streams; never 0. */
export function nextId(): number {
  return ++idCounter;
}

function fail(instrument: Instrument, hook: HookName, error: unknown): void {
  removeInstrument(instrument);
  const message = `instrument removed: its ${hook} hook threw`;
  const loop = runningLoopOrUndefined();
  if (loop !== undefined) loop.callExceptionHandler({ message, exception: error });
  else console.error(message, error);
}

/** Every hook takes at most five arguments; dispatchers take five (no rest array, no apply). */
type Hook5 = (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown) => void;
type Target = Record<HookName, (...args: unknown[]) => void>;

// ARITY: how many arguments each hook passes (the record table's field count): an
// instrument sees exactly those (a `(...args)` hook sees no extra undefineds).
type Invoke = (o: Target, n: HookName, a: unknown, b: unknown, c: unknown, d: unknown, e: unknown) => void;
const INVOKE: readonly Invoke[] = [
  (o, n) => o[n](),
  (o, n, a) => o[n](a),
  (o, n, a, b) => o[n](a, b),
  (o, n, a, b, c) => o[n](a, b, c),
  (o, n, a, b, c, d) => o[n](a, b, c, d),
  (o, n, a, b, c, d, e) => o[n](a, b, c, d, e),
];

function ignore(): void {}

/**
 * The dispatcher of one hook for the instruments installed now; rebuilt on every
 * install/remove, so the common cases are straight calls: nothing for a hook no
 * instrument implements, one guarded call for the single tracer. The method is looked
 * up per call, as a plain `instrument.hook(...)` would.
 */
function makeDispatcher(name: HookName, list: readonly Instrument[]): Hook5 {
  if (list.length === 0) return ignore;
  const invoke = INVOKE[ARITY[name]]!;
  if (list.length === 1) {
    const only = list[0]! as unknown as Target;
    return (a, b, c, d, e) => {
      try {
        invoke(only, name, a, b, c, d, e);
      } catch (err) {
        fail(only as unknown as Instrument, name, err);
      }
    };
  }
  // A fixed copy: a failing instrument is removed (and the dispatchers rebuilt) mid-dispatch.
  const snapshot = list.slice() as unknown as Target[];
  return (a, b, c, d, e) => {
    for (let i = 0; i < snapshot.length; i++) {
      const inst = snapshot[i]!;
      try {
        invoke(inst, name, a, b, c, d, e);
      } catch (err) {
        fail(inst as unknown as Instrument, name, err);
      }
    }
  };
}

const dispatch: Record<string, unknown> = { on: false };
function rebuildDispatchers(): void {
  for (const name of HOOK_NAMES) dispatch[name] = makeDispatcher(name, perHook.get(name)!);
}
rebuildDispatchers();

export const hooks = dispatch as unknown as Hooks;

/** Installs an instrument; returns a function that removes it. */
export function addInstrument(i: Instrument): () => void {
  if (!installed.includes(i)) {
    installed.push(i);
    for (const name of HOOK_NAMES) if (typeof i[name] === 'function') perHook.get(name)!.push(i);
    rebuildDispatchers();
    hooks.on = true;
  }
  return () => removeInstrument(i);
}

export function removeInstrument(i: Instrument): void {
  const at = installed.indexOf(i);
  if (at < 0) return;
  installed.splice(at, 1);
  for (const list of perHook.values()) {
    const k = list.indexOf(i);
    if (k >= 0) list.splice(k, 1);
  }
  rebuildDispatchers();
  hooks.on = installed.length > 0;
}

