import sys, tomllib
def paras(t): return [p for p in (x.strip() for x in t.split("\n\n")) if p]
for f in sys.argv[1:]:
    d = tomllib.load(open(f, "rb"))
    s, t = paras(d["source"]), paras(d["translation"])
    si = [i for b in d["beads"] for i in b[0]]; ti = [i for b in d["beads"] for i in b[1]]
    assert si == list(range(len(s))), (f, "source indices", si, len(s))
    assert ti == list(range(len(t))), (f, "translation indices", ti, len(t))
    assert all(len(b[0]) <= 2 and len(b[1]) <= 2 and (b[0] or b[1]) for b in d["beads"]), f
    kinds = {f"{len(b[0])}-{len(b[1])}" for b in d["beads"]}
    print("OK", f, len(s), len(t), sorted(kinds))
