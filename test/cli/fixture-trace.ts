/**
 * A trace whose numbers are known by construction, for CLI tests: three tasks each
 * hold the lock `cache` for 100 ms, all asking at t=0 (waits 0, 100, 200), and each
 * first awaits a 10 ms sleep nested in a plain-promise await.
 */
import { encodeTrace } from '../../trace/encoder';
import type { TraceEvent } from '../../trace/events';
import type { TraceHeader } from '../../trace/model-types';

export const HEADER: TraceHeader = {
  formatVersion: 1, clockOriginUnixMs: 1_700_000_000_000, program: 'examples/lock.ts', root: '/work/x',
  runtimeVersion: '0.1.0', nodeVersion: 'v20.20.0', pid: 4242,
};

export function lockEvents(): TraceEvent[] {
  const ev: TraceEvent[] = [
    { type: 'sitesRegistered', time: 0, base: 1, sites: ['examples/lock.ts:8:15', 'examples/lock.ts:14:11', 'examples/lock.ts:16:7', 'examples/lock.ts:20:3', 'examples/lock.ts:4:3'] },
    { type: 'resourceCreated', time: 0, resourceId: 100, kind: 'lock', name: 'cache', site: 1, capacity: 1 },
  ];
  for (const id of [1, 2, 3]) ev.push({ type: 'taskCreated', time: 0, taskId: id, parentId: 0, name: `worker-${id}`, site: 0 });
  for (const id of [1, 2, 3]) {
    ev.push({ type: 'awaitBegin', time: 0, taskId: id, kind: 'promise', targetId: 0, site: 4 });
    ev.push({ type: 'awaitBegin', time: 0, taskId: id, kind: 'sleep', targetId: 50 + id, site: 5 });
  }
  for (const id of [1, 2, 3]) {
    ev.push({ type: 'wake', time: 10, wakerTaskId: 0, callbackId: 60 + id, wokenTaskId: id, targetId: 50 + id });
    ev.push({ type: 'awaitEnd', time: 10, taskId: id, targetId: 50 + id, outcome: 'ok' });
    ev.push({ type: 'awaitEnd', time: 10, taskId: id, targetId: 0, outcome: 'ok' });
  }
  ev.push({ type: 'resourceAcquired', time: 10, resourceId: 100, taskId: 1, site: 2 });
  ev.push({ type: 'resourceWaitBegin', time: 10, resourceId: 100, taskId: 2, site: 2 });
  ev.push({ type: 'awaitBegin', time: 10, taskId: 2, kind: 'lock', targetId: 100, site: 2 });
  ev.push({ type: 'resourceWaitBegin', time: 10, resourceId: 100, taskId: 3, site: 2 });
  ev.push({ type: 'awaitBegin', time: 10, taskId: 3, kind: 'lock', targetId: 100, site: 2 });
  ev.push({ type: 'resourceReleased', time: 110, resourceId: 100, taskId: 1, site: 3 });
  ev.push({ type: 'wake', time: 110, wakerTaskId: 1, callbackId: 0, wokenTaskId: 2, targetId: 100 });
  ev.push({ type: 'resourceAcquired', time: 110, resourceId: 100, taskId: 2, site: 2 });
  ev.push({ type: 'awaitEnd', time: 110, taskId: 2, targetId: 100, outcome: 'ok' });
  ev.push({ type: 'taskDone', time: 110, taskId: 1, outcome: 'ok', message: '' });
  ev.push({ type: 'resourceReleased', time: 210, resourceId: 100, taskId: 2, site: 3 });
  ev.push({ type: 'wake', time: 210, wakerTaskId: 2, callbackId: 0, wokenTaskId: 3, targetId: 100 });
  ev.push({ type: 'resourceAcquired', time: 210, resourceId: 100, taskId: 3, site: 2 });
  ev.push({ type: 'awaitEnd', time: 210, taskId: 3, targetId: 100, outcome: 'ok' });
  ev.push({ type: 'taskDone', time: 210, taskId: 2, outcome: 'ok', message: '' });
  ev.push({ type: 'resourceReleased', time: 310, resourceId: 100, taskId: 3, site: 3 });
  ev.push({ type: 'taskDone', time: 310, taskId: 3, outcome: 'error', message: 'boom' });
  return ev;
}

/** Encoded in small batches, so a cut lands between and inside batches. */
export function lockTraceBytes(): Uint8Array {
  return encodeTrace(HEADER, lockEvents(), 8);
}

/**
 * The export failure of issue 18: one task with a very long name takes the lock `cache`
 * `holds` times (each hold used to repeat the name in the Chrome export).
 */
export function longNameEvents(nameChars: number, holds: number): { name: string; events: TraceEvent[] } {
  const name = 'request ' + 'x'.repeat(Math.max(0, nameChars - 8));
  const events: TraceEvent[] = [
    { type: 'sitesRegistered', time: 0, base: 1, sites: ['examples/lock.ts:8:15'] },
    { type: 'resourceCreated', time: 0, resourceId: 100, kind: 'lock', name: 'cache', site: 1, capacity: 1 },
    { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name, site: 1 },
  ];
  for (let i = 0; i < holds; i++) {
    events.push({ type: 'resourceAcquired', time: 2 * i, resourceId: 100, taskId: 1, site: 1 });
    events.push({ type: 'resourceReleased', time: 2 * i + 1, resourceId: 100, taskId: 1, site: 1 });
  }
  events.push({ type: 'taskDone', time: 2 * holds, taskId: 1, outcome: 'ok', message: '' });
  return { name, events };
}
