// Executors: blocking work off the loop, on worker threads or child processes.
export { ThreadPoolExecutor, ProcessPoolExecutor, PoolExecutor, WorkerCrashedError, ExecutorShutDownError } from './pool';
export type { ExecutorOptions, SubmittedJob } from './pool';
export type { ModuleRef, ExecutorFn } from './fn-spec';
export { runInExecutor, toThread, getDefaultExecutor, shutdownDefaultExecutor } from './run-in-executor';
