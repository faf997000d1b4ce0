#!/bin/sh
# compare.sh MANDAT: tests of `mandat diff`, `mandat lineage` and `mandat duplicates`:
# the hand-checked alignment of A/RES/71/209 and A/RES/80/229 (tests/fixtures/
# align-002-000.tsv, precision and recall >= 0.95), the word diff (old and new texts
# rebuilt from its pieces), split, merge, force and condition changes on small
# resolutions, the outputs (colour, side by side, self-contained escaped HTML), lineage
# over the four versions in corpus/, and duplicates on a registry of the corpus.
# Prints "ok"/"not ok" lines and ends with "N passed, N failed".
set -u
MANDAT=${1:-./mandat}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
C=$ROOT/corpus
V2011=$C/004_f137dedce854ddd0.txt
V2016=$C/002_6baa116d527fb12c.txt
V2022=$C/001_b88bee2951a23392.txt
V2025=$C/000_fddacb455b7ac21b.txt
T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-compare.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
notok() { fail=$((fail + 1)); echo "not ok - $1"; [ $# -gt 1 ] && echo "#   $2"; }
check() { # check NAME COMMAND...: ok when the command succeeds
  name=$1
  shift
  if "$@" >"$T/out" 2>&1; then ok "$name"; else notok "$name" "$(head -c 400 "$T/out")"; fi
}

# A minimal resolution: header, the preambular lines in $2, the operative lines in $3.
mkres() {
  {
    printf "Assemblée générale\n\nRésolution adoptée par l'Assemblée générale le 19 décembre 2016\n\n"
    printf "71/999. Renforcement du programme des Nations Unies pour la prévention du crime et la justice pénale\n\n"
    printf "L'Assemblée générale,\n\n%s\n\n%s\n\n65e séance plénière\n19 décembre 2016\n" "$2" "$3"
  } >"$T/$1"
}

# --- the fixture: precision and recall of aligned operative pairs
"$MANDAT" diff --json "$V2016" "$V2025" >"$T/d.json" 2>"$T/err"
check "diff 2016 2025 --json is valid JSON" python3 -m json.tool "$T/d.json"
cat >"$T/pr.py" <<'PY'
import json, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
gold = {(o, n) for n, o, rel, _ in rows if rel == "pair"}
got = {(p["old"], p["new"]) for p in json.load(open(sys.argv[2]))["paragraphs"]
       if p["part"] == "operative" and p["old"] and p["new"]}
tp = len(gold & got)
p = tp / len(got) if got else 0
r = tp / len(gold)
print("precision %.3f recall %.3f (%d of %d found, %d proposed)" % (p, r, tp, len(gold), len(got)))
for x in sorted(got - gold): print("#   not in fixture:", x)
for x in sorted(gold - got): print("#   missed:", x)
sys.exit(0 if p >= 0.95 and r >= 0.95 else 1)
PY
if python3 "$T/pr.py" "$ROOT/tests/fixtures/align-002-000.tsv" "$T/d.json" >"$T/pr" 2>&1; then
  ok "fixture align-002-000: $(head -1 "$T/pr")"
else
  notok "fixture align-002-000 (>= 0.95)" "$(cat "$T/pr")"
fi
check "fixture has >= 40 pairs and lists every paragraph of both versions" python3 -c "
import sys
rows=[l.split('\t') for l in open('$ROOT/tests/fixtures/align-002-000.tsv') if l.strip() and not l.startswith('#')]
new=[r[0] for r in rows if r[0]!='-']; old=[r[1] for r in rows if r[1]!='-']
assert sum(r[2]=='pair' for r in rows)>=40
assert sorted(new)==sorted('OP%d'%i for i in range(1,80)), 'new'
assert sorted(old)==sorted('OP%d'%i for i in range(1,55)), 'old'
"
"$MANDAT" parse --json "$V2016" >"$T/p16.json" 2>/dev/null
"$MANDAT" parse --json "$V2025" >"$T/p25.json" 2>/dev/null
check "word diff rebuilds both texts of every changed paragraph" python3 -c "
import json
d=json.load(open('$T/d.json'))
def texts(f):
    e=json.load(open(f))['entities'][0]
    r={('preamble','PP%d'%p['n']):p['text'] for p in e['preamble']}
    r.update({('operative','OP'+p['number']):p['text'] for p in e['operative']})
    return r
a16=texts('$T/p16.json'); a25=texts('$T/p25.json')
n=0
for p in d['paragraphs']:
    if 'words' not in p: continue
    a=''.join(t for op,t in p['words'] if op!='+'); b=''.join(t for op,t in p['words'] if op!='-')
    assert a==a16[(p['part'],p['old'])], (p['old'], a)
    assert b==a25[(p['part'],p['new'])], (p['new'], b)
    n+=1
assert n>30, n
"
check "force change « Engage » → « Demande également » (OP36 ← OP26)" python3 -c "
import json
d=json.load(open('$T/d.json'))
assert any(c['kind']=='force_changed' and c['new']=='OP36' and c['old']=='OP26' for c in d['mandate_changes'])
"
check "reporting session changed (OP78 ← OP54: 72nd → 81st and 82nd)" python3 -c "
import json
d=json.load(open('$T/d.json'))
assert any(c['kind']=='reporting_changed' and c['new']=='OP78' for c in d['mandate_changes'])
"
check "mandates of added paragraphs are mandate_added" python3 -c "
import json
d=json.load(open('$T/d.json'))
assert any(c['kind']=='mandate_added' and c['new']=='OP77' for c in d['mandate_changes'])
assert any(c['kind']=='mandate_dropped' and c['old']=='OP17' for c in d['mandate_changes'])
"

# --- a version against itself
"$MANDAT" diff --json "$V2016" "$V2016" >"$T/same.json" 2>&1
check "a version against itself: all unchanged, no mandate change" python3 -c "
import json
d=json.load(open('$T/same.json'))
assert all(p['relation']=='unchanged' for p in d['paragraphs'])
assert d['mandate_changes']==[]
"

# --- small resolutions: split, merge, conditions, escaping
A="1. Prie le Secrétaire général de renforcer l'assistance technique aux États Membres qui en font la demande en matière de prévention du crime et de justice pénale, et de promouvoir la coopération régionale contre la traite des personnes et le trafic de migrants, dans la limite des ressources existantes ;"
B1="1. Prie le Secrétaire général de renforcer l'assistance technique aux États Membres qui en font la demande en matière de prévention du crime et de justice pénale ;"
B2="2. Prie également le Secrétaire général de promouvoir la coopération régionale contre la traite des personnes et le trafic de migrants ;"
P="Rappelant sa résolution 70/1 du 25 septembre 2015 sur le Programme de développement durable à l'horizon 2030 et la promotion de sociétés pacifiques R&D où x < y ouvertes à tous,"
mkres old.txt "$P" "$A
"
mkres new.txt "$P" "$B1

$B2"
"$MANDAT" diff --json "$T/old.txt" "$T/new.txt" >"$T/s.json" 2>&1
check "one paragraph becomes two: split" python3 -c "
import json
d=json.load(open('$T/s.json'))
ops=[p for p in d['paragraphs'] if p['part']=='operative']
assert [p['relation'] for p in ops]==['split','split'], [p['relation'] for p in ops]
"
check "condition « dans la limite des ressources existantes » dropped" python3 -c "
import json
d=json.load(open('$T/s.json'))
assert any(c['kind']=='condition_dropped' and 'ressources existantes' in c['from'] for c in d['mandate_changes']), d['mandate_changes']
"
"$MANDAT" diff --json "$T/new.txt" "$T/old.txt" >"$T/m.json" 2>&1
check "two paragraphs become one: merged" python3 -c "
import json
d=json.load(open('$T/m.json'))
ops=[p for p in d['paragraphs'] if p['part']=='operative']
assert [p['relation'] for p in ops]==['merged','merged'], [p['relation'] for p in ops]
assert any(c['kind']=='condition_added' for c in d['mandate_changes'])
"
"$MANDAT" diff --html "$T/old.txt" "$T/new.txt" >"$T/d.html" 2>&1
check "HTML: one page, no external resource, no script, text escaped" sh -c "
grep -q '^<!DOCTYPE html>' '$T/d.html' && ! grep -qiE '(src|href)=|<script|@import|url\\(' '$T/d.html' &&
grep -q 'R&amp;D où x &lt; y' '$T/d.html' && ! grep -q 'x < y' '$T/d.html'"
"$MANDAT" diff --color=never "$V2016" "$V2025" >"$T/plain" 2>&1
"$MANDAT" diff --color=always "$V2016" "$V2025" >"$T/color" 2>&1
check "--color=never has no escape, --color=always has" sh -c "! grep -q \"\$(printf '\\033')\" '$T/plain' && grep -q \"\$(printf '\\033')\" '$T/color' && grep -q '{+' '$T/plain'"
check "--side-by-side" sh -c "'$MANDAT' diff --side-by-side --width 120 --color=never '$V2016' '$V2025' | grep -q ' | '"
check "diff of 2022 picks draft VII (A/C.3/77/L.12/Rev.1) by title" sh -c "'$MANDAT' diff --color=never '$V2016' '$V2022' | head -1 | grep -q 'A/C.3/77/L.12/Rev.1'"
check "--entity R7 chooses it explicitly" sh -c "'$MANDAT' diff --new-entity R7 --color=never '$V2016' '$V2022' | head -1 | grep -q 'A/C.3/77/L.12/Rev.1'"
check "usage error: one file" sh -c "'$MANDAT' diff '$V2016'; [ \$? -eq 2 ]"
check "missing file or symbol: status 1" sh -c "MANDAT_DB='$T/none.db' '$MANDAT' diff '$V2016' /nonexistent; [ \$? -eq 1 ]"

# --- lineage
"$MANDAT" lineage --json "$V2011" "$V2016" "$V2022" "$V2025" >"$T/l.json" 2>&1
check "lineage over four versions --json" python3 -c "
import json
d=json.load(open('$T/l.json'))
assert len(d['versions'])==4
ps=d['paragraphs']; assert len(ps)==78+79
op={p['label']:p for p in ps if p['part']=='operative'}
assert op['OP1']['first']=='A/C.3/66/L.15', op['OP1']
assert op['OP22']['labels'][1]=='OP53' and op['OP22']['labels'][3]=='OP22', op['OP22']
assert op['OP79']['first']=='A/RES/80/229' or op['OP79']['labels'][2] is not None
gone=[m for m in d['mandates'] if not m['current']]
assert gone and all(m['last']!='A/RES/80/229' for m in gone)
"
check "lineage text and HTML" sh -c "'$MANDAT' lineage --color=never '$V2016' '$V2025' | grep -q '^OP78 ' && '$MANDAT' lineage --html '$V2016' '$V2025' | grep -q '</html>'"

# --- duplicates over a registry of the corpus
if "$MANDAT" ingest --db "$T/r.db" "$C"/*.txt >"$T/ing" 2>&1; then
  check "duplicates --json" sh -c "'$MANDAT' duplicates --db '$T/r.db' --json > '$T/dup.json' && python3 -m json.tool '$T/dup.json' >/dev/null"
  check "duplicates: ranked, above the threshold, never the same series" python3 -c "
import json
d=json.load(open('$T/dup.json'))['pairs']
s=[p['similarity'] for p in d]
assert s==sorted(s, reverse=True) and all(x>=0.7 for x in s)
assert not any(p['same_series'] for p in d)
"
  check "duplicates --series adds the versions of the programme resolution" sh -c "
    a=\$('$MANDAT' duplicates --db '$T/r.db' --csv 2>/dev/null | wc -l)
    b=\$('$MANDAT' duplicates --db '$T/r.db' --csv --series 2>/dev/null | wc -l)
    [ \$b -gt \$((a + 50)) ]"
  check "diff by symbol from the registry matches the fixture" sh -c "
    '$MANDAT' diff --db '$T/r.db' --json A/RES/71/209 A/RES/80/229 > '$T/ds.json' && python3 '$T/pr.py' '$ROOT/tests/fixtures/align-002-000.tsv' '$T/ds.json'"
else
  notok "ingest of the corpus for duplicates" "$(head -3 "$T/ing")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
