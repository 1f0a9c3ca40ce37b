"""Whether new part and BOM versions may join a zone's stored master data (146.21(a),
146.23(b), 146.52(d)(2)): pure checks of plain data, one pass that finds every problem, so
the books (`app.books`) refuse a master file whole with every reason at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import NamedTuple, TypeVar

from zonekeeper.errors import Problem
from zonekeeper.zone.master import Bom, MasterData, Part, bom_problems, part_problems

_V = TypeVar("_V", Part, Bom)


def version_of(versions: Mapping[str, Sequence[_V]], key: str, valid_from: dt.date) -> _V | None:
    """The version of part or product `key` valid from exactly `valid_from`, if stored."""
    for v in versions.get(key, ()):
        if v.valid_from == valid_from:
            return v
    return None


class Where(NamedTuple):
    """Where master versions came from, to locate their problems: the file, the row of each
    part version, the first row of each BOM version and the row of each of its lines."""

    file: str | None = None
    part_rows: Sequence[int] = ()
    bom_rows: Sequence[int] = ()
    line_rows: Sequence[Sequence[int]] = ()


def _row(rows: Sequence[int], i: int) -> int | None:
    return rows[i] if i < len(rows) else None


def _unjoined(
    master: MasterData, parts: Sequence[Part], boms: Sequence[Bom], where: Where
) -> list[Problem]:
    """A BOM's product and components must be parts of the master, with the parts loaded
    alongside (146.52(d)(2): the audit trail of manufacture runs from admitted components
    to a known product). The books check it under the zone's lock, so it holds for every caller."""
    if not boms:
        return []
    known = master.with_versions(parts)
    problems = []
    for i, b in enumerate(boms):
        lines = where.line_rows[i] if i < len(where.line_rows) else ()
        for j, column, reason in bom_problems(b, known):
            row = _row(lines, j) or _row(where.bom_rows, i)
            problems.append(
                Problem(reason, file=where.file, row=row, field=column, code="master.bom")
            )
    return problems


def master_problems(
    master: MasterData,
    parts: Sequence[Part],
    boms: Sequence[Bom],
    last: dt.date | None,
    where: Where | None = None,
) -> list[Problem]:
    """Why these versions cannot join the stored master: a changed version dated into
    posted history (`last`: the last posted event's date), or a BOM naming a part the
    master (with these parts) does not hold. In file row order."""
    where = where or Where()
    problems = _unjoined(master, parts, boms, where) + [
        Problem(
            reason, file=where.file, row=_row(where.part_rows, i), field=column, code="master.part"
        )
        for i, p in enumerate(parts)
        for column, reason in part_problems(p)
    ]
    if last is None:
        return _in_file_order(problems)
    file, part_rows, bom_rows = where.file, where.part_rows, where.bom_rows
    for i, p in enumerate(parts):
        existing = version_of(master.parts, p.number, p.valid_from)
        if p.number in master.parts and existing != p and p.valid_from <= last:
            problems.append(
                Problem(
                    f"part {p.number} already has postings up to {last}: a changed version "
                    f"must be valid from a later date (add valid_from)",
                    file=file,
                    row=_row(part_rows, i),
                    field="valid_from",
                    code="master.rewrites-history",
                )
            )
    for i, b in enumerate(boms):
        existing_bom = version_of(master.boms, b.product, b.valid_from)
        if b.product in master.boms and existing_bom != b and b.valid_from <= last:
            problems.append(
                Problem(
                    f"the bill of materials of {b.product} already has postings up to {last}: "
                    "a changed version must take effect later (add effective_from)",
                    file=file,
                    row=_row(bom_rows, i),
                    field="effective_from",
                    code="master.rewrites-history",
                )
            )
    return _in_file_order(problems)


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.row or 0)
