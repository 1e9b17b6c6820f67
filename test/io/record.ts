// A recording instrument for the I/O suites: every hook call, in order, as [name, ...args].
import { addInstrument } from '../../runtime/internal';
import type { HookName, Instrument } from '../../runtime/instrument-types';

export interface Recorder {
  readonly calls: [HookName, ...unknown[]][];
  of(name: HookName): unknown[][];
  stop(): void;
}

export function record(names: readonly HookName[], onCall?: (name: HookName, args: unknown[]) => void): Recorder {
  const calls: [HookName, ...unknown[]][] = [];
  const inst: Instrument = {};
  for (const n of names) {
    (inst as Record<string, (...a: unknown[]) => void>)[n] = (...a: unknown[]) => {
      calls.push([n, ...a]);
      onCall?.(n, a);
    };
  }
  const remove = addInstrument(inst);
  return {
    calls,
    of: (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1)),
    stop: remove,
  };
}
