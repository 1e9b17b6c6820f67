/**
 * Every blocking stream operation (a read that must wait for data, a drain that must wait
 * for the socket to empty, a connect) waits through `ioWait`, so the tracer sees
 * ioWaitBegin/ioWaitEnd with the peer address around an `awaitOn(..., 'io', streamId)`.
 * Hooks are paired in `finally`, so a cancelled or failed wait still ends.
 */
import { awaitOn } from '../await-on';
import { CancelledError } from '../errors';
import type { Future } from '../future';
import { hooks } from '../instrument';
import type { IoOp, Outcome } from '../instrument-types';
import { currentTask } from '../task';

export async function ioWait<T>(
  fut: Future<T>, streamId: number, op: IoOp, peer: string, site: number, bytes: () => number,
): Promise<T> {
  if (!hooks.on) return awaitOn(fut, 'io', streamId, site);
  const taskId = currentTask()?.id ?? 0;
  hooks.ioWaitBegin(streamId, taskId, op, peer, site);
  let outcome: Outcome = 'error';
  try {
    const v = await awaitOn(fut, 'io', streamId, site);
    outcome = 'ok';
    return v;
  } catch (e) {
    if (e instanceof CancelledError) outcome = 'cancelled';
    throw e;
  } finally {
    if (hooks.on) hooks.ioWaitEnd(streamId, taskId, outcome === 'ok' ? bytes() : 0, outcome);
  }
}

/** `host:port` of a socket's peer, as the trace shows it. */
export function peerOf(address: string | undefined, port: number | undefined): string {
  if (!address) return '?';
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
