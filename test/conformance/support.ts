/**
 * Helpers for the runtime conformance suites: run a body on a virtual-clock loop, and
 * a recording instrument.
 */
import { addInstrument, run, type Instrument } from '../../runtime/internal';

/** Runs `main` as the root task of a fresh loop whose clock is virtual. */
export function runV<T>(main: () => Promise<T>): Promise<T> {
  return run(main, { virtualTime: true });
}

export type Recorded = [string, ...unknown[]];

/** Installs an instrument recording every hook call as [name, ...args]; returns the log and a remover. */
export function record(): { log: Recorded[]; stop: () => void } {
  const log: Recorded[] = [];
  const inst = new Proxy({} as Instrument, {
    get: (_t, name: string) => (...args: unknown[]) => {
      log.push([name, ...args]);
    },
    has: () => true,
  });
  return { log, stop: addInstrument(inst) };
}
