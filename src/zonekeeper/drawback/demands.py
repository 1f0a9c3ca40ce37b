"""Turn exports (and, for manufacturing, production records) into demands for import quantity.

- 1313(j)(1), (j)(2), (c): the export itself, in its own unit.
- 1313(a), (b): an export of a product is traced to the production runs that made it
  (earliest run first, made on or before the export: the FIFO accounting method of
  190.14(c)(3)(i) applied to the finished product); each run's inputs per unit of product
  (bill of materials actually used, 190.26(a)) become a demand for the input.
- The lesser-of cap (substitution only): (j)(2) 190.32(b): the duty, taxes and fees the
  exported article would owe if imported, from its HTS and export value (190.11(b)) on the
  export date; (b) 190.22(a)(1)(ii): what the substitute input would owe, from its HTS and
  cost of acquisition (190.11(d)) on the date of use. The cap is kept per duty class
  (customs duties, MPF, HMF), since each class is limited on its own (190.51(b)(2)(v),
  (b)(4)). When the cap cannot be computed the demand is kept out of the plan and reported
  with the reason: the conservative treatment (no refund is claimed that the claimant
  cannot show is within the limit).
- Exports to Canada or Mexico (19 CFR part 182 subpart E; 19 U.S.C. 4534):
  - 1313(j)(2): no drawback at all (182.42(c)); the demand carries that refusal.
  - 1313(j)(1), (a), (b): the refund may not exceed the duty paid to Canada or Mexico on the
    exported good (4534; 182.44, and 190.51(a)(2)(xv) for the foreign entry's duty). It is
    read from the export's `foreign_duty`; 99% of it is the limit, as 190.32(b) and
    190.22(a)(1)(ii) word their lesser-of (the reading that never claims more). Without it
    the demand is refused with the reason. For (a)/(b) the export's foreign duty is shared
    among the inputs traced to it: by product quantity to each production run, then by the
    inputs' cost (190.11(d)) when every input of the run gives one, else equally, so the
    shares never add up to more than the duty paid.
  - Full drawback (182.45): a (j)(1) export certified to be in the same condition as
    imported (`same_condition`, 190.51(a)(2)(xv)) is not a "good subject to USMCA
    drawback" (4534(a)(2)) and has no foreign-duty limit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zonekeeper.drawback.amounts import RATE
from zonekeeper.drawback.measures import DutyClass
from zonekeeper.drawback.ports import DutyEstimator
from zonekeeper.drawback.records import ClaimType, Export, ImportLine, ProductionInput
from zonekeeper.drawback.rules import Demand, normalize_unit
from zonekeeper.errors import CannotCompute, Problem
from zonekeeper.money import in_money_context


@dataclass(frozen=True)
class Demands:
    demands: tuple[Demand, ...]
    notes: tuple[Problem, ...]  # warnings, each with its stable code (docs/problems.md)


@in_money_context
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
        cap: Mapping[DutyClass, Decimal] | None = None
        reason, priced = "direct identification: no lesser-of limit", True
        foreign: Decimal | None = None
        refusal: str | None = None
        if claim is ClaimType.J2:
            if export.usmca:
                refusal = (f"exported to {_COUNTRY[export.destination or '']}: no 1313(j)(2) "
                           "(unused merchandise substitution) drawback on goods exported to "
                           "Canada or Mexico (19 CFR 182.42(c))")
            else:
                cap, reason, priced = _cap(
                    estimator, export.hts, export.value, export.quantity, export.unit,
                    export, "the exported article if imported (190.32(b)(1)(ii))",
                )
        elif claim is ClaimType.J1:
            foreign, usmca_reason, refusal = _usmca_limit(claim, export, Decimal(1),
                                                          export.quantity)
            if usmca_reason:
                reason = f"{reason}; {usmca_reason}"
        out.append(Demand(
            id=len(out), export=export, use_date=export.export_date, hts=export.hts,
            part=export.part, quantity=export.quantity, unit=export.unit,
            cap_by_class=cap, cap_reason=reason, priced=priced, foreign_cap=foreign,
            refusal=refusal,
        ))
    return Demands(tuple(out), ())


_COUNTRY = {"CA": "Canada", "MX": "Mexico"}


def _usmca_limit(
    claim: ClaimType, export: Export, share: Decimal, quantity: Decimal
) -> tuple[Decimal | None, str | None, str | None]:
    """(limit per unit, its reason, refusal) for a demand taking `share` of `export`.

    19 U.S.C. 4534 and 19 CFR 182.44: drawback on a good exported to Canada or Mexico may
    not exceed the duty paid there on it (the foreign entry's duty, 190.51(a)(2)(xv)); 99%
    of it, as the lesser-of of 190.32(b) is worded. 182.45 / 4534(a)(2): a (j)(1) good
    certified to be in the same condition as imported gets full drawback. Not an export to
    Canada or Mexico: (None, None, None).
    """
    if not export.usmca:
        return None, None, None
    country = _COUNTRY[export.destination or ""]
    if claim is ClaimType.J1 and export.same_condition:
        return None, (f"exported to {country} in the same condition as imported (certified, "
                      "190.51(a)(2)(xv)): not a good subject to USMCA drawback (19 U.S.C. "
                      "4534(a)(2)): full drawback (182.45)"), None
    if export.foreign_duty is None:
        same = (" or certify it left in the same condition as imported (same_condition)"
                if claim is ClaimType.J1 else "")
        return None, None, (
            f"exported to {country}: 19 U.S.C. 4534 and 19 CFR 182.44 limit the refund to "
            f"the duty paid to {country} on the good, and the export gives none: give it in "
            f"the foreign_duty column (190.51(a)(2)(xv)){same}")
    paid = export.foreign_duty * share
    cap = RATE * paid / quantity if quantity else Decimal(0)
    part = "" if share == 1 else f" (this input's share {paid} of {export.foreign_duty})"
    return cap, (f"USMCA: at most 99% of the duty paid to {country}, "
                 f"{export.foreign_duty}{part} (19 U.S.C. 4534; 19 CFR 182.44)"), None


def _cap(
    estimator: DutyEstimator | None,
    hts: str,
    value: Decimal | None,
    quantity: Decimal,
    unit: str,
    export: Export,
    what: str,
    on: date | None = None,
) -> tuple[Mapping[DutyClass, Decimal] | None, str, bool]:
    """The substitution lesser-of limit per unit after 99%, per duty class (see the module
    docstring), its derivation, and whether it could be computed."""
    when = export.export_date if on is None else on
    if estimator is None:
        return None, f"cannot compute the duty {what}: no tariff available", False
    if value is None:
        return None, f"cannot compute the duty {what}: no value (190.11(d))", False
    try:
        owed = estimator.would_owe(hts, value, quantity, unit, when, export.origin)
    except CannotCompute as error:
        return None, f"cannot compute the duty {what}: {error.reason}", False
    cap = {cls: RATE * amount / quantity if quantity else Decimal(0)
           for cls, amount in owed.by_class.items()}
    classes = ", ".join(f"{cls.value} {amount}" for cls, amount in owed.by_class.items())
    return cap, (f"99% of {owed.total} owed by {what} on {when} (HTS {hts}): {classes}, "
                 f"each class the limit of its own (190.51(b)(2)(v), (b)(4)) "
                 f"[{owed.derivation}]"), True


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
    notes: list[Problem] = []
    for export in sorted(exports, key=lambda e: (e.export_date, e.export_ref)):
        need = export.quantity
        if not export.part or export.part not in by_product:
            notes.append(Problem(f"export {export.export_ref}: no production record for part "
                                 f"{export.part!r}: not a manufacturing drawback export",
                                 code="drawback.plan.no-production", severity="warning"))
            continue
        for ref, _ in by_product[export.part]:
            rows = runs[ref]
            if rows[0].date > export.export_date or left[ref] <= 0 or need <= 0:
                continue
            take = min(need, left[ref])
            left[ref] -= take
            need -= take
            weights = _input_weights(rows)
            for row, weight in zip(rows, weights, strict=True):
                qty = take * row.input_qty / row.product_qty
                hts = row.input_hts or hts_of_part.get(row.input_part or "", "")
                unit = (unit_of_part.get(row.input_part or "")
                        or unit_of_hts.get(hts[:8], ""))
                cap: Mapping[DutyClass, Decimal] | None = None
                reason, priced = "direct identification: no lesser-of limit", True
                if claim is ClaimType.B:
                    value = (None if row.input_value is None
                             else row.input_value * take / row.product_qty)
                    cap, reason, priced = _cap(
                        estimator, hts, value, qty, unit, export,
                        "the substituted merchandise if imported (190.22(a)(1)(ii))",
                        on=row.date,
                    )
                foreign, usmca_reason, refusal = _usmca_limit(
                    claim, export, take / export.quantity * weight, qty)
                if usmca_reason:
                    reason = f"{reason}; {usmca_reason}"
                out.append(Demand(
                    id=len(out), export=export, use_date=row.date, hts=hts,
                    part=row.input_part, quantity=qty, unit=normalize_unit(unit) if unit else "",
                    cap_by_class=cap, cap_reason=reason, priced=priced, production_ref=ref,
                    foreign_cap=foreign, refusal=refusal,
                ))
        if need > 0:
            notes.append(Problem(f"export {export.export_ref}: {need} of part {export.part} "
                                 "not covered by production on or before the export date",
                                 code="drawback.plan.production-short", severity="warning"))
    return Demands(tuple(out), tuple(notes))


def _input_weights(rows: Sequence[ProductionInput]) -> list[Decimal]:
    """Each input's share of its run's part of a USMCA export's foreign duty.

    By cost of acquisition (190.11(d)) when every input gives one and they sum above 0,
    else equal shares. The shares add up to 1, so the inputs' limits never add up to more
    than the duty paid to Canada or Mexico (19 CFR 182.44).
    """
    values = [row.input_value for row in rows]
    known = [v for v in values if v is not None]
    total = sum(known, Decimal(0))
    if len(known) == len(rows) and total > 0:
        return [v / total for v in known]
    return [Decimal(1) / len(rows)] * len(rows)
