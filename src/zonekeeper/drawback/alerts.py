"""Alerts a drawback desk acts on: claim windows about to close, notices of intent due.

- Claim window (190.51(e)): an import line with refundable duty not yet designated whose
  5-year claim deadline falls within `horizon` days of the as-of date.
- Notice of intent (CBP Form 7553, 190.35(a); 190.42 rejected merchandise; 190.71
  destruction): due at least 5 working days before the export or destruction. Flagged
  `due` when the last filing day is within a week of as-of, `late` when it has passed
  (file now, or apply under 190.36 if the goods have left). Manufacturing exports need no
  notice; their destructions do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from zonekeeper.drawback.amounts import line_bases
from zonekeeper.drawback.calendar import claim_deadline
from zonekeeper.drawback.measures import DefaultPolicy, MeasurePolicy
from zonekeeper.drawback.plan import available_quantities, designation_refund
from zonekeeper.drawback.records import (
    ClaimType,
    Export,
    ExportDisposition,
    ImportLine,
    PriorDesignation,
)
from zonekeeper.money import in_money_context
from zonekeeper.workdays import working_days_before

NOTICE_WORKING_DAYS = 5
DUE_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class ClaimWindowAlert:
    entry_no: str
    line: int
    import_date: date
    deadline: date
    days_left: int
    unclaimed_quantity: Decimal
    unclaimed_refund: Decimal  # 99% of eligible amounts on the unclaimed quantity, cents


@dataclass(frozen=True)
class NoticeAlert:
    export_ref: str
    export_date: date
    disposition: str
    due: date  # last day to file CBP Form 7553
    status: str  # 'due' | 'late'
    reason: str


@in_money_context
def claim_window_alerts(
    imports: Sequence[ImportLine],
    as_of: date,
    *,
    claim: ClaimType = ClaimType.J2,
    prior: Sequence[PriorDesignation] = (),
    policy: MeasurePolicy | None = None,
    horizon: int = 90,
) -> tuple[ClaimWindowAlert, ...]:
    """Imports whose claim window closes within `horizon` days with refund left (190.51(e))."""
    left, _ = available_quantities(imports, prior)
    bases = line_bases(imports, claim, policy or DefaultPolicy())
    out: list[ClaimWindowAlert] = []
    for imp in imports:
        deadline = claim_deadline(imp.import_date)
        days = (deadline - as_of).days
        qty = left[imp.key]
        if not (0 <= days <= horizon and qty > 0):
            continue
        # What a claim would pay: each component rounded down, then summed.
        basis = bases[imp.key]
        refund = designation_refund(basis, qty)
        if refund > 0:
            out.append(
                ClaimWindowAlert(
                    imp.entry_no, imp.line, imp.import_date, deadline, days, qty, refund
                )
            )
    out.sort(key=lambda a: (a.deadline, -a.unclaimed_refund))
    return tuple(out)


def needs_notice(export: Export, claim: ClaimType) -> bool:
    """Unused and rejected merchandise always; manufacturing only for destruction."""
    return not claim.manufacturing or export.disposition is ExportDisposition.DESTRUCTION


@in_money_context
def notice_alerts(
    exports: Sequence[Export], as_of: date, *, claim: ClaimType = ClaimType.J2
) -> tuple[NoticeAlert, ...]:
    """Exports/destructions whose notice of intent is due or late on `as_of` (190.35(a))."""
    out: list[NoticeAlert] = []
    for export in exports:
        if not needs_notice(export, claim):
            continue
        due = working_days_before(export.export_date, NOTICE_WORKING_DAYS)
        what = "destruction" if export.disposition is ExportDisposition.DESTRUCTION else "export"

        def late(message: str, export: Export = export, due: date = due) -> NoticeAlert:
            return NoticeAlert(export.export_ref, export.export_date,
                               export.disposition.value, due, "late", message)

        if export.notice_date is not None:
            if export.notice_date > due:
                out.append(late(
                    f"notice filed {export.notice_date}, after {due}: less than 5 working "
                    f"days before the {what} (190.35(a); 190.36 application needed)"
                ))
            continue
        if export.export_date < as_of:
            continue  # already gone; whether a notice was filed is not in the file
        if as_of > due:
            out.append(late(
                f"5 working days before the {what} on {export.export_date} was {due} "
                "(190.35(a)); file now or seek a waiver (190.91) / 190.36"
            ))
        elif due - as_of <= DUE_WINDOW:
            out.append(
                NoticeAlert(
                    export.export_ref,
                    export.export_date,
                    export.disposition.value,
                    due,
                    "due",
                    f"file CBP Form 7553 by {due}: 5 working days before the "
                    f"{what} on {export.export_date} (190.35(a))",
                )
            )
    out.sort(key=lambda a: (a.due, a.export_ref))
    return tuple(out)
