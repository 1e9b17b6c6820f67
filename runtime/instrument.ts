/**
 * Instrument registry and the `hooks` dispatcher.
 *
 * Invariant: `hooks.on` is true iff at least one instrument is installed, so the
 * uninstrumented hot path costs one property read (`if (hooks.on) hooks.x(...)`).
 * Each hook keeps its own array of the instruments that implement it, so an unused
 * hook dispatches over nothing. An instrument that throws is removed before it is
 * reported (so a reporter that triggers hooks cannot recurse into it), then reported
 * through the running loop's exception handler (installed by loop.ts), or
 * console.error when no loop is running.
 */
import type { HookName, Instrument } from './instrument-types';

type HookFns = { [K in HookName]-?: NonNullable<Instrument[K]> };
export type Hooks = HookFns & { on: boolean };

/** Every hook name; the type below fails to compile if instrument-types.ts gains one not listed. */
const HOOK_NAMES = [
  'sitesRegistered', 'taskCreated', 'taskRenamed', 'taskRunBegin', 'taskRunEnd', 'taskDone',
  'awaitBegin', 'awaitEnd', 'wake', 'resourceCreated', 'resourceWaitBegin', 'resourceWaitAbandoned',
  'resourceAcquired', 'resourceReleased', 'resourceSignal', 'resourceLevel', 'callbackScheduled',
  'callbackBegin', 'callbackEnd', 'loopTurnBegin', 'loopTurnEnd', 'jobSubmitted', 'jobStarted',
  'jobFinished', 'ioWaitBegin', 'ioWaitEnd',
] as const satisfies readonly HookName[];
type Missing = Exclude<HookName, (typeof HOOK_NAMES)[number]>;
const _allListed: Missing extends never ? true : Missing = true;
void _allListed;

export const hookNames: readonly HookName[] = HOOK_NAMES;

const installed: Instrument[] = [];
const perHook = new Map<HookName, Instrument[]>();
for (const name of HOOK_NAMES) perHook.set(name, []);

let idCounter = 0;
/** Process-wide id for tasks, futures, resources, handles, jobs and streams; never 0. */
export function nextId(): number {
  return ++idCounter;
}

type Reporter = (message: string, error: unknown) => void;
let reporter: Reporter = (message, error) => console.error(message, error);
/** loop.ts installs a reporter that goes through the running loop's exception handler. */
export function setInstrumentErrorReporter(r: Reporter): void {
  reporter = r;
}

function fail(instrument: Instrument, hook: HookName, error: unknown): void {
  removeInstrument(instrument);
  reporter(`instrument removed: its ${hook} hook threw`, error);
}

function makeDispatcher(name: HookName): (...args: unknown[]) => void {
  const list = perHook.get(name)!;
  return (...args: unknown[]): void => {
    // Iterate a snapshot: a failing instrument is removed mid-dispatch.
    const snapshot = list.length === 1 ? list : list.slice();
    for (let i = 0; i < snapshot.length; i++) {
      const inst = snapshot[i]!;
      try {
        (inst[name] as (...a: unknown[]) => void).apply(inst, args);
      } catch (e) {
        fail(inst, name, e);
      }
    }
  };
}

const dispatch: Record<string, unknown> = { on: false };
for (const name of HOOK_NAMES) dispatch[name] = makeDispatcher(name);

export const hooks = dispatch as unknown as Hooks;

/** Installs an instrument; returns a function that removes it. */
export function addInstrument(i: Instrument): () => void {
  if (!installed.includes(i)) {
    installed.push(i);
    for (const name of HOOK_NAMES) if (typeof i[name] === 'function') perHook.get(name)!.push(i);
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
  hooks.on = installed.length > 0;
}

/** The installed instruments, in installation order (a copy). */
export function instruments(): Instrument[] {
  return installed.slice();
}
