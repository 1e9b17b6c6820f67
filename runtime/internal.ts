/**
 * The runtime's internal entry, `async-trace/runtime/internal`: everything the public
 * entry (index.ts) offers, plus what the project's own tools use and users do not: the
 * instrument hooks and ids (the tracer, test instruments), the site table and the
 * build-time mark helpers (bundler/site-marks.ts emits an import of `__asyncTraceMarks`
 * from here), `awaitOn` (how primitives name their waits), the trace target parser.
 *
 * One module graph: the public entry re-exports from this one (and the build keeps it
 * that way: dist/runtime/index.js requires ./internal.js), so a program that imports
 * both shares one runtime (one `hooks`, one site table).
 */
export {
  CancelledError, TimeoutError, InvalidStateError, RuntimeError, QueueEmpty, QueueFull, QueueShutDown,
  BrokenBarrierError, LimitOverrunError, IncompleteReadError, ExceptionGroup,
} from './errors';
export { addInstrument, removeInstrument, hooks, nextId } from './instrument';
export type { Instrument, AwaitKind, ResourceKind, Outcome, CallbackKind, ResourceSignal, IoOp, HookName } from './instrument-types';
export { registerSites, setPendingSite, takeSite, setStackCapture } from './sites';
export { EventLoop, getEventLoop, newEventLoop } from './loop';
export { getRunningLoop } from './running-loop';
export type { ExceptionContext, ExceptionHandler, LoopOptions } from './loop';
export { Handle, TimerHandle } from './handle';
export { Future, isFuture } from './future';
export { Task, createTask, currentTask, allTasks } from './task';
export type { TaskOptions, StackEntry } from './task';
export { ensureFuture, wrapFuture } from './ensure';
export { awaitOn } from './await-on';
export * from './sync';
export * from './queue';
export * from './executor';
export * from './streams';
export { awaitMarks as __asyncTraceMarks } from './await-marks';
export * from './tracer';
// Side effect only: under ASYNC_TRACE_DEBUG=1 the program answers debuggers' snapshot requests.
import './debug-snapshot';
export { run } from './run';
export type { RunOptions } from './run';
export { sleep } from './sleep';
export { gather, GatheringFuture } from './gather';
export type { GatherOptions } from './gather';
export { wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from './wait';
export type { WaitOptions, WaitResult, ReturnWhen } from './wait';
export { asCompleted } from './as-completed';
export type { AsCompleted, AsCompletedOptions } from './as-completed';
export { timeout, timeoutAt, waitFor } from './timeouts';
export { shield } from './shield';
export { taskGroup, TaskGroup } from './task-group';
