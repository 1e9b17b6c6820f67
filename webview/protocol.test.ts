import assert from 'node:assert/strict';
import { dispatch, isFromWebview, isToWebview, type Handlers, type ToWebview } from './protocol';

describe('webview protocol', () => {
  it('accepts every host message kind and rejects unknown or malformed ones', () => {
    assert.ok(isToWebview({ type: 'reset', title: 't' }));
    assert.ok(isToWebview({ type: 'chunk', bytes: new Uint8Array([1, 2]) }));
    assert.ok(isToWebview({ type: 'end', complete: true, message: '' }));
    assert.ok(isToWebview({ type: 'empty', message: 'No trace yet', hint: 'run' }));
    assert.ok(!isToWebview({ type: 'chunk', bytes: [1, 2] }));
    // A compare needs both sides, each with a title and bytes.
    const side = { title: 'a.atrace', bytes: new Uint8Array([1]) };
    assert.ok(isToWebview({ type: 'compare', a: side, b: side }));
    assert.ok(!isToWebview({ type: 'compare', a: side }));
    assert.ok(!isToWebview({ type: 'compare', a: side, b: { title: 'b', bytes: [1] } }));
    assert.ok(isToWebview({ type: 'paused', at: 12.5, where: 'cook.ts:12', taskId: 3, task: 'cook-2', held: 0 }));
    assert.ok(!isToWebview({ type: 'paused', at: '12', where: 'cook.ts:12', taskId: 3, task: 'cook-2', held: 0 }));
    assert.ok(!isToWebview({ type: 'paused', at: 12, where: 'cook.ts:12' }));
    assert.ok(isToWebview({ type: 'resumed' }));
    assert.ok(!isToWebview({ type: 'nope' }));
    assert.ok(!isToWebview(null));
    assert.ok(!isToWebview('reset'));
  });

  it('accepts a reveal only with a complete site', () => {
    assert.ok(isFromWebview({ type: 'ready' }));
    assert.ok(isFromWebview({ type: 'taken' }));
    assert.ok(isFromWebview({ type: 'reveal', site: { file: 'a.ts', line: 3, col: 1 } }));
    assert.ok(!isFromWebview({ type: 'reveal', site: { file: 'a.ts', line: 3 } }));
    assert.ok(!isFromWebview({ type: 'reveal' }));
    assert.ok(isFromWebview({ type: 'insights', trace: '/p/a.atrace', findings: [], figures: [] }));
    assert.ok(!isFromWebview({ type: 'insights', trace: '/p/a.atrace', findings: {}, figures: [] }));
    assert.ok(!isFromWebview({ type: 'insights', findings: [], figures: [] }));
    assert.ok(isFromWebview({ type: 'error', message: 'x' }));
  });

  it('dispatches each message to the handler of its kind', () => {
    const seen: string[] = [];
    const handlers: Handlers<ToWebview> = {
      reset: (m) => seen.push(`reset:${m.title}`),
      chunk: (m) => seen.push(`chunk:${m.bytes.length}`),
      end: (m) => seen.push(`end:${m.complete}`),
      empty: (m) => seen.push(`empty:${m.hint}`),
      compare: (m) => seen.push(`compare:${m.a.title}>${m.b.title}`),
      paused: (m) => seen.push(`paused:${m.where}`),
      resumed: () => seen.push('resumed'),
    };
    dispatch(handlers, { type: 'reset', title: 'x' });
    dispatch(handlers, { type: 'chunk', bytes: new Uint8Array(3) });
    dispatch(handlers, { type: 'end', complete: false, message: '' });
    dispatch(handlers, { type: 'empty', message: '', hint: 'h' });
    dispatch(handlers, { type: 'compare', a: { title: 'a', bytes: new Uint8Array(1) }, b: { title: 'b', bytes: new Uint8Array(1) } });
    dispatch(handlers, { type: 'paused', at: 1, where: 'a.ts:3', taskId: 1, task: 't', held: 0 });
    dispatch(handlers, { type: 'resumed' });
    assert.deepEqual(seen, ['reset:x', 'chunk:3', 'end:false', 'empty:h', 'compare:a>b', 'paused:a.ts:3', 'resumed']);
  });
});
