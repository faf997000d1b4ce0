#!/bin/sh
# cli.sh MANDAT: the command line against bad, odd and pathological inputs, through the
# real binary.  Prints "ok"/"not ok" per check and ends with "N passed, N failed".
# Every bad input must give: a non-zero exit, exactly one line on stderr naming the
# file, and nothing on stdout with --json.
set -u
MANDAT=${1:-./mandat}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
notok() { fail=$((fail + 1)); echo "not ok - $1${2:+ ($2)}"; }

C0="$ROOT/corpus/000_fddacb455b7ac21b.txt"

# bad FILE DESC [TIMEOUT]: FILE must be refused cleanly.
bad() {
  f=$1 desc=$2 lim=${3:-20}
  timeout "$lim" "$MANDAT" parse --json "$f" >"$T/out" 2>"$T/err"
  rc=$?
  nerr=$(wc -l <"$T/err")
  if [ "$rc" -eq 124 ]; then notok "$desc: refused" "timed out after ${lim}s"
  elif [ "$rc" -eq 0 ]; then notok "$desc: refused" "exit status 0"
  elif [ "$rc" -gt 128 ]; then notok "$desc: refused" "killed by signal $((rc - 128))"
  elif [ -s "$T/out" ]; then notok "$desc: refused" "output on stdout"
  elif [ "$nerr" -ne 1 ]; then notok "$desc: refused" "$nerr lines on stderr"
  elif ! grep -qF -- "$f" "$T/err"; then notok "$desc: refused" "stderr does not name the file: $(cat "$T/err")"
  else ok "$desc: refused ($(cut -c1-100 "$T/err"))"
  fi
}

# --- bad inputs ------------------------------------------------------------------
: >"$T/empty.txt"
bad "$T/empty.txt" "empty file"
printf '  \n\n\t \r\n   \n' >"$T/blank.txt"
bad "$T/blank.txt" "whitespace-only file"
head -c 4096 /bin/ls >"$T/binary.txt"
bad "$T/binary.txt" "binary file"
printf 'L\047Assembl\303\251e g\303\251n\303\251rale,\n\nRappelant \377\376 sa r\351solution,\n' >"$T/latin1.txt"
bad "$T/latin1.txt" "invalid UTF-8"
bad "$ROOT/corpus/README.md" "text with no resolution (corpus/README.md)"
head -n 60 "$C0" >"$T/truncated.txt"
bad "$T/truncated.txt" "truncated resolution (first 60 lines of 000)"
bad "$ROOT/tests/data/pdf/notapdf.pdf" "a .pdf that is not a PDF"
bad "$ROOT/tests/data/pdf/truncated.pdf" "truncated PDF"
bad "$ROOT/tests/data/html/broken.html" "HTML with invalid UTF-8"
# A large text (over 4 MB) is checked and hashed on a second thread while it is
# cleaned: a bad byte far into it must still be found, on its own line, and the hash
# must be the file's.
for i in $(seq 40); do cat "$C0"; done >"$T/large.txt" # 4.8 MB
lines=$(wc -l <"$T/large.txt")
{ cat "$T/large.txt"; printf 'Rappelant \377 sa r\303\251solution,\n'; cat "$T/large.txt"; } >"$T/large-latin1.txt"
bad "$T/large-latin1.txt" "invalid UTF-8 in a 10 MB file"
if grep -q "invalid UTF-8 at line $((lines + 1))\$" "$T/err"; then ok "the bad byte of a 10 MB file on its line ($((lines + 1)))"
else notok "the bad byte of a 10 MB file on its line" "want line $((lines + 1)): $(cat "$T/err")"; fi
{ cat "$T/large.txt"; cat "$T/large.txt"; printf 'Rappelant sa \001 r\303\251solution,\n'; } >"$T/large-binary.txt"
bad "$T/large-binary.txt" "a control byte at the end of a 10 MB file"
if grep -q ":$((2 * lines + 1)): binary data" "$T/err"; then ok "the control byte of a 10 MB file on its line ($((2 * lines + 1)))"
else notok "the control byte of a 10 MB file on its line" "want line $((2 * lines + 1)): $(cat "$T/err")"; fi
# a large file read in two steps: the first megabyte by the caller (here all blank,
# so the whole file is read before parsing), the rest by the check thread
{ awk 'BEGIN { for (i = 0; i < 1100000; i++) print "" }'; cat "$T/large.txt"; } >"$T/large-blank-first.txt"
got=$("$MANDAT" parse --json "$T/large-blank-first.txt" | python3 -c 'import json, sys
e = json.load(sys.stdin)["entities"]; print(len(e), e[0]["lines"], e[-1]["lines"])')
want="40 [1100005, 1100509] [$((1100000 + lines - 509 + 5)), $((1100000 + lines))]"
if [ "$got" = "$want" ]; then ok "a 6 MB file opening with 1.1 MB of blank lines: 40 resolutions on their lines"
else notok "a 6 MB file opening with 1.1 MB of blank lines" "got $got, want $want"; fi
want=$(sha256sum "$T/large.txt" | cut -c1-64)
got=$("$MANDAT" parse --json "$T/large.txt" | python3 -c 'import json, sys; print(json.load(sys.stdin)["source"]["sha256"])')
if [ "$got" = "$want" ]; then ok "the hash of a 5 MB file is its SHA-256"
else notok "the hash of a 5 MB file is its SHA-256" "got $got, want $want"; fi
bad "$T/does-not-exist.txt" "missing file"
mkdir -p "$T/adir"
bad "$T/adir" "a directory"

# A 50 MB file of one line (a corpus line repeated), under a time limit.
line=$(sed -n 24p "$C0")
i=0
: >"$T/one.txt"
while [ $i -lt 64 ]; do printf '%s ' "$line" >>"$T/one.txt"; i=$((i + 1)); done
while [ "$(wc -c <"$T/one.txt")" -lt 50000000 ]; do cat "$T/one.txt" "$T/one.txt" >"$T/two.txt"; mv "$T/two.txt" "$T/one.txt"; done
head -c 50000000 "$T/one.txt" >"$T/big.txt"
rm -f "$T/one.txt"
bad "$T/big.txt" "50 MB single-line file" 20
rm -f "$T/big.txt"

# Unknown option: usage error, one line on stderr, nothing on stdout.
"$MANDAT" parse --frobnicate "$C0" >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -ne 0 ] && [ ! -s "$T/out" ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q -- --frobnicate "$T/err"; then
  ok "unknown option: usage error ($(cat "$T/err"))"
else notok "unknown option: usage error" "rc=$rc"; fi
"$MANDAT" parse >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -ne 0 ] && [ ! -s "$T/out" ] && [ "$(wc -l <"$T/err")" -eq 1 ]; then ok "no file: usage error"
else notok "no file: usage error" "rc=$rc"; fi
"$MANDAT" frobnicate >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -ne 0 ] && [ ! -s "$T/out" ] && [ "$(wc -l <"$T/err")" -eq 1 ]; then ok "unknown command: usage error"
else notok "unknown command: usage error" "rc=$rc"; fi

