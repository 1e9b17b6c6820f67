// The product at scale, as a user runs it (issue 18: "extension host plus webview under
// 1.5 GB in all at 10M"): the packaged .vsix installed into code-server, the runtime from
// the npm tarball in a fresh project, Trace Async Run on a program of PARCELS parcels
// (about 36 events each: 280,000 make about 10M events), in Chromium. Every 500 ms it
// samples the resident memory of the extension host and of Chromium's renderers (the
// workbench and the webview), through the run, the findings after it, a hide-and-show of
// the panel (the page reloads and the trace is replayed) and a rest. Screenshots go
// beside the log. Nothing is asserted; figures go to bench/RESULTS.md.
//
// Run: `PARCELS=280000 node bench/product-memory.mjs` (needs scripts/install-e2e-tools.sh).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { codeServerIn, freePort, installVsix, paletteCommand, quickOpen, startCodeServer, waitHttp } from '../test/vscode/harness/code-server.mjs';
import { packageProduct } from '../test/vscode/harness/packaged.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PARCELS = Number(process.env.PARCELS ?? 28_000);
const tools = process.env.E2E_TOOLS || path.join(os.homedir(), '.cache/async-trace-e2e');
const cs = codeServerIn(tools);
const log = (s) => console.log(`[${((performance.now()) / 1000).toFixed(1)}s] ${s}`);

/** A depot: loaders take parcels off a bounded queue, a few docks at a time, and book each under one ledger lock held across an await. */
const DEPOT = `import { Lock, Queue, Semaphore, createTask, gather, run, sleep } from 'async-trace/runtime';

const PARCELS = ${PARCELS};
const belt = new Queue<number>(200, { name: 'belt' });
const docks = new Semaphore(8, { name: 'docks' });
const ledger = new Lock({ name: 'ledger' });
let booked = 0;

async function book(parcel: number): Promise<void> {
  await docks.withLock(async () => {
    await sleep(0);
  });
  await ledger.withLock(async () => {
    await sleep(0);
    booked += parcel >= 0 ? 1 : 0;
  });
}

async function loader(): Promise<void> {
  for (;;) {
    const parcel = await belt.get();
    if (parcel < 0) return;
    await createTask(() => book(parcel), { name: \`parcel-\${parcel}\` });
    belt.taskDone();
  }
}

run(async () => {
  const loaders = Array.from({ length: 40 }, (_, i) => createTask(loader, { name: \`loader-\${i}\` }));
  for (let p = 0; p < PARCELS; p++) await belt.put(p);
  for (let i = 0; i < loaders.length; i++) await belt.put(-1);
  await gather(loaders);
  console.log(\`booked \${booked} parcels\`);
});
`;

/** Resident MB of every process, by pid, with its command line. */
function processes() {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return out.trim().split('\n').map((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l);
    return m ? { pid: +m[1], ppid: +m[2], rssMB: +m[3] / 1024, args: m[4] } : undefined;
  }).filter(Boolean);
}

function sample(csPid) {
  const ps = processes();
  const byPid = new Map(ps.map((p) => [p.pid, p]));
  const under = (p, ancestor) => { for (let q = p; q; q = byPid.get(q.ppid)) if (q.pid === ancestor) return true; return false; };
  const host = ps.filter((p) => under(p, csPid) && /--type=extensionHost/.test(p.args)).reduce((n, p) => n + p.rssMB, 0);
  // The browser's own UI (--top-chrome-webui) is not the workbench's: left out.
  const renderers = ps.filter((p) => /chrom/.test(p.args) && /--type=renderer/.test(p.args) && !/--top-chrome-webui/.test(p.args));
  const renderer = renderers.reduce((n, p) => n + p.rssMB, 0);
  const byRenderer = Object.fromEntries(renderers.map((p) => [p.pid, Math.round(p.rssMB)]));
  return { host, renderer, byRenderer };
}

