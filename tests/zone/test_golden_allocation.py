"""Golden scenarios for allocation (146.23(a)(2)): FIFO, LIFO, specific lot, each applied
consistently, every removal traced to its lots and admissions (146.24(a)(2))."""

from __future__ import annotations

from zone_helpers import NPF, PF, admit, clean, render_lots, render_postings, ship, text, zone

from zonekeeper.zone.allocation import AllocationMethod
from zonekeeper.zone.posting import post
from zonekeeper.zone.status import ShipmentDisposition

# Three lots of bolts: 100 kg at $10/kg, 50 kg at $12/kg, 80 kg at $10/kg.
BOLTS = [
    admit("A1", 1, "2026-01-02", "BOLT", 100, 1000),
    admit("A2", 1, "2026-01-05", "BOLT", 50, 600),
    admit("A3", 1, "2026-01-09", "BOLT", 80, 800),
]


def shipped(method: AllocationMethod, *events: object) -> str:
    result = post(zone(method), [*BOLTS, *events])  # type: ignore[list-item]
    assert result.problems == ()
    return clean(render_postings(result.postings[len(BOLTS) :]))


def test_fifo_takes_the_oldest_lots_first():
    assert shipped(AllocationMethod.FIFO, ship("2026-01-10", "E1", "BOLT", 120, 3000)) == text(
        """
        #4 shipped A1/1 NPF -100 -1000.00 [entry E1] <A1/1> consumption zone_value=2500.00
        #4 shipped A2/1 NPF  -20  -240.00 [entry E1] <A2/1> consumption zone_value=500.00
        """
    )


def test_lifo_takes_the_newest_lots_first():
    assert shipped(AllocationMethod.LIFO, ship("2026-01-10", "E1", "BOLT", 120, 3000)) == text(
        """
        #4 shipped A3/1 NPF -80 -800.00 [entry E1] <A3/1> consumption zone_value=2000.00
        #4 shipped A2/1 NPF -40 -480.00 [entry E1] <A2/1> consumption zone_value=1000.00
        """
    )


def test_lifo_never_draws_a_lot_admitted_after_the_removal():
    """Posted late, a removal dated 2026-01-06 cannot take the lot admitted on 01-09."""
    assert shipped(AllocationMethod.LIFO, ship("2026-01-06", "E1", "BOLT", 60, 600)) == text(
        """
        #4 shipped A2/1 NPF -50 -600.00 [entry E1] <A2/1> consumption zone_value=500.00
        #4 shipped A1/1 NPF -10 -100.00 [entry E1] <A1/1> consumption zone_value=100.00
        """
    )


def test_fifo_continues_across_removals_and_empties_lots_exactly():
    result = post(
        zone(),
        [
            *BOLTS,
            ship("2026-01-10", "E1", "BOLT", 30, 300),
            ship("2026-01-11", "X1", "BOLT", 75, 900, ShipmentDisposition.EXPORT),
        ],
    )
    assert clean(render_postings(result.postings[3:])) == text(
        """
        #4 shipped A1/1 NPF -30 -300.00 [entry E1] <A1/1> consumption zone_value=300.00
        #5 shipped A1/1 NPF -70 -700.00 [export X1] <A1/1> export zone_value=840.00
        #5 shipped A2/1 NPF  -5  -60.00 [export X1] <A2/1> export zone_value=60.00
        """
    )
    assert clean(render_lots(result.state)) == text(
        """
        A2/1 BOLT NPF 45 540.00
        A3/1 BOLT NPF 80 800.00
        """
    )


def test_specific_lot():
    assert shipped(
        AllocationMethod.SPECIFIC, ship("2026-01-10", "E1", "BOLT", 30, 500, lot="A2/1")
    ) == text(
        """
        #4 shipped A2/1 NPF -30 -360.00 [entry E1] <A2/1> consumption zone_value=500.00
        """
    )


def test_the_method_is_applied_consistently():
    """A specific-lot zone must name the lot; a FIFO/LIFO zone must not (146.23(a)(2))."""
    unnamed = ship("2026-01-10", "E", "BOLT", 1, 1)
    specific = post(zone(AllocationMethod.SPECIFIC), [*BOLTS, unnamed])
    assert [(p.row, p.field) for p in specific.problems] == [(4, "lot")]
    assert "specific lot" in specific.problems[0].message
    fifo = post(zone(), [*BOLTS, ship("2026-01-10", "E", "BOLT", 1, 1, lot="A1/1")])
    assert [(p.row, p.field) for p in fifo.problems] == [(4, "lot")]
    assert "FIFO" in fifo.problems[0].message


def test_status_is_a_separate_pool():
    """A removal naming a status draws only that status; FIFO order within it."""
    result = post(
        zone(),
        [
            admit("A1", 1, "2026-01-02", "BOLT", 10, 100, NPF),
            admit("A2", 1, "2026-01-03", "BOLT", 10, 200, PF),
            ship("2026-01-10", "E1", "BOLT", 5, 50, status=PF),
        ],
    )
    assert clean(render_postings(result.postings[2:])) == text(
        """
        #3 shipped A2/1 PF -5 -100.00 [entry E1] <A2/1> consumption zone_value=50.00
        """
    )


def test_no_negative_balance():
    result = post(zone(), [*BOLTS, ship("2026-01-10", "E1", "BOLT", 231, 1)])
    assert [(p.row, p.field) for p in result.problems] == [(4, "quantity")]
    assert "need 231, have 230" in result.problems[0].message
    assert "146.23(b)(4)" in result.problems[0].message


def test_a_lot_that_changed_status_in_the_batch_is_drawn_once():
    """Regression: within one batch the lot is listed in its old and new pools."""
    from zone_helpers import day

    from zonekeeper.zone.events import StatusChange

    result = post(
        zone(),
        [
            admit("A1", 1, "2026-01-02", "BOLT", 10, 100, NPF),
            admit("A2", 1, "2026-01-03", "BOLT", 10, 200, NPF),
            StatusChange(day("2026-01-04"), "A1/1", PF),
            ship("2026-01-05", "E1", "BOLT", 15, 150),
        ],
    )
    assert result.problems == ()
    assert clean(render_postings(result.postings[4:])) == text(
        """
        #4 shipped A1/1 PF  -10 -100.00 [entry E1] <A1/1> consumption zone_value=100.00
        #4 shipped A2/1 NPF  -5 -100.00 [entry E1] <A2/1> consumption zone_value=50.00
        """
    )
    over = post(result.state, [ship("2026-01-06", "E2", "BOLT", 6, 1)])
    assert "need 6, have 5" in over.problems[0].message
