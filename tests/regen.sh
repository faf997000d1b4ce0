#!/bin/sh
# regen.sh MANDAT: rewrites the golden outputs tests/golden/<name>.json from the corpus
# (`make regen`).  Review the diff (git diff tests/golden) before committing it.
set -eu
MANDAT=${1:-./mandat}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$ROOT/tests/golden"
cd "$ROOT"
for f in corpus/*.txt; do
  name=$(basename "$f" .txt)
  "$MANDAT" parse --json "$f" >"tests/golden/$name.json"
  echo "tests/golden/$name.json"
done
