/**
 * Writes trace/records.generated.ts from the record table (trace/records.ts): the code
 * that would otherwise be written by hand once per record in six places. Generated
 * source rather than closures built at load time, because the encoder's writers are
 * the tracer's hot path (a specialised method per record with constant slot indices,
 * as fast as hand-written; no `new Function`, which the webview's CSP forbids).
 * test/tracing/records-generated.test.ts fails when the file is stale and rewrites it
 * with UPDATE_RECORDS=1. Pure: returns the text, writes nothing.
 */
import { RECORDS, SLOT_OFFSET, type FieldSpec, type RecordSpec } from './records';
import { CODE_TABLES, type CodeTableName } from './vocabulary';

const CODE_MAP: Record<CodeTableName, string> = {
  outcome: 'OUTCOME_CODE', awaitKind: 'AWAIT_KIND_CODE', resourceKind: 'RESOURCE_KIND_CODE',
  callbackKind: 'CALLBACK_KIND_CODE', signal: 'RESOURCE_SIGNAL_CODE', ioOp: 'IO_OP_CODE',
};
const CODE_LIST: Record<CodeTableName, string> = {
  outcome: 'OUTCOMES', awaitKind: 'AWAIT_KINDS', resourceKind: 'RESOURCE_KINDS',
  callbackKind: 'CALLBACK_KINDS', signal: 'RESOURCE_SIGNALS', ioOp: 'IO_OPS',
};

const upperFirst = (s: string): string => s[0]!.toUpperCase() + s.slice(1);
const wordOf = (at: 'a' | 'b' | 'c' | 'd'): number => SLOT_OFFSET[at] / 4;

function tsType(f: FieldSpec): string {
  switch (f.kind) {
    case 'u32': case 'f64': return 'number';
    case 'str': return 'string';
    case 'code': return CODE_TABLES[f.table].type;
    case 'strings': return 'string[]';
  }
}

function paramType(f: FieldSpec): string {
  return f.kind === 'strings' ? 'readonly string[]' : tsType(f);
}

function params(r: RecordSpec): string {
  return r.fields.map((f) => `${f.name}: ${paramType(f)}`).join(', ');
}

