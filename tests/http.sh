#!/bin/sh
# http.sh MANDAT: `mandat serve` against the real server on 127.0.0.1 and a free port,
# over the bundled corpus ingested into a temporary registry.  Every route, every
# error path (status and JSON body), the route table against the OpenAPI document,
# path traversal, limits, concurrency, the response cache (hits, and no stale answer
# after an ingest into the served registry) and a clean stop.  Needs curl and python3.
# Prints "ok"/"not ok" per check and ends with "N passed, N failed".
set -u
MANDAT=${1:-./mandat}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-http.XXXXXX")
# A copy: a rebuild of the tree during the run must not swap the server's binary.
cp "$MANDAT" "$T/mandat" || exit 1
MANDAT=$T/mandat
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
notok() { fail=$((fail + 1)); echo "not ok - $1${2:+ ($2)}"; }

if ! command -v curl >/dev/null 2>&1; then
  notok "curl is installed (Debian package curl)"
  echo "$pass passed, $fail failed"
  exit 1
fi

# --- a registry of the corpus, and the server -------------------------------------
cd "$ROOT" || exit 1
if "$MANDAT" ingest --db "$T/m.db" corpus/ >"$T/ingest.log" 2>&1; then ok "ingest the corpus"
else notok "ingest the corpus" "$(tail -n 1 "$T/ingest.log")"; echo "$pass passed, $fail failed"; exit 1
fi
start() {
  "$MANDAT" serve --db "$T/m.db" --port 0 "$@" >"$T/serve.out" 2>"$T/serve.err" &
  PID=$!
  i=0
  while [ $i -lt 100 ] && ! grep -q 'http://' "$T/serve.out" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
  URL=$(grep -o 'http://[^ ]*' "$T/serve.out" | sed 's|/$||')
}
start
case ${URL:-} in
  http://127.0.0.1:[0-9]*) ok "serve prints its URL on loopback and a free port ($URL)" ;;
  *) notok "serve prints its URL" "$(cat "$T/serve.out" "$T/serve.err")"; echo "$pass passed, $fail failed"; exit 1 ;;
esac

