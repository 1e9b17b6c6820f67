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
  return writeWith(file, [
    'src/service.ts:10:3', 'src/service.ts:20:5\tparse()', 'src/service.ts:21:7', 'src/service.ts:30:5',
    'src/service.ts:31:5', 'src/service.ts:40:5\tdb.query()', 'src/service.ts:41:9', 'src/service.ts:50:3',
  ], (enc, tick, count) => {
    enc.taskCreated(tick(), 1, 0, 'main', 1);
    for (let l = 0; l < LOCKS; l++) enc.resourceCreated(tick(), 10 + l, 'lock', `shard-${l}`, 4, 1);
    /** Each slot is one request in flight: its task id and the step it is at. */
    const slots = Array.from({ length: concurrency }, () => ({ task: 0, step: 0, sleep: 0 }));
    const holder = new Int32Array(LOCKS).fill(0);
    let nextTask = 100;
    let nextTarget = 1_000_000;
    while (count() < events) {
      for (let s = 0; s < slots.length && count() < events; s++) {
        const slot = slots[s];
        const id = slot.task;
        const lock = 10 + (id % LOCKS);
        switch (slot.step) {
          case 0:
            slot.task = nextTask++;
            enc.taskCreated(tick(), slot.task, 1, `req-${slot.task}`, 1);
            enc.taskRunBegin(tick(), slot.task);
            enc.awaitBegin(tick(), slot.task, 'promise', 0, 2);
            slot.sleep = nextTarget++;
            enc.awaitBegin(tick(), slot.task, 'sleep', slot.sleep, 3);
            enc.taskRunEnd(tick(), slot.task);
            break;
          case 1:
            // The sleep this request began (before 2026-12-03 13:20 the wake and the end
            // named whatever target was newest, so most sleeps never ended).
            enc.wake(tick(), 0, 7, id, slot.sleep);
            enc.awaitEnd(tick(), id, slot.sleep, 'ok');
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
  });
}

/**
 * Issue 16's first pattern, a counting semaphore released by someone else: `releases`
 * worker tasks each take a permit (no wait) and await a future; one releaser task (2)
 * gives the permits back, oldest first, `inFlight` behind the takers, then wakes the
 * worker, which ends. About 9 events per release.
 */
export function writeCrossReleaseTrace(file: string, releases: number, inFlight = 100): number {
  return writeWith(file, POOL_SITES, (enc, tick) => {
    enc.taskCreated(tick(), 1, 0, 'main', 1);
    enc.taskCreated(tick(), 2, 1, 'releaser', 1);
    enc.resourceCreated(tick(), 10, 'semaphore', 'permits', inFlight, 1);
    const worker = (i: number): number => 100 + i;
    for (let i = 0; i < releases + inFlight; i++) {
      if (i < releases) {
        const id = worker(i);
        enc.taskCreated(tick(), id, 1, `w-${i}`, 1);
        enc.taskRunBegin(tick(), id);
        enc.resourceAcquired(tick(), 10, id, 4);
        enc.awaitBegin(tick(), id, 'future', 1_000_000 + i, 6);
        enc.taskRunEnd(tick(), id);
      }
      const j = i - inFlight;
      if (j >= 0) {
        const id = worker(j);
        enc.resourceReleased(tick(), 10, 2, 5);
        enc.wake(tick(), 2, 0, id, 1_000_000 + j);
        enc.awaitEnd(tick(), id, 1_000_000 + j, 'ok');
        enc.taskDone(tick(), id, 'ok', '');
      }
    }
  });
}

/**
 * Issue 16's second pattern, many awaits open at once: one task begins `awaits` awaits
 * of distinct futures (`batch` at a time open together), which then end oldest first
 * (not innermost first). About 3 events per await.
 */
export function writeOpenAwaitsTrace(file: string, awaits: number, batch = awaits): number {
  return writeWith(file, POOL_SITES, (enc, tick) => {
    enc.taskCreated(tick(), 1, 0, 'main', 1);
    enc.taskRunBegin(tick(), 1);
    for (let b = 0; b < awaits; b += batch) {
      const n = Math.min(batch, awaits - b);
      for (let i = 0; i < n; i++) enc.awaitBegin(tick(), 1, 'future', 1_000_000 + b + i, 6);
      enc.taskRunEnd(tick(), 1);
      for (let i = 0; i < n; i++) {
        enc.wake(tick(), 0, 0, 1, 1_000_000 + b + i);
        enc.awaitEnd(tick(), 1, 1_000_000 + b + i, 'ok');
      }
      enc.taskRunBegin(tick(), 1);
    }
    enc.taskDone(tick(), 1, 'ok', '');
  });
}

const POOL_SITES = [
  'src/pool.ts:10:3', 'src/pool.ts:20:5', 'src/pool.ts:21:7', 'src/pool.ts:30:5',
  'src/pool.ts:31:5', 'src/pool.ts:40:5\tjob()', 'src/pool.ts:41:9', 'src/pool.ts:50:3',
];

/** A trace file of the header, the `sites` (base 1) and what `body` encodes; returns the event count. */
function writeWith(file: string, sites: string[], body: (enc: TraceEncoder, tick: () => number, count: () => number) => void): number {
  const fd = openSync(file, 'w');
  const write = (b: Uint8Array): void => { let o = 0; while (o < b.length) o += writeSync(fd, b, o, b.length - o); };
  write(encodeHeader(SYNTHETIC_HEADER));
  const enc = new TraceEncoder({ batchEvents: 4096, onBatch: write });
  let n = 0;
  let t = 0;
  const tick = (): number => { n++; return (t += 0.002); };
  enc.sitesRegistered(tick(), 1, sites);
  body(enc, tick, () => n);
  const last = enc.seal();
  if (last) write(last);
  closeSync(fd);
  return n;
}
