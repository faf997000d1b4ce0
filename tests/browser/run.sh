#!/bin/sh
# run.sh MANDAT: the browser tests (run.mjs), or a clear skip when node or chromium
# is missing.  Installs playwright-core from package-lock.json on first use.
# Last line: "N passed, N failed".
set -u
MANDAT=${1:-./mandat}
DIR=$(cd "$(dirname "$0")" && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1; then
  echo "skip - browser tests: node is not installed (Debian: nodejs npm)"
  echo "0 passed, 0 failed"; exit 0
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "skip - browser tests: $CHROMIUM is missing (Debian: chromium)"
  echo "0 passed, 0 failed"; exit 0
fi
# node trusts only its own CA list; a machine whose registry access goes through a
# proxy with a local CA has it in the system bundle
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
if [ ! -d "$DIR/node_modules/playwright-core" ]; then
  (cd "$DIR" && npm ci --no-audit --no-fund >"$DIR/npm-ci.log" 2>&1) || {
    echo "not ok - npm ci in tests/browser (playwright-core) failed: $(grep -m1 'npm ERR!' "$DIR/npm-ci.log")"
    echo "0 passed, 1 failed"; exit 1
  }
fi
case $MANDAT in /*) ;; *) MANDAT=$(pwd)/$MANDAT ;; esac
CHROMIUM=$CHROMIUM timeout 180 node "$DIR/run.mjs" "$MANDAT"