# get DESC STATUS PATH [PYTHON-CHECK [CURL ARGS…]]: GET (or CURL ARGS) PATH; the status
# must be STATUS, the body JSON; for an error status the body must be exactly
# {"error":{"code":STATUS,"message":…}} with no SQL in it.  PYTHON-CHECK is an
# expression over j (the JSON) and h (the headers, lowercased) that must be true.
get() {
  desc=$1 want=$2 path=$3 check=${4:-True}
  shift 3
  [ $# -gt 0 ] && shift
  code=$(curl -s -g -o "$T/body" -D "$T/head" -w '%{http_code}' "$@" "$URL$path")
  [ "${1:-}" = -I ] && : >"$T/body"  # HEAD: curl writes the headers to -o too
  if [ "$code" != "$want" ]; then
    notok "$desc" "status $code, wanted $want: $(head -c 200 "$T/body")"
    return
  fi
  res=$(python3 - "$T/body" "$T/head" "$want" "$check" <<'EOF'
import json, sys
body, head, want, check = open(sys.argv[1], 'rb').read(), open(sys.argv[2]).read().lower(), int(sys.argv[3]), sys.argv[4]
h = dict(l.split(':', 1) for l in head.splitlines() if ':' in l)
h = {k.strip(): v.strip() for k, v in h.items()}
ctype = h.get('content-type', '')
if not body:
    j = None
elif ctype.startswith('application/json'):
    j = json.loads(body)
    if want >= 400:
        if set(j) != {'error'} or set(j['error']) != {'code', 'message'} or j['error']['code'] != want:
            print('bad error object: %s' % body[:200]); sys.exit()
        low = j['error']['message'].lower()
        if any(w in low for w in ('sqlite', 'select ', 'where ', 'fts5', 'near "', 'stack', '.c:')):
            print('internals in the message: ' + j['error']['message']); sys.exit()
else:
    j = body.decode('utf-8')
if not eval(check):
    print('check failed: %s; body %s' % (check, body[:200]))
EOF
)
  if [ -n "$res" ]; then notok "$desc" "$res"; else ok "$desc"; fi
}

# --- routes that answer ---------------------------------------------------------------
Q='q=%C2%AB%20ressources%20extrabudg%C3%A9taires%20%C2%BB'
get "search: « ressources extrabudgétaires »" 200 "/api/search?$Q" \
  "j['total'] > 0 and all('<mark>' in x['snippet_html'] for x in j['hits']) and j['hits'][0]['ref'][:2] in ('OP','PP')"
get "search: facets" 200 "/api/search?$Q&facets=1" \
  "set(j['facets']) == {'organ','year','language','kind','addressee','force'} and j['facets']['organ'][0]['value'] == 'GA'"
get "search: facets add up to the total" 200 "/api/search?q=prie&facets=1&limit=1" \
  "j['total'] > 100 and all(sum(v['count'] for v in j['facets'][f]) == j['total'] for f in ('organ','language','kind','year')) and [v['value'] for v in j['facets']['year'] if v['value']] == sorted([v['value'] for v in j['facets']['year'] if v['value']], reverse=True)"
# a facet's count is what its filter finds
cp "$T/body" "$T/facets"
for f in force addressee; do
  vc=$(python3 -c "import json,sys; v=json.load(open(sys.argv[1]))['facets']['$f'][0]; print(v['value'], v['count'])" "$T/facets")
  [ -n "$vc" ] || vc="none 0"
  get "search: the first $f facet (${vc% *}) counts what --$f ${vc% *} finds" 200 "/api/search?q=prie&$f=${vc% *}&limit=1" \
    "j['total'] == ${vc#* } and j['total'] > 0"
done
get "search: every filter" 200 "/api/search?q=coop%C3%A9ration&organ=GA&year=2011-2025&lang=fr&kind=operative&addressee=unodc&force=request&symbol=A/RES/80/229&limit=5&offset=0" \
  "j['total'] > 0 and all(x['symbol'] == 'A/RES/80/229' and x['kind'] == 'operative' for x in j['hits']) and len(j['hits']) <= 5"
get "search: paging" 200 "/api/search?q=convention&limit=3&offset=3" "len(j['hits']) == 3 and j['offset'] == 3"
get "search: prefix, OR, NOT" 200 "/api/search?q=cybercrim*%20OR%20(traite%20NOT%20migrants)" "j['total'] > 0"
get "search: no hit is 200 with total 0" 200 "/api/search?q=zzzqqqxxx" "j['total'] == 0 and j['hits'] == []"
get "resolutions: list" 200 "/api/resolutions" "j['total'] >= 12 and j['items'][0]['year'] == 2025"
get "resolutions: filters and paging" 200 "/api/resolutions?organ=GA&year=2022&kind=draft_resolution&lang=fr&limit=2&offset=1" \
  "j['total'] == 7 and len(j['items']) == 2"
get "resolution by path, slashes as such" 200 "/api/resolutions/A/RES/80/229" \
  "j['symbol'] == 'A/RES/80/229' and len(j['operative']) > 70 and len(j['preamble']) > 70 and len(j['footnotes']) > 50"
get "resolution by path, slashes as %2F" 200 "/api/resolutions/A%2FRES%2F80%2F229" "j['symbol'] == 'A/RES/80/229'"
get "resolution by ?symbol=, any case" 200 "/api/resolution?symbol=a/res/71/209" "j['symbol'] == 'A/RES/71/209' and j['year'] == 2016"
get "resolution by ?id= (no symbol: the Kyoto Declaration)" 200 "/api/resolution?id=12" "j['kind'] == 'declaration'"
get "resolution: mandates marked with verb, addressee, conditions, reporting" 200 "/api/resolutions/A/RES/80/229" \
  "any(c['mandate'] and c['addressees'] and c['conditions'] for p in j['operative'] for c in p['clauses']) and any(c['reporting'] for p in j['operative'] for c in p['clauses'])"
get "resolution: citations resolved into the registry, cited_by" 200 "/api/resolutions/A/RES/80/229" \
  "any(c['symbol'] == 'A/RES/71/209' and c['entity_id'] for c in j['citations']) and isinstance(j['cited_by'], list)"
get "paragraphs: one by ref" 200 "/api/paragraphs?symbol=A/RES/80/229&ref=OP12" "[p['ref'] for p in j['paragraphs']] == ['OP12']"
get "paragraphs: a part, paged" 200 "/api/paragraphs?symbol=A/RES/80/229&kind=preamble&limit=5&offset=2" \
  "[p['ref'] for p in j['paragraphs']] == ['PP3','PP4','PP5','PP6','PP7']"
get "mandates: addressee UNODC" 200 "/api/mandates?addressee=unodc" \
  "j['total'] > 20 and all(any(a['id'] == 'unodc' for a in m['addressees']) for m in j['items'])"
get "mandates: every filter" 200 "/api/mandates?addressee=member-states&force=request&organ=GA&year=2016-2025&lang=fr&symbol=A/RES/80/229&since=2020&conditions=1&no_reporting=1&limit=10" \
  "all(m['conditions'] and m['reporting'] is None and m['force'] == 'request' for m in j['items'])"
get "mandates: with reporting only" 200 "/api/mandates?no_reporting=0" "j['total'] > 0 and all(m['reporting'] for m in j['items'])"
get "mandates: CSV download" 200 "/api/mandates?addressee=unodc&format=csv" \
  "j.startswith('symbol,paragraph,verb,force,addressees') and h['content-type'].startswith('text/csv') and 'attachment' in h['content-disposition'] and j.count('\r\n') > 20"
get "citations: both directions" 200 "/api/citations?symbol=A/RES/71/209" \
  "len(j['cites']) > 10 and any(c['symbol'] == 'A/RES/80/229' for c in j['cited_by'])"
get "citations: cited but not in the registry" 200 "/api/citations?symbol=A/RES/46/152" "j['entity_id'] is None and len(j['cited_by']) > 0"
get "diff: 2016 → 2025" 200 "/api/diff?old=A/RES/71/209&new=A/RES/80/229" \
  "j['summary']['added'] > 0 and j['summary']['changed'] + j['summary']['unchanged'] > 20 and j['operative'][0]['relation']"
get "diff: by ids" 200 "/api/diff?old_id=13&new_id=9" "j['old']['id'] == 13 and j['new']['id'] == 9"
get "lineage: the series 2011 → 2025" 200 "/api/lineage?symbol=A/RES/80/229" \
  "[s['year'] for s in j['series']] == [2011, 2016, 2022, 2025] and any(p['first_seen']['year'] == 2011 for p in j['operative'])"
get "stats" 200 "/api/stats" \
  "j['totals']['mandates'] > 100 and {'by_organ','by_year','by_force','by_addressee','by_year_force','reporting_deadlines'} <= set(j)"
get "openapi.json is OpenAPI 3" 200 "/api/openapi.json" "j['openapi'].startswith('3.') and '/api/search' in j['paths']"
get "HEAD on an API route" 200 "/api/stats" "True" -I
get "web: / is the page" 200 "/" "'<main id=\"main\"' in j and 'default-src' in h['content-security-policy']"
for page in resolution mandates compare dashboard; do
  get "web: /$page is the page" 200 "/$page" "'/static/app.js' in j"
done
for f in app.js charts.js style.css i18n/fr.js i18n/en.js; do
  get "web: /static/$f" 200 "/static/$f" "len(j) > 100 and h['x-content-type-options'] == 'nosniff'"
done

# --- the route table and the OpenAPI document agree ---------------------------------------
"$MANDAT" serve --routes >"$T/routes" 2>&1
curl -s "$URL/api/openapi.json" >"$T/openapi.json"
res=$(python3 - "$T/routes" "$T/openapi.json" <<'EOF'
import json, sys
routes = [l.split('\t')[0] for l in open(sys.argv[1]) if l.startswith('/api/')]
doc = json.load(open(sys.argv[2]))
paths = set(doc['paths'])
want = set(r[:-1] + '{symbol}' if r.endswith('*') else r for r in routes)
out = []
if want - paths: out.append('routes missing from openapi.json: %s' % sorted(want - paths))
if paths - want: out.append('openapi.json paths with no route: %s' % sorted(paths - want))
for p, item in doc['paths'].items():
    if set(item) != {'get'}: out.append('%s: methods %s (the API is GET only)' % (p, sorted(item)))
    for code in item['get']['responses']:
        if code != '200' and '$ref' not in json.dumps(item['get']['responses'][code]): out.append('%s %s: not an Error' % (p, code))
print('; '.join(out))
EOF
)
n=$(grep -c '^/api/' "$T/routes")
if [ -n "$res" ]; then notok "every /api/ route of the route table is in openapi.json and back" "$res"
elif [ "$n" -lt 11 ]; then notok "route table listed" "only $n /api/ routes"
else ok "every /api/ route of the route table ($n) is in openapi.json and back"
fi

# --- errors -----------------------------------------------------------------------------
get "unknown API route: 404" 404 "/api/nope"
get "unknown page: 404" 404 "/nope.html"
get "unknown static file: 404" 404 "/static/nope.js"
get "index.html is not a second URL for the page: 404" 404 "/static/index.html"
for m in POST PUT DELETE PATCH OPTIONS; do
  get "$m /api/search: 405 with Allow" 405 "/api/search?q=x" "h['allow'] == 'get, head'" -X "$m"
done
get "POST with a small form body: 405" 405 "/api/stats" "h['allow'] == 'get, head'" --data 'a=1'
head -c 100000 /dev/zero | tr '\0' 'a' >"$T/big"
get "body over 64 KiB: 413" 413 "/api/search?q=x" "True" --data-binary "@$T/big"
# A chunked body has no length to refuse up front: the 413 comes mid-upload and the
# server closes the connection, which curl may report as a send error (status 000).
code=$(curl -s -o "$T/body" -w '%{http_code}' -H 'Transfer-Encoding: chunked' --data-binary "@$T/big" "$URL/api/search?q=x")
if grep -q '"code":413' "$T/body"; then ok "chunked body over 64 KiB: 413"
else notok "chunked body over 64 KiB: 413" "status $code: $(head -c 200 "$T/body")"; fi
get "missing q: 400" 400 "/api/search"
get "empty q: 400" 400 "/api/search?q="
get "unbalanced quote: 400" 400 "/api/search?q=%22ressources"
get "unbalanced parenthesis: 400" 400 "/api/search?q=(traite%20OR"
get "lone operator: 400" 400 "/api/search?q=AND"
LONGQ=$(head -c 1500 /dev/zero | tr '\0' 'a')
get "query longer than 1 KiB: 400" 400 "/api/search?q=$LONGQ"
LONGU=$(head -c 20000 /dev/zero | tr '\0' 'a')
get "URI longer than 8 KiB: 414" 414 "/api/search?q=x&pad=$LONGU"
for bad in limit=0 limit=201 limit=abc limit=-1 limit=1e3 offset=-1 offset=x offset=99999999 \
  year=abc year=2025-2011 year=20 year=1800 organ=XX organ=ga force=foo kind=foo facets=maybe lang=f%27r \
  addressee=%27%3B%20DROP%20TABLE%20clauses%3B--; do
  get "search: bad parameter $bad: 400" 400 "/api/search?q=convention&$bad"
done
get "search: page size over the limit names the limit" 400 "/api/search?q=x&limit=500" "'200' in j['error']['message']"
for bad in since=20 since=2020-1-1 no_reporting=maybe conditions=2 format=xml force=bogus limit=201; do
  get "mandates: bad parameter $bad: 400" 400 "/api/mandates?$bad"
done
get "mandates CSV: a larger page is allowed" 200 "/api/mandates?format=csv&limit=5000" "j.startswith('symbol,')"
get "resolutions: bad kind: 400" 400 "/api/resolutions?kind=treaty"
get "resolution: missing symbol: 400" 400 "/api/resolution"
get "resolution: control character in symbol: 400" 400 "/api/resolution?symbol=A%01B"
get "resolution: bad id: 400" 400 "/api/resolution?id=abc"
get "resolution: unknown symbol: 404" 404 "/api/resolutions/A/RES/99/999"
get "resolution: unknown symbol (query form): 404" 404 "/api/resolution?symbol=A/RES/99/999"
get "resolution: SQL in the symbol is just an unknown symbol: 404" 404 "/api/resolution?symbol=%27%20OR%201%3D1--"
get "resolution: unknown id: 404" 404 "/api/resolution?id=999999"
get "paragraphs: bad ref: 400" 400 "/api/paragraphs?symbol=A/RES/80/229&ref=XX12"
get "paragraphs: unknown ref: 404" 404 "/api/paragraphs?symbol=A/RES/80/229&ref=OP999"
get "paragraphs: unknown symbol: 404" 404 "/api/paragraphs?symbol=A/RES/1/1"
get "citations: missing symbol: 400" 400 "/api/citations"
get "citations: unknown symbol: 404" 404 "/api/citations?symbol=A/RES/1/1"
get "diff: missing versions: 400" 400 "/api/diff?old=A/RES/71/209"
get "diff: unknown version: 404" 404 "/api/diff?old=A/RES/71/209&new=A/RES/1/1"
get "lineage: unknown symbol: 404" 404 "/api/lineage?symbol=A/RES/1/1"

# Path traversal: nothing outside the embedded web files is ever served.
for p in '/../mandat.db' '/static/../mandat.db' '/static/../../etc/passwd' '//etc/passwd' '/static//etc/passwd' \
  '/%2e%2e/mandat.db' '/static/%2e%2e/%2e%2e/etc/passwd' '/static/%2e%2e%2fmandat.db' '/static/..%5cmandat.db' \
  '/static/./app.js' '/api/../api/stats'; do
  get "path traversal $p: 400" 400 "$p" "True" --path-as-is
done
for p in '/static/%00app.js' '/static/app.js%00.png' '/api/stats%00'; do
  get "encoded NUL in $p: 400" 400 "$p"
done
for p in '/mandat.db' '/etc/passwd' '/static/mandat.db' '/web/app.js' '/static/openapi.json.bak'; do
  code=$(curl -s -o "$T/body" -w '%{http_code}' --path-as-is "$URL$p")
  if [ "$code" = 404 ] && ! grep -q 'SQLite format' "$T/body"; then ok "no file behind $p: 404"
  else notok "no file behind $p: 404" "status $code"; fi
done

# --- concurrency: 400 requests from 16 clients, all answered -------------------------------
seq 1 400 | sed "s|.*|$URL/api/search?q=convention\&offset=&|" >"$T/urls"
xargs -P 16 -n 1 curl -s -o /dev/null -w '%{http_code}\n' <"$T/urls" >"$T/codes" 2>/dev/null
n200=$(grep -c '^200$' "$T/codes")
if [ "$n200" -eq 400 ]; then ok "400 concurrent searches from 16 clients: all 200"
else notok "400 concurrent searches from 16 clients: all 200" "$n200 were 200"; fi
# keep-alive: several requests on one connection
n=$(curl -s -o /dev/null -w '%{num_connects}\n' "$URL/api/stats" "$URL/api/stats" "$URL/api/stats" | awk '{ s += $1 } END { print s }')
if [ "$n" = 1 ]; then ok "keep-alive: three requests over one connection"
else notok "keep-alive: three requests over one connection" "$n connections"; fi

# --- the response cache ---------------------------------------------------------------------
# twice PATH [PATH2]: GET PATH then PATH2 (default PATH) over one keep-alive connection,
# so one worker answers both: bodies in $T/c1 $T/c2, X-Cache values in $X1 $X2.
twice() {
  curl -s -D "$T/h1" -o "$T/c1" "$URL$1" --next -s -D "$T/h2" -o "$T/c2" "$URL${2:-$1}"
  X1=$(tr -d '\r' <"$T/h1" | sed -n 's/^[Xx]-[Cc]ache: //p')
  X2=$(tr -d '\r' <"$T/h2" | sed -n 's/^[Xx]-[Cc]ache: //p')
}
total() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$1"; }
NEW='/api/search?q=zorglub&limit=5'
twice "$NEW"
if [ "$X2" = hit ] && cmp -s "$T/c1" "$T/c2" && [ "$(total "$T/c2")" = 0 ]; then
  ok "cache: a repeated search is a hit with an identical body (before the ingest: no hit for zorglub)"
else notok "cache: a repeated search is a hit with an identical body" "X-Cache $X1 then $X2, total $(total "$T/c2")"; fi
twice "/api/search?q=convention&limit=3&facets=1" "/api/search?facets=1&limit=3&q=convention"
if [ "$X1" = miss ] && [ "$X2" = hit ] && cmp -s "$T/c1" "$T/c2"; then ok "cache: parameters in another order are the same entry"
else notok "cache: parameters in another order are the same entry" "X-Cache $X1 then $X2"; fi
twice "/api/mandates?addressee=unodc&format=csv"
if [ "$X2" = hit ] && cmp -s "$T/c1" "$T/c2" && grep -qi '^content-disposition: attachment' "$T/h2" &&
  grep -qi '^content-type: text/csv' "$T/h2"; then ok "cache: a CSV answer is cached with its headers"
else notok "cache: a CSV answer is cached with its headers" "X-Cache $X1 then $X2"; fi
twice "/api/search?q=convention&limit=abc"
if [ "$X1" = miss ] && [ "$X2" = miss ] && grep -q '"code":400' "$T/c2"; then ok "cache: errors are never cached"
else notok "cache: errors are never cached" "X-Cache $X1 then $X2"; fi
twice "/api/search?q=convention&limit=4" "/api/search?q=convention&limit=4&limit=5"
if [ "$X2" = miss ]; then ok "cache: a repeated parameter is part of the key"
else notok "cache: a repeated parameter is part of the key" "X-Cache $X1 then $X2"; fi
curl -s -I -o "$T/h1" "$URL/api/stats"
if ! grep -qi '^x-cache' "$T/h1" && grep -q ' 200' "$T/h1"; then ok "cache: HEAD is answered afresh (no X-Cache)"
else notok "cache: HEAD is answered afresh" "$(head -1 "$T/h1")"; fi
twice "/static/app.js"
if [ -z "$X1$X2" ]; then ok "cache: only /api/ routes (no X-Cache on web files)"
else notok "cache: only /api/ routes" "X-Cache $X1 $X2"; fi
# Another process ingests a new file into the served registry (WAL): the very next
# search must see it, on whatever worker answers, then be cached afresh.
mkdir -p "$T/new"
sed 's/Prie le Secrétaire général/Prie le Secrétaire général zorglub/' corpus/004_f137dedce854ddd0.txt >"$T/new/zorglub.txt"
if "$MANDAT" ingest --db "$T/m.db" "$T/new/zorglub.txt" >"$T/ingest2.log" 2>&1; then ok "ingest a new file into the served registry"
else notok "ingest a new file into the served registry" "$(tail -n 1 "$T/ingest2.log")"; fi
stale=0
for i in 1 2 3 4 5 6 7 8; do  # new connections: spread over the workers
  curl -s -o "$T/c1" "$URL$NEW"
  [ "$(total "$T/c1")" -gt 0 ] || stale=$((stale + 1))
done
if [ "$stale" -eq 0 ]; then ok "cache: after the ingest, every search returns the new hits (no stale cache)"
else notok "cache: after the ingest, every search returns the new hits" "$stale of 8 answers were stale"; fi
twice "$NEW"
if [ "$X2" = hit ] && cmp -s "$T/c1" "$T/c2" && [ "$(total "$T/c2")" -gt 0 ]; then ok "cache: after the ingest, the repeated search is a hit with an identical body"
else notok "cache: after the ingest, the repeated search is a hit with an identical body" "X-Cache $X1 then $X2"; fi
curl -s -o "$T/c1" "$URL/api/stats"
before=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["mandates"])' "$T/c1")
curl -s -o "$T/c1" "$URL/api/stats"
sed 's/Prie le Secrétaire général/Prie le Secrétaire général zorglub encore/' corpus/004_f137dedce854ddd0.txt >"$T/new/zorglub2.txt"
"$MANDAT" ingest --db "$T/m.db" "$T/new/zorglub2.txt" >/dev/null 2>&1
curl -s -o "$T/c2" "$URL/api/stats"
after=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["mandates"])' "$T/c2")
if [ "$after" -gt "$before" ]; then ok "cache: /api/stats follows a second ingest ($before → $after mandates)"
else notok "cache: /api/stats follows a second ingest" "$before → $after mandates"; fi
# --no-cache: every answer afresh, no X-Cache header.
"$MANDAT" serve --db "$T/m.db" --port 0 --no-cache >"$T/nc.out" 2>"$T/nc.err" &
NCPID=$!
i=0
while [ $i -lt 100 ] && ! grep -q 'http://' "$T/nc.out" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
NCURL=$(grep -o 'http://[^ ]*' "$T/nc.out" | sed 's|/$||')
curl -s -D "$T/h1" -o "$T/c1" "$NCURL$NEW" --next -s -D "$T/h2" -o "$T/c2" "$NCURL$NEW"
if ! grep -qi '^x-cache' "$T/h1" "$T/h2" && cmp -s "$T/c1" "$T/c2" && [ "$(total "$T/c2")" -gt 0 ]; then
  ok "serve --no-cache: same answers, no X-Cache header"
