#!/bin/sh
# embed_web.sh DIR: print a C file holding every file under DIR as a byte array and
# the table mandat_web_assets (src/http.h), so `mandat serve` needs no web root and
# no URL can reach the file system.  Plain POSIX sh, od and awk: no xxd needed.
set -e
dir=${1:-web}
echo "/* Generated from $dir/ by scripts/embed_web.sh: do not edit. */"
echo "#include \"http.h\""
files=$(cd "$dir" && find . -type f ! -name '.*' | sed 's|^\./||' | LC_ALL=C sort)
i=0
for f in $files; do
  echo "static const unsigned char a$i[] = {"
  od -An -v -tu1 "$dir/$f" | awk '{ s = ""; for (k = 1; k <= NF; k++) s = s $k ","; print s }'
  echo "0};"
  i=$((i + 1))
done
echo "const mandat_web_asset mandat_web_assets[] = {"
i=0
for f in $files; do
  case "$f" in
    *.html) t="text/html; charset=utf-8" ;;
    *.js) t="text/javascript; charset=utf-8" ;;
    *.css) t="text/css; charset=utf-8" ;;
    *.json) t="application/json" ;;
    *.svg) t="image/svg+xml" ;;
    *.png) t="image/png" ;;
    *) t="application/octet-stream" ;;
  esac
  echo "    {\"$f\", \"$t\", a$i, sizeof a$i - 1},"
  i=$((i + 1))
done
echo "    {0, 0, 0, 0}};"
