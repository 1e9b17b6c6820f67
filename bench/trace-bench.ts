/**
 * Trace codec and tracer micro-benchmarks, each with a baseline measured in the same run,
 * printed as ns/event (or events/s) and ratios. Run: `npx tsx bench/trace-bench.ts`
 * (Node 24: `<node24> --import tsx bench/trace-bench.ts`). TRACE_BENCH_N sets the count.
 *
 * - encode: one TraceEncoder write (clock value given) per event, batches sealed and
 *   discarded; baseline: writing the same words into a plain Uint32Array.
 * - tracer hook: one Tracer hook call (clock read + encode + drop check), as the runtime
 *   calls it through `hooks` with the tracer installed and a file sink in /tmp; baseline:
 *   a `hooks` call with a no-op instrument installed (the dispatch the runtime pays anyway).
 * - clock read: performance.now() alone, which the tracer pays for events outside task
 *   steps and at step boundaries (on some VMs it is the largest part of the cost); the
 *   hook row is repeated inside a step, where events share readings.
 * - decode: TraceDecoder over a whole file in 64 KiB chunks, events/s; baseline: a loop that
 *   only reads each record's type and time with a DataView (the floor for any decoder).
 * - workloads on the real runtime, traced to a file vs untraced (lock-heavy: 100 tasks
 *   contending for one lock; fan-out: 10,000 short tasks; service-like: 200 tasks doing a
 *   few microseconds of JSON work between events, a realistic density; and the first two
 *   with that work added inside each round / task), also with stack-capture sites
 *   (no build-time marks here, so the plain traced run records site 0), and with a no-op
 *   instrument on every hook, which separates the runtime's instrumented paths and hook
 *   dispatch from the tracer's own cost.
 * - timestamp accuracy: the workloads traced with a second instrument installed after the
 *   tracer that reads performance.now() at every hook; each record's time is compared with
 *   that reading (the tracer reuses one clock reading per step, docs/trace-format.md
 *   "Times"). The error includes the few ns between the tracer's hook and the checker's.
 * - socket: a child emits 2M events/s for 10 s (TRACE_BENCH_RATE, TRACE_BENCH_SOCKET_S; 0
 *   skips) through ASYNC_TRACE to a Unix socket served here, which appends the bytes to a
 *   file as the recorder does; counts sent/received/dropped from that file afterwards.
 * Goals (issue 5): cost per event under 100 ns; decode at least 20M events/s; the socket
 * run loses nothing.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TraceDecoder, decodeTrace } from '../trace/decoder';
import { TraceEncoder, encodeTrace } from '../trace/encoder';
import type { TraceEvent } from '../trace/events';
import { FORMAT_VERSION } from '../trace/format';
import { addInstrument, hookNames, hooks } from '../runtime/instrument';
import type { Instrument } from '../runtime/instrument-types';
import { startTracing, stopTracing } from '../runtime/tracer';
import { newEventLoop } from '../runtime/loop';
import { createTask } from '../runtime/task';
import { Lock } from '../runtime/sync';
import { setStackCapture } from '../runtime/sites';

const N = Number(process.env.TRACE_BENCH_N ?? 2_000_000);
/** Seconds of the socket run (0 skips it) and its event rate. */
const SOCKET_S = Number(process.env.TRACE_BENCH_SOCKET_S ?? 10);
const RATE = Number(process.env.TRACE_BENCH_RATE ?? 2_000_000);

