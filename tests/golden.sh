#!/bin/sh
# golden.sh MANDAT: compares `mandat parse --json` on each corpus file with its reviewed
# golden output tests/golden/<name>.json (made by `make regen`).  On a difference it
# prints the first differing lines, one JSON field a line.  Ends with "N passed, N failed".
set -u
MANDAT=${1:-./mandat}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-golden.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0
cd "$ROOT"
# one field or array element a line, so that a diff points at the field that changed
split() { sed 's/,"/,\n"/g; s/},{/},\n{/g' "$1"; }
for f in corpus/*.txt; do
  name=$(basename "$f" .txt)
  g="tests/golden/$name.json"
  if [ ! -f "$g" ]; then
    fail=$((fail + 1)); echo "not ok - golden $name: $g missing (make regen)"; continue
  fi
  "$MANDAT" parse --json "$f" >"$T/out" 2>"$T/err"
  if cmp -s "$T/out" "$g"; then
    pass=$((pass + 1)); echo "ok - golden $name"
  else
    fail=$((fail + 1)); echo "not ok - golden $name differs from $g (first differences):"
    split "$g" >"$T/want"; split "$T/out" >"$T/got"
    diff -u "$T/want" "$T/got" | sed -n '3,30p' | cut -c1-200 | sed 's/^/    /'
    [ -s "$T/err" ] && sed 's/^/    stderr: /' "$T/err"
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
