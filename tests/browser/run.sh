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
if [ ! -d "$DIR/node_modules/playwright-core" ]; then
  (cd "$DIR" && npm ci --no-audit --no-fund >/dev/null 2>&1) || {
    echo "not ok - npm ci in tests/browser (playwright-core) failed"
    echo "0 passed, 1 failed"; exit 1
  }
fi
case $MANDAT in /*) ;; *) MANDAT=$(pwd)/$MANDAT ;; esac
CHROMIUM=$CHROMIUM timeout 180 node "$DIR/run.mjs" "$MANDAT"
