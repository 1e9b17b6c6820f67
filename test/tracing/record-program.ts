/**
 * Records a small program for real: build it with the site plugin (bundler/bundle-program)
 * and run it in a child Node with ASYNC_TRACE pointing at a file, then fold the trace
 * into the model. Programs live in a scratch folder, which is also their site root.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleProgram } from '../../bundler/bundle-program';
import { readTraceModel } from '../../trace/feed';
import type { TraceModel } from '../../trace/model';

export interface Recording { model: TraceModel; stdout: string; status: number | null; file: string }

export async function recordProgram(dir: string, name: string, source: string, marks = true): Promise<Recording> {
  const entry = path.join(dir, name);
  writeFileSync(entry, source);
  const built = await bundleProgram({ entry, root: dir, outDir: path.join(dir, '.build', `${name}-${marks ? 'marks' : 'stacks'}`), marks });
  const file = path.join(dir, `${name}-${marks ? 'marks' : 'stacks'}.atrace`);
  // No ASYNC_TRACE_STACKS: a program built without marks falls back to stack capture by itself.
  const env: NodeJS.ProcessEnv = { ...process.env, ASYNC_TRACE: file, ASYNC_TRACE_ROOT: dir };
  delete env.ASYNC_TRACE_STACKS;
  const r = spawnSync(process.execPath, ['--enable-source-maps', built.outFile], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${name} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  const decoded = readTraceModel(new Uint8Array(readFileSync(file)));
  if (!decoded.complete) throw new Error(`trace of ${name} is incomplete: ${decoded.error ?? ''} at ${decoded.stoppedAt}`);
  return { model: decoded.model, stdout: r.stdout, status: r.status, file };
}
