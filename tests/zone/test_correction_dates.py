"""A correction restates the books at the date of the event it corrects (see
`zone.corrections`): no balance as of any date goes negative, and no later period's report
shows a stray reversal; a correction dated before its event is refused."""

from __future__ import annotations

from decimal import Decimal

from zone_helpers import admit, day, ship, zone

from zonekeeper.zone.events import Correction
from zonekeeper.zone.posting import post
from zonekeeper.zone.reports import annual_reconciliation, balances, board_report


def _books():  # type: ignore[no-untyped-def]
    first = post(
        zone(),
        [
            admit("A1", 1, "2026-03-02", "BOLT", 100, 1000),
            ship("2026-11-20", "E1", "BOLT", 40, 900),
        ],
    )
    assert first.problems == ()
    return first, {2: [p for p in first.postings if p.seq == 2]}


def test_a_correction_dated_before_its_event_is_refused() -> None:
    first, history = _books()
    early = post(
        first.state,
        [Correction(day("2026-06-01"), 2, "keyed twice")],
        postings_of=history.__getitem__,
    )
    [problem] = early.problems
    assert problem.field == "date"
    assert "dated 2026-06-01, before event #2 (2026-11-20)" in problem.message


def test_a_correction_in_a_later_year_restates_the_year_of_the_mistake() -> None:
    first, history = _books()
    fixed = post(
        first.state,
        [Correction(day("2027-01-05"), 2, "shipment never left")],
        postings_of=history.__getitem__,
    )
    assert fixed.problems == ()
    postings = [*first.postings, *fixed.postings]
    # The shipment is gone from 2026 on, and 2027 shows no negative forwarding.
    assert [line.quantity for line in balances(postings, day("2026-12-31"))] == [Decimal(100)]
    assert board_report(postings, 2026).forwarded_us_market == 0
    later = board_report(postings, 2027)
    assert (later.forwarded_us_market, later.us_market_zone_value) == (0, 0)
    # The 2026 reconciliation closes at 100 on hand, with the reversal netted in the year.
    [line] = annual_reconciliation(postings, fixed.state.lots, day("2026-01-01"), day("2026-12-31"))
    assert line.closing == Decimal(100)
    # Every balance as of every day of the story stays >= 0.
    for on in ("2026-03-02", "2026-11-20", "2026-12-31", "2027-01-05"):
        assert all(line.quantity >= 0 for line in balances(postings, day(on)))
