#!/bin/sh
# http.sh MANDAT [SERVE ARGS…]: wrk against `mandat serve`'s /api/search on loopback
# for 30 s (DURATION), bounded: 2 wrk threads, 64 connections (CONNS).  Ingests the
# corpus into a temporary registry, rotates over a fixed set of queries (words,
# phrases, a prefix, a symbol, filters), and reports requests/s, p50/p99 latency,
# socket errors, non-2xx answers and answers from the response cache (X-Cache: hit).
# SERVE ARGS go to `mandat serve`: `--no-cache` measures every search afresh.
# Target (issue 7): >= 5,000 requests/s on 2 cores with 0 errors and 0 non-2xx.
# Exit status 1 when the target is missed.
set -u
MANDAT=${1:-./mandat}
[ $# -gt 0 ] && shift
DURATION=${DURATION:-30s}
CONNS=${CONNS:-64}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
command -v wrk >/dev/null 2>&1 || { echo "bench/http.sh: wrk is not installed (Debian: wrk)"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/mandat-bench-http.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
cp "$MANDAT" "$T/mandat"
(cd "$ROOT" && "$T/mandat" ingest --db "$T/m.db" corpus/ >/dev/null 2>&1) || { echo "bench/http.sh: ingest failed"; exit 1; }
"$T/mandat" serve --db "$T/m.db" --port 0 "$@" >"$T/out" 2>"$T/err" &
PID=$!
i=0
while [ $i -lt 100 ] && ! grep -q http:// "$T/out"; do sleep 0.05; i=$((i + 1)); done
URL=$(grep -o 'http://[^ ]*' "$T/out" | sed 's|/$||')
cat >"$T/search.lua" <<'LUA'
-- Rotate over fixed searches; count non-2xx answers and cache hits per thread, sum
-- them at the end.
local paths = {
  "/api/search?q=convention",
  "/api/search?q=%C2%AB%20ressources%20extrabudg%C3%A9taires%20%C2%BB",
  "/api/search?q=cybercriminalit%C3%A9&limit=10",
  "/api/search?q=coop%C3%A9r*&organ=GA&year=2016-2025",
  "/api/search?q=71/209",
  "/api/search?q=traite%20NOT%20migrants",
  "/api/search?q=corruption&addressee=unodc&force=request",
  "/api/search?q=Kyoto&kind=preamble",
}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) i = 0; bad = 0; hits = 0 end
function request() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end
function response(status, headers)
  if status < 200 or status > 299 then bad = bad + 1 end
  if headers["X-Cache"] == "hit" then hits = hits + 1 end
end
function done(summary, latency, requests)
  local n, h = 0, 0
  for _, t in ipairs(threads) do n = n + t:get("bad"); h = h + t:get("hits") end
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d non2xx=%d cache_hits=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.timeout, n, h))
end
LUA
echo "wrk: 2 threads, $CONNS connections, $DURATION, /api/search (8 queries in rotation), server $URL${*:+ ($*)}"
wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$T/search.lua" "$URL" >"$T/wrk" 2>&1
grep -E 'Latency|Req/Sec|requests in|Non-2xx|Socket errors' "$T/wrk"
line=$(grep '^RESULT' "$T/wrk")
echo "$line"
rps=$(echo "$line" | sed 's/.*rps=\([0-9]*\).*/\1/')
errs=$(echo "$line" | sed 's/.*errors=\([0-9]*\).*/\1/')
non2xx=$(echo "$line" | sed 's/.*non2xx=\([0-9]*\).*/\1/')
if [ "${rps:-0}" -ge 5000 ] && [ "$errs" -eq 0 ] && [ "$non2xx" -eq 0 ]; then
  echo "http: $rps requests/s >= 5000, 0 errors, 0 non-2xx: target met"
else
  echo "http: $rps requests/s, $errs errors, $non2xx non-2xx: target (>= 5000/s, 0, 0) missed"
  exit 1
fi
