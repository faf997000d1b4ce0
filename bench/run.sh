#!/usr/bin/env bash
# run.sh MANDAT: throughput and memory of `mandat parse --json` on the bundled corpus
# concatenated 50 times (~30 MB, parsed as one document), against `wc -w` on the same
# file in the same run.  Prints MB/s of both, the ratio, and mandat's peak memory as a
# multiple of the input size.  Targets: >= 50 MB/s, >= 0.25 x wc -w, peak <= 2 x input.
# Not a test: it never fails the build.
set -u
MANDAT=${1:-./mandat}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COPIES=${BENCH_COPIES:-50}
T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
BIG=$T/corpus-x$COPIES.txt
for ((i = 0; i < COPIES; i++)); do cat "$ROOT"/corpus/*.txt; done >"$BIG"
bytes=$(wc -c <"$BIG")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')

# best of 3 wall-clock seconds of a command (stdout discarded)
best() {
  local b=999999 t0 t1 d
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$T/err"
    t1=$(date +%s.%N)
    d=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
    b=$(awk -v x="$d" -v y="$b" 'BEGIN { print (x < y ? x : y) }')
  done
  echo "$b"
}

echo "input: $BIG ($mb MB: corpus/*.txt x $COPIES, one document)"
tm=$(best "$MANDAT" parse --json "$BIG")
if [ -s "$T/err" ]; then echo "mandat: $(head -1 "$T/err")"; fi
tw=$(best wc -w "$BIG")
awk -v b="$bytes" -v m="$tm" -v w="$tw" 'BEGIN {
  sm = b / 1e6 / m; sw = b / 1e6 / w
  printf "mandat parse --json: %7.3f s  %7.1f MB/s   (target >= 50 MB/s: %s)\n", m, sm, (sm >= 50 ? "met" : "NOT met")
  printf "wc -w:               %7.3f s  %7.1f MB/s\n", w, sw
  printf "ratio mandat / wc -w: %.2f   (target >= 0.25: %s)\n", sm / sw, ((sm / sw) >= 0.25 ? "met" : "NOT met")
}'
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$MANDAT" parse --json "$BIG" 2>"$T/time" >/dev/null
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time")
  awk -v k="$kb" -v b="$bytes" 'BEGIN {
    x = k * 1024 / b
    printf "peak memory: %.1f MB = %.2f x input   (target <= 2: %s)\n", k / 1024, x, (x <= 2 ? "met" : "NOT met")
  }'
else
  echo "peak memory: /usr/bin/time not installed (Debian package 'time'; make deps installs it)"
fi
