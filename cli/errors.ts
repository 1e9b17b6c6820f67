/** The CLI's failures, each with its exit code (../shared/design/cli.md). */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** A trace file that cannot be read: missing, foreign, or truncated (message names the byte offset). */
export class TraceFileError extends Error {
  readonly exitCode = 3;
}

export const USAGE = `usage:
  async-trace record [-o FILE] [--node PATH] [--ring SIZE] -- PROGRAM.ts|.js [ARGS...]
  async-trace stats FILE [--json]
  async-trace check FILE [--severity error|warning]
  async-trace export FILE --format chrome|speedscope [-o OUT]
  async-trace view FILE [-o OUT.html] [--inline] | view FILE --serve [--port N]
  async-trace view A.atrace B.atrace [-o OUT.html]   (compare two runs, one page)
  async-trace diff A.atrace B.atrace [--json]
      what changed from run A to run B: resources, await sites, groups of tasks;
      a change smaller than a figure's run-to-run spread is not reported
      (the rule is printed with the output)`;
