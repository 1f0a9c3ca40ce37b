"""Turn exports (and, for manufacturing, production records) into demands for import quantity.

- 1313(j)(1), (j)(2), (c): the export itself, in its own unit.
- 1313(a), (b): an export of a product is traced to the production runs that made it
  (earliest run first, made on or before the export: the FIFO accounting method of
  190.14(c)(3)(i) applied to the finished product); each run's inputs per unit of product
  (bill of materials actually used, 190.26(a)) become a demand for the input.
- The lesser-of cap (substitution only): (j)(2) 190.32(b): the duty, taxes and fees the
  exported article would owe if imported, from its HTS and export value (190.11(b)) on the
  export date; (b) 190.22(a)(1)(ii): what the substitute input would owe, from its HTS and
  cost of acquisition (190.11(d)) on the date of use. When the cap cannot be computed the
  demand is kept out of the plan and reported with the reason: the conservative treatment
  (no refund is claimed that the claimant cannot show is within the limit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zonekeeper.drawback.amounts import RATE
from zonekeeper.drawback.ports import DutyEstimator
from zonekeeper.drawback.records import ClaimType, Export, ImportLine, ProductionInput
from zonekeeper.drawback.rules import Demand, normalize_unit
from zonekeeper.errors import CannotCompute


@dataclass(frozen=True)
class Demands:
    demands: tuple[Demand, ...]
    notes: tuple[str, ...]


def build_demands(
    claim: ClaimType,
    exports: Sequence[Export],
    imports: Sequence[ImportLine],
    production: Sequence[ProductionInput],
    estimator: DutyEstimator | None,
) -> Demands:
    """The demands of every export under `claim`, each with its lesser-of cap."""
    if claim.manufacturing:
        return _manufacturing(claim, exports, imports, production, estimator)
    out: list[Demand] = []
    for export in exports:
        cap, reason, priced = None, "direct identification: no lesser-of limit", True
        if claim is ClaimType.J2:
            cap, reason, priced = _cap(
                estimator, export.hts, export.value, export.quantity, export.unit,
                export, "the exported article if imported (190.32(b)(1)(ii))",
            )
        out.append(Demand(
            id=len(out), export=export, use_date=export.export_date, hts=export.hts,
            part=export.part, quantity=export.quantity, unit=export.unit,
            cap_per_unit=cap, cap_reason=reason, priced=priced,
        ))
    return Demands(tuple(out), ())


def _cap(
    estimator: DutyEstimator | None,
    hts: str,
    value: Decimal | None,
    quantity: Decimal,
    unit: str,
    export: Export,
    what: str,
    on: date | None = None,
) -> tuple[Decimal | None, str, bool]:
    when = export.export_date if on is None else on
    if estimator is None:
        return None, f"cannot compute the duty {what}: no tariff available", False
    if value is None:
        return None, f"cannot compute the duty {what}: no value (190.11(d))", False
    try:
        owed = estimator.would_owe(hts, value, quantity, unit, when, export.origin)
    except CannotCompute as error:
        return None, f"cannot compute the duty {what}: {error.reason}", False
    per_unit = owed / quantity if quantity else Decimal(0)
    return RATE * per_unit, f"99% of {owed} owed by {what} on {when} (HTS {hts})", True


def _manufacturing(
    claim: ClaimType,
    exports: Sequence[Export],
    imports: Sequence[ImportLine],
    production: Sequence[ProductionInput],
    estimator: DutyEstimator | None,
) -> Demands:
    runs: dict[str, list[ProductionInput]] = defaultdict(list)
    for row in production:
        runs[row.production_ref].append(row)
    by_product: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for ref, rows in sorted(runs.items(), key=lambda kv: (kv[1][0].date, kv[0])):
        by_product[rows[0].product_part].append((ref, rows[0].product_qty))
    left = {ref: rows[0].product_qty for ref, rows in runs.items()}
    unit_of_part = {imp.part: imp.unit for imp in imports if imp.part}
    unit_of_hts = {imp.hts[:8]: imp.unit for imp in imports}
    hts_of_part = {imp.part: imp.hts for imp in imports if imp.part}
    out: list[Demand] = []
    notes: list[str] = []
    for export in sorted(exports, key=lambda e: (e.export_date, e.export_ref)):
        need = export.quantity
        if not export.part or export.part not in by_product:
            notes.append(f"export {export.export_ref}: no production record for part "
                         f"{export.part!r}: not a manufacturing drawback export")
            continue
        for ref, _ in by_product[export.part]:
            rows = runs[ref]
            if rows[0].date > export.export_date or left[ref] <= 0 or need <= 0:
                continue
            take = min(need, left[ref])
            left[ref] -= take
            need -= take
            for row in rows:
                qty = take * row.input_qty / row.product_qty
                hts = row.input_hts or hts_of_part.get(row.input_part or "", "")
                unit = (unit_of_part.get(row.input_part or "")
                        or unit_of_hts.get(hts[:8], ""))
                cap: Decimal | None = None
                reason, priced = "direct identification: no lesser-of limit", True
                if claim is ClaimType.B:
                    value = (None if row.input_value is None
                             else row.input_value * take / row.product_qty)
                    cap, reason, priced = _cap(
                        estimator, hts, value, qty, unit, export,
                        "the substituted merchandise if imported (190.22(a)(1)(ii))",
                        on=row.date,
                    )
                out.append(Demand(
                    id=len(out), export=export, use_date=row.date, hts=hts,
                    part=row.input_part, quantity=qty, unit=normalize_unit(unit) if unit else "",
                    cap_per_unit=cap, cap_reason=reason, priced=priced, production_ref=ref,
                ))
        if need > 0:
            notes.append(f"export {export.export_ref}: {need} of part {export.part} not "
                         "covered by production on or before the export date")
    return Demands(tuple(out), tuple(notes))
