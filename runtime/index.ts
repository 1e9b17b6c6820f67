/**
 * The runtime's public entry, `async-trace/runtime` (design/runtime-api.md): every name
 * here is a promise to users, and nothing else is here. The project's own tools (the
 * tracer, the build-time site marks, test instruments) use `async-trace/runtime/internal`
 * (internal.ts), which this entry re-exports from, so both share one runtime.
 */
export {
  CancelledError, TimeoutError, InvalidStateError, RuntimeError, QueueEmpty, QueueFull, QueueShutDown,
  BrokenBarrierError, LimitOverrunError, IncompleteReadError, ExceptionGroup,
  run, EventLoop, getRunningLoop, getEventLoop, newEventLoop, Handle, TimerHandle,
  Future, isFuture, Task, createTask, currentTask, allTasks, ensureFuture, wrapFuture,
  sleep, gather, GatheringFuture, wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED, asCompleted,
  timeout, timeoutAt, waitFor, shield, taskGroup, TaskGroup,
  Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier, Hold,
  Queue, PriorityQueue, LifoQueue, defaultCompare,
  ThreadPoolExecutor, ProcessPoolExecutor, PoolExecutor, WorkerCrashedError, ExecutorShutDownError,
  runInExecutor, toThread, getDefaultExecutor, shutdownDefaultExecutor,
  StreamReader, DEFAULT_LIMIT, StreamWriter, ConnectionResetError, openConnection, Server, startServer,
  startTracing, stopTracing, tracingStatus,
} from './internal';
export type {
  RunOptions, ExceptionContext, ExceptionHandler, LoopOptions, TaskOptions, StackEntry,
  GatherOptions, WaitOptions, WaitResult, ReturnWhen, AsCompleted, AsCompletedOptions,
  ConditionOptions, ResourceOptions, QueueOptions, Comparator, PriorityQueueOptions,
  ExecutorOptions, SubmittedJob, ModuleRef, ExecutorFn,
  StreamReaderOptions, ReadTransport, ExtraInfoName, ConnectionOptions, ConnectionHandler, ServerOptions,
  TracingOptions, TracingStatus,
} from './internal';