# One bad file among good ones: the good ones still print, exit non-zero.
"$MANDAT" parse --json "$ROOT/corpus/000_fddacb455b7ac21b.txt" "$T/empty.txt" \
  "$ROOT/corpus/002_6baa116d527fb12c.txt" "$ROOT/corpus/004_f137dedce854ddd0.txt" >"$T/out" 2>"$T/err"
rc=$?
n=$(wc -l <"$T/out")
if [ $rc -ne 0 ] && [ "$n" -eq 3 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q empty.txt "$T/err" &&
  [ "$(grep -c '^{"schema":"mandat.parse/1"' "$T/out")" -eq 3 ]; then
  ok "one bad file among three good ones: 3 JSON lines, 1 error line, exit $rc"
else notok "one bad file among three good ones" "rc=$rc, $n JSON lines"; fi

# --- a file of many groups, handed over group by group ---------------------------------
# `parse` renders each root entity with the entities nested in it as soon as it is
# built; a file made of three corpus files (003 holds a root with two nested
# entities) must give exactly the entities of the three files parsed apart: ids go on
# counting, parents point into the same group, line numbers are shifted by the lines
# of the files before.
# (awk ends a last line that has no newline, as a line of its own file)
awk 1 "$ROOT/corpus/002_6baa116d527fb12c.txt" "$ROOT/corpus/003_469ba701f917d0c9.txt" \
  "$ROOT/corpus/000_fddacb455b7ac21b.txt" >"$T/three.txt"
for f in 002_6baa116d527fb12c 003_469ba701f917d0c9 000_fddacb455b7ac21b; do
  "$MANDAT" parse --json "$ROOT/corpus/$f.txt"
done >"$T/apart.json" 2>/dev/null
"$MANDAT" parse --json "$T/three.txt" >"$T/three.json" 2>"$T/err"
rc=$?
if why=$(python3 -c 'import json, sys
apart = [json.loads(l) for l in open(sys.argv[1])]
whole = json.load(open(sys.argv[2]))
want, shift, base = [], 0, 0
def moved(x, d):
    if isinstance(x, dict):
        return {k: ([v[0] + d, v[1] + d] if k == "lines" else moved(v, d)) for k, v in x.items()}
    if isinstance(x, list):
        return [moved(v, d) for v in x]
    return x
for doc in apart:
    ids = {e["id"]: "R%d" % (base + i + 1) for i, e in enumerate(doc["entities"])}
    for e in doc["entities"]:
        e = moved(e, shift)
        e["id"], e["parent"] = ids[e["id"]], ids.get(e["parent"])
        want.append(e)
    shift += doc["source"]["lines"]
    base += len(doc["entities"])
got = whole["entities"]
if len(got) != len(want):
    sys.exit("%d entities, want %d" % (len(got), len(want)))
for g, w in zip(got, want):
    if g != w:
        sys.exit("entity %s differs from %s of its own file" % (g["id"], w["id"]))
if not any(e["parent"] for e in got):
    sys.exit("no nested entity: the test lost its point")
' "$T/apart.json" "$T/three.json" 2>&1) && [ $rc -eq 0 ]; then
  ok "three files in one: the same entities as apart, ids and lines following on"
else notok "three files in one" "rc=$rc: $why"; fi

# --- fixtures that must parse ------------------------------------------------------
# counts "ENTITIES PREAMBLE OPERATIVE FOOTNOTES SYMBOL DATE" of entity R1, from the JSON
counts() {
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); e = d["entities"][0]
print(len(d["entities"]), len(e["preamble"]), len(e["operative"]), len(e["footnotes"]),
      json.dumps(e["symbol"]), json.dumps(e["adoption_date"]))' "$1"
}
fixture() {
  f=$1 want=$2
  "$MANDAT" parse --json "$f" >"$T/out" 2>"$T/err"
  rc=$?
  if [ $rc -ne 0 ]; then notok "$f parses" "exit $rc: $(cat "$T/err")"; return; fi
  got=$(counts "$T/out")
  if [ "$got" = "$want" ]; then ok "$(basename "$f"): entities/PP/OP/notes/symbol/date = $got"
  else notok "$(basename "$f"): entities/PP/OP/notes/symbol/date" "want $want, got $got"; fi
}
# resolution-fr.html: one resolution, <i>Réaffirmant</i> … <i>Soulignant</i> = 6
# preambular paragraphs, 1.-4. operative, notes 1-7 and 47-50 = 11 definitions.
fixture "$ROOT/tests/data/html/resolution-fr.html" '1 6 4 11 "A/RES/80/229" "2025-12-18"'
# resolution-fr.pdf (2 pages): Réaffirmant, Réaffirmant également (continued on page 2),
# Rappelant = 3 preambular; 1.-2. operative; notes 1-5 (page 1), 6, 7, 49, 50 (page 2) = 9.
# Known failure (parser): the PDF header lines come without blank lines and the agenda
# title swallows the adoption line and the title; the footnote numbers come on lines of
# their own, so no note is recognised.
fixture "$ROOT/tests/data/pdf/resolution-fr.pdf" '1 3 2 9 "A/RES/80/229" "2025-12-18"'

# --- pathological inputs under a time limit ------------------------------------------
patho() {
  f=$1 desc=$2
  timeout 10 "$MANDAT" parse --json "$f" >"$T/out" 2>"$T/err"
  rc=$?
  if [ $rc -eq 124 ]; then notok "$desc: within 10 s" "timed out"
  elif [ $rc -gt 128 ]; then notok "$desc: no crash" "signal $((rc - 128))"
  elif [ $rc -ne 0 ] && { [ -s "$T/out" ] || [ "$(wc -l <"$T/err")" -ne 1 ]; }; then
    notok "$desc: clean refusal" "rc=$rc, stdout $(wc -c <"$T/out") bytes, stderr $(wc -l <"$T/err") lines"
  elif [ $rc -eq 0 ] && [ "$(wc -l <"$T/out")" -ne 1 ]; then notok "$desc: one JSON line" "rc=0"
  else ok "$desc: exit $rc within 10 s"; fi
}
{
  echo '<!DOCTYPE html><html><body>'
  awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<div>"; print "L'\''Assemblée générale," }'
  echo '</body></html>'
} >"$T/deep.html"
patho "$T/deep.html" "HTML with 100000 nested <div>"
{
  printf "L'Assemblée générale,\n\nRappelant "
  awk 'BEGIN { for (i = 0; i < 100000; i++) printf "sa résolution 46/152, " }'
  printf "\n\n1. Prie le Secrétaire général de faire rapport ;\n"
} >"$T/megapara.txt"
patho "$T/megapara.txt" "a 2 MB preambular paragraph"
{
  printf "L'Assemblée générale,\n\n"
  awk 'BEGIN { for (i = 0; i < 200000; i++) print "1." }'
} >"$T/ones.txt"
patho "$T/ones.txt" "200000 lines of \"1.\""
{
  printf "L'Assemblée générale,\n\nRappelant sa résolution,\n\n"
  awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "%d. Prie le Secrétaire général ;\n", i }'
} >"$T/manyops.txt"
patho "$T/manyops.txt" "100000 operative paragraphs"
{
  printf "L'Assemblée générale,\n\nRappelant sa résolution¹,\n\n1. Prie le Secrétaire général ;\n"
  awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "__________________\n %d Note.\n", i }'
} >"$T/notes.txt"
patho "$T/notes.txt" "100000 footnote blocks"
awk 'BEGIN { for (i = 0; i < 200000; i++) print "a)" }' >"$T/subs.txt"
patho "$T/subs.txt" "200000 lines of \"a)\""
awk 'BEGIN { for (i = 0; i < 300000; i++) print "*[*^{<sup>" }' >"$T/markup.txt"
patho "$T/markup.txt" "300000 lines of unbalanced markup"

# --- regression files from fuzzing ----------------------------------------------------
for f in "$ROOT"/tests/fuzz/crashes/*; do
  [ -f "$f" ] || continue
  patho "$f" "fuzz regression $(basename "$f")"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
