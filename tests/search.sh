#!/bin/sh
# search.sh MANDAT: `mandat search` end to end.  Ingests tests/data/search (French,
# English and Spanish resolutions written for these tests) and the corpus into fresh
# registries, then checks the tokenizer through search (case and accent folding,
# stems in three languages, UN symbols whole and by number, the 64-byte cut), the
# query language (phrases, prefixes, AND/OR/NOT, parentheses), every filter, the
# output (text, --json, file:line), malformed queries (exit 2, one line, no SQL in
# it) and SQL injection attempts in the query and in every filter; then, on the
# corpus registry, the ranking against FTS5's own bm25() (tests/rank_check.c).
# Prints "ok"/"not ok" lines and "N passed, N failed".
set -u
MANDAT=${1:-./mandat}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-search.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; }

DB=$T/fixtures.db
CDB=$T/corpus.db
(cd "$ROOT" && "$MANDAT" ingest --db "$DB" tests/data/search/*.txt) >"$T/out" 2>&1 ||
  not_ok "ingest tests/data/search: $(tail -n 1 "$T/out")"
(cd "$ROOT" && "$MANDAT" ingest --db "$CDB" corpus/*.txt) >"$T/out" 2>&1 ||
  not_ok "ingest corpus: $(tail -n 1 "$T/out")"

# total DB ARGS...: the "total" of a --json search (empty when the search failed)
total() {
  db=$1
  shift
  "$MANDAT" search --db "$db" --json --limit 1000 "$@" 2>/dev/null | sed -n 's/^{"query":.*,"total":\([0-9]*\),.*/\1/p'
}
# count NAME EXPECTED ARGS...: the fixtures search ARGS finds EXPECTED paragraphs
count() {
  name=$1
  want=$2
  shift 2
  got=$(total "$DB" "$@")
  if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name: $* gives ${got:-an error}, want $want"; fi
}
# has NAME TEXT ARGS...: the output of `mandat search ARGS` (fixtures) contains TEXT
has() {
  name=$1
  text=$2
  shift 2
  out=$("$MANDAT" search --db "$DB" "$@" 2>&1)
  case $out in
  *"$text"*) ok "$name" ;;
  *) not_ok "$name: $* does not show '$text': $(echo "$out" | head -n 2)" ;;
  esac
}

