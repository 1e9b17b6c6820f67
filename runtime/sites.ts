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
const FRAME_LINE = /^\s+at /;
const FRAME = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/;

function captureSite(): number {
  const stack = new Error().stack;
  return stack === undefined ? 0 : userFrameSite(stack, 1);
}

/**
 * Where `error` was thrown, as a site id: the innermost frame of its stack in user code
 * (source-mapped already when the program runs with --enable-source-maps, as recorded
 * programs do), registered on first sight like a captured site; 0 when the value has no
 * stack or the stack names no user frame. Only for failures (reading `stack` formats it).
 */
export function errorSite(error: unknown): number {
  if (error === null || typeof error !== 'object') return 0;
  let stack: unknown;
  try { stack = (error as { stack?: unknown }).stack; } catch { return 0; }
  return typeof stack === 'string' ? userFrameSite(stack, 0) : 0;
}

/** The first `    at ...` line of `stack` (from line `from`) outside the runtime, node_modules and node:internal. */
function userFrameSite(stack: string, from: number): number {
  const lines = stack.split('\n');
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    // The message comes first and may span lines: only frames count.
    if (!FRAME_LINE.test(line)) continue;
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
