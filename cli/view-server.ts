/**
 * `async-trace view FILE --serve [--port N]`: serves the viewer page and the trace from
 * a local HTTP server instead of writing files; the page fetches the trace and reads it
 * as a stream (webview/standalone-data.ts), with no base64 at all. Runs until Ctrl-C.
 *
 * Only this user's browser should read the trace: the server listens on 127.0.0.1
 * only, every path starts with a random token (other local users and web pages cannot
 * guess the URL), and a request whose Host is not this address (DNS rebinding) is refused.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { externalViewerHtml, requireBundle } from './view';

export interface ViewServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function serveViewer(file: string, title: string, port = 0): Promise<ViewServer> {
  const bundle = requireBundle();
  const size = statSync(file).size;
  const token = randomBytes(16).toString('hex');
  const page = externalViewerHtml(title, bundle, { fetch: 'trace.atrace', bytes: size });
  let hosts: string[] = [];
  const server = createServer((req, res) => {
    if (!hosts.includes(req.headers.host ?? '')) { res.writeHead(403).end('wrong host\n'); return; }
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
    const url = req.url ?? '';
    if (url === `/${token}/`) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : page);
    } else if (url === `/${token}/trace.atrace`) {
      // The size of the file as the page was made for it: a file that grew since is cut there.
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size, 'cache-control': 'no-store' });
      if (req.method === 'HEAD') { res.end(); return; }
      const stream = createReadStream(file, { start: 0, end: Math.max(0, size - 1) });
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } else {
      res.writeHead(404).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  hosts = [`127.0.0.1:${actual}`, `localhost:${actual}`];
  return {
    url: `http://127.0.0.1:${actual}/${token}/`,
    server,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
