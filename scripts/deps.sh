#!/bin/sh
# Install the Debian packages mandat needs to build and test, if any is missing.
set -e
PKGS="build-essential pkg-config libxml2-dev libpoppler-glib-dev libsqlite3-dev sqlite3 libutf8proc-dev libstemmer-dev libxml2-utils python3 time util-linux bsdutils clang libclang-rt-14-dev"
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
