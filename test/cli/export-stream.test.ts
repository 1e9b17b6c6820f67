import assert from 'node:assert/strict';
import { HEADER, lockEvents, longNameEvents } from './fixture-trace';
import type { TraceEvent } from '../../trace/events';
import { chromeTraceJson, toChromeTrace } from '../../trace/export-chrome';
import { speedscopeJson, toSpeedscope } from '../../trace/export-speedscope';
import { CHUNK_CHARS, coalesce, shortName, SHORT_NAME_CHARS } from '../../trace/json-chunks';
import { TraceModel } from '../../trace/model';

function modelOf(events: TraceEvent[]): TraceModel {
  const m = new TraceModel();
  m.setHeader(HEADER);
  m.apply(events);
  return m;
}

/** Many tasks with nested and overlapping awaits, so exports span many chunks. */
function busyEvents(tasks: number): TraceEvent[] {
  const ev: TraceEvent[] = [{ type: 'sitesRegistered', time: 0, base: 1, sites: ['a.ts:1:1', 'a.ts:2:1\tfetch()'] }];
  let t = 0;
  for (let id = 1; id <= tasks; id++) ev.push({ type: 'taskCreated', time: t, taskId: id, parentId: id > 1 ? 1 : 0, name: `w-${id}`, site: 1 });
  for (let round = 0; round < 20; round++) {
    for (let id = 1; id <= tasks; id++) {
      ev.push({ type: 'awaitBegin', time: t, taskId: id, kind: 'promise', targetId: 0, site: 2 });
      ev.push({ type: 'awaitBegin', time: t, taskId: id, kind: 'sleep', targetId: 1000 + id, site: 1 });
    }
    t += 1;
    for (let id = 1; id <= tasks; id++) {
      ev.push({ type: 'wake', time: t, wakerTaskId: 0, callbackId: 5, wokenTaskId: id, targetId: 1000 + id });
      ev.push({ type: 'awaitEnd', time: t, taskId: id, targetId: 1000 + id, outcome: 'ok' });
      ev.push({ type: 'awaitEnd', time: t, taskId: id, targetId: 0, outcome: 'ok' });
    }
  }
  return ev;
}

describe('streamed exports', () => {
  for (const [label, events] of [['the lock fixture', lockEvents()], ['a busy trace', busyEvents(300)]] as const) {
    it(`chromeTraceJson is the JSON of toChromeTrace (${label})`, () => {
      const m = modelOf(events);
      const chunks = [...chromeTraceJson(m)];
      assert.deepEqual(JSON.parse(chunks.join('')), toChromeTrace(m));
      if (label === 'a busy trace') assert.ok(chunks.length > 5, `written in ${chunks.length} chunks`);
    });

    it(`speedscopeJson is the JSON of toSpeedscope (${label})`, () => {
      const m = modelOf(events);
      assert.deepEqual(JSON.parse([...speedscopeJson(m)].join('')), toSpeedscope(m));
    });
  }

  it('gathers small parts into chunks of at least CHUNK_CHARS, never one string for the whole', () => {
    const parts = Array.from({ length: 10_000 }, (_, i) => `part ${i};`);
    const chunks = [...coalesce(parts)];
    assert.equal(chunks.join(''), parts.join(''));
    for (const c of chunks.slice(0, -1)) assert.ok(c.length >= CHUNK_CHARS && c.length < CHUNK_CHARS + 20);
  });

  it('writes a long task name once in full, not once per hold (Chrome)', () => {
    const { name, events } = longNameEvents(200_000, 600);
    const m = modelOf(events);
    const text = [...chromeTraceJson(m)].join('');
    assert.equal(text.split(name).length - 1, 1, 'the full name appears once');
    assert.ok(text.length < name.length + 400_000, `output is ${text.length} characters`);
    const doc = JSON.parse(text) as { traceEvents: { name: string; ph: string; tid: number; args?: { name?: string } }[] };
    const holds = doc.traceEvents.filter((e) => e.name.startsWith('held by '));
    assert.equal(holds.length, 600);
    assert.equal(holds[0].name, `held by ${shortName(name, 1)}`);
    assert.equal(doc.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.tid === 1)?.args?.name, `${name} #1`);
  });

  it('keeps short names as they are and cuts long ones with their id', () => {
    assert.equal(shortName('worker-2', 2), 'worker-2');
    const long = 'n'.repeat(SHORT_NAME_CHARS + 1);
    assert.equal(shortName(long, 7), `${'n'.repeat(SHORT_NAME_CHARS - 1)}\u2026 #7`);
    assert.equal(shortName('n'.repeat(SHORT_NAME_CHARS), 7), 'n'.repeat(SHORT_NAME_CHARS));
  });
});
