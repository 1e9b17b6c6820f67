/**
 * The webview bundle's entry (dist/webview/main.js, a browser iife): styles, the
 * app, and the host protocol wired to a TraceFeed. The same bundle runs in the
 * VS Code panel and standalone (host.ts decides which).
 */
import { App } from './app';
import { createHost } from './host';
import { installStyles } from './styles';
import { TraceFeed } from './trace-feed';

function start(): void {
  installStyles(document);
  const container = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const host = createHost();
  const app = new App(container, host);
  let feed: TraceFeed | undefined;
  let reported: string | undefined;
  host.listen({
    reset: (m) => {
      feed = new TraceFeed();
      reported = undefined;
      app.setModel(feed.model, m.title);
    },
    chunk: (m) => {
      if (!feed) { feed = new TraceFeed(); app.setModel(feed.model, 'trace'); }
      feed.push(m.bytes);
      if (feed.error && feed.error !== reported) {
        reported = feed.error;
        host.post({ type: 'error', message: `trace decoding stopped: ${feed.error}` });
        app.ended(false, feed.error);
      }
      app.modelChanged();
    },
    end: (m) => {
      const f = feed?.finish();
      app.ended(m.complete && (f?.complete ?? true), m.message || f?.message || '');
    },
    empty: (m) => { feed = undefined; app.showEmpty(m.message, m.hint); },
  });
  (window as unknown as { asyncTraceApp?: App }).asyncTraceApp = app;
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
