/**
 * The instrument interface: how the runtime reports what it does (trio's `Instrument`,
 * Effect's `Supervisor`). Every hook is optional. The runtime keeps one boolean that is
 * false while no instrument is installed, so the uninstrumented hot path costs one check.
 * An instrument that throws is removed and reported through the loop's exception handler,
 * never fatal to the program.
 *
 * Ids: tasks, futures, resources, handles, jobs and streams share one id space per
 * process (`nextId()` in the runtime), so a `targetId` is unambiguous. Id 0 means "none"
 * (no current task, no site). Sites are small integers from the site table
 * (runtime/sites.ts): build-time marks register their positions once per module; the
 * stack-capture fallback registers positions as it meets them. Hooks never carry times:
 * the instrument reads its own clock, so hooks stay cheap and order is the only contract.
 *
 * The vocabulary (the kinds, outcomes and hooks) is the trace format's: trace/ defines
 * it, the runtime reports in it (trace/ never imports runtime/).
 */

export type {
  AwaitKind, CallbackKind, IoOp, Outcome, ResourceKind, ResourceSignal,
} from '../trace/vocabulary';
// The hooks and their parameters are the record table's (trace/records.ts): one hook per
// record written by the runtime, generated with this interface.
export type { HookName, Instrument } from '../trace/records.generated';
