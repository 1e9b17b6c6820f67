/**
 * Did a traced program use the runtime at all? A build with site marks loads the runtime
 * into every program (the marks call it), so a program that never runs a loop still
 * starts the tracer and writes a header and its site table. Such a trace has nothing
 * to show: readers say "nothing was traced" instead of drawing an empty chart.
 */
import type { TraceModel } from './model';

export function usedRuntime(model: TraceModel): boolean {
  return model.tasks.length > 0 || model.resources.length > 0 || model.callbacks.length > 0 || model.jobs.length > 0 ||
    model.ioWaits.length > 0 || model.blocked.length > 0 || model.droppedEvents > 0;
}

/** How the CLI and the extension say it (design/cli.md). */
export const notTracedMessage = 'nothing was traced: the program does not use async-trace/runtime';
