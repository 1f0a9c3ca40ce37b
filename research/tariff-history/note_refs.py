"""Goods lines whose footnotes name a U.S. note of chapter 99 ("See U.S. note 16 to subchapter
III, chapter 99"), per JSON revision: the Section 232 metals lists were attached this way until
2026 Rev 4 (notes 16 steel, 19 aluminum), which `tariff check --measures` can compare with the
shipped s232 lists. Writes measurements/footnote_notes.csv. Research helper (read-only)."""

from __future__ import annotations

import csv
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(__file__))
import revisions as R  # noqa: E402

NOTE = re.compile(r"U\.S\. notes? (\d+)(?:\(([a-z]+)\))? to subchapter ([IVX]+)", re.I)


def main() -> None:
    out = []
    for rev in R.json_revisions():
        counts: Counter[str] = Counter()
        for key, t in R.lines(rev):
            if "#" in key or key.startswith("99"):
                continue
            found = {f"note {n} subch. {s}" for n, _sub, s in NOTE.findall(t["footnotes"])}
            counts.update(found)
        for note, n in sorted(counts.items()):
            out.append({"revision": rev["label"], "note": note, "lines": n})
        print(rev["label"], dict(counts), file=sys.stderr)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "measurements",
                        "footnote_notes.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["revision", "note", "lines"], lineterminator="\n")
        w.writeheader()
        w.writerows(out)


if __name__ == "__main__":
    main()
