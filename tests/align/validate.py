import sys, tomllib
# Checks gold alignment files: beads in the translation's order, every paragraph of each side
# in exactly one bead, each side of a bead contiguous and at most two paragraphs; a moved pair's
# source paragraph may stand out of the source's order.
def paras(t): return [p for p in (x.strip() for x in t.split("\n\n")) if p]
for f in sys.argv[1:]:
    d = tomllib.load(open(f, "rb"))
    s, t = paras(d["source"]), paras(d["translation"])
    si = [i for b in d["beads"] for i in b[0]]; ti = [i for b in d["beads"] for i in b[1]]
    assert sorted(si) == list(range(len(s))), (f, "source indices", si, len(s))
    assert ti == list(range(len(t))), (f, "translation indices", ti, len(t))
    for b in d["beads"]:
        assert (b[0] or b[1]) and len(b[0]) <= 2 and len(b[1]) <= 2, (f, b)
        for side in b:
            assert not side or side == list(range(side[0], side[0] + len(side))), (f, b)
    kinds = {f"{len(b[0])}-{len(b[1])}" for b in d["beads"]}
    print("OK", f, len(s), len(t), sorted(kinds))
