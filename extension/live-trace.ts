/**
 * The host's own reading of a trace as it streams in (trace/feed.ts), for the status
 * bar (events, tasks), the end-of-run summary and exports. The webview decodes the
 * same bytes itself; this copy never feeds it. A decode failure stops counting but
 * never the recording (the file keeps every byte received).
 */
import { MAGIC, SUPPORTED_VERSIONS } from '../trace/format';
import { usedRuntime } from '../trace/used-runtime';
import { TraceFeed } from '../trace/feed';

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
  private readonly feed = new TraceFeed();

  get model(): TraceFeed['model'] { return this.feed.model; }

  push(bytes: Uint8Array): void {
    this.feed.push(bytes);
  }

  summary(): TraceSummary {
    const end = this.feed.finish();
    return {
      events: this.model.eventCount,
      tasks: this.model.tasks.length,
      taskNames: this.model.tasks.map((t) => t.name),
      dropped: this.model.droppedEvents,
      complete: end.complete,
      error: end.complete ? undefined : end.message,
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
