"""Each component's `source` cites the HTS revision its data came from: the base rate's and
each Chapter 99 heading's, in the revision in force on the date the measure was applied."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zonekeeper.duty import LineItem, LineQuote, quote_line
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.schedule import Schedule


def _sources(quote: LineQuote) -> dict[str, str]:
    return {c.heading: c.source for c in quote.components}


def test_a_measure_cites_the_revision_in_force(quote) -> None:  # type: ignore[no-untyped-def]
    march = _sources(quote("8414.30.80.60", "CN", "800", date(2026, 3, 1)))
    assert march["8414.30.80"] == "HTS 2026 Revision 4, 8414.30.80, General rate"
    assert march["9903.88.01"].startswith(
        "HTS 2026 Revision 4, heading 9903.88.01; Section 301 (19 USC 2411)"
    )
    assert march["9903.03.01"].startswith("HTS 2026 Revision 4, heading 9903.03.01; ")
    january = _sources(quote("8414.30.80.60", "CN", "800", date(2026, 1, 10)))
    assert january["9903.88.01"].startswith("HTS 2026 Basic Edition, heading 9903.88.01; ")
    assert january["9903.01.25"].startswith("HTS 2026 Basic Edition, heading 9903.01.25; EO")


def test_a_heading_the_revision_does_not_print_says_so(tariff) -> None:  # type: ignore[no-untyped-def]
    """A tariff whose newest revision is Revision 3 (the shipped history left out): the
    Section 122 heading of 2026-02-24 is not printed in it."""
    schedule = Schedule([tariff.schedule.revision_named("HTS 2026 Basic Edition"),
                         tariff.schedule.revision_named("HTS 2026 Revision 3")])
    older = Tariff(schedule, tariff.measures, tariff.programs, tariff.fees, tariff.column2)
    item = LineItem("8414.30.80.60", "CN", Decimal(800))
    sources = _sources(quote_line(older, item, date(2026, 3, 1)))
    assert sources["9903.03.01"].startswith(
        "heading 9903.03.01, not printed in HTS 2026 Revision 3 (the revision in force on "
        "2026-03-01); Proclamation of 2026-02-20"
    )


def test_a_frozen_measure_cites_the_revision_of_the_pf_date(tariff) -> None:  # type: ignore[no-untyped-def]
    item = LineItem("8414.30.80.60", "CN", Decimal(800))
    frozen = quote_line(tariff, item, date(2026, 3, 1), frozen_on=date(2026, 1, 10))
    sources = _sources(frozen)
    assert sources["8414.30.80"].startswith("HTS 2026 Basic Edition, 8414.30.80")
    assert sources["9903.88.01"].startswith("HTS 2026 Basic Edition, heading 9903.88.01; ")