function docLines(doc: string | undefined, indent: string): string[] {
  if (!doc) return [];
  const lines = doc.split('\n');
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`), `${indent} */`];
}

function codeOf(r: RecordSpec): Extract<FieldSpec, { kind: 'code' }> | undefined {
  return r.fields.find((f): f is Extract<FieldSpec, { kind: 'code' }> => f.kind === 'code');
}

function writer(r: RecordSpec): string[] {
  const out = [`  ${r.name}(time: number${r.fields.length ? ', ' + params(r) : ''}): void {`];
  // Strings are interned before the record starts (interning never seals; starting a
  // record may seal a full buffer, and the strings then go out in that batch, before it).
  const local = (f: FieldSpec): string => `${f.name}$`;
  for (const f of r.fields) {
    if (f.kind === 'str') out.push(`    const ${local(f)} = this.str(${f.name});`);
    if (f.kind === 'strings') out.push(`    const ${local(f)} = this.strings(${f.name});`);
  }
  const c = codeOf(r);
  const stores: string[] = [];
  for (const f of r.fields) {
    if (f.kind === 'u32') stores.push(`this.u32[w + ${wordOf(f.at)}] = ${f.name};`);
    else if (f.kind === 'str') stores.push(`this.u32[w + ${wordOf(f.at)}] = ${local(f)};`);
    else if (f.kind === 'f64') stores.push(`this.f64[(w >> 1) + ${SLOT_OFFSET.x / 8}] = ${f.name};`);
    else if (f.kind === 'strings') {
      stores.push(`this.u32[w + ${wordOf(f.count)}] = ${f.name}.length;`, `this.u32[w + ${wordOf(f.first)}] = ${local(f)};`);
    }
  }
  const rec = `this.rec(time, ${r.type}, ${c ? `${CODE_MAP[c.table]}[${c.name}]` : '0'})`;
  if (stores.length === 0) out.push(`    ${rec};`);
  else {
    out.push(`    const w = ${rec};`);
    for (const s of stores) out.push(`    ${s}`);
  }
  out.push('  }');
  return out;
}

function reader(r: RecordSpec): string {
  const props = [`type: '${r.name}'`, 'time'];
  for (const f of r.fields) {
    switch (f.kind) {
      case 'u32': props.push(`${f.name}: dv.getUint32(p + ${SLOT_OFFSET[f.at]}, true)`); break;
      case 'str': props.push(`${f.name}: src.str(dv.getUint32(p + ${SLOT_OFFSET[f.at]}, true), at + ${SLOT_OFFSET[f.at]})`); break;
      case 'f64': props.push(`${f.name}: dv.getFloat64(p + ${SLOT_OFFSET.x}, true)`); break;
      case 'code': props.push(`${f.name}: ${CODE_LIST[f.table]}[code]!`); break;
      case 'strings':
        props.push(`${f.name}: src.strings(dv.getUint32(p + ${SLOT_OFFSET[f.first]}, true), dv.getUint32(p + ${SLOT_OFFSET[f.count]}, true), at + ${SLOT_OFFSET[f.first]})`);
        break;
    }
  }
  return `    case ${r.type}: return { ${props.join(', ')} };`;
}

export function generateRecordsModule(): string {
  const hooks = RECORDS.filter((r) => r.from === 'hook');
  const usedTypes = [...new Set(RECORDS.flatMap((r) => r.fields.flatMap((f) => (f.kind === 'code' ? [CODE_TABLES[f.table].type] : []))))].sort();
  const usedTables = [...new Set(RECORDS.flatMap((r) => r.fields.flatMap((f) => (f.kind === 'code' ? [f.table] : []))))];
  const o: string[] = [];
  o.push(
    '// GENERATED from trace/records.ts by trace/records-codegen.ts: do not edit. To regenerate:',
    '// UPDATE_RECORDS=1 npx mocha --node-option import=tsx test/tracing/records-generated.test.ts',
    `import type { ${usedTypes.join(', ')} } from './vocabulary';`,
    `import * as vocabulary from './vocabulary';`,
    '',
    '// Module-local copies: imported bindings can cost a getter call per use in unbundled runs.',
    ...[...usedTables.map((t) => CODE_LIST[t]), ...usedTables.map((t) => CODE_MAP[t])].sort().map((n) => `const ${n} = vocabulary.${n};`),
    '',
    '/** Record type numbers. Never renumber; new types take new numbers. */',
    'export enum RecordType {',
    ...RECORDS.map((r) => `  ${upperFirst(r.name)} = ${r.type},`),
    '}',
    `export const MAX_RECORD_TYPE = ${Math.max(...RECORDS.map((r) => r.type))};`,
    '',
    '/** Per record type: how many codes its code byte may hold (0: the byte must be 0). */',
    `export const CODE_COUNT: readonly number[] = [${Array.from({ length: Math.max(...RECORDS.map((r) => r.type)) + 1 }, (_, t) => {
      const r = RECORDS.find((x) => x.type === t);
      const c = r && codeOf(r);
      return c ? CODE_TABLES[c.table].values.length : 0;
    }).join(', ')}];`,
    '',
    '/** Byte offset of every field inside its 32-byte record (readers of raw records). */',
    'export const FIELD_OFFSET = {',
    ...RECORDS.filter((r) => r.fields.some((f) => f.kind !== 'code')).map((r) => {
      const fs = r.fields.flatMap((f) => (f.kind === 'code' ? [] : f.kind === 'strings'
        ? [`${f.name}Count: ${SLOT_OFFSET[f.count]}`, `${f.name}First: ${SLOT_OFFSET[f.first]}`]
        : [`${f.name}: ${SLOT_OFFSET[f.at]}`]));
      return `  ${r.name}: { ${fs.join(', ')} },`;
    }),
    '} as const;',
    '',
    '// --- decoded events: one per record type, fields named as the hook\'s parameters ---',
    '',
    'interface At<T extends string> {',
    '  type: T;',
    "  /** Milliseconds since the header's clock origin. */",
    '  time: number;',
    '}',
    '',
  );
  for (const r of RECORDS) {
    const name = `${upperFirst(r.name)}Event`;
    o.push(...docLines(r.doc, ''));
    if (r.fields.length === 0) o.push(`export type ${name} = At<'${r.name}'>;`);
    else o.push(`export interface ${name} extends At<'${r.name}'> { ${r.fields.map((f) => `${f.name}: ${tsType(f)}`).join('; ')} }`);
  }
  o.push(
    '',
    'export type TraceEvent =',
    ...RECORDS.map((r, i) => `  | ${upperFirst(r.name)}Event${i === RECORDS.length - 1 ? ';' : ''}`),
    '',
    "export type TraceEventType = TraceEvent['type'];",
    "/** The event of one type, for handlers: `EventOf<'wake'>`. */",
    'export type EventOf<T extends TraceEventType> = Extract<TraceEvent, { type: T }>;',
    '',
    '// --- the runtime\'s instrument interface: one optional hook per `hook` record ---',
    '',
    '/**',
    " * How the runtime reports what it does (trio's `Instrument`, Effect's `Supervisor`);",
    ' * every hook is optional. Hooks never carry times: the instrument reads its own clock.',
    ' */',
    'export interface Instrument {',
  );
  let group = '';
  for (const r of hooks) {
    if (r.group !== group) { group = r.group; o.push(`  // --- ${group} ${'-'.repeat(Math.max(3, 72 - group.length))}`); }
    o.push(...docLines(r.doc, '  '));
    o.push(`  ${r.name}?(${params(r)}): void;`);
  }
  o.push(
    '}',
    '',
    '/** The hook names, for dispatch tables and for tests that check every hook is reachable. */',
    'export type HookName = keyof Instrument;',
    '/** Every hook, in record order. */',
    `export const HOOK_NAMES = [${hooks.map((r) => `'${r.name}'`).join(', ')}] as const satisfies readonly HookName[];`,
    '/** How many arguments each hook takes. */',
    `export const HOOK_ARITY = { ${hooks.map((r) => `${r.name}: ${r.fields.length}`).join(', ')} } as const satisfies Record<HookName, number>;`,
    '',
    '// --- the encoder\'s writers: one specialised method per record ---',
    '',
    '/** Per-record writers over the encoder\'s primitives (trace/encoder.ts implements them). */',
    'export abstract class RecordWriter {',
    '  protected abstract readonly u32: Uint32Array;',
    '  protected abstract readonly f64: Float64Array;',
    '  /** Starts a record; returns the u32 index of its first word. */',
    '  protected abstract rec(time: number, type: number, code: number): number;',
    '  /** The string-table index of `s` (interned). */',
    '  protected abstract str(s: string): number;',
    '  /** Defines `list` as fresh consecutive strings; returns the first index. */',
    '  protected abstract strings(list: readonly string[]): number;',
    '',
  );
  RECORDS.forEach((r, i) => { if (i > 0) o.push(''); o.push(...writer(r)); });
  o.push(
    '}',
    '',
    '/** Writes a decoded event back through the writers (tools, tests, re-encoding). */',
    'export function writeEvent(w: RecordWriter, e: TraceEvent): void {',
    '  switch (e.type) {',
    ...RECORDS.map((r) => `    case '${r.name}': return w.${r.name}(e.time${r.fields.map((f) => `, e.${f.name}`).join('')});`),
    '  }',
    '}',
    '',
    '// --- the decoder\'s readers ---',
    '',
    '/** What a reader needs from the decoder: the string table (`at`: the byte offset, for errors). */',
    'export interface StringSource {',
    '  str(index: number, at: number): string;',
    '  strings(first: number, count: number, at: number): string[];',
    '}',
    '',
    '/**',
    ' * The event of the record at `p` (stream offset `at`), whose type and code the caller',
    ' * has checked against MAX_RECORD_TYPE and CODE_COUNT; undefined for a type not in the table.',
    ' */',
    'export function readRecord(src: StringSource, dv: DataView, p: number, at: number, type: number, code: number, time: number): TraceEvent | undefined {',
    '  switch (type) {',
    ...RECORDS.map(reader),
    '    default: return undefined;',
    '  }',
    '}',
    '',
  );
  return o.join('\n');
}
