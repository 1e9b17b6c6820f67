// The trace up to a debugger stop (issue 15), over the real recorder socket: a child
// program "stops" (what the extension evaluates at a stop, then a long synchronous stretch
// in which its loop never runs, which is all a stop is to the tracer's timers). The
// flush hands the partial batch to the kernel at once, so the recorder has every event
// up to the stop while the program is still stopped; when it goes on, the stream carries
// on after those bytes: the whole file decodes with every event exactly once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleProgram } from '../../bundler/bundle-program';
import { Recorder } from '../../extension/recorder';
import { decodeTrace } from '../../trace/decoder';

const STOP_MS = 1500;

const PROGRAM = `import { createTask, run, sleep } from 'async-trace/runtime';
import { writeSync } from 'node:fs';
run(async () => {
  await sleep(200); // the socket connects meanwhile
  for (let i = 0; i < 50; i++) await createTask(async () => { await sleep(0); }, { name: 'before-' + i });
  const flush = (globalThis as Record<symbol, unknown>)[Symbol.for('async-trace.traceUpToPause')] as () => string;
  writeSync(1, flush() + '\\n');
  const end = Date.now() + ${STOP_MS};
  while (Date.now() < end) { /* stopped: no loop turn, no timer */ }
  writeSync(1, 'resumed\\n');
  for (let i = 0; i < 50; i++) await createTask(async () => { await sleep(0); }, { name: 'after-' + i });
});
`;

describe('the trace up to a debugger stop', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-upto-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reaches the recorder while the program is stopped, and nothing is doubled or lost after it goes on', async () => {
    const entry = path.join(dir, 'stops.ts');
    writeFileSync(entry, PROGRAM);
    const built = await bundleProgram({ entry, root: dir, outDir: path.join(dir, '.build'), marks: true });
    const traceFile = path.join(dir, 'stops.atrace');
    const recorder = await Recorder.open(traceFile, {});
    let atStop: { through: number; held: number; namesSeen: string[]; resumedYet: boolean } | undefined;
    let status: number | null;
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, ASYNC_TRACE: recorder.address, ASYNC_TRACE_ROOT: dir };
      const child = spawn(process.execPath, [built.outFile], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      const checked = new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const first = out.split('\n')[0]!;
          if (atStop || !out.includes('\n')) return;
          const answer = JSON.parse(first) as { through: number; held: number };
          const deadline = Date.now() + STOP_MS / 2;
          const poll = (): void => {
            if (recorder.stats.bytes < answer.through && Date.now() < deadline) { setTimeout(poll, 5); return; }
            const bytes = new Uint8Array(readFileSync(traceFile));
            const names = decodeTrace(bytes).events.flatMap((e) => (e.type === 'taskCreated' ? [e.name] : []));
            atStop = { ...answer, namesSeen: names, resumedYet: out.includes('resumed') };
            resolve();
          };
          poll();
        });
        child.on('error', reject);
      });
      status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await checked;
      await recorder.drained();
    } finally {
      await recorder.close();
    }
    assert.equal(status, 0);
    assert.ok(atStop, 'the program answered the flush');
    assert.equal(atStop.held, 0, 'nothing was left in the program');
    assert.ok(atStop.through > 0);
    assert.equal(atStop.resumedYet, false, 'checked while the program was still stopped');
    for (let i = 0; i < 50; i++) assert.ok(atStop.namesSeen.includes(`before-${i}`), `before-${i} had arrived at the stop`);
    assert.ok(!atStop.namesSeen.some((n) => n.startsWith('after-')));
    const whole = decodeTrace(new Uint8Array(readFileSync(traceFile)));
    assert.ok(whole.complete, whole.error);
    const created = whole.events.flatMap((e) => (e.type === 'taskCreated' ? [e.name] : []));
    for (const prefix of ['before-', 'after-']) {
      for (let i = 0; i < 50; i++) assert.equal(created.filter((n) => n === `${prefix}${i}`).length, 1, `${prefix}${i} once`);
    }
  });
});
