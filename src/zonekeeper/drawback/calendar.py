"""Dates the drawback law counts: 5-year windows and working days.

- Claims: "not later than 5 years after the date on which the merchandise designated ...
  was imported" (19 CFR 190.51(e)(1)): the last day is the fifth anniversary.
- Unused merchandise: export or destroy "before the close of the 5-year period beginning on
  the date of importation" (190.32(a); 1313(j)): the period counts the import day as its
  first day, so the last day is the day before the fifth anniversary.
- Manufacturing: use and export "within 5 years after importation" (190.27): the last day
  is the fifth anniversary.
- An import on 29 February has its anniversary on 28 February in a common year (the
  earlier day, the conservative reading).
- Working days (notice of intent, 190.35(a)) are counted by `zonekeeper.workdays`.
"""

from __future__ import annotations

from datetime import date, timedelta


def anniversary(start: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls back to 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def claim_deadline(import_date: date) -> date:
    """Last day to file a complete claim designating this import (190.51(e)(1))."""
    return anniversary(import_date, 5)


def unused_export_deadline(import_date: date) -> date:
    """Last day to export/destroy for 1313(j) and 1313(c): end of the 5-year period (190.32(a))."""
    return anniversary(import_date, 5) - timedelta(days=1)


def manufacturing_deadline(import_date: date) -> date:
    """Last day to use in manufacture and export the article: 5 years after import (190.27)."""
    return anniversary(import_date, 5)
