/**
 * The model's cost per event against the trace's size (issue 16): two patterns that were
 * quadratic, a counting semaphore released by another task (bench/synthetic-trace.ts
 * writeCrossReleaseTrace) and many awaits of one task open at once
 * (writeOpenAwaitsTrace), and the service-like trace; for each size of
 * MODEL_BENCH_SIZES (events, default 10k,100k,1M): the file loaded into the model
 * (cli/load-trace.ts), `analyze()` and `statsJson()`, in ns of CPU time per event (the
 * process's, GC threads included: wall time means little on a shared machine; the
 * analyze column also gives wall ms). Flat columns mean linear. Each trace is loaded in
 * a child process of its own.
 * Nothing here is asserted; figures go to bench/RESULTS.md ("Model scaling").
 * Run: `node --import tsx bench/model-bench.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTrace } from '../cli/load-trace';
import { analyze } from '../trace/analysis/analyze';
import { statsJson } from '../trace/stats';
import { writeCrossReleaseTrace, writeOpenAwaitsTrace, writeSyntheticTrace } from './synthetic-trace';

const SIZES = (process.env.MODEL_BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);

const PATTERNS: [string, (file: string, events: number) => number][] = [
  // ~9 events per release, ~3 per await.
  ['semaphore released by another task', (f, n) => writeCrossReleaseTrace(f, Math.ceil(n / 9))],
  ['awaits open at once (one task)', (f, n) => writeOpenAwaitsTrace(f, Math.ceil(n / 3))],
  ['service-like (synthetic-trace.ts)', (f, n) => writeSyntheticTrace(f, n)],
];

interface Result { events: number; loadMs: number; analyzeMs: number; analyzeWallMs: number; statsMs: number }

const cpuSince = (u: NodeJS.CpuUsage): number => { const d = process.cpuUsage(u); return (d.user + d.system) / 1000; };

function child(file: string): void {
  let c = process.cpuUsage();
  const { model } = loadTrace(file);
  const loadMs = cpuSince(c);
  c = process.cpuUsage();
  const t = performance.now();
  const a = analyze(model);
  const analyzeWallMs = performance.now() - t;
  const analyzeMs = cpuSince(c);
  c = process.cpuUsage();
  statsJson(model, a);
  const statsMs = cpuSince(c);
  process.stdout.write(JSON.stringify({ events: model.eventCount, loadMs, analyzeMs, analyzeWallMs, statsMs } satisfies Result) + '\n');
}

function main(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'atrace-modelbench-'));
  try {
    console.log('| pattern | events | load ns/event | analyze ns/event (CPU ms, wall ms) | stats ns/event (after analyze) |');
    console.log('|---|---|---|---|---|');
    for (const [label, write] of PATTERNS) {
      for (const n of SIZES) {
        const file = path.join(dir, `t-${n}.atrace`);
        write(file, n);
        const r = spawnSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', __filename, '--child', file], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`${label} ${n}: ${r.stderr}`);
        const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as Result;
        const per = (ms: number): string => ((ms * 1e6) / m.events).toFixed(0);
        console.log(`| ${label} | ${m.events} | ${per(m.loadMs)} | ${per(m.analyzeMs)} (${m.analyzeMs.toFixed(0)}, ${m.analyzeWallMs.toFixed(0)}) | ${per(m.statsMs)} |`);
        rmSync(file, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') child(argv[1]);
else main();
