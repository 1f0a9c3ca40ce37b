"""Golden scenarios for each event kind: admission, status change, manipulation, shipment
dispositions, count, suspense receipt, correction; and the all-or-nothing batch."""

from __future__ import annotations

from decimal import Decimal

import pytest
from zone_helpers import (
    DOM,
    NPF,
    PF,
    ZR,
    admit,
    clean,
    day,
    dec,
    render_discrepancies,
    render_lots,
    render_postings,
    ship,
    text,
    zone,
)

from zonekeeper.errors import CannotCompute
from zonekeeper.zone.events import (
    Correction,
    Count,
    Manipulation,
    Production,
    StatusChange,
    SuspenseReceipt,
)
from zonekeeper.zone.ledger import Lot
from zonekeeper.zone.posting import post
from zonekeeper.zone.status import ShipmentDisposition

# --- admission ------------------------------------------------------------------------------


def test_admission_takes_classification_from_the_part_master_and_freezes_pf():
    result = post(
        zone(),
        [
            admit("A1", 1, "2026-01-05", "COMP", 10, 8000, PF, mode="vessel"),
            admit("A1", 2, "2026-01-05", "TIRE", 4, 200, NPF, origin="TH", lot="Z-77"),
        ],
    )
    assert result.problems == ()
    comp, tire = result.state.lots["A1/1"], result.state.lots["Z-77"]
    assert (comp.hts, comp.origin, comp.pf_date, comp.mode) == (
        "8414.30.80.30",
        "CN",
        day("2026-01-05"),  # default: the admission date (146.65(a)(1))
        "vessel",
    )
    assert comp.description == "compressor, refrigeration"
    assert [(c.hts, c.value, c.quantity) for c in comp.composition.pf] == [
        ("8414.30.80.30", Decimal(800), Decimal(1))
    ]
    assert (tire.hts, tire.origin, tire.pf_date) == ("4011.10.10", "TH", None)
    assert tire.composition.npf_value == 50 and tire.composition.npf_origins == ("TH",)
    assert clean(render_postings(result.postings)) == text(
        """
        #1 receipt A1/1 PF  10 8000.00 [CBP Form 214 A1 line 1] <A1/1>
        #2 receipt Z-77 NPF  4  200.00 [CBP Form 214 A1 line 2] <A1/2>
        """
    )


def test_admission_refusals():
    result = post(
        zone(),
        [
            admit("A1", 1, "2026-01-05", "NOPE", 1, 1),
            admit("A1", 2, "2026-01-05", "BOLT", 0, 1),
            admit("A1", 3, "2026-01-05", "BOLT", 1, 1, NPF, pf_date=day("2026-01-05")),
            admit("A1", 4, "2026-01-05", "BOLT", 1, 1),
            admit("A1", 4, "2026-01-06", "BOLT", 1, 1),
        ],
    )
    assert [(p.row, p.field) for p in result.problems] == [
        (1, "part"),
        (2, "quantity"),
        (3, "pf_date"),
        (5, "lot"),
    ]
    assert result.state is not None and result.state.seq == 0 and result.postings == ()


def _pf_rule():
    from zonekeeper.sources.tariff import default_tariff

    measures = default_tariff().measures

    def rule(hts: str, origin: str, on):  # type: ignore[no-untyped-def]
        return [
            f"{m.title} ({m.heading}) requires PF from {m.pf_required_from}"
            for m in measures.pf_required(hts, origin, on)
        ]

    return rule


def test_pf_required_by_a_measure_refuses_npf_on_the_real_tariff():
    """A China-origin compressor (8414.30.80.30) is on Section 301 list 1: admitted NPF it is
    refused with the measure's reason; admitted PF it posts (scenarios.md §1)."""
    rule = _pf_rule()
    refused = post(zone(), [admit("A1", 1, "2026-03-02", "COMP", 5, 4000, NPF)], pf_rule=rule)
    assert [(p.row, p.field) for p in refused.problems] == [(1, "status")]
    assert "privileged foreign status is required" in refused.problems[0].message
    assert "9903.88.01" in refused.problems[0].message
    accepted = post(zone(), [admit("A1", 1, "2026-03-02", "COMP", 5, 4000, PF)], pf_rule=rule)
    assert accepted.problems == ()
    vietnam = admit("A1", 1, "2026-03-02", "COMP", 5, 4000, NPF, origin="VN")
    assert post(zone(), [vietnam], pf_rule=lambda h, o, d: []).problems == ()