# --- tokenizer: folding and stemming, French, English, Spanish
count "accents and case folded, plural stemmed (fr)" 1 ressource extrabudgetaire
count "phrase across case and accents" 1 '"Ressources extrabudgétaires"'
count "English plural and verb: request finds Requests" 1 request --lang en
count "English: Requests finds itself" 1 Requests
count "Spanish: pidió finds pidió and Pide" 2 'pidió' --lang es
count "Spanish: Pide finds Pide and pidió" 2 Pide --lang es
count "Spanish: unaccented pidio finds pidió" 1 pidio --lang es
count "French: coopération found as cooperation" 1 cooperation --lang fr
# --- UN symbols: whole, any case, and by their number
count "symbol A/RES/80/229 is one token" 1 A/RES/80/229
count "symbol in lowercase" 1 a/res/80/229
count "bare number 80/229 finds the symbol and the number" 2 80/229
count "E/CN.15/2024/L.3 whole" 1 E/CN.15/2024/L.3
count "A/C.3/77/L.2 whole" 1 A/C.3/77/L.2
count "a symbol does not match its parts" 0 '"A/C.3/77/L.3"'
count "S/RES/2341 (2017) whole, with its year" 1 'S/RES/2341 (2017)'
count "S/RES/2341 without its year" 1 S/RES/2341
count "2341 finds the symbol and the number" 2 2341
count "prefix over a symbol" 1 'E/CN.15*'
# --- limits: a token over 64 bytes is cut, and still found by its whole text
count "long token found by its whole text" 1 AbcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijXYZ
count "long token found by its first 64 bytes" 1 Abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd
# --- query language
count "one word" 3 quokka
count "NOT" 2 quokka NOT coopération
count "AND NOT" 2 quokka AND NOT coopération
count "words: all of them, anywhere" 1 quokka extrabudgetary
count "phrase: words side by side" 0 '"quokka extrabudgetary"'
count "phrase found" 1 '"the quokka and extrabudgetary"'
count "OR" 6 pangolin OR ornitorrinco
count "lowercase or is a word, not OR" 0 pangolin or ornitorrinco
count "parentheses" 1 '(pangolin OR quokka) AND zygomorphic'
count "prefix" 2 'zygomorph*'
count "prefix on a phrase" 1 '"zygomorphic pang"*'
count "several arguments make one query" 1 quokka AND rapport
count "punctuation alone is ignored" 3 quokka ,
# --- filters
count "--lang es" 3 ornitorrinco --lang es
count "--lang en (none)" 0 ornitorrinco --lang en
count "--lang in capitals" 3 ornitorrinco --lang ES
count "--kind preamble" 1 pangolin --kind preamble
count "--kind operative" 2 pangolin --kind operative
count "--year YEAR" 1 pangolin --year 2003
count "--year FROM-TO" 2 pangolin --year 2004-2010
count "--year open end" 3 pangolin --year 2000-
count "--organ GA" 3 pangolin --organ GA
count "--organ any case" 3 pangolin --organ ga
count "--organ ECOSOC (none)" 0 pangolin --organ ECOSOC
count "--symbol exact" 1 pangolin --symbol A/RES/58/901
count "--symbol prefix" 2 pangolin --symbol 'A/RES/59/*'
count "--force request" 2 quokka --force request
count "--addressee member-states" 1 quokka --addressee member-states
count "filters together" 1 pangolin --lang en --kind operative --year 2004 --organ GA --symbol 'A/RES/5*'
# --- output
has "text: symbol, paragraph, file:line" "A/RES/58/901 OP1  tests/data/search/fr.txt:18" quokka extrabudgetaire
has "text: matched words in [..] when not a terminal" "[quokka]" quokka --symbol A/RES/58/901
has "text: hit count line" "1-3 of 3 hits" quokka
has "text: no hits" "no hits" nosuchwordanywhere
has "--json: fields" '"symbol":"A/RES/59/902","paragraph":"OP1","kind":"operative","snippet":"Requests the Secretary-General to report on the [quokka] and [extrabudgetary] resources;","file":"tests/data/search/en.txt","line":16,"score":' quokka extrabudgetary --json
has "--json: query echoed" '{"query":"quokka","total":3,"hits":[' quokka --json
has "PP reference" '"paragraph":"PP2","kind":"preamble"' zygomorphe --lang fr --json
has "--limit" '"total":3' quokka --json --limit 1
n=$("$MANDAT" search --db "$DB" --json --limit 1 quokka | grep -o '"snippet"' | wc -l)
[ "$n" -eq 1 ] && ok "--limit 1 gives one hit" || not_ok "--limit 1 gives $n hits"
n=$("$MANDAT" search --db "$DB" --json --offset 2 quokka | grep -o '"snippet"' | wc -l)
[ "$n" -eq 1 ] && ok "--offset 2 of 3 gives one hit" || not_ok "--offset 2 gives $n hits"
has "--offset past the end" '"total":3,"hits":[]' quokka --json --offset 10
a=$("$MANDAT" search --db "$DB" --json --limit 1 quokka | sed 's/"score".*//')
b=$("$MANDAT" search --db "$DB" --json --limit 3 quokka | sed 's/},{.*//; s/"score".*//')
[ "$a" = "$b" ] && ok "ranking: the first hit does not depend on --limit" || not_ok "ranking differs with --limit"
MANDAT_DB=$DB "$MANDAT" search quokka >"$T/out" 2>&1 && grep -q "of 3 hits" "$T/out" &&
  ok "MANDAT_DB names the registry" || not_ok "MANDAT_DB: $(head -n 1 "$T/out")"

# --- the bundled corpus
n=$(total "$CDB" '« ressources extrabudgétaires »' --symbol A/RES/80/229 --kind operative)
[ "${n:-0}" -ge 5 ] && ok "corpus: « ressources extrabudgétaires » in OP paragraphs of A/RES/80/229 ($n)" ||
  not_ok "corpus: « ressources extrabudgétaires » in A/RES/80/229 gives ${n:-an error}"
