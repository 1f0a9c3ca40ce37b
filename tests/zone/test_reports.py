"""Golden tests of the reports: balances as of a date, lot history, the 146.25 annual
reconciliation and the 15 CFR 400.51(c) Board figures, over one zone year."""

from __future__ import annotations

from decimal import Decimal

from zone_helpers import DOM, NPF, PF, admit, clean, day, ship, text, zone

from zonekeeper.zone.events import Count, StatusChange
from zonekeeper.zone.master import Part
from zonekeeper.zone.posting import post
from zonekeeper.zone.reports import (
    annual_reconciliation,
    balances,
    balances_by_part,
    board_report,
    lot_history,
)
from zonekeeper.zone.status import ShipmentDisposition


def year_of_books():
    bolt_2025 = Part("BOLT", "bolt, steel", "7318.15.20", "VN", "kg", day("2025-01-01"))
    result = post(
        zone().with_master(parts=[bolt_2025]),
        [
            admit("A1", 1, "2025-12-20", "BOLT", 100, 1000, NPF),
            ship("2025-12-28", "E0", "BOLT", 10, 150),
            admit("A2", 1, "2026-01-05", "BOLT", 50, 250, DOM),
            StatusChange(day("2026-02-01"), "A1/1", PF),
            ship("2026-03-01", "X1", "BOLT", 30, 600, ShipmentDisposition.EXPORT),
            Count(day("2026-06-30"), "A1/1", Decimal(58)),
            Count(day("2026-07-01"), "A2/1", Decimal(52)),
            ship("2026-08-01", "E2", "BOLT", 5, 40, status=DOM),
            admit("A3", 1, "2027-01-02", "BOLT", 5, 50, NPF),
        ],
    )
    assert result.problems == ()
    return result


def _lines(rows, fields):
    out = []
    for r in rows:
        cells = []
        for f in fields:
            v = getattr(r, f)
            if isinstance(v, Decimal):
                v = f"{v.quantize(Decimal('0.01')):f}" if f == "value" else f"{v.normalize():f}"
            cells.append(getattr(v, "value", v))
        out.append(" ".join(str(c) for c in cells))
    return "\n".join(out)


def test_balances_as_of_dates():
    postings = year_of_books().postings
    fields = ("lot", "part", "status", "quantity", "value")
    assert _lines(balances(postings, day("2026-01-31")), fields) == text(
        """
        A1/1 BOLT NPF 90 900.00
        A2/1 BOLT D 50 250.00
        """
    )
    assert _lines(balances(postings, day("2026-12-31")), fields) == text(
        """
        A1/1 BOLT PF 58 580.00
        A2/1 BOLT D 47 235.00
        """
    )
    assert _lines(balances_by_part(postings, day("2026-12-31")), fields[1:]) == text(
        """
        BOLT D 47 235.00
        BOLT PF 58 580.00
        """
    )
    assert len(balances(postings)) == 3  # and A3/1 in 2027


def test_lot_history_names_every_form():
    history = lot_history(year_of_books().postings, "A1/1")
    assert [(p.date.isoformat(), p.movement.value, p.reference) for p in history] == [
        ("2025-12-20", "receipt", "CBP Form 214 A1 line 1"),
        ("2025-12-28", "shipped", "entry E0"),
        ("2026-02-01", "status_out", "status change"),
        ("2026-02-01", "status_in", "status change"),
        ("2026-03-01", "shipped", "export X1"),
        ("2026-06-30", "adjustment", "physical count 2026-06-30"),
    ]


def test_annual_reconciliation_146_25():
    result = year_of_books()
    lines = annual_reconciliation(
        result.postings, result.state.lots, day("2026-01-01"), day("2026-12-31")
    )
    fields = (
        "lot",
        "status",
        "opening",
        "receipts",
        "transfers_out",
        "adjustments_plus",
        "adjustments_minus",
        "closing",
    )
    # lot status opening receipts out +adj -adj closing
    assert clean(_lines(lines, fields)) == text(
        """
        A1/1 NPF 90  0 90 0 0  0
        A1/1 PF   0 90 30 0 2 58
        A2/1 D    0 50  5 2 0 47
        """
    )
    assert {line.description for line in lines} == {"bolt, steel"}
    on_hand = {(b.lot, b.status): b.quantity for b in balances(result.postings, day("2026-12-31"))}
    for line in lines:
        assert on_hand.get((line.lot, line.status), 0) == line.closing


def test_board_report_400_51c():
    postings = year_of_books().postings
    y2026 = board_report(postings, 2026)
    assert (
        y2026.received_foreign,
        y2026.received_domestic,
        y2026.forwarded_us_market,
        y2026.forwarded_export,
        y2026.us_market_zone_value,
        y2026.export_zone_value,
        y2026.destroyed,
        y2026.produced,
    ) == (0, 250, 25, 300, 40, 600, 0, 0)
    y2025 = board_report(postings, 2025)
    assert (y2025.received_foreign, y2025.forwarded_us_market, y2025.us_market_zone_value) == (
        1000,
        100,
        150,
    )