# --- status change --------------------------------------------------------------------------


def test_status_change_npf_to_pf_then_zr():
    result = post(
        zone(),
        [
            admit("A1", 1, "2026-01-05", "BOLT", 10, 100, NPF),
            StatusChange(day("2026-01-08"), "A1/1", PF, reference="A1-PF"),
            StatusChange(day("2026-01-09"), "A1/1", ZR),
        ],
    )
    assert result.problems == ()
    assert clean(render_postings(result.postings[1:])) == text(
        """
        #2 status_out A1/1 NPF -10 -100.00 [CBP Form 214 A1-PF] <A1/1>
        #2 status_in  A1/1 PF   10  100.00 [CBP Form 214 A1-PF] <A1/1>
        #3 status_out A1/1 PF  -10 -100.00 [status change] <A1/1>
        #3 status_in  A1/1 ZR   10  100.00 [status change] <A1/1>
        """
    )
    lot = result.state.lots["A1/1"]
    assert lot.status is ZR and lot.pf_date == day("2026-01-08")
    assert lot.composition.zr_value == 10 and lot.composition.pf == ()
    assert list(result.state.pools) == [("BOLT", ZR)]


@pytest.mark.parametrize(
    ("start", "to", "cited"),
    [
        (PF, NPF, "146.41(e)"),
        (ZR, NPF, "146.44(a)"),
        (DOM, PF, "146.43"),
        (NPF, NPF, "already"),
    ],
)
def test_status_changes_the_law_does_not_allow(start, to, cited):
    result = post(
        zone(),
        [
            admit("A1", 1, "2026-01-05", "BOLT", 10, 100, start),
            StatusChange(day("2026-01-08"), "A1/1", to),
        ],
    )
    assert [(p.row, p.field) for p in result.problems] == [(2, "status")]
    assert cited in result.problems[0].message


def test_a_produced_lot_cannot_become_pf():
    result = post(
        zone(),
        [
            admit("B1", 1, "2026-03-02", "BOLT", 100, 500, NPF),
            Production(day("2026-03-03"), "R9", "RACK", dec(4)),
            StatusChange(day("2026-03-04"), "P/R9", PF),
        ],
    )
    assert [p.row for p in result.problems] == [3]
    assert "146.41(a),(b)" in result.problems[0].message


# --- shipment dispositions ------------------------------------------------------------------


def test_zone_restricted_goods_go_to_export_not_consumption():
    events = [
        admit("A1", 1, "2026-01-05", "BOLT", 10, 100, ZR),
        admit("A2", 1, "2026-01-06", "BOLT", 10, 300, NPF),
        ship("2026-01-07", "E1", "BOLT", 5, 50, status=ZR),
    ]
    refused = post(zone(), events)
    assert [(p.row, p.field) for p in refused.problems] == [(3, "status")]
    assert "146.44(a)" in refused.problems[0].message
    # without a status, consumption skips the ZR lot even though it is older (FIFO)
    fine = post(zone(), [*events[:2], ship("2026-01-07", "E1", "BOLT", 5, 50)])
    export = ship("2026-01-08", "X1", "BOLT", 10, 70, ShipmentDisposition.EXPORT)
    destroyed = ship("2026-01-09", "D1", "BOLT", 2, 0, ShipmentDisposition.DESTRUCTION)
    moved = ship("2026-01-09", "T1", "BOLT", 3, 30, ShipmentDisposition.ZONE_TRANSFER)
    after = post(fine.state, [export, destroyed, moved])
    assert clean(render_postings(fine.postings[2:] + after.postings)) == text(
        """
        #3 shipped A2/1 NPF  -5 -150.00 [entry E1] <A2/1> consumption zone_value=50.00
        #4 shipped A1/1 ZR  -10 -100.00 [export X1] <A1/1> export zone_value=70.00
        #5 shipped A2/1 NPF  -2  -60.00 [destruction D1] <A2/1> destruction zone_value=0.00
        #6 shipped A2/1 NPF  -3  -90.00 [zone transfer T1] <A2/1> zone_transfer zone_value=30.00
        """
    )


