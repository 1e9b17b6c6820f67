/**
 * Long runs (issue 18): sizes and times against the event count, on synthetic
 * service-like traces (bench/synthetic-trace.ts) of LONGRUN_BENCH_SIZES events (default
 * 1M,5M,10M) and on one recorded trace (a real program traced by the runtime,
 * LONGRUN_BENCH_RECORDED events, default 1M). Each measure runs in a child process of
 * its own (`--child`), so its peak RSS is its own:
 * - load: the file decoded chunk by chunk into the model (cli/load-trace.ts): time, JS
 *   heap + array buffers after a GC, per event (the model's memory), peak RSS; baseline
 *   in the same run: the loader before (the whole file decoded into one event array,
 *   then folded), its peak RSS;
 * - stats: statsJson of the loaded model (what `async-trace stats` computes): time;
 * - export: `export --format chrome` and `speedscope` as the CLI writes them
 *   (streamed): time, output size, peak RSS, and peak RSS above the loaded model's.
 * `--ring-cost [EVENTS]`: the recorded workload untraced / traced to a file / into an
 * 8 MB ring (what the flight recorder costs the program).
 * Nothing here is asserted; figures go to bench/RESULTS.md ("Long runs").
 * Run: `node --import tsx bench/longrun-bench.ts`.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTrace } from '../cli/load-trace';
import { decodeTrace } from '../trace/decoder';
import { chromeTraceJson } from '../trace/export-chrome';
import { TraceModel } from '../trace/model';
import { speedscopeJson } from '../trace/export-speedscope';
import { statsJson } from '../trace/stats';
import { writeSyntheticTrace } from './synthetic-trace';

const SIZES = (process.env.LONGRUN_BENCH_SIZES ?? '1000000,5000000,10000000').split(',').map(Number);
const RECORDED = Number(process.env.LONGRUN_BENCH_RECORDED ?? 1_000_000);
/** Which measures to take (the rest print as -): load, load-whole, stats, chrome, speedscope. */
const MEASURES = new Set((process.env.LONGRUN_BENCH_MEASURES ?? 'load,load-whole,stats,chrome,speedscope').split(','));

interface ChildResult { ms: number; loadMs?: number; cpuMs?: number; loadCpuMs?: number; peakRssMB: number; heapMB?: number; bytesPerEvent?: number; loadPeakRssMB?: number; outMB?: number; events?: number }

const gc = (): void => { (globalThis as { gc?: () => void }).gc?.(); };
const mem = (): number => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
const peakRss = (): number => process.resourceUsage().maxRSS / 1024;

function child(what: string, file: string, out: string): void {
  const base = mem();
  let t = performance.now();
  if (what === 'load-whole') {
    // Baseline: the loader before this work: every event decoded into one array, then folded.
    const d = decodeTrace(new Uint8Array(readFileSync(file)));
    const m = new TraceModel();
    m.setHeader(d.header);
    m.apply(d.events);
    process.stdout.write(JSON.stringify({ ms: performance.now() - t, peakRssMB: peakRss(), events: m.eventCount }) + '\n');
    return;
  }
  let cpu = process.cpuUsage();
  const { model } = loadTrace(file);
  const loadMs = performance.now() - t;
  const loadCpu = process.cpuUsage(cpu);
  const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
  const loadPeak = peakRss();
  const result: ChildResult = { ms: loadMs, cpuMs: cpuMs(loadCpu), peakRssMB: loadPeak, events: model.eventCount };
  if (what === 'load') {
    const used = mem() - base;
    result.heapMB = used / 1e6;
    result.bytesPerEvent = used / model.eventCount;
  } else if (what === 'stats') {
    t = performance.now();
    cpu = process.cpuUsage();
    statsJson(model);
    result.ms = performance.now() - t;
    result.cpuMs = cpuMs(process.cpuUsage(cpu));
    result.loadMs = loadMs;
    result.loadCpuMs = cpuMs(loadCpu);
  } else {
    t = performance.now();
    const fd = openSync(out, 'w');
    for (const c of what === 'chrome' ? chromeTraceJson(model) : speedscopeJson(model)) writeSync(fd, c);
    closeSync(fd);
    result.ms = performance.now() - t;
    result.outMB = statSync(out).size / 1e6;
  }
  result.peakRssMB = peakRss();
  result.loadPeakRssMB = loadPeak;
  process.stdout.write(JSON.stringify(result) + '\n');
}

