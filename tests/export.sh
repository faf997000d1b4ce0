#!/bin/sh
# export.sh MANDAT: tests of `mandat export` (docs/export.md) with the real binary on
# the bundled corpus: Akoma Ntoso well-formed and valid against the OASIS schema
# (tests/akn/, xmllint), unique eIds, AKN4UN FRBR URIs; CSV one row per mandate and
# RFC 4180 quoting; JSON identical to `mandat parse --json`, from files and from a
# registry built by `mandat ingest`.  Prints "ok"/"not ok" lines and ends with
# "N passed, N failed".  Needs xmllint (libxml2-utils) and python3.
set -u
MANDAT=${1:-./mandat}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
XSD="$ROOT/tests/akn/akomantoso30.xsd"
T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-export.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01: reproducible manifestation dates
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $*"; }
notok() { fail=$((fail + 1)); echo "not ok $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
  name=$1
  shift
  if "$@" >"$T/check.log" 2>&1; then ok "$name"; else notok "$name"; sed 's/^/#   /' "$T/check.log" | head -n 8; fi
}
cd "$ROOT" || exit 1
CORPUS=$(ls corpus/*.txt)
QUOTE=tests/data/export/quoting.txt

# ---------------------------------------------------------------- Akoma Ntoso
for f in $CORPUS; do
  b=$(basename "$f" .txt)
  mkdir -p "$T/akn/$b"
  check "akn $b: export succeeds" "$MANDAT" export --format akn --out "$T/akn/$b" "$f"
  for x in "$T/akn/$b"/*.xml; do
    n=$(basename "$x")
    check "akn $b/$n: well-formed" xmllint --noout --nonet "$x"
    check "akn $b/$n: valid against akomantoso30.xsd" xmllint --noout --nonet --schema "$XSD" "$x"
    check "akn $b/$n: eIds unique" sh -c \
      "xmllint --xpath '//@eId' '$x' | tr ' ' '\n' | grep . | sort | uniq -d | grep -q . && exit 1 || exit 0"
  done
done

# The paragraphs of A/RES/80/229 and its FRBR identification (AKN4UN URIs).
"$MANDAT" parse --json corpus/000_fddacb455b7ac21b.txt >"$T/000.json"
"$MANDAT" export --format akn --symbol A/RES/80/229 corpus/000_fddacb455b7ac21b.txt >"$T/80-229.xml"
xp() { xmllint --xpath "$1" "$2" 2>/dev/null; }
A='/*[local-name()="akomaNtoso"]/*[local-name()="statement"]'
ID="$A/*[local-name()=\"meta\"]/*[local-name()=\"identification\"]"
W='/akn/un/statement/deliberation/un-ga/2025-12-18/80-229'
check "akn 80/229: work FRBRthis $W/!main" test "$(xp "string($ID/*[local-name()='FRBRWork']/*[local-name()='FRBRthis']/@value)" "$T/80-229.xml")" = "$W/!main"
check "akn 80/229: work FRBRuri $W" test "$(xp "string($ID/*[local-name()='FRBRWork']/*[local-name()='FRBRuri']/@value)" "$T/80-229.xml")" = "$W"
check "akn 80/229: expression FRBRuri $W/fra@" test "$(xp "string($ID/*[local-name()='FRBRExpression']/*[local-name()='FRBRuri']/@value)" "$T/80-229.xml")" = "$W/fra@"
check "akn 80/229: FRBRdate 2025-12-18, author #ga, language fra" test \
  "$(xp "string($ID/*[local-name()='FRBRWork']/*[local-name()='FRBRdate']/@date)" "$T/80-229.xml")|$(xp "string($ID/*[local-name()='FRBRWork']/*[local-name()='FRBRauthor']/@href)" "$T/80-229.xml")|$(xp "string($ID/*[local-name()='FRBRExpression']/*[local-name()='FRBRlanguage']/@language)" "$T/80-229.xml")" = "2025-12-18|#ga|fra"
check "akn 80/229: TLCOrganization ga in references" test "$(xp "count(//*[local-name()='TLCOrganization'][@eId='ga'])" "$T/80-229.xml")" = 1
nop=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["entities"][0]["operative"]))' "$T/000.json")
npp=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["entities"][0]["preamble"]))' "$T/000.json")
check "akn 80/229: one <paragraph> per operative paragraph ($nop)" test "$(xp "count(//*[local-name()='mainBody']/*[local-name()='paragraph'])" "$T/80-229.xml")" = "$nop"
check "akn 80/229: one preamble container per preambular paragraph ($npp)" test "$(xp "count(//*[local-name()='preamble']/*[local-name()='container'][@name='preambularParagraph'])" "$T/80-229.xml")" = "$npp"
check "akn 80/229: para_1 holds <num>1.</num>" test "$(xp "string(//*[@eId='para_1']/*[local-name()='num'])" "$T/80-229.xml")" = "1."
check "akn 80/229: preamble__container_1 exists" test "$(xp "count(//*[@eId='preamble__container_1'])" "$T/80-229.xml")" = 1
nfn=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["entities"][0]; print(len({n for p in e["preamble"]+e["operative"] for n in p["notes"]}))' "$T/000.json")
check "akn 80/229: one authorialNote per footnote carried by a paragraph ($nfn)" test "$(xp "count(//*[local-name()='authorialNote'][not(ancestor::*[local-name()='preface'])])" "$T/80-229.xml")" = "$nfn"
check "akn 80/229: operative verbs marked with refersTo a TLCConcept" test "$(xp "string(//*[@eId='para_1']//*[local-name()='span']/@refersTo)" "$T/80-229.xml")" = "#acknowledgement"
"$MANDAT" export --format akn --symbol A/RES/71/209 corpus/002_6baa116d527fb12c.txt >"$T/71-209.xml"
check "akn 71/209: expression FRBRuri /akn/un/statement/deliberation/un-ga/2016-12-19/71-209/fra@" test \
  "$(xp "string($ID/*[local-name()='FRBRExpression']/*[local-name()='FRBRuri']/@value)" "$T/71-209.xml")" = "/akn/un/statement/deliberation/un-ga/2016-12-19/71-209/fra@"
# Sub-paragraphs: para_N__subpara_a under a paragraph with an intro.
"$MANDAT" export --format akn --symbol A/C.3/77/L.8/Rev.1 corpus/001_b88bee2951a23392.txt >"$T/l8.xml"
check "akn subparagraphs: para_6__subpara_a in A/C.3/77/L.8/Rev.1, after an intro" test \
  "$(xp "count(//*[@eId='para_6']/*[local-name()='intro'])" "$T/l8.xml")/$(xp "count(//*[@eId='para_6']/*[local-name()='subparagraph'][@eId='para_6__subpara_a'])" "$T/l8.xml")" = "1/1"
# Annexes become attachments with prefixed eIds (E/RES/2021/20 holds the Kyoto Declaration).
"$MANDAT" export --format akn corpus/003_469ba701f917d0c9.txt >"$T/003.xml"
check "akn annexes: attachment att_1 holds a nested statement, eIds prefixed" test \
  "$(xp "count(//*[@eId='att_1']/*[local-name()='statement'])" "$T/003.xml")/$(xp "count(//*[@eId='att_1__att_1__para_1'])" "$T/003.xml")" = "1/1"
check "akn: several documents to stdout is an error, with no output" sh -c \
  "! '$MANDAT' export --format akn corpus/001_b88bee2951a23392.txt >'$T/many.xml' 2>/dev/null && test ! -s '$T/many.xml'"

# ----------------------------------------------------------------------- CSV
"$MANDAT" parse --json $CORPUS $QUOTE >"$T/all.jsonl"
"$MANDAT" export --format csv $CORPUS $QUOTE >"$T/all.csv"
cat >"$T/csvcheck.py" <<'EOF'
# csvcheck.py JSONL CSV: the CSV has one row per mandate of the JSON, in order, with
# the contract's values; exits 1 with a reason otherwise.
import csv, json, sys
HEADER = ["symbol", "paragraph", "verb", "force", "addressees", "action", "conditions",
          "reporting_to", "reporting_session", "reporting_date", "file", "line"]
FORCES = {"request", "urge", "invitation", "recommendation"}
want = []
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    for e in d["entities"]:
        for p in e["operative"]:
            for c in p["clauses"]:
                if c["addressees"] or c["force"] in FORCES:
                    r = c["reporting"] or {}
                    want.append([e["symbol"] or "", "OP" + p["number"] if p["number"] else "OP(%d)" % p["n"],
                                 c["verb"], c["force"] or "",
                                 "; ".join(a["id"] or a["name"] or a["text"] for a in c["addressees"]),
                                 c["action"] or "", "; ".join(c["conditions"]), r.get("to") or "",
                                 r.get("session") or "", r.get("date") or "", d["source"]["file"],
                                 str(p["lines"][0])])
raw = open(sys.argv[2], "rb").read()
if raw.count(b"\n") != raw.count(b"\r\n"):
    sys.exit("line ends are not all CRLF")
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline="")))
if rows[0] != HEADER:
    sys.exit("header %r" % rows[0])
if len(rows) - 1 != len(want):
    sys.exit("%d rows, %d mandates in the JSON" % (len(rows) - 1, len(want)))
for i, (got, exp) in enumerate(zip(rows[1:], want)):
    if got != exp:
        sys.exit("row %d: %r != %r" % (i + 1, got, exp))
print("%d rows" % len(want))
EOF
check "csv: one row per mandate of the JSON, every field as in the contract, CRLF" python3 "$T/csvcheck.py" "$T/all.jsonl" "$T/all.csv"
check "csv: a field with a comma and quotes is quoted, quotes doubled (RFC 4180)" \
  grep -q ',"de publier, dans la limite des ressources existantes, le rapport intitulé ""Essai, deuxième partie"" et' "$T/all.csv"
nrows=$(($(wc -l <"$T/all.csv") - 1))
nmand=$(python3 -c 'import json,sys
print(sum(1 for l in open(sys.argv[1]) for e in json.loads(l)["entities"] for p in e["operative"] for c in p["clauses"] if c["addressees"] or c["force"] in ("request","urge","invitation","recommendation")))' "$T/all.jsonl")
check "csv: $nrows rows = $nmand mandates (addressees, or force request/urge/invitation/recommendation)" test "$nrows" = "$nmand"

# ---------------------------------------------------------------------- JSON
"$MANDAT" export --format json $CORPUS $QUOTE >"$T/export.jsonl"
check "json (files): identical to mandat parse --json" cmp "$T/all.jsonl" "$T/export.jsonl"
"$MANDAT" export --format json --symbol A/C.3/77/L.4 corpus/001_b88bee2951a23392.txt >"$T/l4.jsonl"
check "json --symbol: one document, the one entity" test \
  "$(python3 -c 'import json,sys; d=[json.loads(l) for l in open(sys.argv[1])]; print(len(d), [e["symbol"] for e in d[0]["entities"]])' "$T/l4.jsonl")" = "1 ['A/C.3/77/L.4']"

# ------------------------------------------------------------------ registry
DB="$T/reg.db"
if "${MANDAT_INGEST:-$MANDAT}" ingest --db "$DB" $CORPUS $QUOTE >"$T/ingest.log" 2>&1; then
  ok "registry: ingest of the corpus"
  "$MANDAT" export --format json --db "$DB" >"$T/reg.jsonl"
  cat >"$T/same.py" <<'EOF'
# same.py A B: the same documents (by source.file), equal on every field of the contract.
import json, sys
a = {json.loads(l)["source"]["file"]: json.loads(l) for l in open(sys.argv[1])}
b = {json.loads(l)["source"]["file"]: json.loads(l) for l in open(sys.argv[2])}
if sorted(a) != sorted(b):
    sys.exit("documents differ: %r vs %r" % (sorted(a), sorted(b)))
for f in a:
    if a[f] != b[f]:
        sys.exit("%s differs" % f)
EOF
  check "registry json: every document equal to mandat parse --json" python3 "$T/same.py" "$T/reg.jsonl" "$T/all.jsonl"
  "$MANDAT" export --format csv --db "$DB" >"$T/reg.csv"
  check "registry csv: the same rows as from the files" python3 "$T/csvcheck.py" "$T/all.jsonl" "$T/reg.csv"
  "$MANDAT" export --format akn --symbol A/RES/80/229 --db "$DB" >"$T/reg-80-229.xml"
  check "registry akn: A/RES/80/229 identical to the file export" cmp "$T/80-229.xml" "$T/reg-80-229.xml"
  mkdir -p "$T/regakn"
  "$MANDAT" export --format akn --out "$T/regakn" --db "$DB"
  ntop=$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) for e in json.loads(l)["entities"] if e["parent"] is None))' "$T/all.jsonl")
  check "registry akn: one file per top-level entity ($ntop), all valid" sh -c \
    "test \$(ls '$T/regakn' | wc -l) = $ntop && xmllint --noout --nonet --schema '$XSD' '$T'/regakn/*.xml"
  check "registry --symbol unknown: exit 1, no output" sh -c \
    "! '$MANDAT' export --format json --symbol A/RES/1/1 --db '$DB' >'$T/none' 2>/dev/null && test ! -s '$T/none'"
else
  notok "registry: ingest of the corpus"
  sed 's/^/#   /' "$T/ingest.log" | head -n 5
fi
check "registry: a missing database is a clear error (exit 1), never created" sh -c \
  "! '$MANDAT' export --format json --db '$T/missing.db' 2>'$T/err' && grep -q 'cannot open the registry' '$T/err' && test ! -e '$T/missing.db'"
check "usage: unknown format gives exit 2" sh -c "'$MANDAT' export --format pdf corpus/000_fddacb455b7ac21b.txt 2>/dev/null; test \$? = 2"
check "usage: --format is required" sh -c "'$MANDAT' export corpus/000_fddacb455b7ac21b.txt 2>/dev/null; test \$? = 2"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
