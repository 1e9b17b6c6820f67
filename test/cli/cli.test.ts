// The CLI as scripts see it (../shared/design/cli.md): each command run as a real
// process, its output and exit code checked, and every bad input refused with the
// contract's exit code and a message that names the problem.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../cli/main';
import { decodeTrace } from '../../trace/decoder';
import { encodeTrace } from '../../trace/encoder';
import { HEADER, lockEvents, lockTraceBytes, longNameEvents } from './fixture-trace';

const root = path.resolve(__dirname, '../..');
let dir: string;

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', require.resolve('tsx'), path.join(root, 'cli/main.ts'), ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function buildWebview(): void {
  if (existsSync(path.join(root, 'dist/webview/main.js'))) return;
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
}

describe('async-trace CLI', function () {
  this.timeout(60_000);
  let trace: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-cli-'));
    trace = path.join(dir, 'lock.atrace');
    writeFileSync(trace, lockTraceBytes());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stats --json prints version 1 with the numbers known by construction', () => {
    const r = cli('stats', trace, '--json');
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.version, 1);
    assert.equal(s.program, 'examples/lock.ts');
    assert.equal(s.durationMs, 310);
    assert.equal(s.events, lockEvents().length);
    assert.equal(s.droppedEvents, 0);
    assert.deepEqual(s.tasks, { total: 3, completed: 2, cancelled: 0, failed: 1, pending: 0, unknown: 0 });
    assert.deepEqual(s.resources, [{
      kind: 'lock', name: 'cache', site: 'examples/lock.ts:8:15',
      acquisitions: 3, contended: 2,
      totalWaitMs: 300, maxWaitMs: 200, p50WaitMs: 100, p99WaitMs: 200,
      totalHoldMs: 300, maxHoldMs: 100, maxWaiters: 2,
      topWaitSites: [{ site: 'examples/lock.ts:14:11', count: 2, totalWaitMs: 300 }],
      topHoldSites: [{ site: 'examples/lock.ts:14:11', count: 3, totalHoldMs: 300 }],
      holdAwaitSites: [],
    }]);
    assert.deepEqual(s.awaitSites[0], { site: 'examples/lock.ts:14:11', kind: 'lock', count: 2, totalMs: 300, maxMs: 200 });
    assert.ok(s.awaitSites.some((a: { kind: string; site: string; count: number }) => a.kind === 'sleep' && a.site === 'examples/lock.ts:4:3' && a.count === 3));
  });

  it('stats without --json prints a readable summary', () => {
    const r = cli('stats', trace);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /tasks: 3 total, 2 completed, 0 cancelled, 1 failed, 0 pending/);
    assert.match(r.stdout, /lock cache at examples\/lock\.ts:8:15: 3 acquisitions, 2 contended/);
    assert.match(r.stdout, /slowest await sites:/);
  });

  it('export --format chrome writes trace events with ph, ts, pid and tid', () => {
    const out = path.join(dir, 'out.trace.json');
    const r = cli('export', trace, '--format', 'chrome', '-o', out);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), out);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    assert.ok(Array.isArray(doc.traceEvents) && doc.traceEvents.length > 0);
    for (const e of doc.traceEvents) {
      assert.equal(typeof e.ph, 'string');
      assert.equal(typeof e.ts, 'number');
      assert.equal(e.pid, HEADER.pid);
      assert.equal(typeof e.tid, 'number');
      if (e.ph === 'X') assert.ok(e.dur >= 0);
    }
    const spans = doc.traceEvents.filter((e: { ph: string }) => e.ph === 'X');
    assert.ok(spans.some((e: { name: string; tid: number; dur: number }) => e.name === 'await lock' && e.tid === 3 && e.dur === 200_000));
    assert.ok(spans.some((e: { name: string; cat: string }) => e.name === 'held by worker-2' && e.cat === 'hold.lock'));
    const flows = doc.traceEvents.filter((e: { ph: string }) => e.ph === 's' || e.ph === 'f');
    assert.equal(flows.length, 2 * 5, 'one flow pair per wake edge');
  });

  it('exports a task with a 1 MB name and 600 holds (issue 18: was "Invalid string length")', () => {
    const { name, events } = longNameEvents(1_000_000, 600);
    const f = path.join(dir, 'long.atrace');
    writeFileSync(f, encodeTrace(HEADER, events));
    for (const format of ['chrome', 'speedscope']) {
      const out = path.join(dir, `long.${format}.json`);
      const r = cli('export', f, '--format', format, '-o', out);
      assert.equal(r.status, 0, r.stderr);
      const text = readFileSync(out, 'utf8');
      JSON.parse(text);
      assert.ok(text.length < 3 * name.length, `${format}: ${text.length} characters for a ${name.length}-character name`);
    }
  });

  it('export --format speedscope writes strictly nested evented profiles', () => {
    const out = path.join(dir, 'out.speedscope.json');
    const r = cli('export', trace, '--format', 'speedscope', '-o', out);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(doc.$schema, 'https://www.speedscope.app/file-format-schema.json');
    assert.equal(doc.profiles.length, 3);
    for (const p of doc.profiles) {
      assert.equal(p.type, 'evented');
      const stack: number[] = [];
      let last = -Infinity;
      for (const e of p.events) {
        assert.ok(e.at >= last, 'events in time order');
        last = e.at;
        assert.ok(e.frame >= 0 && e.frame < doc.shared.frames.length);
        if (e.type === 'O') stack.push(e.frame);
        else assert.equal(stack.pop(), e.frame, 'close matches the innermost open frame');
      }
      assert.equal(stack.length, 0);
    }
  });

  it('view writes a standalone HTML page and the trace bytes in a data file beside it', function () {
    buildWebview();
    const r = cli('view', trace);
    assert.equal(r.status, 0, r.stderr);
    const html = path.join(dir, 'lock.html');
    assert.equal(r.stdout.trim(), html);
    const text = readFileSync(html, 'utf8');
    assert.match(text, /<script type="application\/octet-stream" id="atrace-data" data-title="examples\/lock.ts" data-src="lock.data.js" data-bytes="\d+"><\/script>/);
    const data = readFileSync(path.join(dir, 'lock.data.js'), 'utf8');
    assert.match(data, /^\/\* async-trace: /);
    const parts = [...data.matchAll(/asyncTraceData\.part\("([^"]*)"\);/g)].map((m) => Buffer.from(m[1], 'base64'));
    const bytes = new Uint8Array(Buffer.concat(parts));
    assert.deepEqual(bytes, new Uint8Array(readFileSync(trace)));
    assert.match(data, new RegExp(`asyncTraceData\\.begin\\(${bytes.length}\\);`));
    assert.match(data, /asyncTraceData\.end\(\);\n$/);
    assert.ok(text.includes(readFileSync(path.join(root, 'dist/webview/main.js'), 'utf8').slice(0, 200).replace(/<\/script/gi, '<\\/script')));
  });

  it('view --inline writes one page with the trace bytes embedded', function () {
    buildWebview();
    const out = path.join(dir, 'inline.html');
    const r = cli('view', trace, '--inline', '-o', out);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(out, 'utf8');
    const m = /<script type="application\/octet-stream" id="atrace-data"[^>]*>([^<]*)<\/script>/.exec(text);
    assert.ok(m, 'the data script is there');
    const bytes = new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
    assert.deepEqual(bytes, new Uint8Array(readFileSync(trace)));
    assert.equal(decodeTrace(bytes).events.length, lockEvents().length);
    assert.ok(!existsSync(path.join(dir, 'inline.data.js')));
  });

  it('view refuses option mixes that make no sense, with exit 2', () => {
    for (const args of [['--serve', '--inline'], ['--serve', '-o', 'x.html'], ['--port', '8000'], ['--serve', '--port', 'http']]) {
      const r = cli('view', trace, ...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /--serve|--port/);
    }
  });

  it('refuses a missing file with exit 3', () => {
    const r = cli('stats', path.join(dir, 'nope.atrace'));
    assert.equal(r.status, 3);
    assert.match(r.stderr, /nope\.atrace: cannot read \(no such file\)/);
  });

  it('refuses a foreign file with exit 3 and says why', async () => {
    const f = path.join(dir, 'foreign.atrace');
    writeFileSync(f, '{"traceEvents": []}\n');
    const r = cli('stats', f);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /foreign\.atrace: not a readable async-trace file: .*at byte \d+/);
    for (const cmd of [['export', f, '--format', 'chrome'], ['view', f]]) {
      let err = '';
      assert.equal(await runCli(cmd, { out: () => undefined, err: (t) => { err += t; } }), 3, cmd[0]);
      assert.match(err, /foreign\.atrace: not a readable async-trace file/);
    }
  });

  it('refuses a truncated file with exit 3 and the byte offset where whole batches end', () => {
    const bytes = lockTraceBytes();
    const f = path.join(dir, 'cut.atrace');
    writeFileSync(f, bytes.subarray(0, bytes.length - 10));
    const expected = decodeTrace(bytes.subarray(0, bytes.length - 10)).stoppedAt;
    assert.ok(expected > 0 && expected < bytes.length - 10);
    const r = cli('stats', f, '--json');
    assert.equal(r.status, 3);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`cut\\.atrace: .*whole batches end at byte ${expected} of ${bytes.length - 10}`));
  });

  it('answers bad usage with exit 2 and the usage text', async () => {
    const cases: string[][] = [
      [], ['frobnicate'], ['stats'], ['stats', trace, '--xml'], ['stats', trace, trace],
      ['export', trace], ['export', trace, '--format', 'svg'], ['export', trace, '--format'],
      ['record'], ['record', 'x.ts'], ['record', '--', path.join(dir, 'missing.ts')], ['view'],
    ];
    for (const c of cases) {
      let err = '';
      const code = await runCli(c, { out: () => undefined, err: (t) => { err += t; } });
      assert.equal(code, 2, `${c.join(' ')} -> ${code}: ${err}`);
      assert.match(err, /usage:\n {2}async-trace record/);
    }
    const r = cli('stats');
    assert.equal(r.status, 2, 'the real process exits 2 too');
    assert.match(r.stderr, /stats needs exactly one FILE/);
  });

  it('writes exports next to the trace by default', () => {
    const sub = path.join(dir, 'sub');
    mkdirSync(sub);
    const f = path.join(sub, 'a.atrace');
    writeFileSync(f, lockTraceBytes());
    const r = cli('export', f, '--format', 'speedscope');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), path.join(sub, 'a.speedscope.json'));
  });
});
