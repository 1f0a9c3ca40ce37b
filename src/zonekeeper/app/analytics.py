"""Use cases over an importer's own entry data (issue 14): the ranked opportunities and the
IEEPA refunds, from an ACE ES-003 report or a drawback import file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from zonekeeper.analytics.classification import classification_alternatives
from zonekeeper.analytics.findings import Opportunity, ranked, totals
from zonekeeper.analytics.first_sale import first_sale_candidates, missing_columns
from zonekeeper.analytics.ieepa import cape_batches, ieepa_refunds
from zonekeeper.analytics.preference import unclaimed_preferences
from zonekeeper.analytics.quality import QualityReport, quality_report
from zonekeeper.analytics.rate_change import rate_changes
from zonekeeper.analytics.records import EntryLine
from zonekeeper.app.context import Context
from zonekeeper.app.opportunity_kinds import (
    Found,
    classifier,
    drawback_opportunity,
    zone_opportunity,
)
from zonekeeper.app.outputs.analytics import (
    LineCheckOut,
    OpportunitiesReport,
    OpportunityOut,
    Quality,
    RefundsReport,
)
from zonekeeper.bindings.analytics import TariffPricer
from zonekeeper.heap import collector_paused
from zonekeeper.io.es003 import read_entry_lines
from zonekeeper.money import ZERO, in_money_context
from zonekeeper.sources.analytics import overpayment_rates

CLASSIFY_OFF = ("off by default: give --classify to ask the classifier about each distinct "
                "product description (`zonekeeper classify suggest` lists candidates too)")
NO_DESCRIPTIONS = "the file has no product descriptions (a 'Product Description' column)"


def _out(o: Opportunity) -> OpportunityOut:
    return OpportunityOut(
        kind=o.kind, title=o.title, amount=o.amount, amount_reason=o.amount_reason,
        entries=list(o.entries), evidence=list(o.evidence), risk=o.risk, action=o.action,
        deadline=o.deadline, route=o.route, interest=o.interest, interest_note=o.interest_note,
        supplier=o.supplier, month=o.month)


def _quality(report: QualityReport) -> Quality:
    return Quality(
        lines_recomputed=report.recomputed, not_recomputed=report.not_recomputed,
        reconciliation=[LineCheckOut(entry=c.entry, line=c.line, row=c.row,
                                     reported=c.reported, recomputed=c.recomputed,
                                     difference=c.difference)
                        for c in report.reconciliation])


@in_money_context
def opportunities(context: Context, entries: Path, *, exports: Path | None = None,
                  as_of: date | None = None, classify: bool = False) -> OpportunitiesReport:
    """The ranked opportunities in an entry file on `as_of` (the context's today by
    default): the data-quality report, preferences not claimed, IEEPA refunds, rate changes,
    first sale candidates, the zone's economics, drawback against `exports` and, with
    `classify`, classification alternatives for a broker's review."""
    day = as_of or context.today()
    with collector_paused():  # a million acyclic records: nothing for the collector to find
        lines = read_entry_lines(entries)
        pricer = TariffPricer(context.tariff)
        quality = quality_report(lines, pricer)
        other = _other_kinds(context, lines, pricer, entries, exports, day, classify)
        found = ranked([*quality.findings, *unclaimed_preferences(lines, pricer, day),
                        *ieepa_refunds(lines, day, overpayment_rates()),
                        *rate_changes(lines, pricer, day), *other.opportunities])
    return OpportunitiesReport(
        as_of=day, file=str(entries), lines=len(lines),
        entries=len({line.entry for line in lines}),
        duty_reported=sum((line.total_duty for line in lines), ZERO),
        opportunities=[_out(o) for o in found], totals=dict(totals(found)),
        quality=_quality(quality), not_looked_for=dict(sorted(other.not_looked_for.items())),
        none_found=dict(sorted(other.none_found.items())))


def _other_kinds(context: Context, lines: Sequence[EntryLine], pricer: TariffPricer,
                 entries: Path, exports: Path | None, day: date, classify: bool) -> Found:
    """First sale, zone, drawback and classification (`app.opportunity_kinds`)."""
    result = Found()
    why = missing_columns(lines)
    if why is None:
        result.opportunities += first_sale_candidates(lines, pricer)
    else:
        result.not_looked_for["first_sale"] = why
    result.add(zone_opportunity(context, lines, exports))
    result.add(drawback_opportunity(context, entries, exports, day))
    if not classify:
        result.not_looked_for["classification"] = CLASSIFY_OFF
    elif not any(line.description.strip() for line in lines):
        result.not_looked_for["classification"] = NO_DESCRIPTIONS
    else:
        result.opportunities += classification_alternatives(lines, pricer, classifier())
    found = {o.kind for o in result.opportunities}
    for kind in ("first_sale", "classification"):
        if kind not in result.not_looked_for and kind not in found:
            result.none_found[kind] = "looked for: none in this file"
    return result


@in_money_context
def refunds(context: Context, entries: Path, as_of: date) -> RefundsReport:
    """The IEEPA refunds of an entry file on `as_of`, per entry, with the CAPE uploads."""
    del context  # a refund needs no tariff or books: the file and the shipped rates
    with collector_paused():
        found = ieepa_refunds(read_entry_lines(entries), as_of, overpayment_rates())
    by_route: dict[str, list[Decimal | None]] = {}
    for o in found:
        by_route.setdefault(o.route or "unknown", []).append(o.amount)
    return RefundsReport(
        as_of=as_of, file=str(entries), refunds=[_out(o) for o in found],
        total=_sum_or_none(o.amount for o in found),
        interest=_sum_or_none(o.interest for o in found),
        by_route={route: _sum_or_none(amounts) for route, amounts in by_route.items()},
        cape_upload=cape_batches(found))


def _sum_or_none(amounts: Iterable[Decimal | None]) -> Decimal | None:
    """The sum, or None when any part cannot be computed (its reason is on that refund):
    a total is never understated by counting an unknown amount as 0."""
    listed = list(amounts)
    if any(a is None for a in listed):
        return None
    return sum((a for a in listed if a is not None), ZERO)
