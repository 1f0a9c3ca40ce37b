"""Extract the Section 301 product exclusions in force from the chapter 99 notes text (U.S.
note 20(vvv) and (www) to subchapter III, as printed in HTSUS 2026 Revision 6) into the
shipped table `src/zonekeeper/data/tariff/s301/s301_exclusions.csv`.

    python3 research/tariff-history/s301_exclusions.py CHAPTER99_TEXT > s301_exclusions.csv

One row per (exclusion item, statistical reporting number): the exclusion heading to claim,
the list heading it lifts, the note item, the 10-digit number and the product description
verbatim (empty when the item is the bare number: then the whole number is excluded). Dates
come from the headings (DESIGN.md §6): 9903.88.69 from 2024-06-15, 9903.88.70 from
2024-01-01, both extended through 2026-11-09 (2025 Rev 31 text). The items are those of
Revision 6; items dropped at earlier extensions are not reconstructed.
"""

from __future__ import annotations

import csv
import re
import sys

SUBDIVISIONS = {  # note subdivision -> (exclusion heading, list heading it lifts)
    "vvv(i)": ("9903.88.69", "9903.88.01"),
    "vvv(ii)": ("9903.88.69", "9903.88.02"),
    "vvv(iii)": ("9903.88.69", "9903.88.03"),
    "vvv(iv)": ("9903.88.69", "9903.88.15"),
    "www": ("9903.88.70", "9903.88.02"),
}
DATES = {"9903.88.69": ("2024-06-15", "2026-11-09"), "9903.88.70": ("2024-01-01", "2026-11-09")}
NOISE = re.compile(
    r"^\s*(Harmonized Tariff Schedule|Annotated for|[XVI]+\s*$|99 - III -|U\.S\. Notes \(con\.\))"
)
START = re.compile(r"^\((vvv)\)\s+\((i)\)|^\((ii|iii|iv)\) The U\.S\. Trade|^\((www)\) The U\.S\.")
ITEM = re.compile(r"^\s{0,12}\((\d+)\)\s+(.*)")
CODE = re.compile(r"\b(\d{4}\.\d{2}\.\d{4})\b")


def items(lines: list[str]) -> list[tuple[str, int, str]]:
    """(subdivision, item number, text) for every item of (vvv)(i)-(iv) and (www)."""
    out: list[tuple[str, int, str]] = []
    where: str | None = None
    current: list[str] | None = None
    for line in lines:
        start = START.match(line)
        if start is not None:
            part = next(g for g in start.groups() if g)
            where = "vvv(i)" if part == "vvv" else ("www" if part == "www" else f"vvv({part})")
            current = None
            continue
        if where is None:
            continue
        if re.match(r"^\([a-z]\) ", line) and not line.startswith("(i"):
            break  # the next note after (www)
        if NOISE.match(line) or not line.strip():
            continue
        item = ITEM.match(line)
        if item is not None:
            current = [item.group(2).strip()]
            out.append((where, int(item.group(1)), ""))
            out[-1] = (where, int(item.group(1)), " ".join(current))
        elif current is not None:
            current.append(line.strip())
            out[-1] = (out[-1][0], out[-1][1], " ".join(current))
    return out


def main(path: str) -> None:
    lines = open(path, encoding="latin-1").read().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("(vvv)  (i)"))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(
        ["heading", "excludes", "note", "hts10", "description", "valid_from", "valid_to"]
    )
    for where, number, text in items(lines[first:]):
        heading, excludes = SUBDIVISIONS[where]
        codes = sorted(set(CODE.findall(text)))
        bare = CODE.fullmatch(text.strip()) is not None
        description = "" if bare else text
        start, end = DATES[heading]
        note = where.replace("vvv(", "vvv)(")[:-1] if where != "www" else where
        for code in codes:
            digits = code.replace(".", "")
            writer.writerow(
                [heading, excludes, f"20({note})({number})", digits, description, start, end]
            )


if __name__ == "__main__":
    main(sys.argv[1])
