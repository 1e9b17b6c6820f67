import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeTrace } from '../../trace/decoder';
import type { TraceEvent } from '../../trace/events';
import { hooks } from '../../runtime/instrument';
import { registerSites } from '../../runtime/sites';
import { parseTraceTarget } from '../../trace/transport';
import { startTracing, stopTracing, tracingStatus } from '../../runtime/tracer';
import { RUNTIME_VERSION } from '../../runtime/tracer/version';

const repo = path.resolve(__dirname, '../..');
let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-')); });
afterEach(async () => { await stopTracing(); rmSync(dir, { recursive: true, force: true }); });

/** The handles of the trace's exitHandles record. */
function exitHandles(events: TraceEvent[]): string[] | undefined {
  const e = events.find((x) => x.type === 'exitHandles');
  return e?.type === 'exitHandles' ? e.handles : undefined;
}

function types(events: TraceEvent[]): string[] {
  return events.map((e) => e.type);
}

/** Events other than site registrations (every trace starts by naming the sites registered so far). */
function noSites(events: TraceEvent[]): TraceEvent[] {
  return events.filter((e) => e.type !== 'sitesRegistered');
}

/**
 * A unix-socket reader that reads nothing until `release()` (a recorder that fell
 * behind): the kernel's socket buffer fills and the tracer's queue passes its bound.
 */
