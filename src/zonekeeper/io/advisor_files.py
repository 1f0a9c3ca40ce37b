"""The advisor's input files: the components of a product (`advise status`) and the import
history and exports (`advise roi`).

The components file is declared like the zone's files (`io.zone_files.Format`): columns
`part,hts,origin,quantity_per_unit,unit_value`, optional `spi` and `status_now` (PF or NPF).
The bill of materials of `advise roi --bom` likewise: `product,part,quantity_per_unit`.
The import history is the drawback import format or ACE ES-003 (`io.drawback_files.
read_imports`, Chapter 99 ordinal rows folded into their line) and the exports the drawback
export format (`read_exports`): read by those readers, turned into the advisor's records.

Every problem carries the stable code of the reader that found it (`file.*` for the
components file, as for every zone file; `drawback.*` for the import history and exports),
and the whole file is refused if any row is bad.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from zonekeeper.advisor.election import Component
from zonekeeper.advisor.roi import BomLine, ExportedGoods, ImportedLine
from zonekeeper.errors import InputError, Problem
from zonekeeper.io.cells import country, hts, identifier, nonnegative_decimal, positive_decimal
from zonekeeper.io.drawback_files import read_exports, read_imports
from zonekeeper.io.zone_files import Column, Format


def _status(value: str) -> str:
    status = value.strip().upper()
    if status not in ("PF", "NPF"):
        raise ValueError(f"status_now must be PF or NPF, got {value!r}")
    return status


def _spi(value: str) -> str:
    return value.strip().upper()


COMPONENTS = Format(
    (
        Column("part", identifier),
        Column("hts", hts),
        Column("origin", country),
        Column("quantity_per_unit", positive_decimal),
        Column("unit_value", nonnegative_decimal),
        Column("spi", _spi, required=False),
        Column("status_now", _status, required=False),
    ),
    Component,
    ("part",),
    "part",
)


BOM = Format(
    (
        Column("product", identifier),
        Column("part", identifier),
        Column("quantity_per_unit", positive_decimal),
    ),
    BomLine,
    ("product", "part"),
    "component",
)
"""A bill of materials (`advise roi --bom`): each row one imported part in one unit of a
finished product, its part number as the exports name it."""


def _read(form: Format, path: Path) -> list[Any]:
    """The file's records; InputError with every problem found."""
    problems: list[Problem] = []
    try:
        rows = form.read(path, problems)
    except InputError as error:  # unreadable: nothing else could be checked
        problems = list(error.problems)
    if problems:
        raise InputError(problems)
    return form.records(rows)


def read_bom(path: Path) -> list[BomLine]:
    """A bill of materials (`BOM`); InputError with every problem found."""
    return _read(BOM, path)


def read_components(path: Path) -> list[Component]:
    """The components of one finished unit; InputError with every problem found."""
    records: list[Component] = _read(COMPONENTS, path)
    return [replace(c, spi=c.spi or None) for c in records]


def read_history(path: Path) -> list[ImportedLine]:
    """Import entry lines (drawback import format or ACE ES-003) as the ROI reads them:
    every duty component paid on a line added up, the entry's MPF where given."""
    lines = read_imports(path)
    out = []
    for ln in lines:
        paid = (ln.duty + ln.duty_301 + ln.duty_232 + ln.duty_122 + ln.duty_ieepa
                + ln.duty_ieepa_reciprocal + ln.duty_ieepa_fentanyl + ln.duty_adcvd)
        out.append(ImportedLine(
            entry_no=ln.entry_no, import_date=ln.import_date, hts=ln.hts, value=ln.value,
            duty=paid, quantity=ln.quantity, origin=ln.origin, part=ln.part, mpf=ln.mpf,
        ))  # fmt: skip
    return out


def read_exported(path: Path) -> list[ExportedGoods]:
    """Exports (and destructions) in the drawback export format."""
    exports = read_exports(path)
    return [ExportedGoods(e.export_date, e.hts, e.quantity, e.part) for e in exports]


