#!/usr/bin/env python3
"""gold_check.py MANDAT: compares `mandat parse --json` on each corpus file with the
hand-checked gold of tests/gold/ (copied from the project's gold seeds; see
tests/gold/README.md).  Structure only, for now: entity count and kinds, symbol, organ,
session, adoption date, preamble and operative counts, each preambular opening and
start line, each operative number and start line, end lines, footnote count.
Prints one "ok"/"not ok" line per check and "N passed, N failed".  Standard library only.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANDAT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "mandat")
passed = failed = 0


def check(name, want, got):
    global passed, failed
    if want == got:
        passed += 1
        print(f"ok - {name}")
        return
    failed += 1
    if isinstance(want, list) and isinstance(got, list):
        # show the first element that differs, not the whole list
        i = next((k for k in range(min(len(want), len(got))) if want[k] != got[k]), min(len(want), len(got)))
        w = want[i] if i < len(want) else "(none)"
        g = got[i] if i < len(got) else "(none)"
        print(f"not ok - {name}: item {i + 1} of {len(want)}: want {w!r}, got {g!r}"
              + (f" ({len(got)} items)" if len(got) != len(want) else ""))
    else:
        print(f"not ok - {name}: want {want!r}, got {got!r}")


def norm_session(s):
    return None if s is None else str(s)


for gname in sorted(os.listdir(os.path.join(ROOT, "tests", "gold"))):
    if not gname.endswith(".json"):
        continue
    stem = gname[:-5]
    gold = json.load(open(os.path.join(ROOT, "tests", "gold", gname), encoding="utf-8"))
    doc = os.path.join(ROOT, "corpus", stem + ".txt")
    run = subprocess.run([MANDAT, "parse", "--json", doc], capture_output=True)
    if run.returncode != 0:
        check(f"{stem}: parses", 0, run.returncode)
        continue
    out = json.loads(run.stdout)
    ge, me = gold["entities"], out["entities"]
    check(f"{stem}: entity count", len(ge), len(me))
    ids = {g["id"]: f"R{i + 1}" for i, g in enumerate(ge)}
    for i, g in enumerate(ge):
        if i >= len(me):
            break
        m = me[i]
        p = f"{stem} {g['id']}"
        check(f"{p}: kind", g["kind"], m["kind"])
        check(f"{p}: parent", ids.get(g.get("parent")), m["parent"])
        check(f"{p}: symbol", g.get("symbol"), m["symbol"])
        check(f"{p}: organ", g.get("organ"), m["organ"])
        check(f"{p}: session", norm_session(g.get("session")), m["session"])
        check(f"{p}: adoption date", g.get("adoption_date"), m["adoption_date"])
        pos = g.get("position", {})
        if "start_line" in pos:
            check(f"{p}: start line", pos["start_line"], m["lines"][0])
        check(f"{p}: preamble count", g["preamble_count"], len(m["preamble"]))
        check(f"{p}: operative count", g["operative_count"], len(m["operative"]))
        check(f"{p}: preamble openings and lines",
              [(x["opening"], x["start_line"], x["end_line"]) for x in g["preamble"]],
              [(x["opening"], x["lines"][0], x["lines"][1]) for x in m["preamble"]])
        check(f"{p}: operative numbers and lines",
              [(None if x.get("number") is None else str(x["number"]), x["start_line"], x["end_line"])
               for x in g["operative"]],
              [(x["number"], x["lines"][0], x["lines"][1]) for x in m["operative"]])
        check(f"{p}: footnote count", g["footnotes"]["count"], len(m["footnotes"]))
        if isinstance(g["footnotes"].get("numbers"), list):
            check(f"{p}: footnote numbers", g["footnotes"]["numbers"], [x["n"] for x in m["footnotes"]])

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
