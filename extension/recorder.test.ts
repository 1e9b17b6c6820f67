import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Recorder, tokenPrefix } from './recorder';

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
});
