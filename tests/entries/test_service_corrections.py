"""The entries read the books as corrected: a reversed shipment is not entered, and a PF lot
shipped as it is keeps its own frozen classification, origin, value and PF date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from zonekeeper.app import entry_reads as service
from zonekeeper.app.books import Ledger
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.zone.events import Admission, Shipment
from zonekeeper.zone.master import Part
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus
from zonekeeper.zone.weekly import Week

D = Decimal


def test_corrected_shipment_is_not_entered(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'z.db'}"
    day = date(2026, 8, 3)
    with Ledger.init(url, "7", None, "FIFO", pf_rule=None) as ledger:
        ledger.load_master(parts=[Part("GLASS", "Glass door", "7007.19.00.00", "CN", "No.", day)])
        ledger.post([Admission("A1", 1, day, "GLASS", D(10), D("1200"),
                               ZoneStatus.PRIVILEGED_FOREIGN, pf_date=day)])
        consumption = ShipmentDisposition.CONSUMPTION
        ledger.post([Shipment(date(2026, 8, 4), "S1", "GLASS", D(2), consumption, D("500")),
                     Shipment(date(2026, 8, 5), "S2", "GLASS", D(3), consumption, D("700"))])
        ledger.correct(5, "keyed twice")  # S2 is the fifth event (after init, parts, A1, S1)
    entry = service.weekly(url, Week.parse("2026-W32"), tariff=default_tariff()).value
    [numbered] = entry.lines
    line = numbered.line
    assert (line.status, line.hts, line.origin, line.key.pf_date) == (
        "PF", "7007.19.00.00", "CN", day)
    assert line.value == D("240")  # 2 of 10 doors at $120: the admission value, not $500
    assert line.shipments == ("S1",)
    assert line.duty == D("72.00")  # 5% + Section 301 25% on $240, frozen at 2026-08-03
