"""Write measurements/SUMMARY.md from measurements/measurements.json and footnote_headings.csv
(the tables quoted in DESIGN.md). Research helper; reads only files under measurements/."""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "measurements")


def main() -> None:
    d = json.load(open(os.path.join(HERE, "measurements.json"), encoding="utf-8"))
    out = ["# Measurements of the shipped tariff history", "",
           "Made by `measure_history.py` (rows read with the product's `parse_usitc`, rates "
           "parsed with `zonekeeper.tariff.rate_parser` of src). "
           "`changed` counts lines present in both revisions whose general, special, other, "
           "units or footnotes text differs (footnotes only between two JSON files); "
           "`w/o markup` is the same count once the export's HTML tags are removed "
           "(`m<sup>3</sup>` = `m3`).", "",
           "| revision | in force from | records | numbered lines | lines footnoting a 99xx "
           "heading | changed vs previous | w/o markup | added | removed | general | special | "
           "other | units | footnotes |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    changes = [None] + d["changes"]
    pct = 100 * d["parsed_without_markup"] / d["distinct_rate_texts_without_markup"]
    for r, c in zip(d["revisions"], changes, strict=False):
        if c is None:
            cells = ["", "", "", "", "", "", "", "", ""]
        else:
            cells = [c["changed"], c["changed_without_markup"], c["added"], c["removed"],
                     c["general_without_markup"], c["special_without_markup"],
                     c["other_without_markup"], c["units_without_markup"],
                     c.get("footnotes_without_markup", "n/a")]
        out.append("| " + " | ".join(str(x) for x in [r["revision"], r["in_force_from"],
                                                       r["records"], r["numbered_lines"],
                                                       r["lines_with_9903_footnote"], *cells])
                   + " |")
    out += ["", f"Distinct rate texts over all 49 revisions (column, text): "
                f"**{d['distinct_rate_texts']}**, parsed {d['parsed']} "
                f"({d['parsed_pct']}%); with the markup removed "
                f"**{d['distinct_rate_texts_without_markup']}**, parsed "
                f"{d['parsed_without_markup']} "
                f"({pct:.2f}%). "
                f"Kinds (raw texts; special columns count each rate inside): {d['kinds']}.", "",
            "Unparsed once the markup is removed:", ""]
    for u in d["unparsed_without_markup"]:
        out.append(f"- ``{u['text']}`` ({u['column']}, {u['hts']}, {u['revision']})")
    out += ["", "Unparsed with the markup (all but the six above contain `<sup>`, `<il>` or "
            "`<u>` tags):", ""]
    for u in d["unparsed"]:
        out.append(f"- ``{u['text']}`` ({u['column']}, {u['hts']}, {u['revision']})")
    out += ["", "Byte-identical revisions (sha256 of the uncompressed file): " +
            "; ".join(" = ".join(p) for p in d["identical_files"]), ""]
    rows = list(csv.DictReader(open(os.path.join(HERE, "footnote_headings.csv"),
                                    encoding="utf-8")))
    revs: list[str] = []
    by: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        if r["revision"] not in revs:
            revs.append(r["revision"])
        by[r["heading"]][r["revision"]] = int(r["lines"])
    out += ["## Goods lines whose footnotes name a Chapter 99 heading", "",
            f"{len(by)} headings are footnoted in at least one of the {len(revs)} JSON "
            "revisions (the CSVs carry no footnotes). Per heading: lines in the first JSON "
            "revision (2025 Basic), the last (2026 Rev 10), and the revisions where the count "
            "changes. No goods line footnotes a 9903.01/.02/.03 (IEEPA, Section 122), 9903.79 "
            "or 9903.8x/9903.94 (Section 232) heading: those measures attach by U.S. note and "
            "list only.", "",
            "| heading | 2025 Basic | 2026 Rev 10 | changes |", "|---|---:|---:|---|"]
    for h in sorted(by):
        series = [by[h].get(r, 0) for r in revs]
        steps = [f"{revs[i]}: {series[i - 1]}→{series[i]}" for i in range(1, len(revs))
                 if series[i] != series[i - 1]]
        out.append(f"| {h} | {series[0]} | {series[-1]} | {'; '.join(steps)} |")
    with open(os.path.join(HERE, "SUMMARY.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
