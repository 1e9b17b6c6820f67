// Golden traces: tiny programs under test/tracing/golden/ are recorded for real through
// the CLI (`async-trace record`), decoded, normalised and compared line by line with
// test/tracing/golden/<name>.golden.txt.
//
// Normalising: every id (tasks, futures, resources, handles, jobs, streams, executors)
// becomes #n in order of first appearance (one numbering, since the runtime draws all
// ids from one counter, so an await on a task names that task's #n); 0 stays 0 ("none").
// Times are dropped, order kept. Site ids become `file:line:col` (or `-` for no site).
// Loop turns, blocked-loop reports and drops are left out: how many turns a program
// takes depends on timer granularity, not on what the program does.
//
// To regenerate after a deliberate change: `UPDATE_GOLDEN=1 npx mocha ...` writes the
// golden files instead of comparing; read the diff before committing them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeTrace } from '../../trace/decoder';
import type { TraceEvent } from '../../trace/events';
import { formatSite, SiteTable } from '../../trace/sites';

const ROOT = path.resolve(__dirname, '../..');
const GOLDEN = path.join(__dirname, 'golden');
const CLI = path.join(ROOT, 'dist/cli/async-trace.js');

const ID_FIELDS = new Set([
  'taskId', 'parentId', 'targetId', 'resourceId', 'handleId', 'jobId', 'executorId',
  'wakerTaskId', 'wokenTaskId', 'callbackId', 'streamId',
]);
const SKIPPED = new Set<TraceEvent['type']>(['loopTurnBegin', 'loopTurnEnd', 'loopBlocked', 'dropped', 'sitesRegistered']);

/** Record test/tracing/golden/<name>.ts and render its trace, one normalised event a line. */
function recordText(dir: string, name: string): string {
  const out = path.join(dir, `${name}.atrace`);
  const program = path.join('test/tracing/golden', `${name}.ts`);
  const r = spawnSync(process.execPath, [CLI, 'record', '-o', out, '--', program], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `record ${name} failed:\n${r.stdout}\n${r.stderr}`);
  const decoded = decodeTrace(new Uint8Array(readFileSync(out)));
  assert.ok(decoded.complete, `trace of ${name} incomplete: ${decoded.error ?? ''}`);
  const sites = new SiteTable();
  const root = decoded.header.root;
  const ids = new Map<number, string>();
  const idOf = (raw: number): string => {
    if (raw === 0) return '0';
    let n = ids.get(raw);
    if (n === undefined) { n = `#${ids.size + 1}`; ids.set(raw, n); }
    return n;
  };
  const lines: string[] = [];
  for (const e of decoded.events) {
    if (e.type === 'sitesRegistered') sites.register(e.base, e.sites, root);
    if (SKIPPED.has(e.type)) continue;
    const parts: string[] = [e.type];
    for (const [key, value] of Object.entries(e)) {
      if (key === 'type' || key === 'time') continue;
      let text: string;
      if (ID_FIELDS.has(key)) text = idOf(value as number);
      else if (key === 'site') { const s = sites.get(value as number); text = s ? formatSite(s) : '-'; }
      else text = JSON.stringify(value);
      parts.push(`${key}=${text}`);
    }
    lines.push(parts.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

function checkGolden(name: string, text: string): void {
  const file = path.join(GOLDEN, `${name}.golden.txt`);
  if (process.env.UPDATE_GOLDEN === '1') { writeFileSync(file, text); return; }
  assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 to create it`);
  assert.equal(text, readFileSync(file, 'utf8'), `${name}: trace differs from ${file}`);
}

describe('golden traces of small recorded programs', function () {
  this.timeout(60_000);
  let dir = '';
  before(() => {
    if (!existsSync(CLI)) {
      const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    dir = mkdtempSync(path.join(tmpdir(), 'golden-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, string][] = [
    ['lock-handoff', 'two tasks contending a lock: the second waits, and the holder\'s release wakes it'],
    ['queue-pipeline', 'a producer and a consumer through a queue of size 1 take turns'],
    ['cancelled-sleep', 'cancelling a sleeping task ends its sleep and the task cancelled'],
    ['gather-sleeps', 'a gather of three sleeps wakes its awaiting task once the longest ends'],
  ];
  for (const [name, title] of cases) {
    it(title, () => checkGolden(name, recordText(dir, name)));
  }
});
