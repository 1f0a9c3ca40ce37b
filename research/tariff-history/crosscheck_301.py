"""First cut of `zonekeeper tariff check --measures` for Section 301 (read-only research):
for each JSON revision and each Section 301 heading, the shipped list
(src/zonekeeper/data/tariff/s301/s301_product_lists.csv, 8-digit codes) against the goods
lines whose footnotes name the heading (read at 8 digits: a 10-digit line counts for its
8-digit code). Kinds of difference:
  listed_absent      listed code that no line of the revision has at all (renumbered/retired)
  listed_unfootnoted listed code present in the revision but no line of it names the heading
  footnoted_unlisted a line names the heading, its 8-digit code is not on the shipped list
Writes measurements/crosscheck_301.csv.  nice -n 19 python3 crosscheck_301.py
"""

from __future__ import annotations

import csv
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(__file__))
import revisions as R  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LISTS = os.path.join(HERE, "..", "..", "src", "zonekeeper", "data", "tariff", "s301",
                     "s301_product_lists.csv")


def main() -> None:
    listed: dict[str, set[str]] = defaultdict(set)
    with open(LISTS, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            listed[row["ch99_code"]].add(row["hts8"])
    out = []
    for rev in R.json_revisions():
        present: set[str] = set()
        noted: dict[str, set[str]] = defaultdict(set)
        for key, t in R.lines(rev):
            if "#" in key or key.startswith("99"):
                continue
            digits = key.replace(".", "")
            if len(digits) >= 8:
                present.add(digits[:8])
                for h in set(R.footnote_headings(t["footnotes"])):
                    if h in listed:
                        noted[h].add(digits[:8])
        for h in sorted(listed):
            lst, fn = listed[h], noted.get(h, set())
            unf = lst - fn
            out.append({"revision": rev["label"], "heading": h, "listed": len(lst),
                        "footnoted": len(fn),
                        "listed_absent": len(unf - present),
                        "listed_unfootnoted": len(unf & present),
                        "footnoted_unlisted": len(fn - lst),
                        "examples": " ".join(sorted(fn - lst)[:3] + sorted(unf & present)[:3])})
        print(rev["label"], file=sys.stderr)
    with open(os.path.join(HERE, "measurements", "crosscheck_301.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.DictWriter(f, list(out[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(out)


if __name__ == "__main__":
    main()
