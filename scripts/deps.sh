#!/bin/sh
# Install the Debian packages mandat needs to build and test, if any is missing.
# Runs with plain sh before make exists: `sh scripts/deps.sh` bootstraps a fresh machine.
#   build:   compiler, pkg-config, libxml2 (HTML), poppler-glib (PDF), SQLite with FTS5,
#            utf8proc (folding, NFC), libstemmer (Snowball), libmicrohttpd (server),
#            libssl (libcrypto: SHA-256)
#   tests:   python3 (gold check), sqlite3 (registry checks), libxml2-utils (xmllint for
#            Akoma Ntoso), curl (HTTP tests), util-linux/bsdutils (setpriv, script),
#            chromium + node (browser tests), clang + compiler-rt (asan, fuzz)
#   bench:   time (peak memory), wrk (HTTP load)
set -e
PKGS="build-essential pkg-config libxml2-dev libpoppler-glib-dev libsqlite3-dev sqlite3
libutf8proc-dev libstemmer-dev libmicrohttpd-dev libssl-dev clang libclang-rt-14-dev python3 time
libxml2-utils curl util-linux bsdutils chromium wrk"
# node: a machine may carry its own (nodesource); Debian's only when there is none
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
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