# --- manipulation ---------------------------------------------------------------------------


def test_manipulation_into_a_new_lot_keeps_status_and_trace():
    result = post(
        zone(),
        [
            admit("A1", 1, "2026-01-05", "TIRE", 10, 500, PF),
            Manipulation(day("2026-01-06"), "A1/1", dec(4), new_lot="RL-1", permit="216-9"),
            Manipulation(day("2026-01-07"), "RL-1", dec(0), description="relabel"),
            ship("2026-01-08", "E1", "TIRE", 1, 80, status=PF),
        ],
    )
    assert result.problems == ()
    assert clean(render_postings(result.postings[1:])) == text(
        """
        #2 transfer_out A1/1 PF -4 -200.00 [CBP Form 216 216-9] <A1/1>
        #2 transfer_in  RL-1 PF  4  200.00 [CBP Form 216 216-9] <A1/1>
        #3 manipulated  RL-1 PF  0    0.00 [manipulation] <A1/1>
        #4 shipped      A1/1 PF -1  -50.00 [entry E1] <A1/1> consumption zone_value=80.00
        """
    )
    new = result.state.lots["RL-1"]
    assert new.composition == result.state.lots["A1/1"].composition
    assert new.pf_date == day("2026-01-05")


# --- count ----------------------------------------------------------------------------------


def _count(counted: str, duty_rule=None, **kw):  # type: ignore[no-untyped-def]
    events = [
        admit("A1", 1, "2026-01-05", "BOLT", 200, 2000, NPF),
        admit("D1", 1, "2026-01-05", "SEAT", 10, 1000, DOM),
        Count(day("2026-06-30"), kw.pop("lot", "A1/1"), dec(counted), **kw),
    ]
    return post(zone(), events, duty_rule=duty_rule)


def test_count_shortage_reported_when_1pct_and_100_dollars():
    seen: list[tuple[str, Decimal]] = []

    def duty(lot: Lot, qty: Decimal, on):  # type: ignore[no-untyped-def]
        seen.append((lot.id, qty))
        return Decimal("150.00")

    result = _count("197", duty)
    assert seen == [("A1/1", Decimal(3))]
    assert clean(render_postings(result.postings[2:])) == text(
        """
        #3 adjustment A1/1 NPF -3 -30.00 [physical count 2026-06-30] <A1/1>
        """
    )
    assert clean(render_discrepancies(result.discrepancies)) == text(
        """
        shortage A1/1 book=200 counted=197 value=-30.00 report=True deadline=None |  | shortage of 1.50% of the lot (>= 1%) and duty and taxes 150.00 >= $100 (19 CFR 146.53(a)(3))
        """  # noqa: E501
    )
    assert result.state.lots["A1/1"].balance == 197


def test_count_shortage_recorded_not_reported():
    below_duty = _count("197", lambda lot, q, on: Decimal("99.99"))
    below_share = _count("199", lambda lot, q, on: Decimal("1000"))  # 0.5%
    for result in (below_duty, below_share):
        (record,) = result.discrepancies
        assert record.kind.value == "shortage" and not record.report_to_cbp


def test_count_duty_not_computed_is_flagged_conservatively():
    def cannot(lot, q, on):  # type: ignore[no-untyped-def]
        raise CannotCompute("rate text 'See chapter 99 note' cannot be computed")

    for result in (_count("197"), _count("197", cannot)):
        (record,) = result.discrepancies
        assert record.duty is None and record.report_to_cbp
        assert record.duty_note.startswith("duty not computed")


