// One way to do each thing (issue 13.4): trace file names, export suffixes, the
// tracer's setting defaults and bytes → model each live in one module of trace/, which
// the CLI, the extension and the runtime use; these pin what they say.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { encodeTrace } from '../../trace/encoder';
import { TraceFeed, readTraceModel } from '../../trace/feed';
import { DEFAULT_TRACE_FOLDER, exportPathFor, traceFileName } from '../../trace/file-names';
import { TRACER_DEFAULTS, TRACER_ENV, envNumber } from '../../trace/tracer-settings';
import type { TraceEvent } from '../../trace/events';

const repo = path.resolve(__dirname, '../..');
const header = { formatVersion: 1, clockOriginUnixMs: 0, program: 'p.ts', root: '/r', runtimeVersion: '0.1.0', nodeVersion: 'v20', pid: 1 };
const events: TraceEvent[] = [
  { type: 'taskCreated', time: 1, taskId: 1, parentId: 0, name: 'main', site: 0 },
  { type: 'taskDone', time: 2, taskId: 1, outcome: 'ok', message: '' },
];

describe('one way to do each thing', () => {
  it('names exports the same for the CLI and the extension: .trace.json and .speedscope.json beside the trace', () => {
    assert.equal(exportPathFor('/w/.async-trace/run.atrace', 'chrome'), '/w/.async-trace/run.trace.json');
    assert.equal(exportPathFor('/w/run.atrace', 'speedscope'), '/w/run.speedscope.json');
    assert.equal(exportPathFor('/w/run.bin', 'chrome'), '/w/run.bin.trace.json');
  });

  it('names a trace after its program and the local time, with an optional uniquifier', () => {
    const at = new Date(2026, 11, 3, 9, 5, 7);
    assert.equal(traceFileName('/w/src/main.ts', at), 'main-20261203-090507.atrace');
    assert.equal(traceFileName('C:\\w\\app.mjs', at, 'ab12'), 'app-20261203-090507-ab12.atrace');
  });

  it('package.json settings default to the tracer\'s own defaults', () => {
    const props = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    }).contributes.configuration.properties;
    assert.equal(props['asyncTrace.eventBufferSize']?.default, TRACER_DEFAULTS.bufferEvents);
    assert.equal(props['asyncTrace.blockedLoopThresholdMs']?.default, TRACER_DEFAULTS.blockedMs);
    assert.equal(props['asyncTrace.traceFolder']?.default, DEFAULT_TRACE_FOLDER);
  });

  it('documents every tracer environment variable in the format spec', () => {
    const spec = readFileSync(path.join(repo, 'docs/trace-format.md'), 'utf8');
    for (const name of Object.values(TRACER_ENV)) assert.ok(spec.includes(`\`${name}\``), name);
  });

  it('reads numbers from the environment, ignoring what is not one', () => {
    assert.equal(envNumber('25'), 25);
    assert.equal(envNumber(''), undefined);
    assert.equal(envNumber('-1'), undefined);
    assert.equal(envNumber('lots'), undefined);
  });

  it('reads a whole file and a stream chunk by chunk into the same model', () => {
    const bytes = encodeTrace(header, events, 1);
    const whole = readTraceModel(bytes);
    assert.equal(whole.complete, true);
    const feed = new TraceFeed();
    for (let i = 0; i < bytes.length; i += 7) feed.push(bytes.subarray(i, i + 7));
    assert.deepEqual(feed.finish(), { complete: true, message: '' });
    assert.deepEqual(feed.model.tasks, whole.model.tasks);
    const cut = readTraceModel(bytes.subarray(0, bytes.length - 3));
    assert.equal(cut.complete, false);
    assert.equal(cut.model.tasks.length, 1, 'what was whole is kept');
    assert.match(cut.error ?? '', /truncated/);
  });
});
