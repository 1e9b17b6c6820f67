/**
 * The extension host's memory for a long run (issue 18: "the extension host keeps no
 * second full model"), on synthetic service traces (bench/synthetic-trace.ts) of
 * HOST_BENCH_SIZES events (default 1M,5M). Each measure runs in a child process of its
 * own (`--child`, `--expose-gc`), fed the trace file in 64 KB chunks as the recorder
 * hands them over:
 * - before (baseline, same run): what the host kept until now, a full model fed as the
 *   bytes arrive (trace/feed.ts TraceFeed, which the old LiveTrace wrapped);
 * - live: what it keeps now, extension/live-trace.ts (counts and open state only), with
 *   an Async Tasks snapshot taken every 1000 chunks as the view does while running;
 * - worker: the end-of-run findings and await figures computed in a worker thread from
 *   the file (extension/model-jobs.ts): the host's heap after, and the process's peak
 *   RSS while the worker held its model (the transient cost).
 * Reported: JS heap + array buffers after a GC (retained), peak RSS, time. Nothing is
 * asserted; figures go to bench/RESULTS.md ("Extension host memory").
 * Run: `node --import tsx bench/host-memory-bench.ts`.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LiveTrace } from '../extension/live-trace';
import { insightsInWorker } from '../extension/model-jobs';
import { TraceFeed } from '../trace/feed';
import { writeSyntheticTrace } from './synthetic-trace';

const SIZES = (process.env.HOST_BENCH_SIZES ?? '1000000,5000000').split(',').map(Number);
const CHUNK = 64 * 1024;

const gc = (): void => { (globalThis as { gc?: () => void }).gc?.(); };
const retainedMB = (): number => { gc(); gc(); const m = process.memoryUsage(); return (m.heapUsed + m.arrayBuffers) / 1e6; };
const peakRssMB = (): number => process.resourceUsage().maxRSS / 1024;

function eachChunk(file: string, f: (bytes: Uint8Array, i: number) => void): void {
  const fd = openSync(file, 'r');
  try {
    for (let i = 0; ; i++) {
      // A fresh buffer each time, as a socket's chunks are.
      const b = new Uint8Array(CHUNK);
      const n = readSync(fd, b, 0, CHUNK, null);
      if (n <= 0) break;
      f(b.subarray(0, n), i);
    }
  } finally {
    closeSync(fd);
  }
}

async function child(what: string, file: string): Promise<void> {
  const base = retainedMB();
  const t = performance.now();
  let keep: unknown;
  let events = 0;
  if (what === 'before') {
    const feed = new TraceFeed();
    eachChunk(file, (b) => { feed.push(b); });
    events = feed.model.eventCount;
    keep = feed;
  } else if (what === 'live') {
    const live = new LiveTrace();
    let tasks = 0;
    eachChunk(file, (b, i) => { live.push(b); if (i % 1000 === 0) tasks = live.snapshot().tasks.length; });
    events = live.summary().events;
    keep = [live, tasks];
  } else {
    const worker = { eval: true, file: `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, '../extension/model-worker.ts'))});` };
    const r = await insightsInWorker(file, worker);
    events = r.figures.reduce((s, f) => s + f.count, 0);
    keep = r;
  }
  const ms = performance.now() - t;
  const retained = retainedMB() - base;
  process.stdout.write(JSON.stringify({ ms, retainedMB: retained, peakRssMB: peakRssMB(), events, kept: keep !== undefined }) + '\n');
}

function main(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'atrace-hostmem-'));
  try {
    console.log('| trace | events | file MB | host before: retained MB / peak RSS MB / s | host now (live state): retained MB / peak RSS MB / s | ratio retained | findings worker: host retained after MB / peak RSS MB / s |');
    console.log('|---|---|---|---|---|---|---|');
    for (const n of SIZES) {
      const file = path.join(dir, `synthetic-${n}.atrace`);
      const events = writeSyntheticTrace(file, n);
      const run = (what: string): { ms: number; retainedMB: number; peakRssMB: number } => {
        const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', __filename, '--child', what, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
        if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
        return JSON.parse(r.stdout.trim().split('\n').pop()!);
      };
      const before = run('before'), live = run('live'), worker = run('worker');
      const f = (x: { ms: number; retainedMB: number; peakRssMB: number }): string => `${x.retainedMB.toFixed(1)} / ${x.peakRssMB.toFixed(0)} / ${(x.ms / 1000).toFixed(2)}`;
      console.log(`| synthetic ${n / 1e6}M | ${events} | ${(statSync(file).size / 1e6).toFixed(0)} | ${f(before)} | ${f(live)} | ${(live.retainedMB / before.retainedMB).toFixed(3)}x | ${f(worker)} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') void child(argv[1], argv[2]);
else main();