function best(body: () => void, reps = 5): number {
  body(); // warm up
  let ms = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    body();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

const rows: string[] = [];
function row(name: string, value: string, base: string, ratio: number): void {
  rows.push(`${name.padEnd(34)} ${value.padStart(16)}   baseline ${base.padStart(16)}   ratio ${ratio.toFixed(2)}x`);
}

async function main(): Promise<void> {
// --- encode ------------------------------------------------------------------
{
  const enc = new TraceEncoder({ batchEvents: 4096, onBatch: () => undefined });
  const encMs = best(() => {
    for (let i = 0; i < N; i++) {
      enc.awaitBegin(i, i & 1023, 'lock', i, 3);
      if ((i & 4095) === 4095) enc.seal();
    }
    enc.seal();
  });
  const plain = new Uint32Array(4096 * 8);
  const baseMs = best(() => {
    for (let i = 0; i < N; i++) {
      const w = (i & 4095) << 3;
      plain[w] = i; plain[w + 2] = 7; plain[w + 3] = i & 1023; plain[w + 4] = i; plain[w + 5] = 3;
    }
  });
  const ns = (encMs * 1e6) / N; const bns = (baseMs * 1e6) / N;
  row('encode awaitBegin', `${ns.toFixed(1)} ns/event`, `${bns.toFixed(1)} ns/event`, ns / bns);
}

// --- tracer hook through the runtime's dispatch --------------------------------
{
  const dir = mkdtempSync(path.join(tmpdir(), 'trace-bench-'));
  const n = Math.min(N, 1_000_000);
  const remove = addInstrument({ awaitBegin() { /* no-op */ } });
  const baseMs = best(() => { for (let i = 0; i < n; i++) hooks.awaitBegin(i & 1023, 'lock', i, 3); });
  remove();
  // A buffer large enough that a synchronous burst of n events is never dropped.
  startTracing({ target: path.join(dir, 'b.atrace'), maxQueuedBytes: 1 << 30, flushIntervalMs: 1e6 });
  const tracedMs = best(() => { for (let i = 0; i < n; i++) hooks.awaitBegin(i & 1023, 'lock', i, 3); });
  // The same events inside a step: after a loop turn began, the clock reading is reused
  // (a fresh one every 8 events; docs/trace-format.md "Times"), as for the awaits, wakes
  // and signals a task step makes. Outside any step (above) every event reads the clock.
  const inStepMs = best(() => { hooks.loopTurnBegin(); for (let i = 0; i < n; i++) hooks.awaitBegin(i & 1023, 'lock', i, 3); hooks.loopTurnEnd(); });
  await stopTracing();
  rmSync(dir, { recursive: true, force: true });
  const ns = (tracedMs * 1e6) / n; const bns = (baseMs * 1e6) / n;
  row('tracer hook (dispatch+clock+encode)', `${ns.toFixed(1)} ns/event`, `${bns.toFixed(1)} ns/event`, ns / bns);
  let acc = 0;
  const clockMs = best(() => { for (let i = 0; i < n; i++) acc += performance.now(); });
  void acc;
  const cns = (clockMs * 1e6) / n;
  row('  of which: clock read', `${cns.toFixed(1)} ns/event`, `${bns.toFixed(1)} ns/event`, cns / bns);
  rows.push(`${''.padEnd(34)} tracer's own cost ≈ ${(ns - bns).toFixed(1)} ns/event, ${(ns - bns - cns).toFixed(1)} without the clock read (goal < 100)`);
  const sns = (inStepMs * 1e6) / n;
  row('tracer hook inside a step', `${sns.toFixed(1)} ns/event`, `${bns.toFixed(1)} ns/event`, sns / bns);
}

// --- decode --------------------------------------------------------------------
{
  const events: TraceEvent[] = [];
  for (let i = 0; i < N; i++) {
    const t = i * 0.001;
    const k = i % 4;
    events.push(
      k === 0 ? { type: 'awaitBegin', time: t, taskId: i & 1023, kind: 'lock', targetId: 5, site: 3 }
        : k === 1 ? { type: 'wake', time: t, wakerTaskId: 1, callbackId: 0, wokenTaskId: i & 1023, targetId: 5 }
          : k === 2 ? { type: 'awaitEnd', time: t, taskId: i & 1023, targetId: 5, outcome: 'ok' }
            : { type: 'taskRunBegin', time: t, taskId: i & 1023 },
    );
  }
  const header = { formatVersion: FORMAT_VERSION, clockOriginUnixMs: 0, program: 'b', root: '/', runtimeVersion: '0', nodeVersion: process.version, pid: 1 };
  const file = encodeTrace(header, events, 4096);
  events.length = 0;
  const CHUNK = 64 * 1024;
  let count = 0;
  const decMs = best(() => {
    const d = new TraceDecoder();
    count = 0;
    for (let p = 0; p < file.length; p += CHUNK) count += d.push(file.subarray(p, p + CHUNK)).length;
  }, 3);
  if (count !== N) throw new Error(`decoded ${count} of ${N}`);
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let sink = 0;
  const baseMs = best(() => {
    // Records start after header and batch framing; stride over them as a floor estimate.
    for (let p = 64; p + 32 <= file.length; p += 32) sink += dv.getUint8(p + 8) + dv.getFloat64(p, true);
  }, 3);
  void sink;
  const eps = N / (decMs / 1000); const beps = N / (baseMs / 1000);
  row('decode (64 KiB chunks)', `${(eps / 1e6).toFixed(1)} M events/s`, `${(beps / 1e6).toFixed(1)} M events/s`, beps / eps);
  rows.push(`${''.padEnd(34)} file: ${(file.length / N).toFixed(1)} bytes/event (goal decode >= 20 M events/s)`);
}

await workloads();
await accuracy();
if (SOCKET_S > 0) await socketRun();

console.log(`trace bench, Node ${process.version}, N=${N}`);
for (const r of rows) console.log(r);
}

/** Lock-heavy: 100 tasks × 100 rounds of acquire, await a future resolved by callSoon, release. */
function lockHeavy(): Promise<void> {
  return lockFight(100);
}

/** 100 tasks × `rounds` of: acquire the one lock, `work()`, await a future resolved by callSoon, release. */
async function lockFight(rounds: number, work?: () => unknown): Promise<void> {
  const loop = newEventLoop();
  await loop.runUntilComplete(async () => {
    const lock = new Lock({ name: 'bench' });
    const worker = async (): Promise<void> => {
      for (let r = 0; r < rounds; r++) {
        await lock.acquire();
        try {
          work?.();
          const f = loop.createFuture<void>();
          loop.callSoon(() => f.setResult());
          await f;
        } finally {
          lock.release();
        }
      }
    };
    const tasks = Array.from({ length: 100 }, () => createTask(worker));
    for (const t of tasks) await t;
  });
  loop.close();
}

/** Fan-out: 10,000 tasks, each awaiting a future resolved by callSoon; the parent awaits them all. */
async function fanOut(): Promise<void> {
  const loop = newEventLoop();
  await loop.runUntilComplete(async () => {
    const tasks = Array.from({ length: 10_000 }, () => createTask(async () => {
      const f = loop.createFuture<number>();
      loop.callSoon(() => f.setResult(1));
      return f;
    }));
    for (const t of tasks) await t;
  });
  loop.close();
}

/**
 * Service-like: 200 tasks × 50 requests, each parsing a ~1 KB JSON payload, taking a
 * shared lock for a cache update, awaiting a future resolved by callSoon (the I/O), and
 * serialising a reply: a few microseconds of real work between events, not the ~50 ns of
 * the two workloads above. Shows what tracing costs at a realistic event density.
 */
const PAYLOAD = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item-${i}`, tags: ['a', 'b', 'c'], price: i * 1.25 })) });
async function serviceLike(): Promise<void> {
  const loop = newEventLoop();
  await loop.runUntilComplete(async () => {
    const lock = new Lock({ name: 'cache' });
    const cache = new Map<number, number>();
    const worker = async (w: number): Promise<void> => {
      for (let r = 0; r < 50; r++) {
        const req = JSON.parse(PAYLOAD) as { items: { id: number; price: number }[] };
        await lock.acquire();
        try {
          for (const it of req.items) cache.set(it.id, (cache.get(it.id) ?? 0) + it.price);
        } finally {
          lock.release();
        }
        const io = loop.createFuture<number>();
        loop.callSoon(() => io.setResult(w));
        await io;
        JSON.stringify({ w, r, total: req.items.reduce((a, b) => a + b.price, 0) });
      }
    };
    const tasks = Array.from({ length: 200 }, (_, w) => createTask(worker, w));
    for (const t of tasks) await t;
  });
  loop.close();
}

/** A few microseconds of real work: parse a ~1 KB request and total it. */
function handle(): number {
  const req = JSON.parse(PAYLOAD) as { items: { price: number }[] };
  return req.items.reduce((a, b) => a + b.price, 0);
}

/** lock-heavy with work: 100 tasks × 50 rounds contending for one lock held across the work and an I/O-like await. */
function lockHeavyWork(): Promise<void> {
  return lockFight(50, handle);
}

/** fan-out with work: 5,000 tasks, each handling a request around an I/O-like await. */
async function fanOutWork(): Promise<void> {
  const loop = newEventLoop();
  await loop.runUntilComplete(async () => {
    const tasks = Array.from({ length: 5_000 }, () => createTask(async () => {
      handle();
      const f = loop.createFuture<number>();
      loop.callSoon(() => f.setResult(1));
      await f;
      return handle();
    }));
    for (const t of tasks) await t;
  });
  loop.close();
}

/** Every hook, doing nothing: what the runtime's instrumented paths and dispatch cost alone. */
function noopInstrument(): Instrument {
  const i: Record<string, () => void> = {};
  for (const h of hookNames) i[h] = () => undefined;
  return i as Instrument;
}

async function timed(body: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await body();
  return performance.now() - t0;
}

/**
 * Traced vs untraced runs of real runtime workloads (file sink in /tmp). The variants
 * alternate within each repetition, so machine load drifts into all of them alike; best of 5.
 */
async function workloads(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'trace-work-'));
  for (const [name, body] of [
    ['lock-heavy', lockHeavy], ['fan-out', fanOut],
    ['lock-heavy with work', lockHeavyWork], ['fan-out with work', fanOutWork], ['service-like', serviceLike],
  ] as const) {
    await body(); // warm up
    let base = Infinity; let traced = Infinity; let stacks = Infinity; let noop = Infinity;
    for (let r = 0; r < 5; r++) {
      base = Math.min(base, await timed(body));
      const remove = addInstrument(noopInstrument());
      noop = Math.min(noop, await timed(body));
      remove();
      startTracing({ target: path.join(dir, `${name}.atrace`), maxQueuedBytes: 1 << 30 });
      traced = Math.min(traced, await timed(body));
      await stopTracing();
      if (r < 2) {
        startTracing({ target: path.join(dir, `${name}-stacks.atrace`), maxQueuedBytes: 1 << 30, stackCapture: true });
        stacks = Math.min(stacks, await timed(body));
        await stopTracing();
        setStackCapture(false);
      }
    }
    row(`${name}: no-op instrument`, `${noop.toFixed(1)} ms`, `${base.toFixed(1)} ms`, noop / base);
    row(`${name}: traced`, `${traced.toFixed(1)} ms`, `${base.toFixed(1)} ms`, traced / base);
    row(`${name}: traced vs no-op instrument`, `${traced.toFixed(1)} ms`, `${noop.toFixed(1)} ms`, traced / noop);
    row(`${name}: traced, stack-capture sites`, `${stacks.toFixed(1)} ms`, `${base.toFixed(1)} ms`, stacks / base);
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * How early the recorded times are: a checker instrument, installed after the tracer,
 * reads the clock at every hook the tracer records; decoded records pair up with those
 * readings one to one (same order, same type). The clock origin is taken from the header
 * (performance.timeOrigin + origin loses ~0.2 us to float rounding at today's epoch, so
 * it is refined to the smallest reading-minus-time over the run, which is at most that).
 */
async function accuracy(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'trace-acc-'));
  for (const [name, body] of [['lock-heavy', lockHeavy], ['fan-out', fanOut]] as const) {
    const file = path.join(dir, `${name}.atrace`);
    const seen: string[] = [];
    const at: number[] = [];
    const checker: Record<string, () => void> = {};
    for (const h of hookNames) {
      if (h === 'loopTurnBegin' || h === 'loopTurnEnd') continue; // not recorded by the tracer
      checker[h] = () => { at.push(performance.now()); seen.push(h); };
    }
    startTracing({ target: file, maxQueuedBytes: 1 << 30 });
    const remove = addInstrument(checker as Instrument);
    await body();
    remove();
    await stopTracing();
    const events = decodeTrace(readFileSync(file)).events.filter((e) => e.type !== 'sitesRegistered' && e.type !== 'loopBlocked' && e.type !== 'dropped');
    if (events.length !== seen.length) throw new Error(`accuracy: ${events.length} records for ${seen.length} hook calls`);
    let origin = Infinity;
    for (let i = 0; i < events.length; i++) {
      if (events[i]!.type !== seen[i]) throw new Error(`accuracy: record ${i} is ${events[i]!.type}, hook was ${seen[i]}`);
      origin = Math.min(origin, at[i]! - events[i]!.time);
    }
    const err = events.map((e, i) => (at[i]! - origin - e.time) * 1000).sort((a, b) => a - b); // us
    const q = (p: number): string => err[Math.min(err.length - 1, Math.floor(p * err.length))]!.toFixed(2);
    const under1 = err.filter((x) => x < 1).length / err.length;
    rows.push(`${`${name}: timestamp error`.padEnd(34)} p50 ${q(0.5)} us, p90 ${q(0.9)} us, p99 ${q(0.99)} us, max ${err[err.length - 1]!.toFixed(2)} us; ${(under1 * 100).toFixed(1)}% under 1 us (${err.length} events)`);
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A child process emits RATE events/s for SOCKET_S seconds through ASYNC_TRACE to a
 * Unix socket served here (the recorder's side: token line, then decode as bytes come).
 * Reports events emitted, received and dropped; the goal is none dropped or lost.
 */
async function socketRun(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'trace-sock-'));
  const sock = path.join(dir, 'r.sock');
  const token = 'bench-token';
  // Like the extension's recorder (extension/recorder.ts): bytes are appended to a file
  // as they arrive, and read back when the stream has ended. (Decoding every event as it
  // arrives made this process, not the tracer, the bottleneck on a loaded machine.)
  const file = path.join(dir, 'r.atrace');
  const fd = openSync(file, 'w');
  let received = 0; let dropped = 0; let tokenOk = false; let complete = false;
  let ended = (): void => undefined;
  const streamEnded = new Promise<void>((resolve) => { ended = resolve; });
  let connected = false;
  const server = createServer((c) => {
    connected = true;
    c.on('error', () => ended());
    c.on('close', () => ended());
    let pre = Buffer.alloc(0);
    const take = (bytes: Uint8Array): void => { writeSync(fd, bytes); };
    c.on('data', (chunk: Buffer) => {
      if (!tokenOk) {
        pre = Buffer.concat([pre, chunk]);
        const nl = pre.indexOf(10);
        if (nl < 0) return;
        tokenOk = pre.subarray(0, nl).toString('ascii') === `ATRACE-TOKEN ${token}`;
        if (!tokenOk) { c.destroy(); return; }
        take(pre.subarray(nl + 1));
        return;
      }
      take(chunk);
    });
    c.on('end', () => ended());
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  const script = `
    const { hooks } = require(${JSON.stringify(path.resolve(__dirname, '../runtime/instrument.ts'))});
    require(${JSON.stringify(path.resolve(__dirname, '../runtime/tracer/index.ts'))});
    const rate = ${RATE}, ms = ${SOCKET_S * 1000};
    const t0 = performance.now();
    let sent = 0;
    function tick() {
      const el = performance.now() - t0;
      const target = Math.min(rate * el / 1000, rate * ms / 1000);
      while (sent < target) hooks.callbackBegin(++sent);
      if (el < ms) setImmediate(tick); else process.stdout.write(String(sent));
    }
    tick();
  `;
  const child = spawn(process.execPath, [...process.execArgv, '--import', 'tsx', '-e', script], {
    env: { ...process.env, ASYNC_TRACE: `unix:${sock}#${token}` }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  await new Promise<void>((resolve) => child.on('close', () => resolve()));
  if (connected) await streamEnded; // the child's socket closes with it, so this settles
  server.close();
  closeSync(fd);
  const r = decodeTrace(readFileSync(file));
  complete = r.complete;
  for (const e of r.events) {
    if (e.type === 'callbackBegin') received++;
    else if (e.type === 'dropped') dropped += e.count;
  }
  rmSync(dir, { recursive: true, force: true });
  const sent = Number(out);
  rows.push(`socket ${RATE / 1e6}M events/s for ${SOCKET_S}s: sent ${sent}, received ${received}, dropped ${dropped}, lost ${sent - received - dropped}, token ${tokenOk ? 'ok' : 'BAD'}, stream ${complete ? 'complete' : 'INCOMPLETE'}`);
}

void main();
