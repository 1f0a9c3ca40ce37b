"""Master data of the zone's books: the part master and bills of materials, effective-dated.

A part or BOM version is valid from its `valid_from` date until the next version's; a
posting uses the version in force on its own date (146.23(b): description, part or stock
number; 146.52(d)(2): audit trail through manufacture).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from zonekeeper.zone.limits import identifier_problems, text_problems

ONE = Decimal(1)
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Part:
    """One version of a part: number, description, HTS, country of origin, unit of quantity."""

    number: str
    description: str
    hts: str | None
    origin: str | None
    unit: str
    valid_from: dt.date


@dataclass(frozen=True, slots=True)
class BomLine:
    """One component of a bill of materials, per unit of product.

    `quantity` is the quantity incorporated in one unit of good product. `waste` is
    irrecoverable waste and `scrap` recoverable scrap, each as a fraction of `quantity`
    consumed on top of it: consuming one unit of product takes
    `quantity * (1 + waste + scrap) / yield` of the component. Recoverable scrap becomes
    its own lot of `scrap_part` (default `"<component>-SCRAP"`).
    """

    component: str
    quantity: Decimal
    waste: Decimal = ZERO
    scrap: Decimal = ZERO
    scrap_part: str | None = None

    @property
    def scrap_part_number(self) -> str:
        return self.scrap_part or f"{self.component}-SCRAP"


@dataclass(frozen=True, slots=True)
class Bom:
    """One version of the bill of materials of `product`.

    `yield_rate` is the fraction of units started that come out as good product (1 = no
    loss); the inputs of rejected units are irrecoverable waste.
    """

    product: str
    valid_from: dt.date
    lines: tuple[BomLine, ...]
    yield_rate: Decimal = ONE


@dataclass(frozen=True, slots=True)
class MasterData:
    """Every version of every part and BOM, each list sorted by `valid_from`."""

    parts: Mapping[str, tuple[Part, ...]]
    boms: Mapping[str, tuple[Bom, ...]]

    @classmethod
    def build(cls, parts: Iterable[Part] = (), boms: Iterable[Bom] = ()) -> MasterData:
        return cls({}, {}).with_versions(parts, boms)

    def with_versions(self, parts: Iterable[Part] = (), boms: Iterable[Bom] = ()) -> MasterData:
        """A copy with more versions; a version with the same key and date replaces it."""
        new_parts: dict[str, dict[dt.date, Part]] = {
            k: {p.valid_from: p for p in v} for k, v in self.parts.items()
        }
        for p in parts:
            new_parts.setdefault(p.number, {})[p.valid_from] = p
        new_boms: dict[str, dict[dt.date, Bom]] = {
            k: {b.valid_from: b for b in v} for k, v in self.boms.items()
        }
        for b in boms:
            new_boms.setdefault(b.product, {})[b.valid_from] = b
        return MasterData(
            {k: tuple(v[d] for d in sorted(v)) for k, v in new_parts.items()},
            {k: tuple(v[d] for d in sorted(v)) for k, v in new_boms.items()},
        )

    def part_on(self, number: str, on: dt.date) -> Part | None:
        """The version of part `number` in force on `on`, or None."""
        return _in_force(self.parts.get(number, ()), on)

    def bom_on(self, product: str, on: dt.date) -> Bom | None:
        """The BOM version of `product` in force on `on`, or None."""
        return _in_force(self.boms.get(product, ()), on)


_V = TypeVar("_V", Part, Bom)


def _in_force(versions: tuple[_V, ...], on: dt.date) -> _V | None:
    if len(versions) == 1:  # the usual case
        return versions[0] if versions[0].valid_from <= on else None
    i = bisect_right([v.valid_from for v in versions], on)
    return versions[i - 1] if i else None


def bom_problems(bom: Bom, known: MasterData) -> list[tuple[int, str, str]]:
    """(line index, column, reason) for each reason a bill of materials cannot be loaded,
    given the master it joins (empty if it can): its product and every component must be
    parts of the master (load parts first), it needs a component, and a product cannot
    consume itself (146.52(d)(2): the audit trail of manufacture runs from components to a
    different product). A problem of the whole BOM is at its first line (index 0). Text
    the books cannot hold (`zone.limits`) is refused first."""
    held = [(0, "product", reason) for _, reason in text_problems(bom.product)]
    held += [(0, "product", reason) for _, reason in identifier_problems({"": bom.product})]
    for j, line in enumerate(bom.lines):
        named = {"component": line.component, "scrap_part": line.scrap_part}
        held += [(j, "component", reason) for _, reason in text_problems(line)]
        held += [(j, column, reason) for column, reason in identifier_problems(named)]
    if held:
        return held
    found = []
    if bom.product not in known.parts:
        found.append(
            (0, "product", f"product {bom.product} is not in the part master "
             "(load it with parts load)")
        )
    if not bom.lines:
        found.append((0, "component", f"the bill of materials of {bom.product} has no components"))
    for j, line in enumerate(bom.lines):
        if line.component == bom.product:
            found.append((j, "component", f"{bom.product} lists itself as its own component"))
        elif line.component not in known.parts:
            found.append(
                (j, "component", f"component {line.component} is not in the part master "
                 "(load it with parts load)")
            )
    return found


_PART_COLUMNS = {"number": "part"}  # the file's column for each field, where they differ


def part_problems(part: Part) -> list[tuple[str, str]]:
    """(column, reason) for each text of a part version the books cannot hold: text that
    cannot be stored, a part number over `limits.ID` characters (`zone.limits`)."""
    found = [(_PART_COLUMNS.get(f, f), reason) for f, reason in text_problems(part)]
    return found or identifier_problems({"part": part.number})
