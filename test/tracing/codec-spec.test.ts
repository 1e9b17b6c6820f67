// The spec (docs/trace-format.md) and the codec must say the same thing: every record
// type with its number and name, every code list in order, the version and the magic.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AWAIT_KINDS, CALLBACK_KINDS, FORMAT_VERSION, IO_OPS, MAGIC, MAX_RECORD_TYPE, OUTCOMES,
  RESOURCE_KINDS, RESOURCE_SIGNALS, RecordType,
} from '../../trace/format';
import { hookNames } from '../../runtime/instrument';

const spec = readFileSync(path.resolve(__dirname, '../../docs/trace-format.md'), 'utf8');

/** `| 7 | awaitBegin | ...` rows of the record table. */
function specRecordTypes(): Map<number, string> {
  const start = spec.indexOf('| type | name |');
  assert.ok(start >= 0, 'spec has the record type table');
  const table = spec.slice(start, spec.indexOf('\n\n', start));
  const out = new Map<number, string>();
  for (const m of table.matchAll(/^\| (\d+) \| (\w+) \|/gm)) out.set(Number(m[1]), m[2]);
  return out;
}

function lowerFirst(s: string): string {
  return s[0].toLowerCase() + s.slice(1);
}

describe('trace format spec', () => {
  it('lists every record type with the number the codec uses', () => {
    const codec = new Map<number, string>();
    for (const [name, value] of Object.entries(RecordType)) {
      if (typeof value === 'number') codec.set(value, lowerFirst(name));
    }
    assert.equal(codec.size, MAX_RECORD_TYPE);
    assert.deepEqual([...specRecordTypes()].sort((a, b) => a[0] - b[0]), [...codec].sort((a, b) => a[0] - b[0]));
  });

  it('has a record type for every instrument hook', () => {
    const names = new Set(specRecordTypes().values());
    assert.deepEqual(hookNames.filter((h) => !names.has(h)), []);
  });

  it('lists the code tables in the codec order', () => {
    const lists: [string, readonly string[]][] = [
      ['outcome', OUTCOMES], ['await kind', AWAIT_KINDS], ['resource kind', RESOURCE_KINDS],
      ['callback kind', CALLBACK_KINDS], ['signal', RESOURCE_SIGNALS], ['io op', IO_OPS],
    ];
    for (const [label, values] of lists) {
      const m = new RegExp(`^- ${label}: ((?:.|\\n  )*)$`, 'm').exec(spec);
      assert.ok(m, `spec lists ${label}`);
      const listed = [...m[1].matchAll(/`(\w+)`/g)].map((x) => x[1]);
      assert.deepEqual(listed, [...values], label);
    }
  });

  it('states the current version and magic', () => {
    assert.match(spec, new RegExp(`Format version \\*\\*${FORMAT_VERSION}\\*\\*`));
    const hex = [...MAGIC].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
    assert.ok(spec.includes(hex), `magic ${hex} in the spec`);
  });
});