def test_count_overage_theft_and_domestic():
    overage = _count("205", theft=True)
    assert clean(render_discrepancies(overage.discrepancies)) == text(
        """
        overage A1/1 book=200 counted=205 value=50.00 report=True deadline=2026-07-05 | overage: file a CBP Form 214 or an entry by 2026-07-05 or the goods go to general order (19 CFR 146.53(d)) | theft or suspected theft (19 CFR 146.53(a)(1))
        """  # noqa: E501
    )
    assert overage.state.lots["A1/1"].balance == 205
    domestic = _count("5", lot="D1/1")
    (record,) = domestic.discrepancies
    assert not record.report_to_cbp and record.deadline is None  # 146.53(b)
    same = _count("200")
    assert same.discrepancies == () and same.postings[-1].quantity == 0


# --- suspense -------------------------------------------------------------------------------


def test_suspense_receipt_held_until_admitted():
    held = post(
        zone(),
        [SuspenseReceipt(day("2026-01-05"), "R-1", "BOLT", dec(40), reason="no invoice")],
    )
    assert list(held.state.suspense) == ["R-1"] and held.postings == ()
    admitted = post(held.state, [admit("A9", 1, "2026-01-09", "BOLT", 40, 400, suspense_ref="R-1")])
    assert admitted.problems == () and admitted.state.suspense == {}
    assert held.state.suspense["R-1"].reason == "no invoice"  # the old state is untouched
    again = post(admitted.state, [admit("A9", 2, "2026-01-09", "BOLT", 1, 1, suspense_ref="R-1")])
    assert [(p.row, p.field) for p in again.problems] == [(1, "suspense_ref")]


# --- correction -----------------------------------------------------------------------------


def test_correction_reverses_a_shipment_in_the_same_batch():
    result = post(
        zone(),
        [
            admit("A1", 1, "2026-01-02", "BOLT", 100, 1000),
            admit("A2", 1, "2026-01-05", "BOLT", 50, 600),
            ship("2026-01-10", "E1", "BOLT", 120, 3000),
            Correction(day("2026-01-11"), 3, "keyed 120 for 12"),
        ],
    )
    assert result.problems == ()
    assert clean(render_postings(result.postings[4:])) == text(
        """
        #4 shipped A2/1 NPF  20  240.00 [correction of event #3: keyed 120 for 12] <A2/1> consumption zone_value=-500.00
        #4 shipped A1/1 NPF 100 1000.00 [correction of event #3: keyed 120 for 12] <A1/1> consumption zone_value=-2500.00
        """  # noqa: E501
    )
    assert clean(render_lots(result.state)) == text(
        """
        A1/1 BOLT NPF 100 1000.00
        A2/1 BOLT NPF  50  600.00
        """
    )
    assert result.state.corrected == frozenset({3})


def test_correction_across_batches_and_its_refusals():
    first = post(
        zone(),
        [
            admit("A1", 1, "2026-01-02", "BOLT", 10, 100),
            StatusChange(day("2026-01-03"), "A1/1", PF),
            ship("2026-01-04", "E1", "BOLT", 4, 10),
        ],
    )
    history = {p.seq: [q for q in first.postings if q.seq == p.seq] for p in first.postings}
    no_history = post(first.state, [Correction(day("2026-01-05"), 3, "x")])
    assert "postings_of" in no_history.problems[0].message
    undo_ship = post(
        first.state,
        [Correction(day("2026-01-05"), 3, "wrong lot")],
        postings_of=lambda seq: history[seq],
    )
    assert undo_ship.problems == ()
    assert undo_ship.state.lots["A1/1"].balance == 10
    # the status change can now be reversed (the lot holds exactly what changed status)
    both = post(
        undo_ship.state,
        [Correction(day("2026-01-06"), 2, "PF applied for in error")],
        postings_of=lambda seq: history[seq],
    )
    assert both.problems == ()
    lot = both.state.lots["A1/1"]
    assert (lot.status, lot.pf_date, lot.composition.npf_value) == (NPF, None, 10)
    refused = post(
        first.state,
        [
            Correction(day("2026-01-05"), 1, "admitted twice"),  # goods already shipped
            Correction(day("2026-01-05"), 9, "no such event"),
            Correction(day("2026-01-05"), 3, ""),
        ],
        postings_of=lambda seq: history[seq],
    )
    assert [(p.row, p.field) for p in refused.problems] == [
        (1, "corrects"),
        (2, "corrects"),
        (3, "reason"),
    ]
    assert "no longer in NPF status" in refused.problems[0].message
    shipped_since = post(
        zone(),
        [
            admit("A1", 1, "2026-01-02", "BOLT", 10, 100),
            ship("2026-01-04", "E1", "BOLT", 4, 10),
            Correction(day("2026-01-05"), 1, "admitted twice"),
        ],
    )
    assert "has 6 on hand" in shipped_since.problems[0].message
    assert "correct the later events first" in shipped_since.problems[0].message
    twice = post(
        undo_ship.state,
        [Correction(day("2026-01-06"), 3, "again")],
        postings_of=lambda seq: history[seq],
    )
    assert "already been corrected" in twice.problems[0].message


