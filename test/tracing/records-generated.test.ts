// trace/records.generated.ts is derived from the record table (trace/records.ts); this
// fails when someone changed the table (or the generator) without regenerating, and
// regenerates it with UPDATE_RECORDS=1.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateRecordsModule } from '../../trace/records-codegen';

const file = path.resolve(__dirname, '../../trace/records.generated.ts');

describe('record table', () => {
  it('trace/records.generated.ts is what the table generates', () => {
    const want = generateRecordsModule();
    if (process.env.UPDATE_RECORDS === '1') { writeFileSync(file, want); return; }
    const have = readFileSync(file, 'utf8');
    assert.ok(have === want, 'trace/records.generated.ts is stale: run UPDATE_RECORDS=1 npx mocha --node-option import=tsx test/tracing/records-generated.test.ts');
  });
});
