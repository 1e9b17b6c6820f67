// StreamReader on its own, fed by hand: buffering, separators across chunks, limits,
// EOF, flow control, and the one-waiter rule. Socket behaviour is in test/io/streams.test.ts.
import assert from 'node:assert/strict';
import { run, createTask, sleep, IncompleteReadError, LimitOverrunError } from '../index';
import { StreamReader } from './stream-reader';

const b = (s: string): Buffer => Buffer.from(s);

describe('StreamReader', () => {
  it('finds a multi-byte separator split across chunks fed while a read waits', async () => {
    const got = await run(async () => {
      const r = new StreamReader();
      const reading = createTask(() => r.readuntil('\r\n\r\n'));
      for (const part of ['HTTP/1.0 200 OK\r', '\n\r', '\nbody']) {
        await sleep(0);
        r.feedData(b(part));
      }
      const head = (await reading).toString();
      r.feedEof();
      return { head, rest: (await r.read()).toString(), atEof: r.atEof() };
    });
    assert.deepEqual(got, { head: 'HTTP/1.0 200 OK\r\n\r\n', rest: 'body', atEof: true });
  });

  it('read(n) returns what is buffered up to n without waiting for more', async () => {
    const parts = await run(async () => {
      const r = new StreamReader();
      r.feedData(b('abc'));
      r.feedData(b('defgh'));
      const out = [(await r.read(2)).toString(), (await r.read(4)).toString(), (await r.read(100)).toString()];
      r.feedEof();
      out.push((await r.read(5)).toString());
      return out;
    });
    assert.deepEqual(parts, ['ab', 'cdef', 'gh', '']);
  });

  it('readexactly(0) is empty; readexactly past EOF keeps the partial bytes and the expected size', async () => {
    const err = await run(async () => {
      const r = new StreamReader();
      assert.equal((await r.readexactly(0)).length, 0);
      r.feedData(b('xyz'));
      r.feedEof();
      try { await r.readexactly(4); return undefined; } catch (e) { return e; }
    });
    assert.ok(err instanceof IncompleteReadError);
    assert.deepEqual(Buffer.from(err.partial).toString(), 'xyz');
    assert.equal(err.expected, 4);
  });

  it('readuntil reports how far it looked in LimitOverrunError and leaves the data buffered', async () => {
    const out = await run(async () => {
      const r = new StreamReader({ limit: 8 });
      r.feedData(b('0123456789\n'));
      let err: unknown;
      try { await r.readuntil('\n'); } catch (e) { err = e; }
      return { err, rest: (await r.readexactly(11)).toString() };
    });
    assert.ok(out.err instanceof LimitOverrunError);
    assert.equal(out.err.consumed, 10);
    assert.equal(out.rest, '0123456789\n');
  });

  it('pauses the transport above twice the limit and resumes once reads drain it', async () => {
    const calls = await run(async () => {
      const log: string[] = [];
      const r = new StreamReader({ limit: 4 });
      r.setTransport({ pause: () => log.push('pause'), resume: () => log.push('resume') });
      r.feedData(b('1234'));
      r.feedData(b('5678'));
      log.push('8 buffered');
      r.feedData(b('9'));
      await r.read(3);
      log.push('6 buffered');
      await r.read(2);
      return log;
    });
    assert.deepEqual(calls, ['8 buffered', 'pause', '6 buffered', 'resume']);
  });

  it('refuses a second concurrent read and delivers a transport error to the waiting read', async () => {
    const out = await run(async () => {
      const r = new StreamReader();
      const first = createTask(() => r.read(1));
      await sleep(0);
      let second: unknown;
      try { await r.read(1); } catch (e) { second = e; }
      r.setException(new Error('ECONNRESET'));
      let firstErr: unknown;
      try { await first; } catch (e) { firstErr = e; }
      return { second, firstErr };
    });
    assert.match((out.second as Error).message, /already waiting/);
    assert.equal((out.firstErr as Error).message, 'ECONNRESET');
  });
});
