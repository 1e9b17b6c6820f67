/**
 * A debugger pause the program never recorded (its session ended while it was stopped,
 * so it never ran again to write the record) is appended to the trace by the run: one
 * batch of `debuggerPaused` records after the program's last batch. The begin is the
 * program's own note (trace time, read when the stop began); the length is measured in
 * the extension (its own clock at the stop and at the session's end), the only clock
 * that saw the end. No vscode here, so it is unit-tested.
 */
import { TraceEncoder } from '../trace/encoder';

export interface UnrecordedPause {
  /** The program's trace time when the pause began. */
  beginTraceMs: number;
  /** Its length, measured by the extension. */
  durationMs: number;
}

/**
 * The batch to append, or undefined when there is nothing to add. `lastTime`: the latest
 * time in the trace so far (a record may not be earlier than it, so a pause whose end
 * falls before it is written at `lastTime` with its `endedBeforeUs`).
 */
export function unrecordedPauseBatch(pauses: readonly UnrecordedPause[], lastTime: number): Uint8Array | undefined {
  if (pauses.length === 0) return undefined;
  const parts: Uint8Array[] = [];
  const enc = new TraceEncoder({ batchEvents: Math.max(1, pauses.length), onBatch: (b) => parts.push(b) });
  let t = lastTime;
  for (const p of [...pauses].sort((a, b) => a.beginTraceMs - b.beginTraceMs)) {
    const end = p.beginTraceMs + Math.max(0, p.durationMs);
    t = Math.max(t, end);
    enc.debuggerPaused(t, Math.min(0xffffffff, Math.round((t - end) * 1000)), Math.max(0, p.durationMs));
  }
  const last = enc.seal();
  if (last) parts.push(last);
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of parts) { out.set(b, at); at += b.length; }
  return out;
}
