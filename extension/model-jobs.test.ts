// The trace jobs the host hands to a worker (extension/model-jobs.ts): findings and
// await figures of a trace file equal those of its model read in place, an export is
// written whole, and a file that is not a trace rejects with a message that says so.
// The worker runs the TypeScript source through tsx, as the bundle runs its JS.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCrossReleaseTrace } from '../bench/synthetic-trace';
import { analyze } from '../trace/analysis/analyze';
import { awaitSiteFigures } from '../trace/analysis/site-figures';
import { readTraceModel } from '../trace/feed';
import { insightsInWorker, runModelJob, type WorkerSpec } from './model-jobs';

const worker: WorkerSpec = { eval: true, file: `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'model-worker.ts'))});` };

describe('trace jobs in a worker (the host keeps no model)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'atrace-jobs-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers the same findings and await figures as the model of the file', async () => {
    const file = path.join(dir, 'cross.atrace');
    writeCrossReleaseTrace(file, 500, 20);
    const { model } = readTraceModel(new Uint8Array(readFileSync(file)));
    const got = await insightsInWorker(file, worker);
    assert.deepEqual(got.findings, analyze(model).findings);
    assert.deepEqual(got.figures, awaitSiteFigures(model));
    assert.ok(got.figures.length > 0);
  });

  it('writes an export file chunk by chunk', async () => {
    const file = path.join(dir, 'export.atrace');
    writeCrossReleaseTrace(file, 200, 10);
    const out = path.join(dir, 'export.json');
    await runModelJob({ job: 'export', file, format: 'chrome', out }, worker);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { traceEvents: unknown[] };
    assert.ok(doc.traceEvents.length > 200);
  });

  it('rejects a file that is not a trace, naming it', async () => {
    const file = path.join(dir, 'not-a-trace.atrace');
    writeFileSync(file, 'hello, this is not a trace at all');
    await assert.rejects(insightsInWorker(file, worker), (e: Error) => e.message.includes('not-a-trace.atrace') && /not an async-trace file/.test(e.message));
  });

  it('rejects a missing file', async () => {
    await assert.rejects(insightsInWorker(path.join(dir, 'gone.atrace'), worker), /ENOENT/);
  });
});
