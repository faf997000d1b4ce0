#!/bin/sh
# build_test.sh MANDAT SRC OUT: compile SRC, a C test program of tests/, into OUT
# against the library beside the binary MANDAT (make asan: build/asan/, and then with
# the sanitizers) or in build/ under it, with the Makefile's flags.  On failure, exit
# status 1 and the compiler's first lines on standard error.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN_DIR=$(cd "$(dirname "$1")" && pwd)
SRC=$2
OUT=$3
LIB=$BIN_DIR/libmandat.a
[ -f "$LIB" ] || LIB=$BIN_DIR/build/libmandat.a
if [ ! -f "$LIB" ]; then
  echo "no libmandat.a beside $1 or in build/ under it" >&2
  exit 1
fi
SAN=""
case $LIB in */asan/*) SAN="-fsanitize=address,undefined" ;; esac
cd "$ROOT" || exit 1
CPP=$(make -s --no-print-directory --eval 'pc: ; @echo $(CPPFLAGS)' pc 2>/dev/null)
LIBS=$(make -s --no-print-directory --eval 'pl: ; @echo $(LDLIBS)' pl 2>/dev/null)
if ! ${CC:-cc} -std=c11 -g -O1 $SAN $CPP "$SRC" "$LIB" $LIBS -o "$OUT" 2>"$OUT.err"; then
  head -n 3 "$OUT.err" >&2
  exit 1
fi
rm -f "$OUT.err"
