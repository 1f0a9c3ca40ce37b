"""Golden scenarios for production (146.52, 146.65, 146.42(b)): the car of scenarios.md §4
and a yield/waste/scrap case. Events on the left, expected books on the right, as text."""

from __future__ import annotations

from decimal import Decimal

from zone_helpers import (
    DOM,
    NPF,
    PF,
    admit,
    clean,
    day,
    dec,
    render_lots,
    render_postings,
    ship,
    text,
    zone,
)

from zonekeeper.zone.events import Production
from zonekeeper.zone.posting import post
from zonekeeper.zone.status import ZoneStatus


def car_books():
    """Engine and chassis PF, tires NPF, seats domestic; two cars built, one entered."""
    events = [
        admit("A1", 1, "2026-01-05", "ENG", 10, 40000, PF),
        admit("A1", 2, "2026-01-05", "CHS", 10, 60000, PF, pf_date=day("2026-01-06")),
        admit("A1", 3, "2026-01-05", "TIRE", 100, 5000, NPF),
        admit("D7", 1, "2026-01-07", "SEAT", 20, 4000, DOM),
        Production(day("2026-02-01"), "R1", "CAR", dec(2)),
        ship("2026-02-10", "E-001", "CAR", 1, 30000),
    ]
    return post(zone(), events)


def test_car_postings():
    result = car_books()
    assert result.problems == ()
    assert clean(render_postings(result.postings)) == text(
        """
        #1 receipt      A1/1               PF       10   40000.00  [CBP Form 214 A1 line 1] <A1/1>
        #2 receipt      A1/2               PF       10   60000.00  [CBP Form 214 A1 line 2] <A1/2>
        #3 receipt      A1/3               NPF     100    5000.00  [CBP Form 214 A1 line 3] <A1/3>
        #4 receipt      D7/1               D        20    4000.00  [CBP Form 214 D7 line 1] <D7/1>
        #5 consumed     A1/1               PF       -2   -8000.00  [CBP Form 216 R1] <A1/1>
        #5 consumed     A1/2               PF       -2  -12000.00  [CBP Form 216 R1] <A1/2>
        #5 consumed     A1/3               NPF    -8.8    -440.00  [CBP Form 216 R1] <A1/3> waste=0.4 scrap=0.4
        #5 scrap        P/R1/SCRAP/TIRE    NPF     0.4      20.00  [CBP Form 216 R1] <A1/3>
        #5 consumed     D7/1               D        -4    -800.00  [CBP Form 216 R1] <D7/1>
        #5 produced     P/R1               NPF       2   21200.00  [CBP Form 216 R1] <A1/1,A1/2,A1/3,D7/1>
        #6 shipped      P/R1               NPF      -1  -10600.00  [entry E-001] <A1/1,A1/2,A1/3,D7/1> consumption zone_value=30000.00
        """  # noqa: E501
    )
    assert clean(render_lots(result.state)) == text(
        """
        P/R1               CAR        NPF        1   10600.00
        A1/2               CHS        PF         8   48000.00
        A1/1               ENG        PF         8   32000.00
        D7/1               SEAT       D         16    3200.00
        A1/3               TIRE       NPF     91.2    4560.00
        P/R1/SCRAP/TIRE    TIRE-SCRAP NPF      0.4      20.00
        """
    )


def test_car_composition_splits_by_status():
    """Per car: engine and chassis as PF components with their frozen classification and PF
    date, the tires' value as NPF content, the seats' as domestic content (146.65)."""
    result = car_books()
    shipped = result.postings[-1]
    comp = shipped.composition
    pf = [(c.part, c.hts, c.origin, c.pf_date.isoformat(), c.quantity, c.value) for c in comp.pf]
    assert pf == [
        ("ENG", "8407.34.48", "JP", "2026-01-05", Decimal(1), Decimal(4000)),
        ("CHS", "8706.00.15", "DE", "2026-01-06", Decimal(1), Decimal(6000)),
    ]
    assert comp.npf_value == 200  # 4 tires x $50; waste and scrap carry none
    assert comp.npf_origins == ("CN",)
    assert comp.domestic_value == 400
    assert comp.dutiable_value == 10200  # domestic content excluded (19 USC 81c(a))
    assert -shipped.quantity * comp.total_value == -shipped.value


