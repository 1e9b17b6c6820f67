/**
 * Synthetic service-like traces of any length, written through the real encoder straight
 * to a file (batch by batch, so making 10M events needs no more memory than one batch):
 * `concurrency` requests in flight at once, each a task named `req-N` (unique names, as
 * real services make) that parses (a plain-promise await with a call label), takes one
 * of a few locks (sometimes after waiting for it), awaits I/O, sleeps, and ends (1 in
 * 50 failed). About 24 events per request; time advances ~2 us per event.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { encodeHeader, TraceEncoder } from '../trace/encoder';
import type { TraceHeader } from '../trace/model-types';

export const SYNTHETIC_HEADER: TraceHeader = {
  formatVersion: 1, clockOriginUnixMs: 1_700_000_000_000, program: 'bench/service.ts', root: '/bench',
  runtimeVersion: '0.1.0', nodeVersion: process.version, pid: 1,
};

const LOCKS = 64;

/** Writes about `events` events to `file`; returns the exact count. */
export function writeSyntheticTrace(file: string, events: number, concurrency = 200): number {
  const fd = openSync(file, 'w');
  const write = (b: Uint8Array): void => { let o = 0; while (o < b.length) o += writeSync(fd, b, o, b.length - o); };
  write(encodeHeader(SYNTHETIC_HEADER));
  const enc = new TraceEncoder({ batchEvents: 4096, onBatch: write });
  let n = 0;
  let t = 0;
  const tick = (): number => { n++; return (t += 0.002); };
  enc.sitesRegistered(tick(), 1, [
    'src/service.ts:10:3', 'src/service.ts:20:5\tparse()', 'src/service.ts:21:7', 'src/service.ts:30:5',
    'src/service.ts:31:5', 'src/service.ts:40:5\tdb.query()', 'src/service.ts:41:9', 'src/service.ts:50:3',
  ]);
  enc.taskCreated(tick(), 1, 0, 'main', 1);
  for (let l = 0; l < LOCKS; l++) enc.resourceCreated(tick(), 10 + l, 'lock', `shard-${l}`, 4, 1);
  /** Each slot is one request in flight: its task id and the step it is at. */
  const slots = Array.from({ length: concurrency }, () => ({ task: 0, step: 0 }));
  const holder = new Int32Array(LOCKS).fill(0);
  let nextTask = 100;
  let nextTarget = 1_000_000;
  while (n < events) {
    for (let s = 0; s < slots.length && n < events; s++) {
      const slot = slots[s];
      const id = slot.task;
      const lock = 10 + (id % LOCKS);
      switch (slot.step) {
        case 0:
          slot.task = nextTask++;
          enc.taskCreated(tick(), slot.task, 1, `req-${slot.task}`, 1);
          enc.taskRunBegin(tick(), slot.task);
          enc.awaitBegin(tick(), slot.task, 'promise', 0, 2);
          enc.awaitBegin(tick(), slot.task, 'sleep', nextTarget, 3);
          enc.taskRunEnd(tick(), slot.task);
          break;
        case 1:
          enc.wake(tick(), 0, 7, id, nextTarget++);
          enc.awaitEnd(tick(), id, nextTarget - 1, 'ok');
          enc.awaitEnd(tick(), id, 0, 'ok');
          enc.taskRunBegin(tick(), id);
          if (holder[lock - 10] !== 0) {
            enc.resourceWaitBegin(tick(), lock, id, 4);
            enc.awaitBegin(tick(), id, 'lock', lock, 4);
            enc.taskRunEnd(tick(), id);
            slot.step = 10;
            continue;
          }
          holder[lock - 10] = id;
          enc.resourceAcquired(tick(), lock, id, 4);
          break;
        case 10:
          // Waiting for the lock: granted once its holder let go.
          if (holder[lock - 10] !== 0) continue;
          holder[lock - 10] = id;
          enc.wake(tick(), 0, 0, id, lock);
          enc.resourceAcquired(tick(), lock, id, 4);
          enc.awaitEnd(tick(), id, lock, 'ok');
          enc.taskRunBegin(tick(), id);
          slot.step = 2;
          continue;
        case 2:
          enc.awaitBegin(tick(), id, 'promise', 0, 6);
          enc.ioWaitBegin(tick(), 3, id, 'read', 'db:5432', 7);
          enc.awaitBegin(tick(), id, 'io', 3, 7);
          enc.taskRunEnd(tick(), id);
          break;
        case 3:
          enc.ioWaitEnd(tick(), 3, id, 512, 'ok');
          enc.awaitEnd(tick(), id, 3, 'ok');
          enc.awaitEnd(tick(), id, 0, 'ok');
          enc.taskRunBegin(tick(), id);
          enc.resourceReleased(tick(), lock, id, 5);
          holder[lock - 10] = 0;
          break;
        default: {
          const failed = id % 50 === 0;
          enc.taskDone(tick(), id, failed ? 'error' : 'ok', failed ? `request ${id} failed` : '');
          slot.step = 0;
          continue;
        }
      }
      slot.step++;
    }
  }
  const last = enc.seal();
  if (last) write(last);
  closeSync(fd);
  return n;
}
