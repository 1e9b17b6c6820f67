/**
 * The `async-trace` command (../shared/design/cli.md, a contract): record, stats,
 * check, export, view, diff. Exit codes: 0 success; the program's own code for `record`; 1 a
 * build or I/O failure, or for `check` a finding at or above the severity; 2 bad usage;
 * 3 an unreadable, foreign or truncated trace file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { NOISE_RULE } from '../trace/diff/noise';
import { chromeTraceJson } from '../trace/export-chrome';
import { speedscopeJson } from '../trace/export-speedscope';
import { exportPathFor } from '../trace/file-names';
import { statsJson } from '../trace/stats';
import { parseArgs } from './args';
import { diffCommand } from './diff';
import { TraceFileError, USAGE, UsageError } from './errors';
import { processIo, type Io } from './io';
import { checkTrace, loadTrace } from './load-trace';
import { findingCount, findingLines } from './findings-text';
import { formatSummary } from './summary';
import { shown, terminalJson } from './terminal-text';

function oneFile(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} needs exactly one FILE`);
  return positionals[0];
}

function statsCommand(argv: readonly string[], io: Io): number {
  const a = parseArgs(argv, [], ['--json']);
  const file = oneFile(a.positionals, 'stats');
  const { model } = loadTrace(file);
  const s = statsJson(model);
  io.out(a.flags.has('--json') ? terminalJson(s, 2) + '\n' : formatSummary(s, file));
  return 0;
}

const SEVERITIES = ['error', 'warning', 'info'] as const;

/** `check FILE [--severity error|warning]`: the findings; exit 1 when one at or above the severity exists (cli.md). */
function checkCommand(argv: readonly string[], io: Io): number {
  const a = parseArgs(argv, ['--severity'], []);
  const file = oneFile(a.positionals, 'check');
  const severity = a.values.get('--severity') ?? 'error';
  if (severity !== 'error' && severity !== 'warning') throw new UsageError(`--severity must be error or warning, not ${severity}`);
  const { model } = loadTrace(file);
  const { findings } = statsJson(model);
  const bar = SEVERITIES.indexOf(severity);
  const failing = findings.filter((x) => SEVERITIES.indexOf(x.severity as (typeof SEVERITIES)[number]) <= bar);
  const lines = findingLines(findings);
  lines.push(`${file}: ${findingCount(findings)}${failing.length > 0 ? ` (${failing.length} at or above ${severity})` : ''}`);
  io.out(lines.join('\n') + '\n');
  return failing.length > 0 ? 1 : 0;
}

function exportCommand(argv: readonly string[], io: Io): number {
  const a = parseArgs(argv, ['--format', '-o'], []);
  const file = oneFile(a.positionals, 'export');
  const format = a.values.get('--format');
  if (format !== 'chrome' && format !== 'speedscope') throw new UsageError('export needs --format chrome or --format speedscope');
  const { model } = loadTrace(file);
  const out = path.resolve(a.values.get('-o') ?? exportPathFor(file, format));
  writeChunks(out, format === 'chrome' ? chromeTraceJson(model) : speedscopeJson(model));
  io.out(shown(out) + '\n');
  return 0;
}

/** Writes the export chunk by chunk: the document is never one string in memory. */
function writeChunks(file: string, chunks: Iterable<string>): void {
  const fd = openSync(file, 'w');
  try {
    for (const c of chunks) writeSync(fd, c);
  } finally {
    closeSync(fd);
  }
}

async function viewCommand(argv: readonly string[], io: Io): Promise<number> {
  // Loaded here, not at the top: the viewer's writer reaches the bundler (esbuild,
  // TypeScript), ~0.2 s of start-up that stats, check, export and diff do not need.
  const { writeCompareViewer, writeViewer } = await import('./view');
  const a = parseArgs(argv, ['-o', '--port'], ['--inline', '--serve']);
  if (a.positionals.length === 2 && !a.flags.has('--serve') && !a.flags.has('--inline') && !a.values.has('--port')) {
    // The compare view: both files are read first, so a bad second one fails before anything is written.
    const [fa, fb] = a.positionals;
    const ta = loadTrace(fa), tb = loadTrace(fb);
    io.out(writeCompareViewer({ file: fa, bytes: ta.bytes }, { file: fb, bytes: tb.bytes }, a.values.get('-o')) + '\n');
    return 0;
  }
  const file = oneFile(a.positionals, 'view');
  const serve = a.flags.has('--serve');
  if (serve && (a.flags.has('--inline') || a.values.has('-o'))) throw new UsageError('view --serve writes no file: it takes neither -o nor --inline');
  if (!serve && a.values.has('--port')) throw new UsageError('--port goes with --serve');
  const port = a.values.has('--port') ? Number(a.values.get('--port')) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port needs a port number, not ${a.values.get('--port')}`);
  const header = checkTrace(file);
  const title = header.program || path.basename(file);
  if (!serve) {
    io.out(shown(writeViewer(file, title, a.values.get('-o'), { inline: a.flags.has('--inline') })) + '\n');
    return 0;
  }
  const { serveViewer } = await import('./view-server');
  const s = await serveViewer(file, title, port);
  io.out(`${s.url}\n`);
  io.err('async-trace: serving the viewer until Ctrl-C\n');
  await new Promise<void>((resolve) => {
    const stop = (): void => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await s.close();
  return 0;
}

/** Runs one command; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'record': return await (await import('./record')).recordCommand(rest, io);
      case 'stats': return statsCommand(rest, io);
      case 'check': return checkCommand(rest, io);
      case 'export': return exportCommand(rest, io);
      case 'view': return await viewCommand(rest, io);
      case 'diff': return diffCommand(rest, io);
      case '--help': case '-h': case 'help': io.out(`${USAGE}\n\ndiff's noise rule: ${NOISE_RULE}\n`); return 0;
      case undefined: throw new UsageError('no command');
      default: throw new UsageError(`unknown command ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError) { io.err(`async-trace: ${e.message}\n${USAGE}\n`); return e.exitCode; }
    if (e instanceof TraceFileError) { io.err(`async-trace: ${shown(e.message)}\n`); return e.exitCode; }
    io.err(`async-trace: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
