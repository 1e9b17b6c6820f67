/**
 * The host's own reading of a trace as it streams in: decodes chunks with
 * trace/decoder.ts into a trace/model.ts model, for the status bar (events, tasks),
 * the end-of-run summary and exports. The webview decodes the same bytes itself;
 * this copy never feeds it. A decode failure stops counting but never the recording
 * (the file keeps every byte received).
 */
import { TraceDecoder } from '../trace/decoder';
import { TraceModel } from '../trace/model';

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
    };
  }
}

/** Decodes a whole saved trace. */
export function readTrace(bytes: Uint8Array): LiveTrace {
  const t = new LiveTrace();
  t.push(bytes);
  return t;
}
