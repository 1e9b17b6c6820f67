/**
 * The host's own reading of a trace as it streams in, for the status bar (events,
 * tasks), the Async Tasks view while the program runs, and the end-of-run summary. It
 * keeps no model (issue 18): the records are folded into counts and what is open now
 * (trace/live-state.ts), so its memory follows the program's live tasks, not the
 * trace's length. The webview decodes the same bytes into the one full model; findings
 * and exports read the file in a worker (extension/model-jobs.ts). A decode failure
 * stops counting but never the recording (the file keeps every byte received).
 */
import { MAGIC, SUPPORTED_VERSIONS } from '../trace/format';
import { TraceDecoder } from '../trace/decoder';
import { TraceLiveState } from '../trace/live-state';
import type { ProgramSnapshot } from '../trace/program-snapshot';

export interface TraceSummary {
  events: number;
  tasks: number;
  /** Every task's name, for a saved file's summary only (a live run keeps no list of its tasks). */
  taskNames?: string[];
  dropped: number;
  /** The stream ended on a whole batch and decoded cleanly. */
  complete: boolean;
  error: string | undefined;
  root: string | undefined;
  /** The program ran on the runtime (a build with site marks loads it even when unused). */
  usedRuntime: boolean;
}

/**
 * When `bytes` start an async-trace file in a format version this extension cannot
 * read, says so plainly (and what to do); undefined otherwise.
 */
export function unreadableVersion(bytes: Uint8Array): string | undefined {
  if (bytes.byteLength < 10 || !MAGIC.every((b, i) => bytes[i] === b)) return undefined;
  const version = bytes[8] | (bytes[9] << 8);
  if (SUPPORTED_VERSIONS.includes(version)) return undefined;
  return `This trace is in trace format version ${version}; this Async Trace extension reads version ${SUPPORTED_VERSIONS.join(', ')} only. ` +
    'It was recorded by a different async-trace runtime (the one installed in the project, or another tool): update the extension to one that matches that runtime, or install the runtime version the extension ships.';
}

export class LiveTrace {
  private readonly decoder = new TraceDecoder();
  private readonly state: TraceLiveState;
  private failure: string | undefined;

  /** `names`: also keep every task's name (a saved file's summary). */
  constructor(names = false) {
    this.state = new TraceLiveState(names);
  }

  /** The header has been read (the program connected and the trace began). */
  get started(): boolean { return this.state.header !== undefined; }

  /** The latest time seen (where debugger pauses the program did not record are appended). */
  get endTime(): number { return this.state.endTime; }

  push(bytes: Uint8Array): void {
    if (this.failure) return;
    try {
      this.decoder.pushTo(bytes, this.state);
      const end = this.decoder.end();
      // A mid-stream corruption is final; a batch still arriving is not an error yet.
      if (end.error && !end.error.startsWith('truncated')) this.failure = end.error;
    } catch (e) {
      this.failure = e instanceof Error ? e.message : String(e);
    }
  }

  /** The program's live state as recorded so far (trace/program-snapshot.ts). */
  snapshot(): ProgramSnapshot {
    return this.state.snapshot();
  }

  summary(): TraceSummary {
    const end = this.decoder.end();
    const complete = !this.failure && end.complete;
    return {
      events: this.state.eventCount,
      tasks: this.state.taskCount,
      ...(this.state.taskNames ? { taskNames: [...this.state.taskNames] } : {}),
      dropped: this.state.droppedEvents,
      complete,
      error: complete ? undefined : this.failure ?? end.error ?? '',
      root: this.state.header?.root,
      usedRuntime: this.state.usedRuntime,
    };
  }
}

/** Reads a whole saved trace (its counts, and with `names` every task's name; no model). */
export function readTrace(bytes: Uint8Array, names = false): LiveTrace {
  const t = new LiveTrace(names);
  t.push(bytes);
  return t;
}
