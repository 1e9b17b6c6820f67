// The spec (docs/trace-format.md) and the codec must say the same thing. Both come from
// the record table (trace/records.ts): the spec's record table must be exactly the one
// rendered from it, its code lists the code tables in order; and the codec generated
// from the table must put every field where the table (and so the spec) says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeTrace } from '../../trace/decoder';
import { TraceEncoder, encodeHeader } from '../../trace/encoder';
import { BATCH_HEADER_SIZE, FORMAT_VERSION, MAGIC, OFF_CODE, OFF_TYPE, RECORD_SIZE } from '../../trace/format';
import { RECORDS, SLOT_OFFSET, specRecordTable, type FieldSpec } from '../../trace/records';
import { HOOK_NAMES, RecordType } from '../../trace/records.generated';
import { CODE_TABLES, type CodeTableName } from '../../trace/vocabulary';
import type { TraceEvent } from '../../trace/events';
import { hookNames } from '../../runtime/instrument';

const spec = readFileSync(path.resolve(__dirname, '../../docs/trace-format.md'), 'utf8');

describe('trace format spec', () => {
  it('has the record table rendered from trace/records.ts', () => {
    const want = specRecordTable((t) => CODE_TABLES[t].label);
    const start = spec.indexOf('| type | name |');
    assert.ok(start >= 0, 'spec has the record type table');
    const have = spec.slice(start, spec.indexOf('\n\n', start));
    assert.equal(have, want);
  });

  it('numbers the record types 1..N without gaps, names them like RecordType', () => {
    assert.deepEqual(RECORDS.map((r) => r.type), RECORDS.map((_, i) => i + 1));
    for (const r of RECORDS) assert.equal(RecordType[r.type]?.replace(/^./, (c) => c.toLowerCase()), r.name);
  });

  it('has a hook record for every instrument hook the runtime dispatches', () => {
    assert.deepEqual([...hookNames], [...HOOK_NAMES]);
    assert.deepEqual([...HOOK_NAMES], RECORDS.filter((r) => r.from === 'hook').map((r) => r.name));
  });

  it('lists the code tables in the codec order', () => {
    for (const { label, values } of Object.values(CODE_TABLES)) {
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

  it('keeps slots apart: no two fields of a record share a slot, x only for floats', () => {
    for (const r of RECORDS) {
      const used = r.fields.flatMap((f) => (f.kind === 'code' ? ['code'] : f.kind === 'strings' ? [f.count, f.first] : [f.at]));
      assert.equal(new Set(used).size, used.length, r.name);
      if (used.includes('x')) assert.ok(!used.includes('d'), `${r.name}: x overlaps d`);
    }
  });

  it('writes every field of every record at the slot the table names, and decodes it back', () => {
    // Distinct values per field, so a field written into another's slot shows.
    const value = (f: FieldSpec, i: number): unknown => {
      switch (f.kind) {
        case 'u32': return 1000 + i;
        case 'f64': return 0.5 + i;
        case 'str': return `s${i}`;
        case 'code': { const vs = CODE_TABLES[f.table as CodeTableName].values; return vs[vs.length - 1]; }
        case 'strings': return ['a.ts:1:1', 'b.ts:2:2'];
      }
    };
    for (const r of RECORDS) {
      const batches: Uint8Array[] = [];
      const enc = new TraceEncoder({ onBatch: (b) => batches.push(b) });
      const event = { type: r.name, time: 7, ...Object.fromEntries(r.fields.map((f, i) => [f.name, value(f, i)])) } as unknown as TraceEvent;
      (enc as unknown as Record<string, (...a: unknown[]) => void>)[r.name]!(7, ...r.fields.map((f, i) => value(f, i)));
      batches.push(enc.seal()!);
      const batch = batches[0]!;
      const dv = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
      const rec = batch.length - RECORD_SIZE;
      assert.equal(batch[rec + OFF_TYPE], r.type, r.name);
      // Strings of the batch, in definition order (index 1 is the first new string).
      const strings: string[] = [''];
      for (let p = BATCH_HEADER_SIZE, k = 0; k < dv.getUint32(8, true); k++) {
        const len = dv.getUint32(p, true);
        strings.push(new TextDecoder().decode(batch.subarray(p + 4, p + 4 + len)));
        p += 4 + len;
      }
      r.fields.forEach((f, i) => {
        const v = value(f, i);
        if (f.kind === 'u32') assert.equal(dv.getUint32(rec + SLOT_OFFSET[f.at], true), v, `${r.name}.${f.name}`);
        if (f.kind === 'f64') assert.equal(dv.getFloat64(rec + SLOT_OFFSET.x, true), v, `${r.name}.${f.name}`);
        if (f.kind === 'str') assert.equal(strings[dv.getUint32(rec + SLOT_OFFSET[f.at], true)], v, `${r.name}.${f.name}`);
        if (f.kind === 'code') assert.equal(batch[rec + OFF_CODE], CODE_TABLES[f.table].values.length - 1, `${r.name}.${f.name}`);
        if (f.kind === 'strings') {
          const first = dv.getUint32(rec + SLOT_OFFSET[f.first], true), count = dv.getUint32(rec + SLOT_OFFSET[f.count], true);
          assert.deepEqual(strings.slice(first, first + count), v, `${r.name}.${f.name}`);
        }
      });
      const header = encodeHeader({ formatVersion: FORMAT_VERSION, clockOriginUnixMs: 0, program: '', root: '/', runtimeVersion: '', nodeVersion: '', pid: 1 });
      const file = new Uint8Array(header.length + batch.length);
      file.set(header); file.set(batch, header.length);
      assert.deepEqual(decodeTrace(file).events, [event], r.name);
    }
  });
});
