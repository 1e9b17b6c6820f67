/**
 * `async-trace record [-o FILE] [--node PATH] [--ring SIZE] -- PROGRAM [ARGS...]`: build
 * PROGRAM with site marks into .async-trace/build/, run it with ASYNC_TRACE pointing at
 * FILE, print a summary, and exit with the program's own exit code. Ctrl-C keeps the
 * trace and adds the tasks still pending, each with its await chain and what it waits
 * for. `--ring SIZE` runs the flight recorder (ASYNC_TRACE_RING): FILE gets only the
 * most recent SIZE of events, and SIGUSR2 to the program writes FILE.recent-N.atrace.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { constants } from 'node:os';
import { buildDirFor } from '../bundler/build-cache';
import { bundleProgram } from '../bundler/bundle-program';
import { formatPendingTasks, snapshotFromModel } from '../trace/program-snapshot';
import { statsJson } from '../trace/stats';
import { notTracedMessage, usedRuntime } from '../trace/used-runtime';
import { parseRingSize } from '../runtime/tracer/ring-size';
import { parseArgs } from './args';
import { TraceFileError, UsageError } from './errors';
import type { Io } from './io';
import { loadTrace } from './load-trace';
import { formatSummary } from './summary';
import { shown } from './terminal-text';
import { DEFAULT_TRACE_FOLDER, traceFileName } from '../trace/file-names';
import { TRACER_ENV } from '../trace/tracer-settings';

interface RunResult { code: number; interrupted: boolean }

/**
 * Runs the program. Ctrl-C (SIGINT) does not end `record` itself: it goes on to the
 * program (a terminal sends it to both; a signal to `record` alone is passed on), whose
 * tracer flushes and then dies by it, so the trace is kept and can be reported.
 */
function run(node: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { stdio: 'inherit', env });
    let interrupted = false;
    const onSigint = (): void => {
      interrupted = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    };
    process.on('SIGINT', onSigint);
    child.on('error', (e) => { process.off('SIGINT', onSigint); reject(e); });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onSigint);
      resolve({ code: code ?? 128 + ((signal && constants.signals[signal]) || 1), interrupted: interrupted || signal === 'SIGINT' });
    });
  });
}

export async function recordCommand(argv: readonly string[], io: Io): Promise<number> {
  const a = parseArgs(argv, ['-o', '--node', '--ring'], []);
  const ring = a.values.get('--ring');
  if (ring !== undefined) {
    // Checked here, so a bad size is a usage error and not a warning from inside the program.
    try { parseRingSize(ring); } catch (e) { throw new UsageError(`--ring: ${(e as Error).message}`); }
  }
  if (a.positionals.length > 0) throw new UsageError(`unexpected ${a.positionals[0]} (put the program after --)`);
  if (!a.rest || a.rest.length === 0) throw new UsageError('record needs -- PROGRAM');
  const [program, ...programArgs] = a.rest;
  const root = process.cwd();
  const entry = path.resolve(root, program);
  if (!existsSync(entry)) throw new UsageError(`program not found: ${program}`);
  if (!/\.[cm]?[jt]sx?$/.test(entry)) throw new UsageError(`program must be a .ts or .js file: ${program}`);
  const out = path.resolve(root, a.values.get('-o') ?? path.join(DEFAULT_TRACE_FOLDER, traceFileName(entry, new Date())));
  mkdirSync(path.dirname(out), { recursive: true });
  rmSync(out, { force: true });

  let built;
  try {
    built = await bundleProgram({ entry, root, outDir: buildDirFor(path.join(root, DEFAULT_TRACE_FOLDER, 'build'), entry) });
  } catch (e) {
    io.err(`async-trace: build of ${shown(program)} failed:\n${(e instanceof Error ? e.message : String(e)).split('\n').map(shown).join('\n')}\n`);
    return 1;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, [TRACER_ENV.target]: out, [TRACER_ENV.root]: root };
  // Flight recorder: only the most recent events are kept, and written to `out` at the end.
  if (ring !== undefined) env[TRACER_ENV.ring] = ring; else delete env[TRACER_ENV.ring];
  const { code, interrupted } = await run(a.values.get('--node') ?? process.execPath, ['--enable-source-maps', built.outFile, ...programArgs], env);

  if (!existsSync(out)) {
    io.err(`async-trace: ${notTracedMessage}\n`);
    return code;
  }
  try {
    const { model } = loadTrace(out);
    if (!usedRuntime(model)) {
      // Only the header and the site table: the marks loaded the runtime, nothing ran on it.
      rmSync(out, { force: true });
      io.err(`async-trace: ${notTracedMessage}\n`);
      return code;
    }
    const rel = path.relative(root, out);
    const shown = rel.startsWith('..') || path.isAbsolute(rel) ? out : rel;
    io.out('\n' + formatSummary(statsJson(model), shown));
    // Interrupted (a program that hangs, typically): what was still pending, and on what.
    if (interrupted) io.out(`interrupted: the trace up to Ctrl-C is kept in ${shown}\n${formatPendingTasks(snapshotFromModel(model))}`);
  } catch (e) {
    if (!(e instanceof TraceFileError)) throw e;
    io.err(`async-trace: ${e.message}\n`);
  }
  return code;
}
