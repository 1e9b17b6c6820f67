/**
 * The site table: small integers standing for source positions (`file:line:col`).
 *
 * Build-time marks register their module's positions once (`registerSites`) and set
 * the pending site just before a runtime call or await (`setPendingSite`); the runtime
 * takes it (`takeSite`) when it reports the operation. Without a mark, and only when
 * stack capture is on, `takeSite` captures the first stack frame outside runtime/ and
 * registers it on first sight. Callers call takeSite() only when hooks.on, so none of
 * this costs anything uninstrumented.
 */
import { hooks } from './instrument';

let nextSite = 1;
/** Every registration so far, so an instrument installed late (startTracing) can replay them. */
const registrations: { base: number; sites: readonly string[] }[] = [];

/** The site registrations made so far, in order. */
export function registeredSites(): readonly { base: number; sites: readonly string[] }[] {
  return registrations;
}
let pending = 0;
let stackCapture = false;
const captured = new Map<string, number>();

/** Registers `sites` as consecutive ids; returns the first. Emits sitesRegistered. */
export function registerSites(sites: readonly string[]): number {
  const base = nextSite;
  nextSite += sites.length;
  registrations.push({ base, sites });
  if (hooks.on) hooks.sitesRegistered(base, sites);
  return base;
}

export function setPendingSite(id: number): void {
  pending = id;
}

export function setStackCapture(on: boolean): void {
  stackCapture = on;
}

export function stackCaptureEnabled(): boolean {
  return stackCapture;
}

/** The pending site (cleared), else a captured one when stack capture is on, else 0. */
export function takeSite(): number {
  const s = pending;
  if (s !== 0) {
    pending = 0;
    return s;
  }
  return stackCapture ? captureSite() : 0;
}

const RUNTIME_DIR = /[\\/]runtime[\\/]/;
const FRAME = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/;

function captureSite(): number {
  const stack = new Error().stack;
  if (stack === undefined) return 0;
  const lines = stack.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (RUNTIME_DIR.test(line) || line.includes('node:internal') || line.includes('node_modules')) continue;
    const m = FRAME.exec(line);
    if (m === null) continue;
    const key = `${m[1]!.replace(/^file:\/\//, '')}:${m[2]}:${m[3]}`;
    let id = captured.get(key);
    if (id === undefined) {
      id = registerSites([key]);
      captured.set(key, id);
    }
    return id;
  }
  return 0;
}
