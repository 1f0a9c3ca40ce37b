"""Shared reader of the shipped history (read-only): the revisions in order with their dates.

Research helper, not product code. Reads the USITC history exports ($ZK_HISTORY) (MANIFEST.csv and
the USITC JSON/CSV exports) and yields plain rows.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
from collections.abc import Iterator

HISTORY = os.environ.get("ZK_HISTORY", "tariff-history")  # the USITC history exports (MANIFEST.csv)
FIELDS = ("general", "special", "other", "units", "footnotes")


def manifest() -> list[dict[str, str]]:
    """Every file of MANIFEST.csv, ordered by the date it came into force."""
    with open(os.path.join(HISTORY, "MANIFEST.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["from"] = row["in_force_from"].split("..")[0]
        row["label"] = row["edition"].replace("HTS ", "")
    rows.sort(key=lambda r: (r["from"], r["file"]))
    return rows


def json_revisions() -> list[dict[str, str]]:
    return [r for r in manifest() if r["file"].endswith(".json.gz")]


def read_json(row: dict[str, str]) -> list[dict]:
    with gzip.open(os.path.join(HISTORY, row["file"])) as f:
        return json.load(f)


def norm_units(units: object) -> str:
    if isinstance(units, list):
        return "|".join(str(u) for u in units)
    return str(units or "")


def norm_footnotes(notes: object) -> str:
    """Footnotes as one string: 'columns:value' joined by ' || ' (marker and type dropped)."""
    if not notes:
        return ""
    out = []
    for n in notes:  # type: ignore[union-attr]
        cols = ",".join(n.get("columns") or [])
        out.append(f"{cols}:{' '.join(str(n.get('value') or '').split())}")
    return " || ".join(out)


def line_key(rec: dict) -> str:
    """A line's identity: its HTS number, or for a label row (no number) the description
    under its parent (`superior`) rows are kept in order, so label rows get their position."""
    return rec.get("htsno") or ""


def lines(row: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """(key, texts) per record; label rows without htsno get key '#<n>:<description[:40]>'."""
    last = ""
    n = 0
    for rec in read_json(row):
        code = (rec.get("htsno") or "").strip()
        if code:
            last, n = code, 0
            key = code
        else:
            n += 1
            key = f"{last}#{n}"
        yield key, {
            "indent": str(rec.get("indent") or ""),
            "description": rec.get("description") or "",
            "units": norm_units(rec.get("units")),
            "general": rec.get("general") or "",
            "special": rec.get("special") or "",
            "other": rec.get("other") or "",
            "footnotes": norm_footnotes(rec.get("footnotes")),
            "quota": str(rec.get("quotaQuantity") or ""),
            "additional": str(rec.get("additionalDuties") or ""),
        }


SEE = re.compile(r"99\d\d\.\d\d\.\d\d")


def footnote_headings(notes: str) -> list[str]:
    return SEE.findall(notes)
