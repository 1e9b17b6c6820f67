#!/usr/bin/env node
// The one test command (README, .ci/run): type checks, lint, build, then every mocha
// stage and the real-VS Code harness. Each stage reports passed/failed counts; the run
// ends with `N passed, N failed` and exits non-zero if anything failed.
//   --only NAME[,NAME]  run just those stages   --skip NAME[,NAME]  leave those out
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const listArg = (flag) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1].split(',') : null; };
const only = listArg('--only');
const skip = listArg('--skip') ?? [];
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const mocha = (files, extra = []) => [bin('mocha'), '--node-option', 'import=tsx', '--reporter', path.join(root, 'scripts/mocha-summary-reporter.cjs'), '--timeout', '20000', ...extra, ...files];

/** Stages in order. `counts: 'self'` stages write their own summary JSON. */
const stages = [
  // Chromium and code-server for the browser and VS Code stages; a no-op once installed.
  { name: 'tools', cmd: ['bash', 'scripts/install-e2e-tools.sh'], setup: true },
  { name: 'typecheck', cmd: [bin('tsc'), '--noEmit', '-p', 'tsconfig.json'] },
  // The webview twice: its product code with browser types only, its tests with Node and mocha too.
  { name: 'typecheck-webview', cmd: [bin('tsc'), '--noEmit', '-p', 'webview/tsconfig.json'], then: [bin('tsc'), '--noEmit', '-p', 'webview/tsconfig.test.json'] },
  { name: 'lint', cmd: [bin('eslint'), '.', '--max-warnings', '0'] },
  { name: 'build', cmd: [process.execPath, 'scripts/build.mjs'] },
  {
    name: 'unit',
    counts: 'self',
    cmd: mocha(['{runtime,trace,cli,webview,extension,scripts,bundler}/**/*.test.ts', 'test/{unit,conformance,io,tracing,cli,examples,packaging,findings}/**/*.test.ts']),
  },
  { name: 'browser', counts: 'self', cmd: mocha(['test/browser/**/*.test.ts'], ['--timeout', '60000']) },
  { name: 'vscode', counts: 'self', cmd: [process.execPath, 'test/vscode/harness/run.mjs'], needs: 'test/vscode/harness/run.mjs' },
];

const summaryDir = mkdtempSync(path.join(tmpdir(), 'atrace-test-'));
let passed = 0, failed = 0, skipped = 0;
const lines = [];
for (const st of stages) {
  if ((only && !only.includes(st.name)) || skip.includes(st.name)) continue;
  if (st.needs && !existsSync(path.join(root, st.needs))) {
    console.log(`\n=== ${st.name}: missing ${st.needs}, counted as a failure`);
    failed++; lines.push(`${st.name}: MISSING`); continue;
  }
  const summary = path.join(summaryDir, `${st.name}.json`);
  console.log(`\n=== ${st.name}`);
  const t0 = Date.now();
  const run = (cmd) => spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ATRACE_SUMMARY: summary } });
  let r = run(st.cmd);
  if (r.status === 0 && st.then) r = run(st.then);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (st.counts === 'self' && existsSync(summary)) {
    const s = JSON.parse(readFileSync(summary, 'utf8'));
    // A runner that exits non-zero without counting a failure still failed (a crash, a file that would not load).
    const extra = r.status !== 0 && s.failed === 0 ? 1 : 0;
    passed += s.passed; failed += s.failed + extra; skipped += s.skipped ?? 0;
    lines.push(`${st.name}: ${s.passed} passed, ${s.failed + extra} failed (${secs}s)`);
  } else if (r.status === 0) {
    if (st.setup) { lines.push(`${st.name}: ready (${secs}s)`); continue; }
    passed++; lines.push(`${st.name}: ok (${secs}s)`);
  } else {
    failed++; lines.push(`${st.name}: FAILED, exit ${r.status ?? r.signal} (${secs}s)`);
  }
}
rmSync(summaryDir, { recursive: true, force: true });
console.log('\n=== summary');
for (const l of lines) console.log('  ' + l);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
