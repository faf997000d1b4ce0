#!/bin/sh
# run.sh MANDAT: mandat's main job on the bundled corpus (`make run`): parse and outline
# each document, ingest them into the embedded registry (./mandat.db, or $MANDAT_DB),
# show a few searches and the mandates of A/RES/80/229, then serve the registry on
# http://127.0.0.1:${PORT:-8080}/ until interrupted (SERVE=0 skips the server).
set -e
MANDAT=${1:-./mandat}
DB=${MANDAT_DB:-mandat.db}
cd "$(dirname "$0")/.."
echo "== the corpus, parsed"
"$MANDAT" parse --brief corpus/*.txt
echo
echo "== ingest into $DB"
"$MANDAT" ingest --db "$DB" corpus/
for q in '"ressources extrabudgétaires"' 'Kyoto AND Déclaration' 'A/RES/79/243'; do
  echo
  echo "== mandat search $q"
  "$MANDAT" search --db "$DB" --limit 3 "$q"
done
echo
echo "== mandat mandates --symbol A/RES/80/229 (what A/RES/80/229 asks, and of whom)"
"$MANDAT" mandates --db "$DB" --symbol A/RES/80/229
[ "${SERVE:-1}" = 0 ] && exit 0
echo
echo "== mandat serve (Ctrl-C to stop)"
exec "$MANDAT" serve --db "$DB" --port "${PORT:-8080}"
