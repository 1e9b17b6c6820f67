/**
 * The last few traces of each program the extension recorded (workspace state), for
 * "Compare with Previous Run". Only the list is kept: the trace files stay where Trace
 * Async Run wrote them, and a file deleted since is skipped.
 */
import { existsSync } from 'node:fs';
import type * as vscode from 'vscode';

/** Traces remembered per program, newest first. */
export const RUNS_KEPT = 5;
const key = 'asyncTrace.runHistory';

interface Entry { program: string; traces: string[] }

export class RunHistory {
  constructor(private readonly state: vscode.Memento) {}

  private entries(): Entry[] {
    return this.state.get<Entry[]>(key) ?? [];
  }

  /** Remembers `trace` as the newest run of `program`; the program moves to the front. */
  async add(program: string, trace: string): Promise<void> {
    const rest = this.entries().filter((e) => e.program !== program);
    const old = this.entries().find((e) => e.program === program)?.traces ?? [];
    const traces = [trace, ...old.filter((t) => t !== trace)].slice(0, RUNS_KEPT);
    await this.state.update(key, [{ program, traces }, ...rest]);
  }

  /** The traces of `program` that still exist, newest first. */
  runs(program: string): string[] {
    return (this.entries().find((e) => e.program === program)?.traces ?? []).filter((t) => existsSync(t));
  }

  /** Programs with at least two runs on disk, most recently traced first. */
  comparable(): string[] {
    return this.entries().map((e) => e.program).filter((p) => this.runs(p).length >= 2);
  }
}
