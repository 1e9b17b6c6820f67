// The examples' findings, asserted exactly: each example is recorded with the real CLI
// (`async-trace record`, from the source tree) and `check --severity warning` must say
// what the example is built to show and nothing more. A false positive fails here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
let scratch: string;

interface Finding { kind: string; severity: string; message: string; sites: string[]; resources: { name: string }[] }

function findingsOf(example: string): Finding[] {
  const out = path.join(scratch, `${example}.atrace`);
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', require.resolve('tsx'), path.join(root, 'cli/main.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 90_000 });
  const r = run('record', '-o', out, '--', path.join('examples', example));
  assert.equal(r.status, 0, `record ${example}:\n${r.stdout}\n${r.stderr}`);
  const s = run('stats', out, '--json');
  assert.equal(s.status, 0, s.stderr);
  return (JSON.parse(s.stdout) as { findings: Finding[] }).findings;
}

const brief = (f: Finding): string => `${f.severity} ${f.kind} ${f.sites.join(' ')}`;

describe('findings of the examples', function () {
  this.timeout(180_000);
  before(() => { scratch = mkdtempSync(path.join(tmpdir(), 'atrace-ex-findings-')); });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  for (const clean of ['ten-sleepers.ts', 'cancellation.ts', 'call-later-future.ts', 'callback-ordering.ts', 'futures-and-callbacks.ts',
    'iterator-and-context.ts', 'wait-vs-gather.ts', 'http-get.ts', 'thread-pool.ts']) {
    it(`${clean}: no findings`, () => {
      assert.deepEqual(findingsOf(clean).map(brief), []);
    });
  }

  it('blocked-loop.ts: the hog task blocking the loop after its sleep, and nothing else', () => {
    assert.deepEqual(findingsOf('blocked-loop.ts').map(brief), ['warning blocked-loop examples/blocked-loop.ts:19:3']);
  });

  it('lock-contention.ts: the cache lock held across the slow backend sleep', () => {
    const found = findingsOf('lock-contention.ts');
    assert.deepEqual(found.map(brief), ['warning lock-held-across-await examples/lock-contention.ts:19:7 examples/lock-contention.ts:15:12']);
    assert.match(found[0].message, /held lock cache across await sleep\(\) at examples\/lock-contention\.ts:19:7 \(3x/);
  });

  it('crawler.ts: fetch-slots permits held across the HTTP reads is information (bounding fetches is the point), never a warning', () => {
    const found = findingsOf('crawler.ts');
    assert.ok(found.length > 0);
    for (const f of found) {
      assert.equal(`${f.severity} ${f.kind} ${f.resources.map((r) => r.name)}`, 'info lock-held-across-await fetch-slots', f.message);
      assert.equal(f.sites[1], 'examples/crawler.ts:73:18', 'the acquire is the withLock line');
    }
    assert.equal(found[0].sites[0], 'examples/crawler.ts:29:21', 'most of the waiting was behind reader.read()');
  });
});
