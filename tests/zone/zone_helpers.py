"""Helpers for the zone ledger tests: master data, event shorthands and
the text renderings golden tests compare against (beancount style: events and expected
books side by side as readable text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from zonekeeper.zone.allocation import AllocationMethod
from zonekeeper.zone.events import Admission, Shipment
from zonekeeper.zone.ledger import Posting, ZoneState
from zonekeeper.zone.master import Bom, BomLine, Part
from zonekeeper.zone.records import Discrepancy
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

PF = ZoneStatus.PRIVILEGED_FOREIGN
NPF = ZoneStatus.NONPRIVILEGED_FOREIGN
DOM = ZoneStatus.DOMESTIC
ZR = ZoneStatus.ZONE_RESTRICTED
START = dt.date(2026, 1, 1)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def dec(x: str | int) -> Decimal:
    return Decimal(x)


PARTS = (
    Part("ENG", "engine, spark-ignition", "8407.34.48", "JP", "pcs", START),
    Part("CHS", "chassis fitted with engine", "8706.00.15", "DE", "pcs", START),
    Part("TIRE", "new pneumatic tire, radial", "4011.10.10", "CN", "pcs", START),
    Part("SEAT", "seat, motor vehicle", "9401.20.00", "US", "pcs", START),
    Part("CAR", "passenger motor vehicle", "8703.23.01", "US", "pcs", START),
    Part("COMP", "compressor, refrigeration", "8414.30.80.30", "CN", "pcs", START),
    Part("BOLT", "bolt, steel", "7318.15.20", "VN", "kg", START),
    Part("RACK", "storage rack, metal", "9403.20.00", "US", "pcs", START),
)
CAR_BOM = Bom(
    "CAR",
    START,
    (
        BomLine("ENG", dec(1)),
        BomLine("CHS", dec(1)),
        BomLine("TIRE", dec(4), waste=dec("0.05"), scrap=dec("0.05")),
        BomLine("SEAT", dec(2)),
    ),
)


RACK_BOM = Bom(
    "RACK",
    START,
    (BomLine("BOLT", dec(2), waste=dec("0.1"), scrap=dec("0.1")),),
    yield_rate=dec("0.8"),
)


def zone(method: AllocationMethod = AllocationMethod.FIFO) -> ZoneState:
    return ZoneState.new("FTZ-50-1", method=method, parts=PARTS, boms=(CAR_BOM, RACK_BOM))


def admit(
    no: str,
    line: int,
    on: str,
    part: str,
    qty: str | int,
    value: str | int,
    status: ZoneStatus = NPF,
    **kw: object,
) -> Admission:
    return Admission(no, line, day(on), part, dec(qty), dec(value), status, **kw)  # type: ignore[arg-type]


def ship(
    on: str,
    ref: str,
    part: str,
    qty: str | int,
    value: str | int,
    disposition: ShipmentDisposition = ShipmentDisposition.CONSUMPTION,
    **kw: object,
) -> Shipment:
    return Shipment(day(on), ref, part, dec(qty), disposition, dec(value), **kw)  # type: ignore[arg-type]


def _num(x: Decimal) -> str:
    """Quantities as written, values to the cent, no exponent noise."""
    q = x.quantize(Decimal("0.0001")).normalize()
    return f"{q:f}"


def _money(x: Decimal) -> str:
    return f"{x.quantize(Decimal('0.01')):f}"


def render_postings(postings: Iterable[Posting]) -> str:
    """One line per posting: seq movement lot status quantity value [reference]."""
    lines = []
    for p in postings:
        extra = ""
        if p.disposition is not None:
            extra += f" {p.disposition.value} zone_value={_money(p.zone_value or Decimal(0))}"
        if p.waste:
            extra += f" waste={_num(p.waste)}"
        if p.scrap:
            extra += f" scrap={_num(p.scrap)}"
        admissions = ",".join(str(a) for a in p.admissions)
        lines.append(
            f"#{p.seq} {p.movement.value:<12} {p.lot:<18} {p.status.value:<3} "
            f"{_num(p.quantity):>7} {_money(p.value):>10}  [{p.reference}] <{admissions}>{extra}"
        )
    return "\n".join(lines)


def render_lots(state: ZoneState) -> str:
    """One line per lot with a balance: lot part status balance value_on_hand."""
    return "\n".join(
        f"{lot.id:<18} {lot.part:<10} {lot.status.value:<3} {_num(lot.balance):>7} "
        f"{_money(lot.value_on_hand):>10}"
        for lot in sorted(state.lots.values(), key=lambda x: (x.part, x.id))
        if lot.balance != 0
    )


def render_discrepancies(records: Iterable[Discrepancy]) -> str:
    return "\n".join(
        f"{r.kind.value} {r.lot} book={_num(r.book)} counted={_num(r.counted)} "
        f"value={_money(r.value)} report={r.report_to_cbp} deadline={r.deadline} "
        f"| {r.duty_note} | {'; '.join(r.reasons)}"
        for r in records
    )


def _squeeze(line: str) -> str:
    return " ".join(line.split())


def text(block: str) -> str:
    """A golden text block as written in a test; columns compare by content, not spacing."""
    return "\n".join(_squeeze(line) for line in block.strip().splitlines())


def clean(rendered: str) -> str:
    """A rendering made comparable with `text`."""
    return "\n".join(_squeeze(line) for line in rendered.splitlines())
