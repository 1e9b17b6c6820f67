/**
 * The host's own reading of a trace as it streams in: decodes chunks with
 * trace/decoder.ts into a trace/model.ts model, for the status bar (events, tasks),
 * the end-of-run summary and exports. The webview decodes the same bytes itself;
 * this copy never feeds it. A decode failure stops counting but never the recording
 * (the file keeps every byte received).
 */
import { TraceDecoder } from '../trace/decoder';
import { MAGIC, SUPPORTED_VERSIONS } from '../trace/format';
import { TraceModel } from '../trace/model';
import { usedRuntime } from '../trace/used-runtime';

export interface TraceSummary {
  events: number;
  tasks: number;
  taskNames: string[];
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
  readonly model = new TraceModel();
  private readonly decoder = new TraceDecoder();
  private failure: string | undefined;

  push(bytes: Uint8Array): void {
    if (this.failure !== undefined) return;
    try {
      const events = this.decoder.push(bytes);
      if (this.decoder.header && !this.model.header) this.model.setHeader(this.decoder.header);
      this.model.apply(events);
    } catch (e) {
      this.failure = e instanceof Error ? e.message : String(e);
    }
  }

  summary(): TraceSummary {
    const end = this.decoder.end();
    return {
      events: this.model.eventCount,
      tasks: this.model.tasks.length,
      taskNames: this.model.tasks.map((t) => t.name),
      dropped: this.model.droppedEvents,
      complete: this.failure === undefined && end.complete,
      error: this.failure ?? end.error,
      root: this.model.header?.root,
      usedRuntime: usedRuntime(this.model),
    };
  }
}

/** Decodes a whole saved trace. */
export function readTrace(bytes: Uint8Array): LiveTrace {
  const t = new LiveTrace();
  t.push(bytes);
  return t;
}
