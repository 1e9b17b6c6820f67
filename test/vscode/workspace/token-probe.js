// A hand-written recorder client (no runtime): first connects with a wrong token and
// checks the recorder hangs up, then connects with the right one and sends known bytes.
// Written without `await`: the site plugin would add the runtime to a file with awaits,
// and the runtime would then connect by itself.
const net = require('node:net');

const m = /^unix:(.*)#(.*)$/.exec(process.env.ASYNC_TRACE || '');
if (!m) throw new Error('ASYNC_TRACE is not a unix address');
const [, socketPath, token] = m;

function session(line, payload) {
  return new Promise((resolve) => {
    const s = net.createConnection(socketPath, () => { s.write(line); s.write(payload); s.end(); });
    let closedEarly = false;
    s.on('error', () => { closedEarly = true; });
    s.on('end', () => { closedEarly = true; });
    s.on('close', () => resolve(closedEarly));
    s.resume();
  });
}

session('ATRACE-TOKEN not-the-token\n', 'WRONG').then((refused) => {
  console.log(`wrong token: ${refused ? 'refused' : 'accepted'}`);
  return session(`ATRACE-TOKEN ${token}\n`, 'probe-bytes-0123456789');
});
