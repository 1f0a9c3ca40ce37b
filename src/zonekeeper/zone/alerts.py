"""What the zone operator must do next, and by when: deadlines of 19 CFR 146 as alerts.

A pure function over the books' state, the entries and an as-of date (never "today"):

- a weekly estimate (CBP Form 3461) exceeded without a supplemental filed before the
  removal (146.63(c)(1));
- an entry summary due within 10 business days after the week (146.63(c); 142.12(b));
- goods under a permit for transfer to customs territory not removed within 5 working days
  of issuance (146.71(c)) — the entry is cancelled otherwise (146.71(d));
- an overage with no Form 214 or entry within 5 days (146.53(d));
- a shortage that must be reported in writing at once (146.53(a)): 1% or more of the lot
  **and** $100 or more in duty and taxes, theft, or merchandise not properly admitted;
- the annual reconciliation due 90 days after the zone year end (146.25(a)), and its
  certification 10 working days after that (146.25(c));
- receipts held in suspense until documented (146.22(c)).

An alert clears when the books record the filing that answers it (`zone.filings`): the
shell passes what was filed (`summaries_filed`, `supplementals_filed`, the findings'
`resolved`/`reported`, `reconciliations_done`, `certifications_done`, the permits) and sets
`filings_tracked`; then an entry summary never filed stays listed, overdue, however old.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from zonekeeper.money import in_money_context, usd
from zonekeeper.workdays import working_days_after
from zonekeeper.zone.weekly import EstimatedEntry, Week, overruns, summary_due
from zonekeeper.zone.withdrawal_duty import Removal, RemovalDisposition

PERMIT_REMOVAL_WORKING_DAYS = 5  # 146.71(c)
OVERAGE_DAYS = 5  # 146.53(d)
RECONCILIATION_DAYS = 90  # 146.25(a)
CERTIFICATION_WORKING_DAYS = 10  # 146.25(c)


@dataclass(frozen=True)
class Alert:
    """One thing to do: what, about which record, by when, under which rule."""

    kind: str
    subject: str
    message: str
    due: date | None
    overdue: bool
    citation: str


@dataclass(frozen=True)
class TransferPermit:
    """A CBP permit to transfer goods to customs territory and when they physically left."""

    permit: str
    shipment_no: str
    issued_on: date
    removed_on: date | None = None


@dataclass(frozen=True)
class CountFinding:
    """A shortage or overage from a count, as the books recorded it (146.53)."""

    lot: str
    part: str
    kind: str  # "shortage" | "overage"
    difference: Decimal
    found_on: date
    duty: Decimal | None
    reportable: bool  # 146.53(a) requires a written report at once
    reasons: tuple[str, ...] = ()
    resolved: bool = False  # overage: a Form 214 or entry filed for it
    reported: bool = False  # shortage: the written report was made (146.53(a))
    deadline: date | None = None


@dataclass(frozen=True)
class SuspenseHold:
    ref: str
    date: date
    part: str
    quantity: Decimal
    reason: str = ""


@dataclass(frozen=True)
class AlertInputs:
    """Everything the alerts read; the shell gathers it from the books."""

    as_of: date
    removals: Sequence[Removal] = ()
    estimates: Sequence[EstimatedEntry] = ()
    summaries_filed: frozenset[Week] = frozenset()
    supplementals_filed: Mapping[Week, date] = field(default_factory=dict)  # first filing
    consumption_weeks: frozenset[Week] = frozenset()  # weeks with removals, whole books
    permits: Sequence[TransferPermit] = ()
    findings: Sequence[CountFinding] = ()
    suspense: Sequence[SuspenseHold] = ()
    zone_year_end: tuple[int, int] = (12, 31)  # month, day
    zone_opened: date | None = None  # no reconciliation is due before the first zone year
    reconciliations_done: frozenset[int] = frozenset()  # zone years (year of the end date)
    certifications_done: frozenset[int] = frozenset()
    filings_tracked: bool = False  # the books record reconciliations/certifications filed
    lookback_days: int = 90  # untracked filings: how far back unfiled summaries are listed
    extra: tuple[Alert, ...] = field(default=())


def _week_alerts(inp: AlertInputs) -> list[Alert]:
    alerts: list[Alert] = []
    weeks = sorted(
        {
            Week.of(r.date)
            for r in inp.removals
            if r.disposition is RemovalDisposition.CONSUMPTION and r.date <= inp.as_of
        }
        | {w for w in inp.consumption_weeks if w.start <= inp.as_of}
    )
    # each week's removals, in their order, from one pass (not one pass per week)
    by_week: dict[Week, list[Removal]] = {}
    if inp.estimates:
        for r in inp.removals:
            if r.date <= inp.as_of:
                by_week.setdefault(Week.of(r.date), []).append(r)
    for week in weeks:
        in_week = by_week.get(week, [])
        for over in overruns(week, inp.estimates, in_week) if inp.estimates else []:
            # a supplemental 3461 recorded for the week answers the alert; one filed after
            # the removal did not meet 146.63(c)(1), and the books keep its date
            if not over.covered and week not in inp.supplementals_filed:
                alerts.append(
                    Alert(
                        "estimate_exceeded",
                        f"{week} part {over.part}",
                        f"removals of {over.part} reached {over.removed} against an estimate of "
                        f"{over.estimated} on {over.exceeded_on} with no supplemental 3461 filed "
                        "before the removal",
                        over.exceeded_on,
                        True,
                        "19 CFR 146.63(c)(1)",
                    )
                )
        due = summary_due(week)
        if week in inp.summaries_filed or week.end >= inp.as_of:
            continue
        if not inp.filings_tracked and inp.as_of - due > timedelta(days=inp.lookback_days):
            continue
        alerts.append(
            Alert(
                "entry_summary_due",
                str(week),
                f"weekly entry summary (7501, type 06) for {week} "
                f"({week.start} to {week.end}) due by {due}",
                due,
                inp.as_of > due,
                "19 CFR 146.63(c); 19 CFR 142.12(b)",
            )
        )
    return alerts


def _permit_alerts(inp: AlertInputs) -> list[Alert]:
    alerts = []
    for p in inp.permits:
        if p.removed_on is not None or p.issued_on > inp.as_of:
            continue
        due = working_days_after(p.issued_on, PERMIT_REMOVAL_WORKING_DAYS)
        alerts.append(
            Alert(
                "permit_not_removed",
                f"permit {p.permit} (shipment {p.shipment_no})",
                f"goods under permit {p.permit} issued {p.issued_on} must leave the zone by "
                f"{due}; otherwise the entry is cancelled (146.71(d))",
                due,
                inp.as_of > due,
                "19 CFR 146.71(c)",
            )
        )
    return alerts


def _count_alerts(inp: AlertInputs) -> list[Alert]:
    alerts = []
    for f in inp.findings:
        if f.kind == "overage" and not f.resolved:
            due = f.deadline or f.found_on + timedelta(days=OVERAGE_DAYS)
            alerts.append(
                Alert(
                    "overage_undocumented",
                    f"lot {f.lot} ({f.part})",
                    f"overage of {f.difference} found {f.found_on}: file a Form 214 or an "
                    f"entry by {due}",
                    due,
                    inp.as_of > due,
                    "19 CFR 146.53(d)",
                )
            )
        elif f.kind == "shortage" and f.reportable and not f.reported:
            duty = usd(f.duty) if f.duty is not None else "duty not computed"
            why = "; ".join(f.reasons) or "1% or more of the lot and $100 or more duty"
            alerts.append(
                Alert(
                    "shortage_reportable",
                    f"lot {f.lot} ({f.part})",
                    f"shortage of {-f.difference if f.difference < 0 else f.difference} "
                    f"found {f.found_on} ({duty}): report it to the port director in writing at "
                    f"once ({why}); the operator is liable for the duty",
                    f.found_on,
                    inp.as_of > f.found_on,
                    "19 CFR 146.53(a), (c)",
                )
            )
    return alerts


def _zone_year_end(inp: AlertInputs) -> date:
    month, day = inp.zone_year_end
    end = date(inp.as_of.year, month, day)
    return end if end < inp.as_of else date(inp.as_of.year - 1, month, day)


def _reconciliation_alerts(inp: AlertInputs) -> list[Alert]:
    end = _zone_year_end(inp)
    if inp.zone_opened is not None and inp.zone_opened > end:
        return []
    alerts: list[Alert] = []
    recon_due = end + timedelta(days=RECONCILIATION_DAYS)
    cert_due = working_days_after(recon_due, CERTIFICATION_WORKING_DAYS)
    if not inp.filings_tracked and inp.as_of > cert_due:
        # Without a record of what was filed, a past window cannot be called overdue.
        return alerts
    if end.year not in inp.reconciliations_done:
        alerts.append(
            Alert(
                "reconciliation_due",
                f"zone year ended {end}",
                f"annual reconciliation report for the zone year ended {end} due by {recon_due}",
                recon_due,
                inp.as_of > recon_due,
                "19 CFR 146.25(a)",
            )
        )
    if end.year not in inp.certifications_done:
        alerts.append(
            Alert(
                "certification_due",
                f"zone year ended {end}",
                f"certification of the reconciliation for the zone year ended {end} due to the "
                f"port director by {cert_due}",
                cert_due,
                inp.as_of > cert_due,
                "19 CFR 146.25(c)",
            )
        )
    return alerts


def _suspense_alerts(inp: AlertInputs) -> list[Alert]:
    return [
        Alert(
            "in_suspense",
            f"suspense {s.ref} ({s.part})",
            f"{s.quantity} of {s.part} received {s.date} held in suspense"
            + (f" ({s.reason})" if s.reason else "")
            + ": admit it on a Form 214 or resolve it",
            None,
            False,
            "19 CFR 146.22(c)",
        )
        for s in inp.suspense
        if s.date <= inp.as_of
    ]


@in_money_context
def alerts(inp: AlertInputs) -> list[Alert]:
    """Every open alert as of `inp.as_of`, overdue first, then by due date."""
    found = [
        *_week_alerts(inp),
        *_permit_alerts(inp),
        *_count_alerts(inp),
        *_reconciliation_alerts(inp),
        *_suspense_alerts(inp),
        *inp.extra,
    ]
    return sorted(found, key=lambda a: (not a.overdue, a.due or date.max, a.kind, a.subject))
