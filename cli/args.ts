/**
 * Argument parsing for the commands: flags with values, boolean flags, positionals,
 * and everything after `--` kept verbatim. Unknown flags are usage errors.
 */
import { UsageError } from './errors';

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  flags: Set<string>;
  /** After `--`, untouched. */
  rest: string[] | undefined;
}

export function parseArgs(argv: readonly string[], withValue: readonly string[], boolean: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], values: new Map(), flags: new Set(), rest: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { out.rest = argv.slice(i + 1); break; }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (withValue.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
      out.values.set(name, v);
    } else if (boolean.includes(name) && eq < 0) {
      out.flags.add(name);
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      out.positionals.push(a);
    }
  }
  return out;
}
