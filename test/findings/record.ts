/**
 * Records one of the programs in ./programs for real (the site plugin's build, a child
 * Node with ASYNC_TRACE set) into a scratch folder that is also its site root, so
 * sites read `deadlock.ts:9:7`. A program that keeps running (kept-alive.ts) is sent
 * `signal` (SIGINT unless told) once it prints `stopWhen`, the way a user stops it.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleProgram } from '../../bundler/bundle-program';
import { decodeTrace } from '../../trace/decoder';
import { TraceModel } from '../../trace/model';

export interface Recorded { model: TraceModel; file: string; stdout: string; stderr: string }

export async function recordFixture(dir: string, program: string, stopWhen?: string, signal: NodeJS.Signals = 'SIGINT'): Promise<Recorded> {
  const entry = path.join(dir, program);
  copyFileSync(path.join(__dirname, 'programs', program), entry);
  const built = await bundleProgram({ entry, root: dir, outDir: path.join(dir, '.build', program) });
  const file = path.join(dir, `${program}.atrace`);
  const env: NodeJS.ProcessEnv = { ...process.env, ASYNC_TRACE: file, ASYNC_TRACE_ROOT: dir };
  delete env.ASYNC_TRACE_STACKS;
  const child = spawn(process.execPath, ['--enable-source-maps', built.outFile], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    if (stopWhen !== undefined && stdout.includes(stopWhen)) child.kill(signal);
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code, endedBy] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(killer);
  if (stopWhen === undefined ? code !== 0 : endedBy !== signal) throw new Error(`${program} ended ${code ?? endedBy}:\n${stdout}\n${stderr}`);
  const decoded = decodeTrace(new Uint8Array(readFileSync(file)));
  if (!decoded.complete) throw new Error(`trace of ${program} is incomplete: ${decoded.error ?? ''} at ${decoded.stoppedAt}`);
  const model = new TraceModel();
  model.setHeader(decoded.header);
  model.apply(decoded.events);
  return { model, file, stdout, stderr };
}
