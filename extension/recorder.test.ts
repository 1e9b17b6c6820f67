import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SPILL_PREFIX as spillPrefix, TOKEN_PREFIX as tokenPrefix } from '../trace/transport';
import { Recorder } from './recorder';

/** Connects, sends `lines` (strings or bytes) in order, then waits for the socket to close. */
function client(socketPath: string, parts: (string | Uint8Array)[], end = true): Promise<{ closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(socketPath);
    let ended = false;
    s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    s.on('connect', () => {
      for (const p of parts) s.write(p);
      if (end) { ended = true; s.end(); }
    });
    s.on('close', () => resolve({ closedByServer: !ended }));
    s.resume();
  });
}

describe('Recorder', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'atrace-rec-test-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('listens in a folder only its user can open and advertises unix:<path>#<token>', async () => {
    const r = await Recorder.open(path.join(dir, 't.atrace'));
    try {
      assert.equal(statSync(r.dir).mode & 0o777, 0o700);
      assert.equal(r.address, `unix:${r.socketPath}#${r.token}`);
      assert.match(r.token, /^[0-9a-f]{48}$/);
    } finally { await r.close(); }
    assert.equal(existsSync(r.dir), false, 'socket folder removed on close');
  });

  it('appends every byte after the token line to the trace file, in order, as it arrives', async () => {
    const file = path.join(dir, 'sub', 'p.atrace');
    const seen: number[] = [];
    let connected = 0;
    const r = await Recorder.open(file, { onBytes: (b) => seen.push(...b), onConnect: () => connected++ });
    const payload = Uint8Array.from({ length: 3000 }, (_, i) => i % 251);
    await client(r.socketPath, [`${tokenPrefix}${r.token}\n`, payload.subarray(0, 10), payload.subarray(10)]);
    await r.drained();
    await r.close();
    assert.deepEqual(new Uint8Array(readFileSync(file)), payload);
    assert.deepEqual(seen, [...payload]);
    assert.equal(connected, 1);
    assert.deepEqual(r.stats, { connected: true, refused: 0, bytes: 3000 });
  });

  it('accepts the token line and the first bytes in one packet', async () => {
    const file = path.join(dir, 'one.atrace');
    const r = await Recorder.open(file);
    await client(r.socketPath, [Buffer.concat([Buffer.from(`${tokenPrefix}${r.token}\n`), Buffer.from([1, 2, 3])])]);
    await r.drained();
    await r.close();
    assert.deepEqual([...readFileSync(file)], [1, 2, 3]);
  });

  it('refuses a wrong token: closes the connection and writes nothing', async () => {
    const file = path.join(dir, 'w.atrace');
    const reasons: string[] = [];
    const r = await Recorder.open(file, { onRefused: (why) => reasons.push(why) });
    const res = await client(r.socketPath, [`${tokenPrefix}${'0'.repeat(r.token.length)}\n`, 'data'], false);
    await r.close();
    assert.equal(res.closedByServer, true);
    assert.deepEqual(reasons, ['wrong token']);
    assert.equal(existsSync(file), false);
    assert.deepEqual(r.stats, { connected: false, refused: 1, bytes: 0 });
  });

  it('refuses a client that never sends a token line', async () => {
    const reasons: string[] = [];
    const r = await Recorder.open(path.join(dir, 'n.atrace'), { onRefused: (why) => reasons.push(why) });
    const res = await client(r.socketPath, ['x'.repeat(1000)], false);
    await r.close();
    assert.equal(res.closedByServer, true);
    assert.deepEqual(reasons, ['no token line']);
  });

  it('closes a connection that sends no token line within the timeout', async () => {
    const reasons: string[] = [];
    const r = await Recorder.open(path.join(dir, 'slow.atrace'), { onRefused: (why) => reasons.push(why) }, { tokenTimeoutMs: 200 });
    // Connects and says nothing: without the timeout it would hold the socket forever.
    const res = await client(r.socketPath, [], false);
    await r.close();
    assert.equal(res.closedByServer, true);
    assert.deepEqual(reasons, ['no token line within 200 ms']);
    assert.deepEqual(r.stats, { connected: false, refused: 1, bytes: 0 });
  });

  it('keeps a client that sent its token line past the timeout', async () => {
    const file = path.join(dir, 'kept.atrace');
    const r = await Recorder.open(file, {}, { tokenTimeoutMs: 50 });
    const s = net.createConnection(r.socketPath, () => s.write(`${tokenPrefix}${r.token}\nA`));
    await new Promise<void>((resolve) => setTimeout(resolve, 300));
    s.end('B');
    await r.drained();
    await r.close();
    assert.equal(readFileSync(file, 'utf8'), 'AB');
    assert.equal(r.stats.refused, 0);
  });

  it('refuses a second authenticated stream while one is open', async () => {
    const file = path.join(dir, 's.atrace');
    const reasons: string[] = [];
    let connected!: () => void;
    const first = new Promise<void>((r) => { connected = r; });
    const r = await Recorder.open(file, { onRefused: (why) => reasons.push(why), onConnect: () => connected() });
    const s1 = net.createConnection(r.socketPath, () => s1.write(`${tokenPrefix}${r.token}\nA`));
    await first;
    await client(r.socketPath, [`${tokenPrefix}${r.token}\nB`], false);
    s1.end();
    await r.drained();
    await r.close();
    assert.deepEqual(reasons, ['a program is already connected']);
    assert.equal(readFileSync(file, 'utf8'), 'A');
  });

  describe('spill file (a program that died before its bytes reached the socket)', () => {
    const payload = Uint8Array.from({ length: 500 }, (_, i) => (i * 7) % 256);

    it('adopts the whole stream when nothing came through the socket', async () => {
      const file = path.join(dir, 'spill-all.atrace');
      let connected = 0;
      const seen: number[] = [];
      const r = await Recorder.open(file, { onConnect: () => connected++, onBytes: (b) => seen.push(...b) });
      writeFileSync(r.spillPath, Buffer.concat([Buffer.from(`${spillPrefix}${r.token} 0\n`), payload]));
      assert.deepEqual(r.adoptSpill(), { kind: 'adopted', bytes: 500 });
      await r.close();
      assert.deepEqual(new Uint8Array(readFileSync(file)), payload);
      assert.deepEqual(seen, [...payload]);
      assert.equal(connected, 1);
      assert.deepEqual(r.stats, { connected: true, refused: 0, bytes: 500 });
    });

    it('appends only what the socket did not deliver when the spill overlaps it', async () => {
      const file = path.join(dir, 'spill-tail.atrace');
      const r = await Recorder.open(file);
      await client(r.socketPath, [`${tokenPrefix}${r.token}\n`, payload.subarray(0, 300)]);
      await r.drained();
      // The program spilled from byte 200 on: 100 bytes overlap what arrived.
      writeFileSync(r.spillPath, Buffer.concat([Buffer.from(`${spillPrefix}${r.token} 200\n`), payload.subarray(200)]));
      assert.deepEqual(r.adoptSpill(), { kind: 'adopted', bytes: 200 });
      await r.close();
      assert.deepEqual(new Uint8Array(readFileSync(file)), payload);
    });

    it('uses nothing from a spill with the wrong token, or one that would leave a gap', async () => {
      const file = path.join(dir, 'spill-bad.atrace');
      const r = await Recorder.open(file);
      await client(r.socketPath, [`${tokenPrefix}${r.token}\n`, payload.subarray(0, 100)]);
      await r.drained();
      writeFileSync(r.spillPath, Buffer.concat([Buffer.from(`${spillPrefix}${'0'.repeat(48)} 100\n`), payload.subarray(100)]));
      assert.deepEqual(r.adoptSpill(), { kind: 'rejected', reason: 'the spill file has the wrong token' });
      writeFileSync(r.spillPath, Buffer.concat([Buffer.from(`${spillPrefix}${r.token} 150\n`), payload.subarray(150)]));
      const gap = r.adoptSpill();
      assert.equal(gap.kind, 'rejected');
      assert.match((gap as { reason: string }).reason, /starts at byte 150 .* only 100 arrived/);
      writeFileSync(r.spillPath, 'not a spill');
      assert.deepEqual(r.adoptSpill(), { kind: 'rejected', reason: 'the spill file has no ATRACE-SPILL header' });
      await r.close();
      assert.deepEqual(new Uint8Array(readFileSync(file)), payload.subarray(0, 100));
    });

    it('never reads a spill through a symlink planted at its path', async () => {
      const r = await Recorder.open(path.join(dir, 'link.atrace'));
      const secret = path.join(dir, 'secret.txt');
      writeFileSync(secret, Buffer.concat([Buffer.from(`${spillPrefix}${r.token} 0\n`), Buffer.from('not yours')]));
      symlinkSync(secret, r.spillPath);
      const out = r.adoptSpill();
      await r.close();
      assert.equal(out.kind, 'rejected');
      assert.match((out as { reason: string }).reason, /cannot be opened \(ELOOP\)/);
      assert.equal(existsSync(path.join(dir, 'link.atrace')), false, 'nothing written from the link');
    });

    it('reports none when the program spilled nothing', async () => {
      const r = await Recorder.open(path.join(dir, 'none.atrace'));
      assert.deepEqual(r.adoptSpill(), { kind: 'none' });
      await r.close();
    });
  });
});