function run(what: string, file: string, out: string): ChildResult {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', __filename, '--child', what, file, out], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${what} ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

/** A real program traced by the runtime until about `events` events: 200 workers taking 16 locks, sleeping and awaiting plain calls. */
function recordChild(file: string, events: number, ringBytes?: number): void {
  void (async () => {
    const rt = await import('../runtime');
    const t0 = performance.now();
    if (file !== 'none') rt.startTracing({ target: file, ringBytes });
    const locks = Array.from({ length: 16 }, (_, i) => new rt.Lock({ name: `shard-${i}` }));
    // ~20 events per request.
    const requests = Math.ceil(events / 20);
    let done = 0;
    await rt.run(async () => {
      const worker = async (w: number): Promise<void> => {
        while (done < requests) {
          const i = done++;
          await rt.createTask(async () => {
            const lock = locks[(i * 7 + w) % locks.length];
            await lock.acquire();
            try { await rt.sleep(0); } finally { lock.release(); }
            await rt.sleep(0);
          }, { name: `req-${i}` });
        }
      };
      await rt.gather(Array.from({ length: 200 }, (_, w) => rt.createTask(() => worker(w), { name: `worker-${w}` })));
    });
    await rt.stopTracing();
    process.stdout.write(JSON.stringify({ ms: performance.now() - t0, peakRssMB: peakRss() }) + '\n');
  })();
}

/**
 * What the flight recorder costs the program: the recorded workload untraced, traced to
 * a file, and traced into a ring of RING_MB (which decodes every batch it lets go of),
 * alternating, best of 3; wall time of the whole run and peak RSS.
 */
function ringCost(dir: string, events: number): void {
  const ways: [string, string[]][] = [
    ['untraced', ['none', String(events)]],
    ['traced to a file', [path.join(dir, 'cost-file.atrace'), String(events)]],
    ['ring 8MB', [path.join(dir, 'cost-ring.atrace'), String(events), String(8 << 20)]],
  ];
  const best = new Map<string, ChildResult>();
  for (let rep = 0; rep < 3; rep++) {
    for (const [name, args] of ways) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--record', ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
      const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
      const b = best.get(name);
      best.set(name, b ? { ms: Math.min(b.ms, m.ms), peakRssMB: Math.min(b.peakRssMB, m.peakRssMB) } : m);
    }
  }
  const base = best.get('untraced')!;
  const file = best.get('traced to a file')!;
  console.log(`\nflight recorder cost, recorded workload of ~${events} events (best of 3):`);
  console.log('| run | wall s | vs untraced | vs file | peak RSS MB |');
  console.log('|---|---|---|---|---|');
  for (const [name] of ways) {
    const m = best.get(name)!;
    console.log(`| ${name} | ${(m.ms / 1000).toFixed(2)} | ${(m.ms / base.ms).toFixed(2)}x | ${(m.ms / file.ms).toFixed(2)}x | ${m.peakRssMB.toFixed(0)} |`);
  }
}

function main(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'atrace-longrun-'));
  const out = path.join(dir, 'out.json');
  try {
    const traces: { label: string; file: string }[] = [];
    for (const n of SIZES) {
      const file = path.join(dir, `synthetic-${n}.atrace`);
      writeSyntheticTrace(file, n);
      traces.push({ label: `synthetic ${n / 1e6}M`, file });
    }
    if (RECORDED > 0) {
      const file = path.join(dir, 'recorded.atrace');
      const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--record', file, String(RECORDED)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`recording: ${r.stderr}`);
      traces.push({ label: 'recorded', file });
    }
    console.log('| trace | events | file MB | load s (CPU s) | model bytes/event | load peak RSS MB (whole-file loader before) | stats s (load + stats in one process) (CPU s, load + stats) | chrome export s / MB out / peak RSS MB (above load) | speedscope export s / MB out / peak RSS MB (above load) |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const t of traces) {
      const skipped: ChildResult = { ms: NaN, peakRssMB: NaN, bytesPerEvent: NaN, outMB: NaN, loadPeakRssMB: NaN };
      const take = (what: string): ChildResult => (MEASURES.has(what) ? run(what, t.file, out) : skipped);
      const load = take('load');
      const whole = take('load-whole');
      const stats = take('stats');
      const chrome = take('chrome');
      const speed = take('speedscope');
      const s = (ms: number): string => (Number.isNaN(ms) ? '-' : (ms / 1000).toFixed(2));
      const f0 = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(0));
      const ex = (r: ChildResult): string => (Number.isNaN(r.ms) ? '-' : `${s(r.ms)} / ${f0(r.outMB)} / ${f0(r.peakRssMB)} (+${f0(r.peakRssMB - r.loadPeakRssMB!)})`);
      const st = Number.isNaN(stats.ms) ? '-' : `${s(stats.ms)} (${s(stats.loadMs! + stats.ms)}) (CPU ${s(stats.cpuMs!)}, ${s(stats.loadCpuMs! + stats.cpuMs!)})`;
      console.log(`| ${t.label} | ${load.events ?? stats.events} | ${(statSync(t.file).size / 1e6).toFixed(0)} | ${s(load.ms)}${load.cpuMs === undefined ? '' : ` (${s(load.cpuMs)})`} | ${f0(load.bytesPerEvent)} | ${f0(load.peakRssMB)} (${f0(whole.peakRssMB)}) | ${st} | ${ex(chrome)} | ${ex(speed)} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') child(argv[1], argv[2], argv[3]);
else if (argv[0] === '--record') recordChild(argv[1], Number(argv[2]), argv[3] ? Number(argv[3]) : undefined);
else if (argv[0] === '--ring-cost') { const d = mkdtempSync(path.join(tmpdir(), 'atrace-ringcost-')); try { ringCost(d, Number(argv[1] ?? 1_000_000)); } finally { rmSync(d, { recursive: true, force: true }); } }
else main();
