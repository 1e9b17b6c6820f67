// The commands the extension contributes are named in three places that must agree:
// package.json `contributes.commands` (what the palette lists), the typed command table
// (extension/commands.ts: each command's arguments and result) and the registrations
// (extension/*.ts). A command in one but not the others is either missing from the
// palette or does nothing when picked. Read from the source: the extension itself
// needs VS Code to load.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

describe('command manifest', () => {
  const manifest = sorted((JSON.parse(read('package.json')) as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command));
  const table = (() => {
    const src = read('extension/commands.ts');
    const body = /export interface CommandTable \{([^}]*(?:\}[^}]*)*?)\n\}/.exec(src)?.[1] ?? '';
    return sorted([...body.matchAll(/^\s*'([\w.]+)':/gm)].map((m) => m[1]));
  })();
  const registered = sorted(readdirSync(path.join(root, 'extension')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((f) => [...read(path.join('extension', f)).matchAll(/\bregisterCommand\(\s*'([\w.]+)'/g)].map((m) => m[1])));

  it('reads some commands from each place', () => {
    assert.ok(manifest.length > 0 && table.length > 0 && registered.length > 0, JSON.stringify({ manifest, table, registered }));
  });

  it('types every contributed command in the command table', () => {
    assert.deepEqual(table, manifest);
  });

  it('registers every contributed command', () => {
    assert.deepEqual(registered, manifest);
  });
});
