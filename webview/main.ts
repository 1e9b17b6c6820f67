/**
 * The webview bundle's entry (dist/webview/main.js, a browser iife): styles, the
 * app, and the host protocol wired to a TraceFeed. The same bundle runs in the
 * VS Code panel and standalone (host.ts decides which).
 */
import { App } from './app';
import { FindingsView } from './findings-view';
import { CompareApp } from './compare/compare-app';
import { createHost } from './host';
import { Ingest } from './ingest';
import { installStyles } from './styles';
import { TraceFeed } from '../trace/feed';
import { awaitSiteFigures } from '../trace/analysis/site-figures';
import type { TraceModel } from '../trace/model';

function start(): void {
  installStyles(document);
  const container = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const host = createHost();
  const app = new App(container, host);
  const findings = new FindingsView(app, app.findingsElement);
  let ingest: Ingest | undefined;
  /** The name the current trace's `reset` carried (its file): the host is told its insights under it. */
  let traceName: string | undefined;
  // The findings of a complete trace, and the host's share of them: a failure of the analysis
  // is reported (the host then reads the file itself) rather than leaving it waiting.
  const analyse = (model: TraceModel): void => {
    try {
      findings.complete(model);
      const name = traceName;
      if (name !== undefined && findings.analysis) host.post({ type: 'insights', trace: name, findings: findings.analysis.findings, figures: awaitSiteFigures(model) });
    } catch (e) {
      host.post({ type: 'error', message: `the findings could not be computed: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  const open = (title: string, trace?: string): Ingest => {
    ingest?.cancel();
    traceName = trace;
    findings.reset();
    const feed = new TraceFeed();
    app.setModel(feed.model, title, trace);
    return new Ingest(app, feed, (error) => {
      host.post({ type: 'error', message: `trace decoding stopped: ${error}` });
      app.ended(false, error);
    }, { taken: () => host.post({ type: 'taken' }) });
  };
  host.listen({
    reset: (m) => { ingest = open(m.title, m.trace); },
    chunk: (m) => { (ingest ??= open('trace')).chunk(m.bytes); },
    end: (m) => {
      const current = ingest;
      if (!current) { app.ended(m.complete, m.message); return; }
      // Judged once the backlog of a big trace is decoded.
      current.end(() => {
        const f = current.feed.finish();
        app.ended(m.complete && f.complete, m.message || f.message);
        // After the frame that draws the whole model: the analysis of a long trace takes a second or
        // more (10M events), and the chart should not wait for it. Not for a trace replaced meanwhile.
        requestAnimationFrame(() => setTimeout(() => { if (ingest === current) analyse(current.feed.model); }, 0));
      });
    },
    paused: (m) => app.setPaused(m),
    resumed: () => app.setPaused(undefined),
    empty: (m) => { ingest?.cancel(); ingest = undefined; app.showEmpty(m.message, m.hint); },
    compare: (m) => {
      ingest?.cancel();
      ingest = undefined;
      const compare = new CompareApp(container, host);
      (window as unknown as { asyncTraceCompare?: CompareApp }).asyncTraceCompare = compare;
      compare.show(m.a, m.b);
    },
  });
  Object.assign(window as unknown as { asyncTraceApp?: App; asyncTraceFindings?: FindingsView }, { asyncTraceApp: app, asyncTraceFindings: findings });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
