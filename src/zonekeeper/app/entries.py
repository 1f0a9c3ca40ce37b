"""Use cases of leaving the zone: the weekly entry, its 3461 estimate, a single consumption
entry, Form 214 admission data, the quarter's HMF and the open alerts.

Each takes the `Context` (the books' URL, the tariff, the clock) and the user's values as
typed (a week `2026-W32`, a quarter `2026Q3`, ISO dates, the estimates file), checks them
all in one pass (`InputError` with every problem; a value typed by the user names its
field: `week`, `entry-date`...), then reads the books in one snapshot and runs the zone
core (`app.entry_reads`: the books' read model; `zone.removals`, `zone.weekly`...). Each
returns the core's result `Stamped` with the chain head it was read at; its document for
`--json`, HTML and PDF is in `app.outputs.entries`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from zonekeeper.app import entry_reads as books
from zonekeeper.app.context import Context
from zonekeeper.app.entry_reads import ConsumptionEntry, Stamped
from zonekeeper.bindings.quoter import TariffQuoter
from zonekeeper.dates import date_option
from zonekeeper.errors import Collector, InputError, Problem
from zonekeeper.io.documents import read_estimates
from zonekeeper.zone.admission_doc import AdmissionDocument
from zonekeeper.zone.alerts import Alert
from zonekeeper.zone.hmf import HmfQuarter, Quarter
from zonekeeper.zone.weekly import EstimatedEntry, Week, WeeklyEntry
from zonekeeper.zone.withdrawal_duty import (
    Input,
    RemovalDisposition,
    StatusComparison,
    compare_npf_claim,
)

__all__ = ["ConsumptionEntry", "Stamped", "admission", "alerts", "consumption", "estimate",
           "hmf", "npf_claim", "weekly", "weekly_history"]  # fmt: skip


def _url(context: Context) -> str:
    if context.database_url is None:
        raise InputError(Problem("no books: the use case needs the zone's database",
                                 code="entries.no-books"))
    return context.database_url


def weekly(
    context: Context, week: str, *, entry_date: str | None = None,
    summary_date: str | None = None, estimates: Path | None = None, zone: str | None = None,
) -> Stamped[WeeklyEntry]:
    """The week's type-06 entry from the books (19 CFR 146.63(c)): NPF lines rated on
    `entry_date` (default: the week's Monday), MPF by the fiscal year of `summary_date`
    (default: its due date), estimate overruns against the filed 3461s in `estimates`."""
    values = Collector()
    parsed = values.read(lambda: Week.parse(week))
    entered = values.read(lambda: date_option(entry_date, "entry-date"))
    summary = values.read(lambda: date_option(summary_date, "summary-date"))
    filed = values.read(lambda: read_estimates(estimates)) if estimates is not None else []
    values.check()
    assert parsed is not None
    return books.weekly(_url(context), parsed, tariff=context.tariff, zone=zone,
                        entry_date=entered, summary_date=summary, estimates=filed or ())


# The most weeks one MPF history reads (half a year: one bounded read of the books).
MAX_HISTORY_WEEKS = 26


def weekly_history(
    context: Context, week: str, weeks: int = 8, zone: str | None = None
) -> Stamped[list[WeeklyEntry]]:
    """The type-06 entries of the `weeks` weeks ending with `week`, oldest first, each as
    `weekly` makes it by default: what the weekly entry saved in MPF week by week
    (19 CFR 146.63(c); 19 CFR 24.23(b)(1))."""
    values = Collector()
    last = values.read(lambda: Week.parse(week))
    if not 1 <= weeks <= MAX_HISTORY_WEEKS:
        values.problems.append(Problem(
            f"weeks must be 1 to {MAX_HISTORY_WEEKS}, not {weeks}", field="weeks",
            code="entries.history-weeks"))
    values.check()
    assert last is not None
    span = [Week.of(last.start - dt.timedelta(days=7 * back)) for back in range(weeks)]
    return books.weekly_history(_url(context), span[::-1], tariff=context.tariff, zone=zone)


@dataclass(frozen=True)
class Estimate:
    """The 3461 data for a week and the week whose removals it was made from."""

    stamped: Stamped[EstimatedEntry]
    like: Week


def estimate(
    context: Context, week: str, like: str | None = None, zone: str | None = None
) -> Estimate:
    """CBP Form 3461 data for `week` from the removals of the week `like` it (default: the
    week before), filed on or before the week's first day (146.63(c)(1))."""
    values = Collector()
    target = values.read(lambda: Week.parse(week))
    pattern = values.read(lambda: Week.parse(like)) if like else None
    values.check()
    assert target is not None
    pattern = pattern or Week.of(target.start - dt.timedelta(days=7))
    return Estimate(books.estimate(_url(context), target, pattern, zone=zone), pattern)


def consumption(
    context: Context, shipment_no: str, *, entry_date: str | None = None,
    zone: str | None = None,
) -> Stamped[ConsumptionEntry]:
    """One shipment as a single type-06 entry, filed on `entry_date` (default: the removal)."""
    on = date_option(entry_date, "date")
    return books.consumption(_url(context), shipment_no, tariff=context.tariff, zone=zone,
                             entry_date=on)  # fmt: skip


def admission(
    context: Context, admission_no: str, zone: str | None = None
) -> Stamped[AdmissionDocument]:
    """Form 214 data of one admission with the duty of each line at admission (146.32)."""
    return books.admission(_url(context), admission_no, tariff=context.tariff, zone=zone)


def hmf(context: Context, quarter: str, zone: str | None = None) -> Stamped[HmfQuarter]:
    """The quarter's HMF on vessel admissions (CBP Form 349, 19 CFR 146.22(e), 24.24)."""
    return books.hmf(_url(context), Quarter.parse(quarter), tariff=context.tariff, zone=zone)


@dataclass(frozen=True)
class Alerts:
    """The open alerts and the day they were judged by."""

    stamped: Stamped[list[Alert]]
    as_of: dt.date


def alerts(
    context: Context, as_of: str | None = None, estimates: Path | None = None,
    zone: str | None = None,
) -> Alerts:
    """Every open alert of the zone as of a day (default: the context's today); an alert
    clears when the books record the filing that answers it (`zone.filings`)."""
    values = Collector()
    day = values.read(lambda: date_option(as_of, "as-of"))
    filed = values.read(lambda: read_estimates(estimates)) if estimates is not None else []
    values.check()
    day = day or context.today()
    found = books.open_alerts(_url(context), day, zone=zone, estimates=filed or ())
    return Alerts(found, day)


@dataclass(frozen=True)
class NpfClaim:
    """What an inverted-tariff claim on a week's removals of one part would owe against the
    lawful entry (`zone.withdrawal_duty.compare_npf_claim`), for `units` of it."""

    units: Decimal
    comparison: StatusComparison


def npf_claim(
    context: Context, week: Week, part: str, zone: str | None = None
) -> NpfClaim | None:
    """The week's consumption removals of `part` priced two ways: every input NPF at the
    article's rate (the claim) and each input in the status the law gives it (19 CFR
    146.41, 146.65); None when the week removed none of it. The inputs per unit come from
    the first removal's composition (a production run's units share one). Only the week's
    shipments are read (with the productions behind them), as for its weekly entry."""
    read = books.read_books(_url(context), zone, since=week.start, until=week.end)
    removed = [r for r in books.removals(read, since=week.start, until=week.end)
               if r.part == part and r.disposition is RemovalDisposition.CONSUMPTION]
    if not removed:
        return None
    units = sum((r.quantity for r in removed), Decimal(0))
    sample = removed[0]
    per = sample.quantity
    inputs = [Input(c.part, c.hts, c.origin, c.value / per, c.quantity / per, c.unit)
              for c in sample.composition.pf]
    inputs += [Input(n.part, n.hts, n.origin, n.value / per, n.quantity / per, n.unit)
               for n in sample.composition.npf]
    quoter = TariffQuoter(context.tariff)
    comparison = compare_npf_claim(replace(sample, quantity=units), inputs, week.start,
                                   week.start, quoter, quoter.pf_required)
    return NpfClaim(units, comparison)
