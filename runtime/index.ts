/**
 * The runtime's one public entry (design/runtime-api.md). Internal modules are not
 * imported by users; every name here is a promise.
 */
export {
  CancelledError, TimeoutError, InvalidStateError, RuntimeError, QueueEmpty, QueueFull, QueueShutDown,
  BrokenBarrierError, LimitOverrunError, IncompleteReadError, ExceptionGroup,
} from './errors';
export { addInstrument, removeInstrument, hooks, nextId } from './instrument';
export type { Instrument, AwaitKind, ResourceKind, Outcome, CallbackKind, ResourceSignal, IoOp, HookName } from './instrument-types';
export { registerSites, setPendingSite, takeSite, setStackCapture } from './sites';
export { EventLoop, getRunningLoop, getEventLoop, newEventLoop } from './loop';
export type { ExceptionContext, ExceptionHandler, LoopOptions } from './loop';
export { Handle, TimerHandle } from './handle';
export { Future, isFuture } from './future';
export { Task, createTask, currentTask, allTasks } from './task';
export type { TaskOptions, StackEntry } from './task';
export { ensureFuture, wrapFuture } from './ensure';
export { awaitOn } from './await-on';
export * from './sync';
export * from './queue';
export * from './tracer';
export * from './executor';
export * from './streams';
