// A traced program emits one long synchronous burst of events (no loop turn in between)
// through the recorder's socket, with a small memory bound: the tracer hands each sealed
// batch to the kernel from inside the hooks (non-blocking), so the recorder, another
// process, reads while the burst goes on. However the race between the two turns out,
// the stream must stay whole and in order, and every event must be either recorded or
// counted in a `dropped` record: nothing lost silently, nothing doubled or reordered.
// Real child process, real recorder (extension/recorder.ts), real unix socket.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleProgram } from '../../bundler/bundle-program';
import { Recorder } from '../../extension/recorder';
import { decodeTrace } from '../../trace/decoder';

const N = 400_000;
const BASE = 1_000_000_000; // burst handle ids, far above the runtime's own ids

const BURST = `import { run, sleep, stopTracing } from 'async-trace/runtime';
import { hooks } from 'async-trace/runtime/internal';
async function main(): Promise<void> {
  await sleep(200); // the socket connects meanwhile
  for (let i = 1; i <= ${N}; i++) hooks.callbackBegin(${BASE} + i);
  // Stop in the same synchronous stretch: no other event reaches the tracer after the burst.
  await stopTracing();
}
void run(main);
`;

describe('a synchronous burst of events over the recorder socket', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-burst-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('arrives whole and in order, each event recorded or counted as dropped', async () => {
    const entry = path.join(dir, 'burst.ts');
    writeFileSync(entry, BURST);
    const built = await bundleProgram({ entry, root: dir, outDir: path.join(dir, '.build'), marks: true });
    const traceFile = path.join(dir, 'burst.atrace');
    const recorder = await Recorder.open(traceFile, {});
    let status: number | null;
    try {
      // ~12.8 MB of records against a 2.5 MB bound (ASYNC_TRACE_BUFFER_EVENTS).
      const env: NodeJS.ProcessEnv = { ...process.env, ASYNC_TRACE: recorder.address, ASYNC_TRACE_ROOT: dir, ASYNC_TRACE_BUFFER_EVENTS: '80000' };
      const child = spawn(process.execPath, [built.outFile], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] });
      status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await recorder.drained();
    } finally {
      await recorder.close();
    }
    assert.equal(status, 0);
    const decoded = decodeTrace(new Uint8Array(readFileSync(traceFile)));
    assert.ok(decoded.complete, decoded.error);
    let recorded = 0;
    let last = BASE;
    let dropped = 0;
    for (const e of decoded.events) {
      if (e.type === 'dropped') dropped += e.count;
      else if (e.type === 'callbackBegin' && e.handleId > BASE) {
        assert.ok(e.handleId > last, `handle ${e.handleId} after ${last}: reordered or doubled`);
        last = e.handleId;
        recorded++;
      }
    }
    assert.equal(recorded + dropped, N, `recorded ${recorded} + dropped ${dropped}`);
  });
});
