// TCP streams on loopback: real sockets, real servers, every read path, backpressure,
// the I/O wait hooks, and the seed's hand-written HTTP GET.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  run, gather, sleep, asCompleted, createTask, Event,
  openConnection, startServer, StreamReader, StreamWriter, Server,
  IncompleteReadError, LimitOverrunError,
} from '../../runtime';
import { record } from './record';

const HOST = '127.0.0.1';

/** Starts a server on a free loopback port and returns it with its port. */
async function serve(handler: (r: StreamReader, w: StreamWriter) => Promise<void>, limit?: number): Promise<[Server, number]> {
  const server = await startServer(handler, HOST, 0, limit === undefined ? undefined : { limit });
  return [server, server.sockets[0]!.port];
}

/** Echoes each line back upper-cased until EOF, then closes. */
async function upperEcho(r: StreamReader, w: StreamWriter): Promise<void> {
  for await (const line of r) {
    w.write(line.toString().toUpperCase());
    await w.drain();
  }
  w.close();
  await w.waitClosed();
}

describe('streams', () => {
  it('reads lines, exact sizes, separators and the rest until EOF', async () => {
    const got = await run(async () => {
      const [server, port] = await serve(async (_r, w) => {
        w.write('hello\nworld\n0123456789abc--end--tail');
        await w.drain();
        w.close();
      });
      const [r, w] = await openConnection(HOST, port);
      const out = {
        line1: (await r.readline()).toString(),
        line2: (await r.readline()).toString(),
        exact: (await r.readexactly(10)).toString(),
        until: (await r.readuntil('--end--')).toString(),
        rest: (await r.read()).toString(),
        atEof: r.atEof(),
        after: (await r.read(100)).length,
      };
      w.close();
      await w.waitClosed();
      server.close();
      await server.waitClosed();
      return out;
    });
    assert.deepEqual(got, { line1: 'hello\n', line2: 'world\n', exact: '0123456789', until: 'abc--end--', rest: 'tail', atEof: true, after: 0 });
  });

  it('throws IncompleteReadError with the partial bytes when the peer closes mid-read', async () => {
    const [exactErr, untilErr] = await run(async () => {
      const [server, port] = await serve(async (_r, w) => { w.write('12345'); w.close(); });
      const errs: unknown[] = [];
      for (const op of ['exact', 'until'] as const) {
        const [r, w] = await openConnection(HOST, port);
        try { await (op === 'exact' ? r.readexactly(10) : r.readuntil('\r\n')); } catch (e) { errs.push(e); }
        w.close();
      }
      server.close();
      await server.waitClosed();
      return errs;
    });
    assert.ok(exactErr instanceof IncompleteReadError);
    assert.equal(Buffer.from(exactErr.partial).toString(), '12345');
    assert.equal(exactErr.expected, 10);
    assert.ok(untilErr instanceof IncompleteReadError);
    assert.equal(Buffer.from(untilErr.partial).toString(), '12345');
    assert.equal(untilErr.expected, null);
  });

  it('throws LimitOverrunError for a line longer than the limit, and reads on after it', async () => {
    const out = await run(async () => {
      const [server, port] = await serve(async (_r, w) => {
        w.write(`short\n${'x'.repeat(100)}\nnext\n`);
        w.close();
      });
      const [r, w] = await openConnection(HOST, port, { limit: 16 });
      const lines: string[] = [];
      let overrun: unknown;
      try {
        for await (const line of r) lines.push(line.toString());
      } catch (e) { overrun = e; }
      for await (const line of r) lines.push(line.toString());
      w.close();
      server.close();
      await server.waitClosed();
      return { lines, overrun };
    });
    assert.ok(out.overrun instanceof LimitOverrunError);
    assert.deepEqual(out.lines, ['short\n', 'next\n']);
  });

  it('iterates a connection by line and serves several clients at once', async () => {
    const replies = await run(async () => {
      const [server, port] = await serve(upperEcho);
      const client = async (name: string): Promise<string[]> => {
        const [r, w] = await openConnection(HOST, port);
        w.writelines([`${name} one\n`, `${name} two\n`]);
        w.writeEof();
        const got: string[] = [];
        for await (const line of r) got.push(line.toString().trimEnd());
        await w.waitClosed();
        return got;
      };
      const all = await gather([client('a'), client('b'), client('c')]);
      server.close();
      await server.waitClosed();
      return all;
    });
    assert.deepEqual(replies, [['A ONE', 'A TWO'], ['B ONE', 'B TWO'], ['C ONE', 'C TWO']]);
  });

  it('drain() waits for the peer to read (real backpressure) and reports the I/O wait with the peer', async () => {
    const events: string[] = [];
    const total = 16 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 7);
    let drainWaiting: Event | undefined;
    const rec = record(['ioWaitBegin', 'ioWaitEnd'], (name, args) => {
      if (name === 'ioWaitBegin' && args[2] === 'drain') drainWaiting?.set();
    });
    let received = 0;
    let port = 0;
    try {
      await run(async () => {
        drainWaiting = new Event();
        const startReading = new Event();
        const [server, p] = await serve(async (r, w) => {
          await startReading.wait();
          events.push('server reads');
          while (!r.atEof()) received += (await r.read(1 << 20)).length;
          w.close();
        });
        port = p;
        const [r, w] = await openConnection(HOST, port);
        const writer = createTask(async () => {
          for (let sent = 0; sent < total; sent += chunk.length) {
            w.write(chunk);
            await w.drain();
          }
          events.push('all drained');
          w.writeEof();
        });
        await drainWaiting.wait();
        events.push('drain blocked');
        startReading.set();
        await writer;
        await r.read();
        w.close();
        await w.waitClosed();
        server.close();
        await server.waitClosed();
      });
    } finally { rec.stop(); }
    assert.deepEqual(events.slice(0, 2), ['drain blocked', 'server reads']);
    assert.equal(events.at(-1), 'all drained');
    assert.equal(received, total);
    const drains = rec.of('ioWaitBegin').filter((c) => c[2] === 'drain');
    assert.ok(drains.length >= 1);
    assert.equal(drains[0]![3], `${HOST}:${port}`);
    const streamId = drains[0]![0];
    assert.ok(rec.of('ioWaitEnd').some((c) => c[0] === streamId && c[3] === 'ok' && (c[2] as number) > 0));
  });

  it('reports a blocking read as an I/O wait on the stream with the peer address and bytes', async () => {
    const rec = record(['ioWaitBegin', 'ioWaitEnd', 'awaitBegin']);
    let port = 0;
    try {
      await run(async () => {
        const gate = new Event();
        const [server, p] = await serve(async (_r, w) => { await gate.wait(); w.write('ping'); w.close(); });
        port = p;
        const [r] = await openConnection(HOST, port);
        const reading = createTask(() => r.read(10));
        await sleep(0);
        gate.set();
        assert.equal((await reading).toString(), 'ping');
        server.close();
        await server.waitClosed();
      });
    } finally { rec.stop(); }
    const reads = rec.of('ioWaitBegin').filter((c) => c[2] === 'read');
    assert.ok(reads.length >= 1);
    const [streamId, taskId, , peer] = reads[0]!;
    assert.equal(peer, `${HOST}:${port}`);
    assert.ok((taskId as number) > 0);
    assert.ok(rec.of('ioWaitEnd').some((c) => c[0] === streamId && c[1] === taskId && c[2] === 4 && c[3] === 'ok'));
    assert.ok(rec.of('awaitBegin').some((c) => c[0] === taskId && c[1] === 'io' && c[2] === streamId));
    assert.ok(rec.of('ioWaitBegin').some((c) => c[2] === 'connect' && c[3] === `${HOST}:${port}`));
  });

  it('gives peername, sockname and the socket through getExtraInfo, and closes', async () => {
    const info = await run(async () => {
      let serverSide: [string, number] | undefined;
      const [server, port] = await serve(async (_r, w) => { serverSide = w.getExtraInfo('peername'); w.close(); });
      const [r, w] = await openConnection(HOST, port);
      await r.read();
      const out = {
        port,
        peer: w.getExtraInfo('peername'),
        sock: w.getExtraInfo('sockname'),
        isSocket: typeof w.getExtraInfo('socket').write === 'function',
        unknown: w.getExtraInfo('cipher'),
        unknownWithDefault: w.getExtraInfo('cipher', 'none'),
        closingBefore: w.isClosing(),
        closingAfter: false,
        serverSide: undefined as [string, number] | undefined,
      };
      w.close();
      out.closingAfter = w.isClosing();
      await w.waitClosed();
      server.close();
      await server.waitClosed();
      out.serverSide = serverSide;
      return out;
    });
    assert.deepEqual(info.peer, [HOST, info.port]);
    assert.equal(info.sock![0], HOST);
    assert.deepEqual(info.serverSide, [HOST, info.sock![1]]);
    assert.ok(info.isSocket);
    assert.equal(info.unknown, undefined);
    assert.equal(info.unknownWithDefault, 'none');
    assert.equal(info.closingBefore, false);
    assert.equal(info.closingAfter, true);
  });

  it('serveForever() runs until close(), and waitClosed() waits for open connections', async () => {
    const order = await run(async () => {
      const log: string[] = [];
      const [server, port] = await serve(upperEcho);
      const serving = createTask(async () => { await server.serveForever(); log.push('serveForever returned'); });
      const [r, w] = await openConnection(HOST, port);
      w.write('hi\n');
      assert.equal((await r.readline()).toString(), 'HI\n');
      assert.equal(server.isServing(), true);
      server.close();
      await serving;
      const closed = createTask(async () => { await server.waitClosed(); log.push('server closed'); });
      await sleep(0);
      log.push('client ends');
      w.writeEof();
      await r.read();
      await closed;
      return log;
    });
    assert.deepEqual(order, ['serveForever returned', 'client ends', 'server closed']);
  });

  it('rejects openConnection to a closed port and reports the connect wait as an error', async () => {
    const rec = record(['ioWaitBegin', 'ioWaitEnd']);
    let port = 0;
    let err: unknown;
    try {
      await run(async () => {
        const [server, p] = await serve(async () => {});
        port = p;
        server.close();
        await server.waitClosed();
        try { await openConnection(HOST, port); } catch (e) { err = e; }
      });
    } finally { rec.stop(); }
    assert.equal((err as NodeJS.ErrnoException).code, 'ECONNREFUSED');
    const begin = rec.of('ioWaitBegin').find((c) => c[2] === 'connect');
    assert.equal(begin?.[3], `${HOST}:${port}`);
    assert.ok(rec.of('ioWaitEnd').some((c) => c[0] === begin![0] && c[3] === 'error'));
  });

  it('cancelling serveForever() closes the server; writing after close() throws', async () => {
    const out = await run(async () => {
      const [server, port] = await serve(async (_r, w) => { w.close(); });
      const serving = createTask(() => server.serveForever());
      await sleep(0);
      serving.cancel();
      let cancelled = false;
      try { await serving; } catch { cancelled = serving.cancelled(); }
      let refused: unknown;
      try { await openConnection(HOST, port); } catch (e) { refused = e; }
      return { cancelled, serving: server.isServing(), refused };
    });
    assert.equal(out.cancelled, true);
    assert.equal(out.serving, false);
    assert.equal((out.refused as NodeJS.ErrnoException).code, 'ECONNREFUSED');
    const writeAfterClose = await run(async () => {
      const [server, port] = await serve(async (r, w) => { await r.read(); w.close(); });
      const [, w] = await openConnection(HOST, port);
      w.close();
      let e: unknown;
      try { w.write('late'); } catch (x) { e = x; }
      await w.waitClosed();
      server.close();
      await server.waitClosed();
      return e;
    });
    assert.match((writeAfterClose as Error).message, /write\(\) after close\(\)/);
  });

  it('drops connections that arrive after the serving loop has ended instead of throwing in Node', async () => {
    const server = await run(() => startServer(async (_r, w) => { w.close(); }, HOST, 0));
    const port = server.sockets[0]!.port;
    const closed = await new Promise<boolean>((resolve, reject) => {
      const c = net.connect(port, HOST);
      c.on('error', reject);
      c.on('close', () => resolve(true));
      c.resume();
    });
    assert.equal(closed, true);
    server.close();
    assert.equal(server.isServing(), false);
  });

  it('does a hand-written HTTP GET over openConnection, ten at once with asCompleted', async () => {
    const httpServer = http.createServer((req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`path=${req.url}`);
    });
    await new Promise<void>((resolve) => httpServer.listen(0, HOST, resolve));
    const { port } = httpServer.address() as AddressInfo;
    const get = async (path: string): Promise<{ status: string; body: string }> => {
      const [r, w] = await openConnection(HOST, port);
      w.write(`GET ${path} HTTP/1.0\r\nHost: ${HOST}\r\n\r\n`);
      await w.drain();
      const status = (await r.readline()).toString().trimEnd();
      let length = -1;
      for (;;) {
        const header = (await r.readuntil('\r\n')).toString();
        if (header === '\r\n') break;
        const m = /^content-length:\s*(\d+)/i.exec(header);
        if (m) length = Number(m[1]);
      }
      const body = (length >= 0 ? await r.readexactly(length) : await r.read()).toString();
      w.close();
      await w.waitClosed();
      return { status, body };
    };
    try {
      const results = await run(async () => {
        const got: { status: string; body: string }[] = [];
        const paths = Array.from({ length: 10 }, (_, i) => `/page/${i}`);
        for await (const res of asCompleted(paths.map((p) => createTask(() => get(p))))) got.push(res);
        return got;
      });
      assert.equal(results.length, 10);
      assert.ok(results.every((r) => r.status === 'HTTP/1.1 200 OK'));
      assert.deepEqual(results.map((r) => r.body).sort(), Array.from({ length: 10 }, (_, i) => `path=/page/${i}`).sort());
    } finally {
      await new Promise((resolve) => httpServer.close(resolve));
    }
  });
});