def test_yield_waste_and_pf_scrap():
    """4 racks at 2 kg of PF bolts each, waste 10%, scrap 10%, yield 80%:
    incorporated 8, started 10, scrap 1, consumed 12, irrecoverable waste 3.
    The scrap from PF bolts is NPF (146.42(b)); the racks stay PF (146.41(e))."""
    events = [
        admit("B1", 1, "2026-03-02", "BOLT", 100, 500, PF),
        Production(day("2026-03-03"), "R9", "RACK", dec(4)),
    ]
    result = post(zone(), events)
    assert result.problems == ()
    assert clean(render_postings(result.postings)) == text(
        """
        #1 receipt  B1/1            PF  100 500.00 [CBP Form 214 B1 line 1] <B1/1>
        #2 consumed B1/1            PF  -12 -60.00 [CBP Form 216 R9] <B1/1> waste=3 scrap=1
        #2 scrap    P/R9/SCRAP/BOLT NPF   1   5.00 [CBP Form 216 R9] <B1/1>
        #2 produced P/R9            PF    4  40.00 [CBP Form 216 R9] <B1/1>
        """
    )
    rack = result.state.lots["P/R9"]
    assert rack.status is ZoneStatus.PRIVILEGED_FOREIGN
    assert [(c.part, c.quantity, c.value) for c in rack.composition.pf] == [
        ("BOLT", Decimal(2), Decimal(10))
    ]
    scrap = result.state.lots["P/R9/SCRAP/BOLT"]
    assert scrap.composition.pf == () and scrap.composition.npf_value == 5
    assert scrap.composition.npf_origins == ("VN",)


def test_bom_version_in_force_on_the_production_date():
    from zone_helpers import START

    from zonekeeper.zone.master import Bom, BomLine

    later = Bom("RACK", day("2026-06-01"), (BomLine("BOLT", dec(5)),))
    state = zone().with_master(boms=[later])
    before = post(
        state,
        [
            admit("B1", 1, "2026-03-02", "BOLT", 100, 500, PF),
            Production(day("2026-05-31"), "R1", "RACK", dec(1)),
            Production(day("2026-06-01"), "R2", "RACK", dec(1)),
        ],
    )
    assert before.problems == ()
    consumed = [p.quantity for p in before.postings if p.movement.value == "consumed"]
    assert consumed == [dec("-3"), dec("-5")]  # 2/0.8*1.2 = 3 under the old BOM; 5 under the new
    assert state.master.bom_on("RACK", START) is not None


def test_production_refusals():
    result = post(
        zone(),
        [
            admit("A1", 1, "2026-01-05", "ENG", 1, 4000, PF),
            Production(day("2026-02-01"), "R1", "CAR", dec(1)),
            Production(day("2026-02-01"), "R2", "SEAT", dec(1)),
            Production(day("2026-02-01"), "R3", "CAR", dec(1), status=ZoneStatus.ZONE_RESTRICTED),
        ],
    )
    reasons = [(p.row, p.field, p.message) for p in result.problems]
    assert (2, "quantity") == reasons[0][:2] and "component CHS: not enough CHS" in reasons[0][2]
    assert any(r[0] == 3 and "no bill of materials for 'SEAT'" in r[2] for r in reasons)
    assert any(r[0] == 4 and "146.44(a)" in r[2] for r in reasons)
    assert result.postings == () and result.state.lots == {}


def test_production_quantity_and_lot_number_keep_their_own_codes():
    """The shared posting checks (`zone.checks`) report a production's problems under the
    production's codes, as docs/problems.md lists them."""
    result = post(
        zone(),
        [
            admit("A1", 1, "2026-01-05", "ENG", 1, 4000, PF, lot="L1"),
            Production(day("2026-02-01"), "R1", "CAR", dec(0), lot="L1"),
        ],
    )
    found = [(p.row, p.field, p.code, p.message) for p in result.problems]
    assert found == [
        (2, "quantity", "production.quantity", "quantity must be a positive number, not 0"),
        (2, "lot", "production.lot-exists",
         "lot 'L1' already exists (zone lot numbers are unique)"),
    ]
