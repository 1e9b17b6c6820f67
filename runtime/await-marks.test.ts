// The helpers the site plugin's output calls, driven directly (as the rewritten code
// would) under a recording instrument: who reports an await, with which site, and in
// which order, so that nesting through async calls comes out right.
import assert from 'node:assert/strict';
// Through the public index, which loads the runtime's modules in their working order.
import { __asyncTraceMarks as m, addInstrument, CancelledError, run, sleep } from './internal';
import type { Instrument } from './instrument-types';

type Rec = [string, ...unknown[]];

function recording(): { log: Rec[]; instrument: Instrument } {
  const log: Rec[] = [];
  return {
    log,
    instrument: {
      awaitBegin: (task, kind, target, site) => log.push(['begin', task, kind, target, site]),
      awaitEnd: (task, target, outcome) => log.push(['end', task, target, outcome]),
    },
  };
}

async function traced(body: () => Promise<void>): Promise<Rec[]> {
  const { log, instrument } = recording();
  const remove = addInstrument(instrument);
  try { await run(body); } finally { remove(); }
  return log;
}

/** Task ids differ per run: replace them by 'T'. */
const norm = (log: Rec[]): unknown[] => log.map(([what, _task, ...rest]) => [what, 'T', ...rest.map((x) => (typeof x === 'number' && x > 1000 ? 'id' : x))]);

describe('await marks', () => {
  it('reports the await of a plain promise as kind promise with its site', async () => {
    const log = await traced(async () => {
      await m.aw(m.pre(5001), Promise.resolve(1));
    });
    assert.deepEqual(norm(log), [['begin', 'T', 'promise', 0, 'id'], ['end', 'T', 0, 'ok']]);
    assert.equal(log[0][4], 5001);
  });

  it('ends a rejected or cancelled plain-promise await with that outcome', async () => {
    const log = await traced(async () => {
      await Promise.resolve(m.aw(m.pre(5002), Promise.reject(new Error('x')))).catch(() => undefined);
      await Promise.resolve(m.aw(m.pre(5003), Promise.reject(new CancelledError()))).catch(() => undefined);
    });
    assert.deepEqual(log.filter((r) => r[0] === 'end').map((r) => r[3]), ['error', 'cancelled']);
  });

  it("leaves a runtime await to the runtime, which reports it with the mark's site", async () => {
    const log = await traced(async () => {
      await m.aw(m.pre(5004), sleep(1));
    });
    assert.equal(log.length, 2);
    assert.deepEqual([log[0][0], log[0][2], log[0][4]], ['begin', 'sleep', 5004]);
    assert.deepEqual([log[1][0], log[1][2], log[1][3]], ['end', log[0][3], 'ok']);
  });

  it('begins the await of an async call before the awaits made inside it', async () => {
    const fetchPage = async (): Promise<string> => {
      await m.aw(m.pre(6002), sleep(1));
      return 'page';
    };
    const log = await traced(async () => {
      await m.aw(m.pre(6001), fetchPage());
    });
    assert.deepEqual(log.map((r) => [r[0], r[0] === 'begin' ? r[2] : r[2] === 0 ? 'promise' : 'target', r[0] === 'begin' ? r[4] : r[3]]), [
      ['begin', 'promise', 6001],
      ['begin', 'sleep', 6002],
      ['end', 'target', 'ok'],
      ['end', 'promise', 'ok'],
    ]);
  });

  it('reports nothing itself when no instrument is installed', async () => {
    let v = 0;
    await run(async () => { v = await m.aw(m.pre(7001), Promise.resolve(3)); });
    assert.equal(v, 3);
    assert.equal(m.pre(7002), undefined);
  });
});