async function main() {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'atrace-product-'));
  const shots = path.join(scratch, 'shots');
  mkdirSync(shots, { recursive: true });
  const product = packageProduct({ root, scratch, log });
  if (!product.ok) throw new Error(product.error);
  const project = path.join(scratch, 'depot');
  mkdirSync(path.join(project, 'src'), { recursive: true });
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'depot', version: '1.0.0', private: true }, null, 2));
  writeFileSync(path.join(project, 'src/depot.ts'), DEPOT);
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', product.tarball], { cwd: project, stdio: 'ignore' });
  const installed = installVsix(cs, scratch, product.vsix);
  if (!installed.ok) throw new Error(installed.output);
  const port = await freePort();
  const server = startCodeServer({ cs, scratch, port, workspace: project, logFile: path.join(scratch, 'code-server.log'), log });
  const require = createRequire(path.join(tools, 'x.js'));
  let chromium;
  try { ({ chromium } = createRequire(import.meta.url)('playwright-core')); } catch { ({ chromium } = require('playwright-core')); }
  const context = await chromium.launchPersistentContext(path.join(scratch, 'chromium'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, viewport: { width: 1600, height: 1000 },
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const samples = [];
  let phase = 'start';
  const timer = setInterval(() => samples.push({ t: performance.now() / 1000, phase, ...sample(server.pid) }), 500);
  try {
    await waitHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    const page = await context.newPage();
    const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`) });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(`vscode-remote://127.0.0.1:${port}${project}`)}`);
    await page.waitForSelector('.statusbar', { timeout: 90_000 });
    await quickOpen(page, 'depot.ts');
    await page.waitForTimeout(3000);
    phase = 'run';
    const began = performance.now();
    await paletteCommand(page, 'Trace Async Run', 60_000);
    const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const status = page.locator('.statusbar-item', { hasText: /events, \d+ tasks/ }).first();
    await status.waitFor({ timeout: 120_000 });
    await shot('1-running');
    await status.waitFor({ state: 'detached', timeout: 60 * 60_000 });
    const ran = (performance.now() - began) / 1000;
    log(`run ended after ${ran.toFixed(1)} s`);
    phase = 'after';
    await panel.getByText(/[1-9]\d* tasks/).first().waitFor({ timeout: 600_000 });
    await page.waitForTimeout(20_000);
    await shot('2-traced');
    phase = 'replay';
    // The file opened into the panel's group hides the panel (its page is dropped); its tab shows it again.
    await page.locator('.tab', { hasText: 'Async Trace' }).first().click();
    await quickOpen(page, 'depot.ts');
    await page.waitForTimeout(3000);
    await page.locator('.tab', { hasText: 'Async Trace' }).first().click();
    await panel.getByText(/[1-9]\d* tasks/).first().waitFor({ timeout: 600_000 });
    await page.waitForTimeout(20_000);
    await shot('3-replayed');
    phase = 'rest';
    await page.waitForTimeout(20_000);
    await shot('4-rest');
    const trace = readdirSync(path.join(project, '.async-trace')).find((f) => f.endsWith('.atrace'));
    const size = trace ? statSync(path.join(project, '.async-trace', trace)).size : 0;
    const summary = trace ? execFileSync(path.join(project, 'node_modules/.bin/async-trace'), ['stats', '--json', path.join(project, '.async-trace', trace)], { encoding: 'utf8', maxBuffer: 1 << 30 }) : '{}';
    const events = JSON.parse(summary).events ?? 0;
    report({ samples, ran, size, events, shots });
  } finally {
    clearInterval(timer);
    await context.close().catch(() => {});
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

function report({ samples, ran, size, events, shots }) {
  const phases = ['start', 'run', 'after', 'replay', 'rest'];
  const at = (ph, k, f) => f(...samples.filter((s) => s.phase === ph).map((s) => s[k]));
  const last = (ph, k) => samples.filter((s) => s.phase === ph).at(-1)?.[k] ?? NaN;
  console.log(`\n${PARCELS} parcels: ${events} events, ${(size / 1e6).toFixed(1)} MB, run ${ran.toFixed(0)} s; screenshots in ${shots}`);
  console.log('| phase | host peak MB | host end MB | renderers peak MB | renderers end MB | host + renderers peak MB |');
  console.log('|---|---|---|---|---|---|');
  for (const ph of phases) {
    const of = samples.filter((s) => s.phase === ph);
    const sum = Math.max(...of.map((s) => s.host + s.renderer));
    console.log(`| ${ph} | ${at(ph, 'host', Math.max).toFixed(0)} | ${last(ph, 'host').toFixed(0)} | ${at(ph, 'renderer', Math.max).toFixed(0)} | ${last(ph, 'renderer').toFixed(0)} | ${sum.toFixed(0)} |`);
  }
  const pids = [...new Set(samples.flatMap((s) => Object.keys(s.byRenderer)))];
  for (const pid of pids) {
    const rss = samples.map((s) => s.byRenderer[pid]).filter((v) => v !== undefined);
    console.log(`renderer ${pid}: first ${rss[0]} MB, peak ${Math.max(...rss)} MB, last ${rss.at(-1)} MB`);
  }
  const all = Math.max(...samples.map((s) => s.host + s.renderer));
  console.log(`peak of host + renderers at one instant: ${all.toFixed(0)} MB`);
  writeFileSync(path.join(shots, 'samples.json'), JSON.stringify(samples));
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