# --- the batch is all or nothing ------------------------------------------------------------


def test_a_batch_with_any_problem_posts_nothing_and_reports_every_problem():
    state = post(zone(), [admit("A1", 1, "2026-01-02", "BOLT", 10, 100)]).state
    result = post(
        state,
        [
            ship("2026-01-03", "E1", "BOLT", 4, 40),
            ship("2026-01-03", "E2", "BOLT", 7, 70),  # only 6 left after row 1
            admit("A2", 1, "2026-01-03", "BOLT", 5, 50),
            StatusChange(day("2026-01-01"), "A1/1", PF),  # before the lot existed
        ],
    )
    assert [(p.row, p.field) for p in result.problems] == [(2, "quantity"), (4, "date")]
    assert result.state is state and result.postings == ()
    assert state.lots["A1/1"].balance == 10


def test_a_removal_is_not_put_back_into_a_lot_whose_status_changed_since():
    result = post(
        zone(),
        [
            admit("A1", 1, "2026-01-02", "BOLT", 10, 100),
            ship("2026-01-03", "E1", "BOLT", 4, 10),
            StatusChange(day("2026-01-04"), "A1/1", PF),
            Correction(day("2026-01-05"), 2, "shipped in error"),
        ],
    )
    assert [(p.row, p.field) for p in result.problems] == [(4, "corrects")]
    assert "no longer in NPF status" in result.problems[0].message


def test_domestic_us_origin_goods_are_not_checked_for_mandatory_pf():
    """D-status goods of US origin are domestic merchandise (19 CFR 146.1): no measure's
    FTZ clause reaches them, so the PF rule is not even asked; foreign D goods still are."""
    asked: list[tuple[str, str]] = []

    def always(hts: str, origin: str, on):  # type: ignore[no-untyped-def]
        asked.append((hts, origin))
        return ["9903.88.01 (Section 301) requires PF"]

    us = admit("A1", 1, "2026-03-02", "COMP", 5, 4000, DOM, origin="US")
    assert post(zone(), [us], pf_rule=always).problems == ()
    assert asked == []
    foreign = admit("A1", 1, "2026-03-02", "COMP", 5, 4000, DOM, origin="CN")
    refused = post(zone(), [foreign], pf_rule=always)
    assert [(p.row, p.field) for p in refused.problems] == [(1, "status")]
    us_npf = admit("A1", 1, "2026-03-02", "COMP", 5, 4000, NPF, origin="US")
    assert [p.field for p in post(zone(), [us_npf], pf_rule=always).problems] == ["status"]


def test_entries_pf_reasons_follow_the_tariff_and_its_spi_claim():
    """services.entries asks the tariff (MeasureBook.pf_required, spi=): a USMCA claim on
    Mexican auto parts lifts Section 232 and so its PF clause."""
    from datetime import date

    from zonekeeper.bindings.quoter import TariffQuoter
    from zonekeeper.sources.tariff import default_tariff

    quoter = TariffQuoter(default_tariff())
    on = date(2026, 3, 1)
    assert any("9903.94.05" in r for r in quoter.pf_required("8708995500", "MX", on))
    assert quoter.pf_required("8708995500", "MX", on, spi="S") == []