async function stalledReader(sock: string, token = 'slow'): Promise<{ address: string; release(): void; events(): Promise<TraceEvent[]> }> {
  const received: Buffer[] = [];
  let conn: Socket | undefined;
  let released = false;
  let ended!: () => void;
  const closed = new Promise<void>((resolve) => { ended = resolve; });
  const server = createServer((c) => {
    conn = c;
    if (!released) c.pause();
    c.on('data', (d) => received.push(d));
    c.on('end', () => { server.close(); ended(); });
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  return {
    address: `unix:${sock}#${token}`,
    release: () => { released = true; conn?.resume(); },
    events: async () => {
      await closed;
      const all = Buffer.concat(received);
      const line = `ATRACE-TOKEN ${token}\n`;
      assert.equal(all.subarray(0, line.length).toString('latin1'), line);
      return decodeTrace(all.subarray(line.length)).events;
    },
  };
}

describe('tracer', () => {
  it('writes a header and the hooks it hears to a file, decodable after stopTracing', async () => {
    const file = path.join(dir, 't.atrace');
    startTracing({ target: file, program: 'demo.ts', root: dir });
    hooks.sitesRegistered(1, ['demo.ts:3:1']);
    hooks.taskCreated(5, 0, 'main', 1);
    hooks.taskRunBegin(5);
    hooks.awaitBegin(5, 'sleep', 6, 1);
    hooks.awaitEnd(5, 6, 'ok');
    hooks.taskDone(5, 'ok', '');
    await stopTracing();
    const t = decodeTrace(readFileSync(file));
    t.events = t.events.filter((e) => e.type !== 'sitesRegistered' || e.sites[0] === 'demo.ts:3:1');
    assert.equal(t.complete, true);
    assert.equal(t.header.program, 'demo.ts');
    assert.equal(t.header.root, dir);
    assert.equal(t.header.pid, process.pid);
    assert.equal(t.header.runtimeVersion, RUNTIME_VERSION);
    assert.deepEqual(types(t.events), ['sitesRegistered', 'taskCreated', 'taskRunBegin', 'awaitBegin', 'awaitEnd', 'taskDone']);
    assert.deepEqual(t.events[1], { type: 'taskCreated', time: t.events[1].time, taskId: 5, parentId: 0, name: 'main', site: 1 });
    for (let i = 1; i < t.events.length; i++) assert.ok(t.events[i].time >= t.events[i - 1].time);
  });

  it('names the sites registered before tracing started, then the new ones', async () => {
    const file = path.join(dir, 't.atrace');
    const early = registerSites(['early.ts:1:1', 'early.ts:2:1']);
    startTracing({ target: file });
    const late = registerSites(['late.ts:9:9']);
    await stopTracing();
    const regs = decodeTrace(readFileSync(file)).events.filter((e) => e.type === 'sitesRegistered');
    const named = new Map<number, string>();
    for (const r of regs) if (r.type === 'sitesRegistered') r.sites.forEach((s, i) => named.set(r.base + i, s));
    assert.equal(named.get(early), 'early.ts:1:1');
    assert.equal(named.get(early + 1), 'early.ts:2:1');
    assert.equal(named.get(late), 'late.ts:9:9');
  });

  it('stops hearing hooks after stopTracing', async () => {
    const file = path.join(dir, 't.atrace');
    startTracing({ target: file });
    hooks.taskRunBegin(1);
    await stopTracing();
    assert.equal(hooks.on, false);
    hooks.taskRunBegin(2);
    assert.equal(noSites(decodeTrace(readFileSync(file)).events).length, 1);
    assert.equal(tracingStatus(), undefined);
  });

  it('refuses a second start while tracing', () => {
    startTracing({ target: path.join(dir, 'a.atrace') });
    assert.throws(() => startTracing({ target: path.join(dir, 'b.atrace') }), /already started/);
  });

  it('never drops to a file: a burst far past the buffer bound is written whole, without the loop running', async () => {
    const file = path.join(dir, 't.atrace');
    // Batches of 16 events and a 1200-byte bound: a socket would drop almost all of it.
    startTracing({ target: file, batchEvents: 16, maxQueuedBytes: 1200 });
    const total = 100_000;
    for (let i = 0; i < total; i++) hooks.callbackBegin(i + 1);
    assert.equal(tracingStatus()!.dropped, 0);
    // Already on disk, written from inside the hooks (no setImmediate has run).
    assert.ok(readFileSync(file).length >= total * 32 - 1200 * 2, 'written during the burst');
    await stopTracing();
    const events = decodeTrace(readFileSync(file)).events;
    assert.equal(events.filter((e) => e.type === 'callbackBegin').length, total);
    assert.equal(events.filter((e) => e.type === 'dropped').length, 0);
  });

  it('drops events beyond its buffer when a socket reader stalls, and counts exactly how many', async () => {
    const reader = await stalledReader(path.join(dir, 'slow.sock'));
    startTracing({ target: reader.address, batchEvents: 16, maxQueuedBytes: 1200 });
    // 3.2 MB of records: far more than the kernel's socket buffer and the 1200-byte bound.
    const total = 100_000;
    for (let i = 0; i < total; i++) hooks.callbackBegin(i + 1);
    const dropped = tracingStatus()!.dropped;
    assert.ok(dropped > 0);
    reader.release();
    await stopTracing();
    const events = await reader.events();
    const kept = events.filter((e) => e.type === 'callbackBegin').length;
    const counted = events.filter((e) => e.type === 'dropped').reduce((n, e) => n + (e.type === 'dropped' ? e.count : 0), 0);
    assert.equal(counted, dropped);
    assert.equal(kept + counted, total);
  });

  it('resumes after a stalled socket reader catches up, with a dropped event where the gap was', async () => {
    const reader = await stalledReader(path.join(dir, 'slow.sock'));
    startTracing({ target: reader.address, batchEvents: 16, maxQueuedBytes: 1200, flushIntervalMs: 1 });
    for (let i = 0; i < 100_000; i++) hooks.callbackBegin(i + 1);
    assert.equal(tracingStatus()!.dropping, true);
    reader.release();
    while (tracingStatus()!.dropping) await new Promise<void>((resolve) => setImmediate(resolve));
    hooks.callbackEnd(1);
    await stopTracing();
    const events = await reader.events();
    const at = events.findIndex((e) => e.type === 'dropped');
    assert.ok(at > 0);
    assert.equal(events[at + 1].type, 'callbackEnd');
  });

  it('records a loop turn longer than the threshold as loopBlocked, and a short one not at all', async () => {
    const file = path.join(dir, 't.atrace');
    startTracing({ target: file, blockedMs: 0 });
    hooks.loopTurnBegin();
    const t0 = performance.now();
    while (performance.now() === t0) { /* let the clock move */ }
    hooks.loopTurnEnd();
    await stopTracing();
    const ev = noSites(decodeTrace(readFileSync(file)).events);
    assert.deepEqual(types(ev), ['loopBlocked']);
    assert.ok(ev[0].type === 'loopBlocked' && ev[0].durationMs > 0);

    startTracing({ target: file, blockedMs: 1e9 });
    hooks.loopTurnBegin();
    hooks.loopTurnEnd();
    await stopTracing();
    assert.deepEqual(noSites(decodeTrace(readFileSync(file)).events), []);
  });

  it('streams to a unix socket: token line first, then exactly the bytes of an .atrace file', async () => {
    const sock = path.join(dir, 'r.sock');
    const received: Buffer[] = [];
    const closed = new Promise<void>((resolve) => {
      const server: Server = createServer((c) => {
        c.on('data', (d) => received.push(d));
        c.on('end', () => { server.close(); resolve(); });
      });
      server.listen(sock);
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
    startTracing({ target: `unix:${sock}#s3cret` });
    hooks.taskCreated(9, 0, 'main', 0);
    hooks.taskDone(9, 'cancelled', 'stop');
    await stopTracing();
    await closed;
    const all = Buffer.concat(received);
    const line = 'ATRACE-TOKEN s3cret\n';
    assert.equal(all.subarray(0, line.length).toString('ascii'), line);
    const t = decodeTrace(all.subarray(line.length));
    assert.equal(t.complete, true);
    assert.deepEqual(noSites(t.events).map((e) => e.type === 'taskDone' ? e.message : e.type), ['taskCreated', 'stop']);
  });

  it('streams over TCP the same way', async () => {
    const received: Buffer[] = [];
    let server!: Server;
    const closed = new Promise<void>((resolve) => {
      server = createServer((c) => {
        c.on('data', (d) => received.push(d));
        c.on('end', () => { server.close(); resolve(); });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    startTracing({ target: `tcp:127.0.0.1:${port}#tcp-token` });
    hooks.wake(1, 2, 3, 4);
    await stopTracing();
    await closed;
    const all = Buffer.concat(received);
    const line = 'ATRACE-TOKEN tcp-token\n';
    assert.equal(all.subarray(0, line.length).toString('ascii'), line);
    assert.deepEqual(noSites(decodeTrace(all.subarray(line.length)).events).map((e) => e.type), ['wake']);
  });

  it('stops quietly, without throwing into the program, when the socket cannot be reached', async () => {
    const errors: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => { errors.push(String(s)); return true; }) as typeof process.stderr.write;
    try {
      startTracing({ target: `unix:${path.join(dir, 'nobody-listens.sock')}#t`, flushIntervalMs: 1 });
      while (tracingStatus() !== undefined) {
        hooks.taskRunBegin(1);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      process.stderr.write = write;
    }
    assert.equal(hooks.on, false);
    assert.match(errors.join(''), /async-trace: trace socket error: .*tracing stopped/);
  });

  it('parses ASYNC_TRACE addresses', () => {
    assert.deepEqual(parseTraceTarget('unix:/tmp/x.sock#abc'), { kind: 'unix', path: '/tmp/x.sock', token: 'abc' });
    assert.deepEqual(parseTraceTarget('tcp:127.0.0.1:9229#t0k'), { kind: 'tcp', host: '127.0.0.1', port: 9229, token: 't0k' });
    assert.deepEqual(parseTraceTarget('out/run.atrace'), { kind: 'file', path: 'out/run.atrace' });
    assert.throws(() => parseTraceTarget('tcp:127.0.0.1:99#'), /token/);
    assert.throws(() => parseTraceTarget('unix:/tmp/x.sock'), /token/);
    assert.throws(() => parseTraceTarget('tcp:localhost#t'), /host:port/);
    assert.deepEqual(parseTraceTarget('tcp:[::1]:9229#t'), { kind: 'tcp', host: '::1', port: 9229, token: 't' });
    assert.deepEqual(parseTraceTarget('tcp:127.1.2.3:9229#t'), { kind: 'tcp', host: '127.1.2.3', port: 9229, token: 't' });
  });

  it('takes loopback tcp targets only, and says why for any other', () => {
    for (const host of ['10.0.0.5', '0.0.0.0', '192.168.1.2', '[::]', '[2001:db8::1]', 'example.com', 'localhost', '127.0.0.256']) {
      assert.throws(() => parseTraceTarget(`tcp:${host}:9229#t`), /must be a loopback address \(127\.0\.0\.1 or \[::1\]\).*not encrypted/, host);
    }
    assert.throws(() => startTracing({ target: 'tcp:10.1.1.1:9229#t' }), /loopback/);
    assert.equal(tracingStatus(), undefined, 'nothing started');
  });

  it('keeps RUNTIME_VERSION equal to package.json', () => {
    assert.equal(RUNTIME_VERSION, JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version);
  });
});

/** Runs `body` in a child Node with tracing to `file` started via ASYNC_TRACE; returns how it ended. */
function child(file: string, body: string, env: Record<string, string> = {}): { status: number | null; signal: NodeJS.Signals | null } {
  const script = `
    const { hooks } = require(${JSON.stringify(path.join(repo, 'runtime/instrument.ts'))});
    require(${JSON.stringify(path.join(repo, 'runtime/tracer/index.ts'))});
    if (process.env.ASYNC_TRACE !== undefined) throw new Error('ASYNC_TRACE left for children');
    hooks.taskCreated(1, 0, 'main', 0);
    ${body}
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: repo, env: { ...process.env, ...env, ASYNC_TRACE: file }, encoding: 'utf8', timeout: 20_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal };
}

describe('tracer configuration from the environment', () => {
  it('ASYNC_TRACE_BUFFER_EVENTS bounds what waits for a stalled socket reader: the rest is dropped and counted exactly', async () => {
    const total = 200_000;
    const reader = await stalledReader(path.join(dir, 'env.sock'));
    const script = `
      const { hooks } = require(${JSON.stringify(path.join(repo, 'runtime/instrument.ts'))});
      require(${JSON.stringify(path.join(repo, 'runtime/tracer/index.ts'))});
      for (let i = 0; i < ${total}; i++) hooks.callbackBegin(i + 1);
      process.stdout.write('burst done\\n');
    `;
    // Not spawnSync: this process's loop must serve the reader.
    const c = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: repo, env: { ...process.env, ASYNC_TRACE: reader.address, ASYNC_TRACE_BUFFER_EVENTS: '64' }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    c.stdout.on('data', () => reader.release());
    assert.equal(await new Promise<number | null>((resolve) => c.on('close', resolve)), 0);
    const events = await reader.events();
    const kept = events.filter((e) => e.type === 'callbackBegin').length;
    const dropped = events.reduce((n, e) => n + (e.type === 'dropped' ? e.count : 0), 0);
    assert.ok(dropped > 0, 'a 64-event buffer cannot hold a 200k-event burst the reader does not take');
    assert.equal(kept + dropped, total);
  });

  it('a file never drops, whatever ASYNC_TRACE_BUFFER_EVENTS says', () => {
    const file = path.join(dir, 'buffer.atrace');
    const total = 50_000;
    const r = child(file, `for (let i = 0; i < ${total}; i++) hooks.callbackBegin(i + 1);`, { ASYNC_TRACE_BUFFER_EVENTS: '64' });
    assert.deepEqual(r, { status: 0, signal: null });
    const events = decodeTrace(readFileSync(file)).events;
    assert.equal(events.filter((e) => e.type === 'callbackBegin').length, total);
    assert.equal(events.filter((e) => e.type === 'dropped').length, 0);
  });

  it('without ASYNC_TRACE_BUFFER_EVENTS the same burst is kept whole', () => {
    const file = path.join(dir, 'nobuffer.atrace');
    const total = 50_000;
    assert.deepEqual(child(file, `for (let i = 0; i < ${total}; i++) hooks.callbackBegin(i + 1);`), { status: 0, signal: null });
    const events = decodeTrace(readFileSync(file)).events;
    assert.equal(events.filter((e) => e.type === 'callbackBegin').length, total);
  });
});

describe('the spill file', () => {
  it('is created exclusively: a symlink planted beside the socket is not followed and its target is not truncated', async () => {
    const sock = path.join(dir, 'planted.sock');
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, `${sock}.spill`);
    const reader = await stalledReader(sock);
    // Bytes still at risk at a hard exit (a reader that takes nothing): they would go to the spill.
    const script = `
      const { hooks } = require(${JSON.stringify(path.join(repo, 'runtime/instrument.ts'))});
      require(${JSON.stringify(path.join(repo, 'runtime/tracer/index.ts'))});
      for (let i = 0; i < 200000; i++) hooks.callbackBegin(i + 1);
      process.exit(0);
    `;
    const c = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repo, env: { ...process.env, ASYNC_TRACE: reader.address }, stdio: 'ignore' });
    assert.equal(await new Promise<number | null>((resolve) => c.on('close', resolve)), 0);
    reader.release();
    await reader.events().catch(() => undefined);
    assert.equal(readFileSync(victim, 'utf8'), 'precious');
    assert.equal(lstatSync(`${sock}.spill`).isSymbolicLink(), true, 'the link is left alone');
  });
});

describe('tracer flushes when the process ends', () => {
  it('on process.exit()', () => {
    const file = path.join(dir, 'exit.atrace');
    assert.deepEqual(child(file, 'hooks.taskDone(1, "ok", ""); process.exit(3);'), { status: 3, signal: null });
    const t = decodeTrace(readFileSync(file));
    assert.equal(t.complete, true);
    assert.deepEqual(types(t.events), ['taskCreated', 'taskDone'], 'no exit handles: process.exit() is not being kept alive');
  });

  it('when the loop runs dry', () => {
    const file = path.join(dir, 'dry.atrace');
    assert.deepEqual(child(file, 'setTimeout(() => hooks.taskDone(1, "ok", ""), 1);'), { status: 0, signal: null });
    const events = decodeTrace(readFileSync(file)).events;
    assert.deepEqual(types(events), ['taskCreated', 'taskDone', 'exitHandles']);
    assert.deepEqual(exitHandles(events), [], 'nothing kept it alive');
  });

  it('on an uncaught error, which still crashes the program', () => {
    const file = path.join(dir, 'crash.atrace');
    assert.deepEqual(child(file, 'hooks.taskDone(1, "error", "boom"); throw new Error("boom");'), { status: 1, signal: null });
    assert.deepEqual(types(decodeTrace(readFileSync(file)).events), ['taskCreated', 'taskDone']);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal}, then dies of that signal`, () => {
      const file = path.join(dir, 'sig.atrace');
      const r = child(file, `hooks.taskRunBegin(1); process.kill(process.pid, "${signal}"); setTimeout(() => {}, 10000);`);
      assert.deepEqual(r, { status: null, signal });
      const t = decodeTrace(readFileSync(file));
      assert.equal(t.complete, true);
      assert.deepEqual(types(t.events), ['taskCreated', 'taskRunBegin', 'exitHandles']);
      assert.deepEqual(exitHandles(t.events), ['Timeout'], 'the program\'s timer kept it alive (not the tracer\'s own, nor stdio)');
    });
  }

  it('on SIGTERM when the program handles it, tracing on through its handler', () => {
    const file = path.join(dir, 'handled.atrace');
    const r = child(file, 'process.on("SIGTERM", () => { hooks.taskDone(1, "ok", ""); process.exit(7); }); process.kill(process.pid, "SIGTERM"); setTimeout(() => {}, 10000);');
    assert.deepEqual(r, { status: 7, signal: null });
    const events = decodeTrace(readFileSync(file)).events;
    assert.deepEqual(types(events), ['taskCreated', 'exitHandles', 'taskDone'], 'recorded at the signal, then tracing goes on');
    assert.deepEqual(exitHandles(events), ['Timeout']);
  });

  it('on an unhandled rejection, which still crashes the program', () => {
    const file = path.join(dir, 'rejection.atrace');
    const r = child(file, 'hooks.taskRunBegin(1); Promise.reject(new Error("nobody catches this"));');
    assert.equal(r.status, 1);
    assert.deepEqual(types(decodeTrace(readFileSync(file)).events), ['taskCreated', 'taskRunBegin']);
  });
});