"$MANDAT" search --db "$CDB" --json --limit 1000 '"ressources extrabudgétaires"' --symbol A/RES/80/229 |
  grep -o '"paragraph":"[A-Z]*' | sort -u | tr '\n' ' ' >"$T/out"
[ "$(cat "$T/out")" = '"paragraph":"OP ' ] && ok "corpus: all those hits are operative" ||
  not_ok "corpus: hits in $(cat "$T/out")"
w=$(total "$CDB" justice pénale)
p=$(total "$CDB" '"justice pénale"')
[ "${w:-0}" -ge "${p:-1}" ] && [ "${p:-0}" -gt 0 ] && ok "corpus: words ($w) >= phrase ($p)" ||
  not_ok "corpus: words $w, phrase $p"
a=$(total "$CDB" 'extrabud*')
b=$(total "$CDB" extrabudgétaires)
[ "${a:-0}" -ge "${b:-1}" ] && [ "${b:-0}" -gt 0 ] && ok "corpus: prefix ($a) >= word ($b)" ||
  not_ok "corpus: prefix $a, word $b"
a=$(total "$CDB" prie)
b=$(total "$CDB" prie NOT Office)
[ "${b:-0}" -lt "${a:-0}" ] && [ "${b:-0}" -gt 0 ] && ok "corpus: NOT removes hits ($a -> $b)" ||
  not_ok "corpus: prie $a, prie NOT Office $b"

# --- snippets (src/snippet.c): the words of the query marked in a window of 24
# words, chosen and cut as FTS5's snippet() does (the expected texts were read off
# the corpus; the hit is looked for among all, whatever its rank)
snippet() {
  name=$1
  want=$2
  shift 2
  "$MANDAT" search --db "$CDB" --json --limit 1000 "$@" >"$T/out" 2>&1
  if grep -qF "\"snippet\":\"$want\"" "$T/out"; then ok "snippet: $name"; else not_ok "snippet: $name: $* does not give: $want"; fi
}
snippet "the first sentence's window, from the start of the text" \
  "Prie l'Office des Nations Unies contre la drogue et le crime de fournir, sous réserve de la disponibilité de [ressources extrabudgétaires], dans le…" \
  '"ressources extrabudgétaires"' --symbol A/RES/80/229
snippet "a window centred on the phrase" \
  "…prie celui-ci de continuer, sous réserve de la disponibilité de [ressources extrabudgétaires] et en étroite consultation avec les États Membres, à élaborer des…" \
  '"ressources extrabudgétaires"' --symbol A/RES/80/229
snippet "a window at the end of the text keeps its final punctuation" \
  "…d'assistance technique et de renforcement des capacités à ces fins et exhorte les États Membres à fournir des [ressources extrabudgétaires] à cet égard ;" \
  '"ressources extrabudgétaires"' --symbol A/RES/80/229
snippet "every word and phrase of AND and OR, in the window with the most of them" \
  "…contre la [drogue] et le [crime], et par l’intermédiaire de la Commission pour la prévention du [crime] et la [justice pénale], à ce…" \
  '(drogue OR crime) AND "justice pénale"' --symbol A/C.3/77/L.2
snippet "a prefix marks the whole word" \
  "Rappelant la résolution 26/3 de la Commission pour la [prévention] du crime et la justice pénale en date du 26 mai 2017, sur la…" \
  'préven*' --symbol A/C.3/77/L.4
snippet "NOT: only the words searched for, a short paragraph whole" \
  "[Prie] le Secrétaire général de lui présenter, à sa soixante-dix-huitième session, un rapport sur l’application de la présente résolution." \
  prie NOT Office --symbol A/C.3/77/L.2
# a snippet that FTS5 may give otherwise is FTS5's (snippet.c), by the statement of before:
# one a hit, or one for the page when the expression has a prefix
snippet "left to FTS5, one statement a hit" \
  "[Invite] les [États Membres] et les autres donateurs à fournir des ressources extrabudgétaires aux fins des activités mentionnées dans la présente résolution, conformément aux…" \
  '("États Membres" AND (prie OR invite)) OR décide'
snippet "left to FTS5, one statement for the page of a prefix" \
  "[Invite] les [États Membres] et les autres donateurs à fournir des ressources extrabudgétaires aux fins des activités mentionnées dans la présente résolution, conformément aux…" \
  '("États Membres" AND (prév* OR invite)) OR décide'
