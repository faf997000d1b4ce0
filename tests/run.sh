#!/bin/sh
# run.sh MANDAT SPEC_RUNNER: the whole test suite.  Runs the spec examples, the command
# line and pathological-input tests, the golden outputs and the gold check, sums their
# "N passed, N failed" lines and ends with the total in the same form.  Exit status 1
# if anything failed.
set -u
MANDAT=${1:-./mandat}
RUNNER=${2:-build/spec_runner}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-run.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
total_pass=0
total_fail=0
suite() {
  name=$1
  shift
  echo "== $name"
  "$@" >"$T/log" 2>&1
  # show failures and the summary; successes only as a count
  grep -v '^ok' "$T/log"
  last=$(tail -n 1 "$T/log")
  p=$(echo "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
  f=$(echo "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
  if [ -z "$p" ]; then
    echo "$name: no summary line (crashed?)"
    p=0
    f=1
  fi
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
}
suite "spec examples (tests/spec)" "$RUNNER" "$ROOT"/tests/spec/*.md
suite "command line and bad inputs (tests/cli.sh)" sh "$ROOT/tests/cli.sh" "$MANDAT"
suite "golden outputs (tests/golden)" sh "$ROOT/tests/golden.sh" "$MANDAT"
suite "gold structure check (tests/gold)" python3 "$ROOT/tests/gold_check.py" "$MANDAT"
suite "registry (tests/store.sh)" sh "$ROOT/tests/store.sh" "$MANDAT"
suite "search (tests/search.sh)" sh "$ROOT/tests/search.sh" "$MANDAT"
suite "exports (tests/export.sh)" sh "$ROOT/tests/export.sh" "$MANDAT"
suite "comparison (tests/compare.sh)" sh "$ROOT/tests/compare.sh" "$MANDAT"
suite "HTTP server (tests/http.sh)" sh "$ROOT/tests/http.sh" "$MANDAT"
suite "browser (tests/browser)" sh "$ROOT/tests/browser/run.sh" "$MANDAT"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
