"""Every Chapter 99 heading text (9903.xx.xx) of every JSON revision, as spans of identical
text: heading, first and last revision showing that text, description, general.

Usage: nice -n 19 python3 ch99_texts.py PREFIX... > out.tsv   (e.g. 9903.01 9903.02)
Research helper (read-only).
"""

from __future__ import annotations

import sys

import revisions as R


def main(prefixes: list[str]) -> None:
    prev_label = ""
    spans: dict[str, list[list[str]]] = {}
    order: list[str] = []
    for rev in R.json_revisions():
        label = rev["label"]
        seen = set()
        for key, t in R.lines(rev):
            if not key.startswith(tuple(prefixes)) or "#" in key:
                continue
            seen.add(key)
            text = (t["description"], t["general"])
            runs = spans.setdefault(key, [])
            if key not in order:
                order.append(key)
            if runs and runs[-1][4] == text and runs[-1][3] == prev_label:
                runs[-1][3] = label
            else:
                runs.append([key, label, rev["from"], label, text])
        prev_label = label
    for key in sorted(order):
        for k, first, since, last, (desc, gen) in spans[key]:
            print("\t".join([k, first, since, last, gen.replace("\n", " "),
                             " ".join(desc.split())]))


if __name__ == "__main__":
    main(sys.argv[1:])