else notok "serve --no-cache: same answers, no X-Cache header" "$(grep -i x-cache "$T/h1" "$T/h2")"; fi
kill -TERM "$NCPID"
wait "$NCPID"

# --- a clean stop, and refusals at start ------------------------------------------------------
kill -TERM "$PID"
i=0
while kill -0 "$PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
wait "$PID"
rc=$?
PID=
if [ "$rc" -eq 0 ]; then ok "SIGTERM stops the server with status 0"; else notok "SIGTERM stops the server" "status $rc: $(tail -n 3 "$T/serve.err")"; fi
start
kill -INT "$PID"
wait "$PID"
rc=$?
PID=
if [ "$rc" -eq 0 ]; then ok "SIGINT stops the server with status 0"; else notok "SIGINT stops the server" "status $rc"; fi
"$MANDAT" serve --db "$T/none.db" --port 0 >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 1 ] && [ ! -e "$T/none.db" ] && grep -q 'none.db' "$T/err"; then ok "a missing registry: status 1, not created"
else notok "a missing registry: status 1, not created" "status $rc: $(cat "$T/err")"; fi
"$MANDAT" serve --db "$T/m.db" --port 99999 >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && ok "--port 99999: usage error" || notok "--port 99999: usage error"
"$MANDAT" serve --db "$T/m.db" --bind nowhere >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && ok "--bind nowhere: usage error" || notok "--bind nowhere: usage error"
start
port=${URL##*:}
"$MANDAT" serve --db "$T/m.db" --port "$port" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "$port" "$T/err"; then ok "a port in use: status 1 and a message"
else notok "a port in use: status 1 and a message" "status $rc"; fi
if grep -qi 'sqlite\|error' "$T/serve.err"; then notok "nothing went wrong on the server's side" "$(head -3 "$T/serve.err")"
else ok "nothing went wrong on the server's side"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
