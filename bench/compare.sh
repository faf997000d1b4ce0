#!/usr/bin/env bash
# compare.sh MANDAT [SCALE_DB]: timings of the comparison commands.  Reads the
# in-process figures of `--timing` (load = parse or registry read, compare = align,
# word and mandate diff, render = output), best of N runs (BENCH_RUNS, default 10):
#   - diff of A/RES/71/209 (2016) and A/RES/80/229 (2025): compare <= 50 ms;
#   - lineage over the four versions in chronological order (2011 draft
#     A/C.3/66/L.15, 2016, 2022 draft VII A/C.3/77/L.12/Rev.1, 2025): <= 200 ms;
#   - duplicates over a registry of the corpus, and over SCALE_DB when given (the
#     scale registry of `make bench-registry`): < 60 s.
# Not a test: it never fails the build.
set -u
MANDAT=${1:-./mandat}
SCALE_DB=${2:-${SCALE_DB:-}}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${BENCH_RUNS:-10}
C=$ROOT/corpus
T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-bench-compare.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

# best (minimum) of each timing field over RUNS runs of a command with --timing
best() {
  for ((i = 0; i < RUNS; i++)); do
    "$MANDAT" "$@" --timing 2>&1 >/dev/null | grep '^timing:'
  done | awk '{ l=$3; c=$6; r=$9; t=l+c+r
    if (NR == 1 || l < bl) bl = l; if (NR == 1 || c < bc) bc = c
    if (NR == 1 || r < br) br = r; if (NR == 1 || t < bt) bt = t }
    END { printf "%.1f %.1f %.1f %.1f\n", bl, bc, br, bt }'
}

read -r l c r t < <(best diff --json "$C/002_6baa116d527fb12c.txt" "$C/000_fddacb455b7ac21b.txt")
awk -v l="$l" -v c="$c" -v r="$r" -v t="$t" 'BEGIN {
  printf "diff 2016 → 2025:      parse %6.1f ms  compare %6.1f ms  render %5.1f ms  total %6.1f ms   (compare <= 50 ms: %s)\n", l, c, r, t, (c <= 50 ? "met" : "NOT met") }'
read -r l c r t < <(best lineage --json "$C/004_f137dedce854ddd0.txt" "$C/002_6baa116d527fb12c.txt" \
  "$C/001_b88bee2951a23392.txt" "$C/000_fddacb455b7ac21b.txt")
awk -v l="$l" -v c="$c" -v r="$r" -v t="$t" 'BEGIN {
  printf "lineage of 4 versions: parse %6.1f ms  compare %6.1f ms  render %5.1f ms  total %6.1f ms   (compare <= 200 ms: %s)\n", l, c, r, t, (c <= 200 ? "met" : "NOT met") }'

dupes() { # dupes DB LABEL
  local t0 t1
  t0=$(date +%s.%N)
  "$MANDAT" duplicates --db "$1" --csv --timing 2>"$T/err" >"$T/dup.csv"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v lab="$2" -v info="$(tail -1 "$T/err")" 'BEGIN {
    s = b - a; printf "duplicates %s: %.2f s wall   (< 60 s: %s)\n    %s\n", lab, s, (s < 60 ? "met" : "NOT met"), info }'
}
if "$MANDAT" ingest --db "$T/corpus.db" "$C"/*.txt >/dev/null 2>&1; then
  dupes "$T/corpus.db" "(corpus registry)"
else
  echo "duplicates: ingest of the corpus failed"
fi
if [ -n "$SCALE_DB" ] && [ -r "$SCALE_DB" ]; then
  dupes "$SCALE_DB" "($SCALE_DB: $(sqlite3 "$SCALE_DB" 'SELECT count(*) FROM entities' 2>/dev/null) entities)"
else
  echo "duplicates (scale registry): give its path as the second argument or SCALE_DB"
fi
