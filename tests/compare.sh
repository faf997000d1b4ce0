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
  # the same paragraph word for word in three resolutions of unrelated titles, and a
  # near copy in a fourth: one identical group (3 paragraphs, 3 entities), not 3 pairs
  SHARED="Prie l'Office des Nations Unies contre la drogue et le crime de continuer à fournir une assistance technique aux États Membres qui en font la demande pour lutter contre la piraterie maritime et les vols à main armée"
  for i in 1 2 3 4; do
    t=$(echo "Sécurité routière mondiale|Pêche durable et aquaculture|Jeunesse et sport pour la paix|Patrimoine culturel subaquatique" | cut -d'|' -f$i)
    txt=$SHARED; [ $i = 4 ] && txt="$SHARED en mer"
    printf "Assemblée générale\n\nRésolution adoptée par l'Assemblée générale le 19 décembre 2016\n\n71/99%d. %s\n\nL'Assemblée générale,\n\nRappelant sa résolution 70/1 du 25 septembre 2015 et la résolution %d sur un sujet sans aucun rapport avec les autres textes de ce test,\n\n1. %s ;\n\n2. Décide de poursuivre l'examen de la question numéro %d à sa prochaine session.\n\n65e séance plénière\n19 décembre 2016\n" $i "$t" $i "$txt" $i >"$T/g$i.txt"
  done
  "$MANDAT" ingest --db "$T/g.db" "$T"/g?.txt >/dev/null 2>&1
  "$MANDAT" duplicates --db "$T/g.db" --json >"$T/g.json" 2>"$T/g.err"
  check "duplicates: identical texts merged, one row per group with its count ($(cat "$T/g.err"))" python3 -c "
import json
d=json.load(open('$T/g.json'))['pairs']
ident=[p for p in d if p['identical']]
assert len(ident)==1 and ident[0]['paragraphs']==3 and ident[0]['entities']==3, d
near=[p for p in d if not p['identical'] and 'piraterie' in p['a']['text'] + p['b']['text']]
assert len(near)==1 and near[0]['copies'] in ([3,1],[1,3]) and 0.7<=near[0]['similarity']<1, near
"
  check "diff by symbol from the registry matches the fixture" sh -c "
    '$MANDAT' diff --db '$T/r.db' --json A/RES/71/209 A/RES/80/229 > '$T/ds.json' && python3 '$T/pr.py' '$ROOT/tests/fixtures/align-002-000.tsv' '$T/ds.json'"
else
  notok "ingest of the corpus for duplicates" "$(head -3 "$T/ing")"
fi

# --- the alignment stored at ingest: show … --history (schema version 2)
# Versions ingested out of order, one file at a time: 2025, 2011, 2016 first (the
# stored 2016 → 2025 links must match the hand-checked fixture), then 2022, which
# goes between 2016 and 2025 and replaces their direct link.
cat >"$T/links.py" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
links = {}
for f, t in db.execute("SELECT from_paragraph, to_paragraph FROM paragraph_links"): links.setdefault(f, []).append(t)
ref = {i: (e, 'OP' + (num or str(n))) for i, e, num, n in db.execute(
    "SELECT p.id, e.symbol, p.number, p.n FROM paragraphs p JOIN entities e ON e.id = p.entity_id WHERE p.kind = 'operative'")}
got = set()  # operative pairs 2016 -> 2025, through any version in between
for pid, (e, r) in ref.items():
    if e != 'A/RES/71/209': continue
    frontier = [pid]
    while frontier:
        nxt = [t for f in frontier for t in links.get(f, []) if t in ref]
        got |= {(r, ref[t][1]) for t in nxt if ref[t][0] == 'A/RES/80/229'}
        frontier = [t for t in nxt if ref[t][0] != 'A/RES/80/229']
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip() and not l.startswith("#")]
gold = {(o, n) for n, o, rel, _ in rows if rel == "pair"}
tp = len(gold & got)
p, r = tp / max(len(got), 1), tp / len(gold)
print("precision %.3f recall %.3f (%d of %d, %d proposed)" % (p, r, tp, len(gold), len(got)))
sys.exit(0 if p >= float(sys.argv[3]) and r >= 0.95 else 1)
PY
H=$T/h.db
for f in "$V2025" "$V2011" "$V2016"; do "$MANDAT" ingest --db "$H" "$f" >/dev/null 2>&1; done
check "stored links 2016 → 2025 = the fixture (>= 0.95): $(python3 "$T/links.py" "$H" "$ROOT/tests/fixtures/align-002-000.tsv" 0.95 2>&1 | head -1)" \
  python3 "$T/links.py" "$H" "$ROOT/tests/fixtures/align-002-000.tsv" 0.95
