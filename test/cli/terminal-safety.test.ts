// Names in a trace come from the traced program. Printed raw, a lock named "\x1b[41m"
// paints the user's terminal red; the CLI shows control characters as escapes instead.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shown, terminalJson } from '../../cli/terminal-text';

const root = path.resolve(__dirname, '../..');
// Names built from char codes, so this file itself holds no control characters.
const PROGRAM = `import { Lock, createTask, gather, run, sleep } from 'async-trace/runtime';
const esc = String.fromCharCode(27);
const lock = new Lock({ name: esc + '[41mred' + String.fromCharCode(0x9b) + '2J' + String.fromCharCode(0x202e) });
run(async () => {
  const w = () => lock.withLock(() => sleep(2));
  await gather([createTask(w, { name: 'bell' + String.fromCharCode(7) + '\\\\r' }), createTask(w, { name: 'two\\\\nlines' })]);
});
`;

/** Any character a terminal would act on: C0 except newline, DEL, C1, bidi overrides. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal safety of the CLI output', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'atrace-term-'));
    writeFileSync(path.join(dir, 'evil.ts'), PROGRAM);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', require.resolve('tsx'), path.join(root, 'cli/main.ts'), ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });

  it('shows control characters as escapes and keeps other text', () => {
    assert.equal(shown('\u001b[41mred\u009b2J\u202e'), '\\x1b[41mred\\x9b2J\\u202e');
    assert.equal(shown('a\nb\tc\rd\u0007'), 'a\\nb\\tc\\rd\\x07');
    assert.equal(shown('café — ünïcode 名前'), 'café — ünïcode 名前');
  });

  it('keeps JSON valid and equal while escaping what JSON.stringify leaves raw', () => {
    const value = { name: '\u001b[41m\u009b\u202e\u007f' };
    const json = terminalJson(value, 2);
    assert.ok(!RAW.test(json.replace(/\n/g, '')), json);
    assert.deepEqual(JSON.parse(json), value);
  });

  it('record and stats print a lock named "\\x1b[41m…" escaped, never raw', () => {
    const r = cli('record', '-o', 'evil.atrace', '--', 'evil.ts');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!RAW.test(r.stdout), `raw control characters in: ${JSON.stringify(r.stdout)}`);
    assert.match(r.stdout, /lock \\x1b\[41mred\\x9b2J\\u202e at evil\.ts:3:\d+: 2 acquisitions/);
    const text = cli('stats', 'evil.atrace');
    assert.equal(text.status, 0, text.stderr);
    assert.ok(!RAW.test(text.stdout));
    assert.match(text.stdout, /lock \\x1b\[41mred/);
    const json = cli('stats', 'evil.atrace', '--json');
    assert.equal(json.status, 0, json.stderr);
    assert.ok(!RAW.test(json.stdout), `raw control characters in: ${JSON.stringify(json.stdout)}`);
    const parsed = JSON.parse(json.stdout) as { resources: { name: string }[] };
    assert.equal(parsed.resources[0].name, '\u001b[41mred\u009b2J\u202e', 'the JSON still carries the exact name');
    // check and diff print the same names (in findings and their rows).
    const check = cli('check', 'evil.atrace');
    assert.ok(!RAW.test(check.stdout), `raw control characters in: ${JSON.stringify(check.stdout)}`);
    const diff = cli('diff', 'evil.atrace', 'evil.atrace');
    assert.equal(diff.status, 0, diff.stderr);
    assert.ok(!RAW.test(diff.stdout), `raw control characters in: ${JSON.stringify(diff.stdout)}`);
    const diffJson = cli('diff', 'evil.atrace', 'evil.atrace', '--json');
    assert.ok(!RAW.test(diffJson.stdout), `raw control characters in: ${JSON.stringify(diffJson.stdout)}`);
    assert.equal((JSON.parse(diffJson.stdout) as { resources: { name: string }[] }).resources.find((r) => r.name.startsWith('\u001b'))?.name, '\u001b[41mred\u009b2J\u202e');
  });
});
