/**
 * Where a program's build goes: one folder per program path inside a cache folder (the
 * CLI's `.async-trace/build`, the extension's global storage), so rebuilding a program
 * replaces its last build and two programs with the same name never share one.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

export function buildDirFor(cacheDir: string, program: string): string {
  const key = createHash('sha256').update(program).digest('hex').slice(0, 12);
  return path.join(cacheDir, `${path.basename(program).replace(/\.[^.]+$/, '')}-${key}`);
}
