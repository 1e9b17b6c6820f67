/**
 * The host's own reading of a trace as it streams in (trace/feed.ts), for the status
 * bar (events, tasks), the end-of-run summary and exports. The webview decodes the
 * same bytes itself; this copy never feeds it. A decode failure stops counting but
 * never the recording (the file keeps every byte received).
 */
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
    };
  }
}

/** Decodes a whole saved trace. */
export function readTrace(bytes: Uint8Array): LiveTrace {
  const t = new LiveTrace();
  t.push(bytes);
  return t;
}
