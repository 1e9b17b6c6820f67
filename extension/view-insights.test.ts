import assert from 'node:assert/strict';
import type { TraceInsightsResult } from './trace-jobs';
import { ViewInsights } from './view-insights';

const result: TraceInsightsResult = {
  findings: [{ kind: 'deadlock', severity: 'error', message: 'a waits for b', taskIds: [2, 3], resourceIds: [1], sites: [], related: [], spans: [], at: 5, durationMs: 10 }],
  figures: [{ site: { file: 'a.ts', line: 3, col: 5 }, count: 2, open: 0, totalMs: 4, p99Ms: 3, maxMs: 3 }],
};
const settle = <T>(p: Promise<T>): Promise<{ ok: T } | { why: string }> => p.then((ok) => ({ ok }), (e: Error) => ({ why: e.message }));

describe("the webview's findings of the trace it shows", () => {
  it("resolve with the webview's answer for that trace, and only that trace's", async () => {
    const v = new ViewInsights();
    v.showing('/p/a.atrace');
    const asked = v.wait('/p/a.atrace')!;
    v.answer('/p/other.atrace', { findings: [], figures: [] });
    v.answer('/p/a.atrace', result);
    assert.deepEqual(await settle(asked), { ok: result });
  });

  it('are not asked of a view that shows another trace, none, or is hidden', () => {
    const v = new ViewInsights();
    assert.equal(v.wait('/p/a.atrace'), undefined);
    v.showing('/p/b.atrace');
    assert.equal(v.wait('/p/a.atrace'), undefined);
    v.showing('/p/a.atrace');
    v.canAnswer(false);
    assert.equal(v.wait('/p/a.atrace'), undefined);
    v.canAnswer(true);
    assert.ok(v.wait('/p/a.atrace'));
  });

  it('fail, never hang, when the view moves to another trace, is hidden or closed, or reports an error before answering', async () => {
    const cases: [string, (v: ViewInsights) => void, RegExp][] = [
      ['another trace', (v) => v.showing('/p/b.atrace'), /shows another trace/],
      ['an empty state', (v) => v.showing(undefined), /no longer shows it/],
      ['hidden', (v) => v.canAnswer(false), /hidden/],
      ['closed', (v) => v.canAnswer(false, 'the view was closed'), /closed/],
      ['a decode error', (v) => v.failed('trace decoding stopped: bad batch'), /webview reported: trace decoding stopped/],
    ];
    for (const [name, happen, why] of cases) {
      const v = new ViewInsights();
      v.showing('/p/a.atrace');
      const asked = settle(v.wait('/p/a.atrace')!);
      happen(v);
      const r = await asked;
      assert.ok('why' in r && why.test(r.why), `${name}: ${JSON.stringify(r)}`);
      // A late answer (a replay after showing again) is dropped, not delivered twice.
      v.answer('/p/a.atrace', result);
    }
  });

  it('showing the same trace again (a reload replays it) keeps the wait', async () => {
    const v = new ViewInsights();
    v.showing('/p/a.atrace');
    const asked = v.wait('/p/a.atrace')!;
    v.showing('/p/a.atrace');
    v.answer('/p/a.atrace', result);
    assert.deepEqual(await settle(asked), { ok: result });
  });
});
