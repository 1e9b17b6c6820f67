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

function start(): void {
  installStyles(document);
  const container = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const host = createHost();
  const app = new App(container, host);
  const findings = new FindingsView(app, app.findingsElement);
  let ingest: Ingest | undefined;
  const open = (title: string, trace?: string): Ingest => {
    ingest?.cancel();
    findings.reset();
    const feed = new TraceFeed();
    app.setModel(feed.model, title, trace);
    return new Ingest(app, feed, (error) => {
      host.post({ type: 'error', message: `trace decoding stopped: ${error}` });
      app.ended(false, error);
    });
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
        requestAnimationFrame(() => setTimeout(() => { if (ingest === current) findings.complete(current.feed.model); }, 0));
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
