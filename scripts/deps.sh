#!/bin/sh
# Install the Debian packages mandat needs to build and test, if any is missing.
# Runs with plain sh before make exists: `sh scripts/deps.sh` bootstraps a fresh machine.
# python3 runs tests/gold_check.py; time (/usr/bin/time) measures memory in make bench.
set -e
PKGS="build-essential pkg-config libxml2-dev libpoppler-glib-dev clang libclang-rt-14-dev python3 time"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "mandat: installing$missing" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
