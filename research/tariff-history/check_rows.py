"""Run the product's own stacking (`zonekeeper.tariff.measures`, read-only from src)
over the rows of measures_2025_2026.csv that cover every product (`coverage all`): which
headings a line of each origin pays on each date. A consistency check of the data, not a
test of the product: rows on product lists (potash, energy, metals, semiconductors) are left
out, so these are the duties of an ordinary line of the origin.

    PYTHONPATH=src nice -n 19 .venv/bin/python research/tariff-history/check_rows.py
"""

from __future__ import annotations

import csv
import os
from datetime import date

from zonekeeper.tariff.measures import build_book, parse_measures

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    ("VN", "2025-04-08", None), ("VN", "2025-04-09", None), ("VN", "2025-04-10", None),
    ("VN", "2025-09-01", None), ("CN", "2025-02-10", None), ("CN", "2025-04-09", None),
    ("CN", "2025-04-12", None), ("CN", "2025-06-01", None), ("CN", "2025-11-15", None),
    ("CN", "2026-03-01", None), ("DE", "2025-09-01", None), ("JP", "2025-08-20", None),
    ("JP", "2025-10-01", None), ("KR", "2025-11-01", None), ("KR", "2025-11-20", None),
    ("CH", "2025-11-01", None), ("CH", "2025-12-01", None), ("CA", "2025-03-05", "S"),
    ("CA", "2025-09-01", None), ("CA", "2025-09-01", "S"), ("MX", "2025-09-01", None),
    ("BR", "2025-09-01", None), ("IN", "2025-09-01", None), ("IN", "2026-02-10", None),
    ("GB", "2025-09-01", None), ("GB", "2026-03-01", None), ("RU", "2025-09-01", None),
    ("FR", "2026-08-01", None),
]


def main() -> None:
    with open(os.path.join(HERE, "measures_2025_2026.csv"), encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["coverage"] == "all"]
    book = build_book(parse_measures(rows, "measures_2025_2026.csv"), {}, {})
    for origin, on, spi in CASES:
        kept, warnings = book.applicable("8414.30.80.30", origin, date.fromisoformat(on),
                                         spi=spi)
        paid = ", ".join(f"{m.heading} {m.rate.text}" for m in kept) or "nothing"
        claim = f" (claim {spi})" if spi else ""
        print(f"{origin} {on}{claim}: {paid}")
        for w in warnings:
            print(f"    ! {w[:150]}")


if __name__ == "__main__":
    main()
