#!/usr/bin/env bash
# search.sh MANDAT BUILD: the registry at scale.  Writes BENCH_FILES (default 40,000)
# synthetic resolutions with build/scale (half French, half English, real paragraphs;
# bench/scale.c), times `mandat ingest` of all of them into a fresh registry (files/s,
# MB/s, database size; target: under 10 minutes), then runs build/search_bench on it:
# p50/p95 latency of a fixed set of queries through mandat's search code and through
# raw sqlite3 on the same file (bench/search_bench.c; targets p50 <= 5 ms and
# mandat <= 1.5 x raw).  BENCH_DIR keeps the corpus and registry there instead of a
# temporary directory.  Not a test: it never fails the build.
set -u
MANDAT=${1:-./mandat}
BUILD=${2:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_FILES:-40000}
if [ -n "${BENCH_DIR:-}" ]; then
  T=$BENCH_DIR
  mkdir -p "$T"
else
  T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-registry.XXXXXX")
  trap 'rm -rf "$T"' EXIT INT TERM
fi
rm -rf "$T/corpus" "$T/registry.db" "$T/registry.db-wal" "$T/registry.db-shm"

echo "scale corpus: $N resolutions in $T/corpus"
"$BUILD/scale" "$T/corpus" "$N" "$ROOT" || exit 0
bytes=$(du -sb "$T/corpus" | cut -f1)

t0=$(date +%s.%N)
"$MANDAT" ingest --db "$T/registry.db" "$T/corpus" >"$T/ingest.out" 2>"$T/ingest.err"
rc=$?
t1=$(date +%s.%N)
[ $rc -ne 0 ] && echo "ingest exit status $rc: $(tail -n 2 "$T/ingest.err")"
tail -n 1 "$T/ingest.out" "$T/ingest.err" 2>/dev/null | grep -v '^==' | grep . | tail -n 1
dbbytes=$(du -cb "$T"/registry.db* | tail -n 1 | cut -f1)
awk -v n="$N" -v b="$bytes" -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v d="$dbbytes" 'BEGIN {
  printf "ingest: %d files, %.1f MB in %.1f s: %.1f files/s, %.2f MB/s   (target < 600 s: %s)\n",
         n, b / 1e6, s, n / s, b / 1e6 / s, (s < 600 ? "met" : "NOT met")
  printf "registry: %.1f MB (%.2f x the corpus)\n", d / 1e6, d / b
}'
"$BUILD/search_bench" "$T/registry.db" "${BENCH_ROUNDS:-5}"
exit 0
