// CodeLens figures per await site: counts, totals, nearest-rank p99 and awaits left open.
import assert from 'node:assert/strict';
import type { TraceEvent } from '../events';
import { TraceModel } from '../model';
import { awaitSiteFigures, formatDuration, siteFiguresTitle } from './site-figures';

describe('await site figures', () => {
  it('sums every await at a site, open ones to the trace end, and titles them like the issue asks', () => {
    const ev: TraceEvent[] = [
      { type: 'sitesRegistered', time: 0, base: 1, sites: ['a.ts:3:5', 'a.ts:9:1'] },
      { type: 'taskCreated', time: 0, taskId: 1, parentId: 0, name: 'main', site: 0 },
    ];
    // Eleven sleeps at a.ts:3:5: ten of 100 ms, one of 151 ms (1151 ms in all); one await at a.ts:9:1 never ends.
    let t = 0;
    for (let i = 0; i < 11; i++) {
      ev.push({ type: 'awaitBegin', time: t, taskId: 1, kind: 'sleep', targetId: 100 + i, site: 1 });
      t += i === 10 ? 151 : 100;
      ev.push({ type: 'awaitEnd', time: t, taskId: 1, targetId: 100 + i, outcome: 'ok' });
    }
    ev.push({ type: 'awaitBegin', time: t, taskId: 1, kind: 'event', targetId: 7, site: 2 });
    ev.push({ type: 'taskRunBegin', time: t + 40, taskId: 1 });
    const m = new TraceModel();
    m.apply(ev);
    const figures = awaitSiteFigures(m);
    const sleep = figures.find((f) => f.site.line === 3)!;
    assert.deepEqual([sleep.count, sleep.open, sleep.totalMs, sleep.p99Ms, sleep.maxMs], [11, 0, 1151, 151, 151]);
    assert.equal(siteFiguresTitle(sleep), '11 waits · 1.2 s · p99 151 ms');
    const open = figures.find((f) => f.site.line === 9)!;
    assert.equal(siteFiguresTitle(open), '1 wait · 40 ms · 1 still waiting');
  });

  it('formats durations at a readable precision', () => {
    assert.deepEqual([0.421, 3.25, 151.2, 1500, 12_400].map(formatDuration), ['0.42 ms', '3.3 ms', '151 ms', '1.5 s', '12 s']);
  });
});
