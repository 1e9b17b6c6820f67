// Throw sites of failed tasks are read late (error-sites.ts): nothing at the failure,
// everything once resolved, the oldest half early when more than 1,024 wait, and the
// frame is the user's, never the runtime's (this file is outside runtime/ for that).
import assert from 'node:assert/strict';
import { resolveErrorSites } from '../../runtime/error-sites';
import { addInstrument } from '../../runtime/instrument';
import { run } from '../../runtime/run';
import { registeredSites } from '../../runtime/sites';
import { createTask } from '../../runtime/task';

function siteText(id: number): string | undefined {
  for (const r of registeredSites()) if (id >= r.base && id < r.base + r.sites.length) return r.sites[id - r.base];
  return undefined;
}

function fail(n: number): never {
  throw new Error(`failure ${n}`);
}

describe('throw sites of failed tasks', () => {
  it('are written when resolved, at the innermost user frame, with whether the error was retrieved', async () => {
    const thrown: [number, number, number][] = [];
    const remove = addInstrument({ taskErrorThrown: (taskId, site, retrieved) => { thrown.push([taskId, site, retrieved]); } });
    try {
      let ids: number[] = [];
      await run(async () => {
        const lone = createTask(async () => fail(1));
        const awaited = createTask(async () => fail(2));
        ids = [lone.id, awaited.id];
        await awaited.then(() => undefined, () => undefined);
        assert.equal(lone.done(), true);
        await new Promise((r) => setTimeout(r, 1));
        assert.deepEqual(thrown, [], 'nothing is read at the failure');
        resolveErrorSites();
        lone.exception(); // retrieved after all: the loop has nothing to report at close
      });
      assert.deepEqual(thrown.map(([id, , r]) => [id, r]), [[ids[0], 0], [ids[1], 1]]);
      for (const [, site] of thrown) assert.match(siteText(site) ?? '', /error-sites\.test\.ts:17:9$/, 'the throw in fail(), not the runtime');
    } finally {
      remove();
    }
  });

  it('past 1,024 failures waiting, the oldest half are written at once', async () => {
    const thrown: number[] = [];
    const remove = addInstrument({ taskErrorThrown: (taskId) => { thrown.push(taskId); } });
    try {
      await run(async () => {
        const tasks = Array.from({ length: 1100 }, (_, i) => createTask(async () => fail(i)));
        for (const t of tasks) await t.then(() => undefined, () => undefined);
        assert.deepEqual(thrown, tasks.slice(0, 512).map((t) => t.id));
        resolveErrorSites();
        assert.deepEqual(thrown, tasks.map((t) => t.id));
      });
    } finally {
      remove();
    }
  });
});