has "snippet: a prefix phrase" '"snippet":"Urges Member States to protect the [zygomorphic pangolin];"' '"zygomorphic pang"*' --json
has "snippet: a symbol and a number" '"snippet":"Recalling Security Council resolution 2341 (2017) and its resolution [80/229] on the pangolin,"' 'A/RES/80/229 OR 80/229' --json
# every snippet of many queries against FTS5's own, byte for byte (tests/snippet_check.c)
if sh "$ROOT/tests/build_test.sh" "$MANDAT" tests/snippet_check.c "$T/snippet_check" 2>"$T/cc"; then
  for db in "$DB" "$CDB"; do
    if "$T/snippet_check" "$db" 300 8 1 >"$T/sc" 2>&1; then
      ok "snippets identical to FTS5's ($(basename "$db"): $(tail -n 1 "$T/sc"))"
    else
      not_ok "snippets differ from FTS5's ($(basename "$db")): $(head -n 6 "$T/sc")"
    fi
  done
else
  not_ok "cannot build tests/snippet_check.c: $(head -n 3 "$T/cc")"
fi

# --- malformed queries: exit 2, one line on stderr, no SQL in it
bad_query() {
  name=$1
  want=$2
  shift 2
  "$MANDAT" search --db "$DB" "$@" >"$T/out" 2>"$T/err"
  rc=$?
  lines=$(wc -l <"$T/err")
  if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -q "^mandat: search: $want" "$T/err" &&
    ! grep -qi -e sql -e fts5 "$T/err" && [ ! -s "$T/out" ]; then
    ok "malformed: $name"
  else
    not_ok "malformed: $name: exit $rc, $lines lines: $(head -n 2 "$T/err")"
  fi
}
bad_query "unclosed quote" "unbalanced quote in query$" '"unclosed'
bad_query "AND OR" "AND needs a term on each side" 'AND OR'
bad_query "open parenthesis" "unbalanced parenthesis in query" '('
bad_query "close parenthesis" "unbalanced parenthesis in query" 'a)'
bad_query "parenthesis left open" "unbalanced parenthesis in query" 'a (b'
bad_query "empty parentheses" "empty parentheses" '()'
bad_query "trailing AND" "AND needs a term on each side" 'quokka AND'
bad_query "leading OR" "OR needs a term on each side" 'OR quokka'
bad_query "trailing OR" "OR needs a term on each side" 'quokka OR'
bad_query "leading NOT" "NOT needs a term before it" 'NOT quokka'
bad_query "NOT at the end" "NOT needs a term on each side" 'quokka NOT'
bad_query "empty phrase" "empty phrase" '""'
bad_query "star alone" "'\\*' must follow a word" '*'
bad_query "one-letter prefix" "a prefix needs at least 2 letters" 'q*'
bad_query "only punctuation" "empty query" '; ,'
bad_query "invalid UTF-8" "query is not valid UTF-8" "$(printf 'quokka\377\376')"
bad_query "too long" "query longer than 1000 bytes" "$(head -c 1100 /dev/zero | tr '\0' 'a')"
bad_query "too many terms" "query has more than 64" "$(seq 1 70 | sed 's/^/w/' | tr '\n' ' ')"
bad_query "nested too deep" "parentheses nested deeper than 32" "$(printf '(%.0s' $(seq 40))x$(printf ')%.0s' $(seq 40))"
bad_query "no query" "" --lang fr
bad_query "bad --kind" "" quokka --kind neither
bad_query "bad --year" "" quokka --year 20x4
bad_query "reversed --year" "" quokka --year 2010-2000
bad_query "--limit 0" "" quokka --limit 0
bad_query "--limit over 1000" "" quokka --limit 1001
bad_query "--offset negative" "" quokka --offset -1
bad_query "bad --lang" "" quokka --lang french
bad_query "unknown option" "" quokka --colour