check "series linked by date, not by ingest order: 2011 → 2016 → 2025" sh -c "
  [ \"\$(sqlite3 '$H' \"SELECT group_concat(a.symbol || '>' || b.symbol, ' ') FROM (SELECT * FROM entity_links ORDER BY 1, 2) l
     JOIN entities a ON a.id = l.from_entity JOIN entities b ON b.id = l.to_entity\")\" = 'A/C.3/66/L.15>A/RES/71/209 A/RES/71/209>A/RES/80/229' ]"
cp "$H" "$T/h3.db"
"$MANDAT" ingest --db "$H" "$V2022" >/dev/null 2>&1
check "2022 ingested last goes between 2016 and 2025; the direct link goes" sh -c "
  [ \"\$(sqlite3 '$H' \"SELECT count(*) FROM entity_links l JOIN entities a ON a.id = l.from_entity
     JOIN entities b ON b.id = l.to_entity WHERE a.symbol = 'A/RES/71/209' AND b.symbol = 'A/RES/80/229'\")\" = 0 ] &&
  [ \"\$(sqlite3 '$H' 'SELECT count(*) FROM entity_links')\" = 3 ]"
check "through 2022, the 2016 → 2025 chains still match the fixture (>= 0.95 recall, >= 0.9 precision): $(python3 "$T/links.py" "$H" "$ROOT/tests/fixtures/align-002-000.tsv" 0.9 2>&1 | head -1)" \
  python3 "$T/links.py" "$H" "$ROOT/tests/fixtures/align-002-000.tsv" 0.9
H2=$T/h2.db
"$MANDAT" ingest --db "$H2" "$V2011" "$V2016" "$V2022" "$V2025" >/dev/null 2>&1
links_of() { sqlite3 "$1" "SELECT a.symbol || ' ' || CASE pa.kind WHEN 'preamble' THEN 'PP' || pa.n ELSE 'OP' || pa.number END
  || ' > ' || b.symbol || ' ' || CASE pb.kind WHEN 'preamble' THEN 'PP' || pb.n ELSE 'OP' || pb.number END || ' ' || l.relation
  FROM paragraph_links l JOIN paragraphs pa ON pa.id = l.from_paragraph JOIN paragraphs pb ON pb.id = l.to_paragraph
  JOIN entities a ON a.id = pa.entity_id JOIN entities b ON b.id = pb.entity_id ORDER BY 1"; }
links_of "$H" >"$T/l1"
links_of "$H2" >"$T/l2"
check "same links whatever the ingest order ($(wc -l <"$T/l1") paragraph links)" sh -c "[ -s '$T/l1' ] && cmp -s '$T/l1' '$T/l2'"
"$MANDAT" show --db "$H" --json A/RES/80/229 OP3 --history >"$T/h3.json" 2>&1
# Read in the texts: 2025 OP3 asks Member States to take the Kyoto Declaration (14th
# Congress) into account; 2022 OP3 says the same; 2016 OP3 asked it for the Doha
# Declaration (13th Congress).  The 2011 draft has no such operative paragraph (the
# 12th Congress appears only in its PP7), so the chain starts in 2016.
check "history of A/RES/80/229 OP3: 71/209 OP3 → L.12/Rev.1 OP3 → 80/229 OP3" python3 -c "
import json
d=json.load(open('$T/h3.json'))
assert d['schema']=='mandat.history/1'
v=[(x['symbol'],x['ref']) for x in d['versions']]
assert v==[('A/RES/71/209','OP3'),('A/C.3/77/L.12/Rev.1','OP3'),('A/RES/80/229','OP3')], v
assert 'Doha' in d['versions'][0]['text'] and 'Kyoto' in d['versions'][2]['text']
assert d['versions'][0]['relation'] is None and d['versions'][1]['relation']=='changed'
assert '[-Doha' in d['versions'][1]['diff'] and '{+Kyoto' in d['versions'][1]['diff']
"
# 2025 OP5 (ratify the Convention against Transnational Organized Crime) goes back to
# 2011 OP4 « Exhorte les États Membres qui ne l'ont pas encore fait à envisager de
# ratifier la Convention … »; OP78 (report to the 81st and 82nd sessions) to 2011
# OP33 (report to the 67th); OP1 (report of the Secretary-General noted) to 2011 OP1.
check "history back to A/C.3/66/L.15: OP5 ← OP4, OP78 ← OP33, OP1 ← OP1" sh -c "
  for p in 'OP5 OP4 OP4 OP5' 'OP78 OP33 OP54 OP85' 'OP1 OP1 OP1 OP1'; do
    set -- \$p
    '$MANDAT' show --db '$H' --json A/RES/80/229 \$1 --history | python3 -c \"
import json,sys
v=[(x['symbol'],x['ref']) for x in json.load(sys.stdin)['versions']]
assert v==[('A/C.3/66/L.15','\$2'),('A/RES/71/209','\$3'),('A/C.3/77/L.12/Rev.1','\$4'),('A/RES/80/229','\$1')], v\" || exit 1
  done"
check "history text: one line per version, relation, similarity, word diff" sh -c "
  '$MANDAT' show --db '$H' A/RES/80/229 OP78 --history > '$T/h78' &&
  grep -q '^History of A/RES/80/229 OP78: 4 versions' '$T/h78' && grep -q '^2011 .*A/C.3/66/L.15 *OP33 *first' '$T/h78' &&
  grep -q '^2016-12-19 .*OP54 *changed *0\.[0-9][0-9] .*soixante-douzième' '$T/h78'"
check "history from an older version walks forward too" sh -c "
  '$MANDAT' show --db '$H' A/C.3/66/L.15 OP33 --history | grep -q '^2025-12-18 .*A/RES/80/229 *OP78'"
check "--history needs a paragraph; a bad reference is a usage error" sh -c "
  '$MANDAT' show --db '$H' A/RES/80/229 --history 2>/dev/null; [ \$? -eq 2 ] &&
  '$MANDAT' show --db '$H' A/RES/80/229 XX1 --history 2>/dev/null; [ \$? -eq 2 ]"
check "a failed link write rolls the document back" sh -c "
  sqlite3 '$T/h3.db' \"CREATE TRIGGER boom BEFORE INSERT ON paragraph_links BEGIN SELECT RAISE(ABORT, 'boom'); END;\" &&
  ! '$MANDAT' ingest --db '$T/h3.db' '$V2022' >'$T/boom' 2>&1 && grep -q boom '$T/boom' &&
  [ \"\$(sqlite3 '$T/h3.db' \"SELECT count(*) FROM documents WHERE file LIKE '%001_%'\")\" = 0 ]"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
