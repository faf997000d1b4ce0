#!/bin/sh
# store.sh MANDAT [STORE_QUERY]: the registry through the real binary and the
# bundled corpus, checked with Debian's sqlite3 shell: ingest counts against
# `mandat parse --json`, the schema against docs/schema.sql, re-ingest, new
# versions, a corrupt file among good ones, unusable databases, a full disk,
# kill -9 during ingest (20 times), SQL injection in every filter.  STORE_QUERY is
# the tests/store_query.c binary (mandates filters, FTS index); without it the
# script builds one from build/libmandat.a, or says why it cannot.
# Prints "ok"/"not ok" per check and ends with "N passed, N failed".
set -u
MANDAT=$(cd "$(dirname "${1:-./mandat}")" && pwd)/$(basename "${1:-./mandat}")
STORE_QUERY=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-store.XXXXXX")
MNT=""
cleanup() {
  [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
notok() { fail=$((fail + 1)); echo "not ok - $1${2:+ ($2)}"; }
skip() { echo "ok - $1 # skip $2"; }
check() { # check DESC GOT WANT
  if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "got '$2', want '$3'"; fi
}
q() { sqlite3 -batch -noheader "$@"; }

if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "not ok - sqlite3 shell missing (Debian package sqlite3)"
  echo "0 passed, 1 failed"
  exit 1
fi
cd "$ROOT" || exit 1
CORPUS=$(ls corpus/*.txt)

# Expected rows, from the parser itself: "file entities paragraphs clauses" per file.
"$MANDAT" parse --json $CORPUS | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    ents = d["entities"]
    paras = sum(len(e["preamble"]) + len(e["operative"]) for e in ents)
    clauses = sum(len(p.get("clauses", [])) for e in ents for p in e["operative"] + e["preamble"])
    print(d["source"]["file"], len(ents), paras, clauses)
' >"$T/expected"
exp_total() { awk -v c="$1" '{ s += $c } END { print s }' "$T/expected"; }

# --- ingest the corpus ----------------------------------------------------------------
DB=$T/reg.db
"$MANDAT" ingest --db "$DB" $CORPUS >"$T/out" 2>"$T/err"
check "ingest corpus: exit 0" "$?" 0
check "ingest corpus: nothing on stderr when not a terminal" "$(cat "$T/err")" ""
grep -q " 5 files, 5 added, 0 new versions, 0 unchanged, 0 failed, " "$T/out" &&
  ok "ingest corpus: summary ($(cat "$T/out"))" || notok "ingest corpus: summary" "$(cat "$T/out")"
check "entities = parse --json" "$(q "$DB" 'SELECT count(*) FROM entities')" "$(exp_total 2)"
check "paragraphs = parse --json" "$(q "$DB" 'SELECT count(*) FROM paragraphs')" "$(exp_total 3)"
check "clauses = parse --json" "$(q "$DB" 'SELECT count(*) FROM clauses')" "$(exp_total 4)"
perdoc() { # "file entities paragraphs clauses" per current document of a registry
  q "$1" "SELECT d.file, (SELECT count(*) FROM entities e WHERE e.document_id = d.id),
    (SELECT count(*) FROM entities e JOIN paragraphs p ON p.entity_id = e.id WHERE e.document_id = d.id),
    (SELECT count(*) FROM entities e JOIN paragraphs p ON p.entity_id = e.id JOIN clauses c ON c.paragraph_id = p.id
      WHERE e.document_id = d.id) FROM documents d WHERE d.current = 1 ORDER BY d.file" | tr '|' ' '
}
check "per-document entities, paragraphs, clauses = parse --json" "$(perdoc "$DB")" "$(sort "$T/expected")"
check "integrity_check" "$(q "$DB" 'PRAGMA integrity_check')" ok
check "foreign_key_check clean" "$(q "$DB" 'PRAGMA foreign_key_check')" ""
check "WAL mode" "$(q "$DB" 'PRAGMA journal_mode')" wal
check "schema_version 2" "$(q "$DB" "SELECT value FROM meta WHERE key = 'schema_version'")" 2
check "every paragraph in the FTS index" \
  "$(q "$DB" 'SELECT count(*) FROM paragraphs_fts_docsize')" "$(q "$DB" 'SELECT count(*) FROM paragraphs')"
check "citations placed on a line" "$(q "$DB" 'SELECT count(*) FROM citations WHERE line < 1')" 0
check "entity parent links (003: resolution > draft > declaration)" \
  "$(q "$DB" "SELECT group_concat(e.local_id || '<' || coalesce(p.local_id, '-'), ' ') FROM entities e
      JOIN documents d ON d.id = e.document_id LEFT JOIN entities p ON p.id = e.parent_id
      WHERE d.file LIKE '%003_%' ORDER BY e.id")" "R1<- R2<R1 R3<R2"

# The schema store.c creates is the one docs/schema.sql documents (the shell has no
# "mandat" tokenizer: the copy uses unicode61).
sed "s/tokenize='mandat'/tokenize='unicode61'/" docs/schema.sql | q "$T/doc.db"
shape() {
  q "$1" "SELECT m.type || ' ' || m.name || ' ' || m.tbl_name || ' ' || coalesce((SELECT group_concat(c.name || ':'
     || c.type || ':' || c.pk || ':' || c.\"notnull\", ',') FROM pragma_table_info(m.name) c), '') FROM sqlite_master m
     WHERE m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'paragraphs_fts%' ORDER BY m.type, m.name"
  q "$1" "SELECT name FROM sqlite_master WHERE name LIKE 'paragraphs_fts%' ORDER BY name"
}
check "schema = docs/schema.sql (tables, columns, indexes, trigger)" "$(shape "$DB")" "$(shape "$T/doc.db")"

# --- re-ingest: nothing changes ----------------------------------------------------------
counts() {
  q "$1" "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM entities), (SELECT count(*) FROM paragraphs),
    (SELECT count(*) FROM clauses), (SELECT count(*) FROM citations), (SELECT count(*) FROM footnotes),
    (SELECT max(ingested_at) FROM documents)"
}
before=$(counts "$DB")
"$MANDAT" ingest --db "$DB" $CORPUS >"$T/out" 2>&1
check "re-ingest: exit 0" "$?" 0
grep -q " 0 added, 0 new versions, 5 unchanged, 0 failed, 0 entities" "$T/out" &&
  ok "re-ingest: summary says unchanged" || notok "re-ingest: summary says unchanged" "$(cat "$T/out")"
check "re-ingest: row counts identical" "$(counts "$DB")" "$before"
"$MANDAT" ingest --db "$DB" corpus >"$T/out" 2>"$T/err"
check "ingest of the directory: exit 0 (README.md skipped)" "$?" 0
grep -q "5 unchanged, 0 failed, 1 skipped" "$T/out" && grep -q "README.md: skipped" "$T/err" &&
  ok "directory walk: same files unchanged, README.md skipped" || notok "directory walk" "$(cat "$T/out" "$T/err")"
MANDAT_DB=$DB "$MANDAT" ingest --quiet $CORPUS >"$T/out" 2>&1
check "MANDAT_DB and --quiet: silent, exit 0" "$?:$(cat "$T/out")" "0:"

# --- a changed file becomes version 2 --------------------------------------------------------
mkdir -p "$T/v"
cp corpus/004_f137dedce854ddd0.txt "$T/v/doc.txt"
chmod 644 "$T/v/doc.txt"
"$MANDAT" ingest --db "$DB" "$T/v/doc.txt" >"$T/out" 2>&1
check "copy of a stored file elsewhere: unchanged" "$(grep -c ' 1 unchanged' "$T/out")" 1
sed -i 's/Prie le Secrétaire général/Prie instamment le Secrétaire général/' "$T/v/doc.txt"
"$MANDAT" ingest --db "$DB" "$T/v/doc.txt" >"$T/out" 2>&1
check "changed file: added" "$(grep -c ' 1 added' "$T/out")" 1
sed -i 's/Prie instamment le Secrétaire général/Prie le Secrétaire général de nouveau/' "$T/v/doc.txt"
"$MANDAT" ingest --db "$DB" "$T/v/doc.txt" >"$T/out" 2>&1
check "changed again: a new version" "$(grep -c ' 1 new versions' "$T/out")" 1
check "versions 1 (kept, current=0) and 2 (current)" \
  "$(q "$DB" "SELECT group_concat(version || ':' || current || ':' || (SELECT count(*) FROM entities e WHERE
     e.document_id = d.id), ' ') FROM documents d WHERE file = '$T/v/doc.txt' ORDER BY version")" "1:0:1 2:1:1"
check "one current document per file" "$(q "$DB" 'SELECT count(*) FROM (SELECT file FROM documents WHERE current = 1
  GROUP BY file HAVING count(*) > 1)')" 0
n_l15=$("$MANDAT" show --db "$DB" --json A/C.3/66/L.15 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entities"]))')
n_all=$("$MANDAT" show --db "$DB" --json --all-versions A/C.3/66/L.15 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entities"]))')
check "show: current versions only (2), --all-versions adds the old one (3)" "$n_l15 $n_all" "2 3"
sed -i 's/Prie le Secrétaire général de nouveau/Prie instamment le Secrétaire général/' "$T/v/doc.txt"
"$MANDAT" ingest --db "$DB" "$T/v/doc.txt" >"$T/out" 2>&1
check "back to version 1's content: reverted, version 1 current again" \
  "$(grep -c '1 reverted' "$T/out") $(q "$DB" "SELECT group_concat(version || ':' || current, ' ') FROM documents WHERE file = '$T/v/doc.txt'")" \
  "1 1:1 2:0"

# --- a corrupt file among good ones ----------------------------------------------------------
mkdir -p "$T/mixed"
cp corpus/002_6baa116d527fb12c.txt corpus/004_f137dedce854ddd0.txt "$T/mixed/"
head -c 3000 /dev/urandom >"$T/mixed/003_corrupt.txt"
printf 'Une ligne sans résolution.\n' >"$T/mixed/001_prose.txt"
"$MANDAT" ingest --db "$T/mixed.db" "$T/mixed/002_6baa116d527fb12c.txt" "$T/mixed/003_corrupt.txt" \
  "$T/mixed/001_prose.txt" "$T/mixed/004_f137dedce854ddd0.txt" >"$T/out" 2>"$T/err"
check "corrupt files among good ones: exit 1" "$?" 1
check "corrupt files: one line each on stderr, naming the file" \
  "$(grep -c "^mandat: $T/mixed/003_corrupt.txt: \|^mandat: $T/mixed/001_prose.txt: " "$T/err") $(wc -l <"$T/err")" "2 2"
check "corrupt files: the good ones stored" "$(q "$T/mixed.db" 'SELECT count(*) FROM documents')" 2
grep -q " 2 added, 0 new versions, 0 unchanged, 2 failed, " "$T/out" &&
  ok "corrupt files: summary counts them" || notok "corrupt files: summary" "$(cat "$T/out")"
"$MANDAT" ingest --db "$T/missing.db" "$T/no/such/file.txt" >/dev/null 2>"$T/err"
check "missing input file: exit 1, reported" "$?:$(grep -c 'no/such/file.txt: cannot open' "$T/err")" "1:1"

# --- unusable databases --------------------------------------------------------------------
"$MANDAT" ingest --db "$T/no/such/dir/reg.db" corpus/004_f137dedce854ddd0.txt >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -ne 0 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "^mandat: $T/no/such/dir/reg.db: unable to open" "$T/err" &&
  ok "database in a missing directory: $(cat "$T/err")" || notok "database in a missing directory" "rc $rc: $(cat "$T/err")"
head -c 8192 /dev/urandom >"$T/garbage.db"
cp "$T/garbage.db" "$T/garbage.orig"
for cmd in "ingest corpus/004_f137dedce854ddd0.txt" "show A/RES/80/229" "cites A/RES/80/229" "stats"; do
  "$MANDAT" $cmd --db "$T/garbage.db" >"$T/out" 2>"$T/err"
  rc=$?
  [ "$rc" -ne 0 ] && [ ! -s "$T/out" ] && grep -q "^mandat: $T/garbage.db: file is not a database$" "$T/err" &&
    cmp -s "$T/garbage.db" "$T/garbage.orig" && ok "garbage database, ${cmd%% *}: clear error, file untouched" ||
    notok "garbage database, ${cmd%% *}" "rc $rc: $(cat "$T/err")"
done
printf 'CREATE TABLE t(x);' | q "$T/other.db"
"$MANDAT" ingest --db "$T/other.db" corpus/004_f137dedce854ddd0.txt >/dev/null 2>"$T/err"
grep -q "not a mandat registry" "$T/err" && ok "another application's SQLite file: refused" ||
  notok "another application's SQLite file" "$(cat "$T/err")"
"$MANDAT" show --db "$T/none.db" A/RES/80/229 >/dev/null 2>"$T/err"
check "show without a registry: exit 1, no file created" "$?:$(grep -c 'no registry there' "$T/err"):$(ls "$T/none.db" 2>/dev/null)" "1:1:"
# Read-only: root ignores permissions, so the writer runs as nobody.
mkdir -p "$T/ro"
cp "$DB" "$T/ro/reg.db"
chmod 755 "$T" "$T/ro"
chmod 444 "$T/ro/reg.db"
if [ "$(id -u)" -ne 0 ] || setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  as_nobody() { if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi; }
  before=$(counts "$T/ro/reg.db")
  as_nobody "$MANDAT" ingest --db "$T/ro/reg.db" "$T/mixed/001_prose.txt" corpus/004_f137dedce854ddd0.txt "$T/v/doc.txt" \
    >"$T/out" 2>"$T/err"
  rc=$?
  [ "$rc" -ne 0 ] && grep -q "^mandat: $T/ro/reg.db: .*\(readonly\|read-only\|unable to open\)" "$T/err" &&
    ok "read-only database: clear error ($(grep "ro/reg.db" "$T/err" | head -1))" || notok "read-only database" "rc $rc: $(cat "$T/err")"
  check "read-only database: nothing lost" "$(counts "$T/ro/reg.db"):$(q "$T/ro/reg.db" 'PRAGMA integrity_check')" "$before:ok"
  as_nobody "$MANDAT" show --db "$T/ro/reg.db" A/RES/80/229 OP3 >"$T/out" 2>"$T/err"
  check "read-only database: still readable by show" "$?:$(grep -c '^OP3 ' "$T/out")" "0:1"
else
  skip "read-only database" "cannot drop root privileges (setpriv)"
fi

# --- a full disk -------------------------------------------------------------------------
# (512k: the empty schema of version 2 and the 2011 draft fit, not the 2025 resolution as well)
mkdir -p "$T/full"
if mount -t tmpfs -o size=512k tmpfs "$T/full" 2>/dev/null; then
  MNT=$T/full
  "$MANDAT" ingest --db "$T/full/reg.db" corpus/004_f137dedce854ddd0.txt >/dev/null 2>&1
  before=$(counts "$T/full/reg.db")
  "$MANDAT" ingest --db "$T/full/reg.db" corpus/000_fddacb455b7ac21b.txt corpus/001_b88bee2951a23392.txt >"$T/out" 2>"$T/err"
  rc=$?
  [ "$rc" -ne 0 ] && grep -q "^mandat: $T/full/reg.db: database or disk is full" "$T/err" &&
    ok "full disk: clear error ($(head -1 "$T/err"))" || notok "full disk: clear error" "rc $rc: $(cat "$T/err")"
  check "full disk: nothing lost, nothing half-written" "$(counts "$T/full/reg.db"):$(q "$T/full/reg.db" 'PRAGMA integrity_check')" "$before:ok"
  mount -o remount,size=20m "$T/full"
  "$MANDAT" ingest --db "$T/full/reg.db" corpus/000_fddacb455b7ac21b.txt corpus/001_b88bee2951a23392.txt >/dev/null 2>&1
  check "full disk: with room again, the ingest completes" "$?:$(q "$T/full/reg.db" 'SELECT count(*) FROM documents')" "0:3"
  umount "$T/full" && MNT=""
else
  skip "full disk" "cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN)"
fi

# --- kill -9 during an ingest, 20 times ---------------------------------------------------------
# 60 files: corpus copies made distinct by trailing blank lines (same parse, new hash).
mkdir -p "$T/many"
i=0
while [ $i -lt 12 ]; do
  for f in $CORPUS; do
    b=$(basename "$f" .txt)
    { cat "$f"; j=0; while [ $j -le $i ]; do echo; j=$((j + 1)); done; } >"$T/many/${b}_$i.txt"
  done
  i=$((i + 1))
done
KDB=$T/kill.db
bad=0
round=1
while [ $round -le 20 ]; do
  "$MANDAT" ingest --quiet --db "$KDB" "$T/many" >/dev/null 2>&1 &
  pid=$!
  # a random moment within the first ~2 s of the run
  sleep "0.$(od -An -N2 -tu2 /dev/urandom | awk '{ printf "%03d", $1 % 1000 }')"
  [ $((round % 4)) -eq 0 ] && sleep 1
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  # a kill before the schema's transaction commits leaves a registry with no table at
  # all (nothing half-written): only a registry that has its schema is checked further
  if [ -f "$KDB" ] && [ "$(q "$KDB" "SELECT count(*) FROM sqlite_master WHERE name = 'documents'" 2>&1)" = 0 ]; then
    tables=$(q "$KDB" "SELECT count(*) FROM sqlite_master" 2>&1)
    if [ "$tables" != 0 ]; then
      bad=$((bad + 1))
      echo "# round $round: a schema without its documents table ($tables objects)"
    fi
  elif [ -f "$KDB" ]; then
    ic=$(q "$KDB" 'PRAGMA integrity_check' 2>&1)
    # every stored document holds exactly what a fresh parse gives its original
    wrong=$(q "$KDB" "SELECT d.file, (SELECT count(*) FROM entities e WHERE e.document_id = d.id),
      (SELECT count(*) FROM entities e JOIN paragraphs p ON p.entity_id = e.id WHERE e.document_id = d.id),
      (SELECT count(*) FROM entities e JOIN paragraphs p ON p.entity_id = e.id JOIN clauses c ON c.paragraph_id = p.id
        WHERE e.document_id = d.id) FROM documents d" 2>&1 | tr '|' ' ' |
      awk 'NR == FNR { n = split($1, a, "/"); sub(/\.txt$/, "", a[n]); want[a[n]] = $2 " " $3 " " $4; next }
           { n = split($1, a, "/"); b = a[n]; sub(/_[0-9]+\.txt$/, "", b);
             if (want[b] != $2 " " $3 " " $4) print $0 " (want " want[b] ")" }' "$T/expected" -)
    fts=$(q "$KDB" 'SELECT (SELECT count(*) FROM paragraphs_fts_docsize) = (SELECT count(*) FROM paragraphs)')
    if [ "$ic" != ok ] || [ -n "$wrong" ] || [ "$fts" != 1 ]; then
      bad=$((bad + 1))
      echo "# round $round: integrity '$ic', fts in step '$fts', partial documents: $wrong"
    fi
  fi
  round=$((round + 1))
done
check "kill -9 at random moments, 20 rounds: integrity ok, only whole documents, FTS in step" "$bad" 0
"$MANDAT" ingest --db "$KDB" "$T/many" >"$T/out" 2>&1
check "after the kills, a re-run completes with all 60 files" \
  "$?:$(q "$KDB" 'SELECT count(*) FROM documents'):$(q "$KDB" 'PRAGMA integrity_check')" "0:60:ok"

# --- SQL injection in every filter -------------------------------------------------------------
tables=$(q "$DB" "SELECT count(*) FROM sqlite_master WHERE type = 'table'")
before=$(counts "$DB")
for evil in "A/RES/80/229' OR 1=1 --" "'; DROP TABLE documents; --" '" OR ""="' "x') UNION SELECT sql FROM sqlite_master --"; do
  for args in "show|S" "show|A/RES/80/229|S" "cites|S" "stats|--symbol|S" "stats|--organ|S" "stats|--year|S" \
    "stats|--since|S"; do
    set -f
    oldifs=$IFS
    IFS='|'
    set -- $args
    IFS=$oldifs
    set +f
    cmd=$1
    shift
    a1=${1:-}
    a2=${2:-}
    [ "$a1" = S ] && a1=$evil
    [ "$a2" = S ] && a2=$evil
    if [ -n "$a2" ]; then "$MANDAT" "$cmd" --db "$DB" "$a1" "$a2" >"$T/out" 2>"$T/err"; else "$MANDAT" "$cmd" --db "$DB" "$a1" >"$T/out" 2>"$T/err"; fi
    rc=$?
    what="$(echo "$args" | tr '|' ' ' | sed 's/ S$/ EVIL/; s/ S / EVIL /') with EVIL = $evil"
    # the message, without the echoed input, must not be an SQL error
    msg=$(awk -v e="$evil" '{ while ((i = index($0, e)) > 0) $0 = substr($0, 1, i - 1) "EVIL" substr($0, i + length(e)); print }' "$T/err")
    if [ "$rc" -ne 1 ] && [ "$rc" -ne 2 ]; then notok "injection: $what" "exit $rc"
    elif [ -s "$T/out" ]; then notok "injection: $what" "rows on stdout"
    elif [ "$(wc -l <"$T/err")" -ne 1 ] || echo "$msg" | grep -qi "sql\|syntax\|near \""; then notok "injection: $what" "$msg"
    else ok "injection: $what: no rows, clean message ($msg)"
    fi
  done
done
check "after the injection attempts: tables and rows intact" "$(q "$DB" "SELECT count(*) FROM sqlite_master WHERE type = 'table'") $(counts "$DB")" "$tables $before"

# --- queries ---------------------------------------------------------------------------------
"$MANDAT" show --db "$DB" A/RES/80/229 OP3 >"$T/out" 2>&1
grep -q "^OP3  corpus/000_fddacb455b7ac21b.txt:298" "$T/out" && grep -q "addressee: unodc" "$T/out" &&
  ok "show OP3: file:line, clauses and addressees" || notok "show OP3" "$(head -5 "$T/out")"
"$MANDAT" show --db "$DB" --json A/RES/80/229 >"$T/out" 2>&1
check "show --json: the whole resolution, valid JSON" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
e = d["entities"][0]
print(len(e["preamble"]), len(e["operative"]), sum(len(p["clauses"]) for p in e["operative"]), len(e["citations"]))' "$T/out")" \
  "$("$MANDAT" parse --json corpus/000_fddacb455b7ac21b.txt | python3 -c '
import json, sys
e = json.load(sys.stdin)["entities"][0]
print(len(e["preamble"]), len(e["operative"]), sum(len(p["clauses"]) for p in e["operative"]), len(e["citations"]))')"
"$MANDAT" show --db "$DB" A/RES/80/229 OP9999 >"$T/out" 2>"$T/err"
check "show of a missing paragraph: exit 1, message" "$?:$(cat "$T/err")" "1:mandat: A/RES/80/229 has no paragraph OP9999"
"$MANDAT" show --db "$DB" A/RES/80/229 XY3 >/dev/null 2>&1
check "show of a malformed reference: usage error" "$?" 2
"$MANDAT" cites --db "$DB" A/RES/71/209 >"$T/out" 2>&1
grep -q "A/RES/80/229 .*PP1 .*«71/209».*corpus/000_fddacb455b7ac21b.txt:" "$T/out" &&
  ok "cites: A/RES/80/229 cites A/RES/71/209, with file:line" || notok "cites" "$(head -3 "$T/out")"
"$MANDAT" cites --db "$DB" --json A/RES/80/229 | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d["cites"]) > 100 and any(c["symbol"] == "A/RES/71/209" and c["in_registry"] for c in d["cites"])' 2>/dev/null &&
  ok "cites --json: what it cites, marked when in the registry" || notok "cites --json"
"$MANDAT" stats --db "$DB" --json >"$T/out" 2>&1
check "stats --json: totals and breakdowns" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["entities"], d["clauses"], sorted(d)[:4], sum(x["count"] for x in d["by_organ"]))' "$T/out")" \
  "$(q "$DB" "SELECT count(*) FROM entities e JOIN documents d ON d.id = e.document_id WHERE d.current = 1") $(q "$DB" "SELECT count(*) FROM clauses c JOIN paragraphs p ON p.id = c.paragraph_id JOIN entities e ON e.id = p.entity_id JOIN documents d ON d.id = e.document_id WHERE d.current = 1") ['by_addressee', 'by_force', 'by_organ', 'by_year'] $(q "$DB" "SELECT count(*) FROM entities e JOIN documents d ON d.id = e.document_id WHERE d.current = 1")"
check "stats --organ ECOSOC --year 2021" "$("$MANDAT" stats --db "$DB" --organ ECOSOC --year 2021 | awk '$1 == "entities" { print $2 }')" 1

# progress bar on a terminal (script(1) gives the command a pty)
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
  script -qec "'$MANDAT' ingest --db '$T/tty.db' $(echo $CORPUS)" /dev/null >"$T/out" 2>&1
  grep -q "5/5 files \[#*\] 100%.*MB/s" "$T/out" && ok "progress bar on a terminal" || notok "progress bar on a terminal" "$(tr '\r' '\n' <"$T/out" | head -3)"
else
  skip "progress bar on a terminal" "no script(1) or no pseudo-terminal here (/dev/pts)"
fi

# --- mandates filters and the FTS index, through the C API ----------------------------------------
if [ -z "$STORE_QUERY" ] &&
  sh "$ROOT/tests/build_test.sh" "$MANDAT" tests/store_query.c "$T/store_query" 2>"$T/cc"; then
  STORE_QUERY=$T/store_query
fi
if [ -n "$STORE_QUERY" ]; then
  cp "$DB" "$T/q.db"
  "$STORE_QUERY" "$T/q.db" >"$T/sq" 2>&1
  cat "$T/sq" | sed '$d' | sed 's/^\(not \)\{0,1\}ok - /&store_query: /'
  p=$(tail -n 1 "$T/sq" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
  f=$(tail -n 1 "$T/sq" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
  if [ -z "$p" ]; then notok "store_query" "no summary: $(tail -n 3 "$T/sq")"; else pass=$((pass + p)); fail=$((fail + f)); fi
else
  notok "store_query: cannot build tests/store_query.c" "$(head -3 "$T/cc" 2>/dev/null)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
