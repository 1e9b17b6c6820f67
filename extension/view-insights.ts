/**
 * The findings of a trace the webview already holds (issue 18: the webview has the one
 * full model). When a view shows the trace whose findings the host needs, the host asks
 * that view instead of building a second model from the file; the webview sends
 * `insights` once it has analysed the complete trace (webview/main.ts).
 *
 * A wait never hangs on a view that cannot answer: it is refused when the view shows
 * another trace, is hidden (a hidden webview is torn down and only replays when shown
 * again) or gone, and it fails when any of that happens before the answer, or when the
 * webview reports an error. The caller then reads the file (extension/model-jobs.ts).
 * No vscode: unit-tested.
 */
import type { TraceInsightsResult } from './trace-jobs';

interface Pending {
  trace: string;
  resolve: (r: TraceInsightsResult) => void;
  reject: (e: Error) => void;
}

export class ViewInsights {
  private pending: Pending[] = [];
  private shown: string | undefined;
  private answerable = true;

  /** The trace the view shows now (its file), or undefined (empty state, compare view, a trace without a file). */
  showing(trace: string | undefined): void {
    if (trace === this.shown) return;
    this.shown = trace;
    this.failAll(trace === undefined ? 'the view no longer shows it' : 'the view shows another trace now');
  }

  /** Whether the view can answer now (visible and not disposed). Becoming unable fails every wait. */
  canAnswer(on: boolean, why = 'the view was hidden'): void {
    this.answerable = on;
    if (!on) this.failAll(why);
  }

  /** The webview reported a failure (its decoding or its analysis): it will not answer. */
  failed(message: string): void {
    this.failAll(`the webview reported: ${message}`);
  }

  /** The webview's answer for `trace`; an answer nobody waits for (a reload's replay) is dropped. */
  answer(trace: string, result: TraceInsightsResult): void {
    const [mine, others] = partition(this.pending, (p) => p.trace === trace);
    this.pending = others;
    for (const p of mine) p.resolve(result);
  }

  /** A promise of `trace`'s insights from this view, or undefined when the view cannot give them. */
  wait(trace: string): Promise<TraceInsightsResult> | undefined {
    if (!this.answerable || this.shown !== trace) return undefined;
    return new Promise((resolve, reject) => { this.pending.push({ trace, resolve, reject }); });
  }

  private failAll(why: string): void {
    const all = this.pending;
    this.pending = [];
    for (const p of all) p.reject(new Error(why));
  }
}

function partition<T>(xs: readonly T[], f: (x: T) => boolean): [T[], T[]] {
  const yes: T[] = [], no: T[] = [];
  for (const x of xs) (f(x) ? yes : no).push(x);
  return [yes, no];
}