# --- SQL injection: in the query and in every filter.  Each attempt must give
# exit 0 (nothing found or the words searched as words) or 2 (a value refused), no
# SQLite message, no crash; the registry is unchanged after all of them.
inject() {
  name=$1
  shift
  "$MANDAT" search --db "$DB" "$@" >"$T/out" 2>"$T/err"
  rc=$?
  # SQLite's own messages, which must never reach the user (a refused value may
  # be echoed, so the words of the attempt themselves are not looked for)
  if { [ $rc -eq 0 ] || [ $rc -eq 2 ]; } && ! grep -qi -e "sql logic" -e "syntax error" -e "no such" \
    -e "fts5" -e "unrecognized token" -e "malformed" -e "sqlite3" "$T/err" "$T/out"; then
    ok "injection: $name"
  else
    not_ok "injection: $name: exit $rc: $(head -n 1 "$T/err")"
  fi
}
for q in "quokka' OR 1=1 --" '"quokka" ) OR ( 1=1' "quokka'); DROP TABLE paragraphs; --" \
  'text:quokka' 'NEAR(quokka pangolin)' 'quokka^' '{text}: quokka' '- quokka' '+ quokka' \
  'quokka" OR "1"="1' "' UNION SELECT sql FROM sqlite_master --" 'paragraphs_fts MATCH quokka' \
  '"quokka" AND rank:1' "x\" OR rowid > 0 OR \"" '%' '_' '\' ';' '0x00'; do
  inject "query $q" "$q"
done
for opt in --organ --lang --kind --addressee --force --symbol --year --limit --offset; do
  for v in "GA' OR '1'='1" "x'); DROP TABLE paragraphs; --" "1 OR 1=1" "%" "A/RES/%" "' UNION SELECT sql FROM sqlite_master --"; do
    inject "$opt $v" quokka "$opt" "$v"
  done
done
count "registry intact after the injections" 3 quokka
n=$(total "$DB" pangolin --organ "GA' OR '1'='1")
[ -z "$n" ] || [ "$n" = 0 ] && ok "an injected --organ does not widen the filter" ||
  not_ok "injected --organ found $n"
n=$(total "$DB" pangolin --symbol "A/RES/%")
[ "${n:-0}" = 0 ] && ok "% in --symbol is not a wildcard" || not_ok "--symbol A/RES/% found $n"

# --- versions: only the current version of a file is searched
sed 's/pangolin/numbat/' "$ROOT/tests/data/search/fr.txt" >"$T/v.txt"
"$MANDAT" ingest --db "$DB" "$T/v.txt" >/dev/null 2>&1
count "a new file is searched" 1 numbat
sed 's/pangolin/bilby/' "$ROOT/tests/data/search/fr.txt" >"$T/v.txt"
"$MANDAT" ingest --db "$DB" "$T/v.txt" >/dev/null 2>&1
count "its new version is searched" 1 bilby
count "its old version is not" 0 numbat
count "the total leaves old versions out" 0 numbat OR zzzz
count "old versions left out with filters too" 0 numbat --lang fr --kind operative

# --- the registry itself
"$MANDAT" search --db "$T/none.db" quokka >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] && grep -q "no registry at" "$T/err" && ok "missing registry: exit 1 and a message" ||
  not_ok "missing registry: exit $rc: $(head -n 1 "$T/err")"
[ ! -e "$T/none.db" ] && ok "search does not create a registry" || not_ok "search created $T/none.db"
echo "not a database" >"$T/junk.db"
"$MANDAT" search --db "$T/junk.db" quokka >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && ok "not a registry: exit 1, one line" ||
  not_ok "not a registry: exit $rc: $(head -n 2 "$T/err")"

# --- the ranking against FTS5's bm25(), on the corpus: its own ok/not ok lines
if sh "$ROOT/tests/build_test.sh" "$MANDAT" tests/rank_check.c "$T/rank_check" 2>"$T/cc"; then
  "$T/rank_check" "$CDB" >"$T/rank" 2>&1
  grep '^\(not \)\{0,1\}ok - ' "$T/rank"
  p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$T/rank")
  f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$T/rank")
  [ -n "$p" ] || { p=0; f=1; echo "not ok - rank_check: $(tail -n 1 "$T/rank")"; }
  pass=$((pass + p))
  fail=$((fail + f))
else
  not_ok "cannot build tests/rank_check.c: $(head -n 3 "$T/cc")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
