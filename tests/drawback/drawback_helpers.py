"""Builders for drawback records, and stand-ins for the tariff where a test needs fixed rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zonekeeper.drawback.measures import DutyClass
from zonekeeper.drawback.ports import Owed
from zonekeeper.drawback.records import Export, ExportDisposition, ImportLine

D = Decimal


def imp(
    entry: str, line: int, day: str, hts: str, qty: str | int, duty: str | int,
    value: str | int = 100, unit: str = "No.", **extra: object,
) -> ImportLine:
    return ImportLine(entry_no=entry, line=line, import_date=date.fromisoformat(day), hts=hts,
                      quantity=D(qty), unit=unit, value=D(value), duty=D(duty),
                      **extra)  # type: ignore[arg-type]


def exp(
    ref: str, day: str, hts: str, qty: str | int, value: str | int = 100, unit: str = "No.",
    **extra: object,
) -> Export:
    return Export(export_ref=ref, export_date=date.fromisoformat(day), hts=hts,
                  quantity=D(qty), unit=unit, value=D(value), **extra)  # type: ignore[arg-type]


class FixedRate:
    """Would-owe duty at one ad valorem rate for every code (a stand-in for the tariff),
    and MPF / HMF at `mpf_pct` / `hmf_pct` when given (else no fee)."""

    def __init__(self, pct: str, mpf_pct: str | None = None, hmf_pct: str | None = None) -> None:
        self.fraction = D(pct) / 100
        self.mpf = None if mpf_pct is None else D(mpf_pct) / 100
        self.hmf = None if hmf_pct is None else D(hmf_pct) / 100

    def would_owe(self, hts: str, value: Decimal, quantity: Decimal, unit: str, on: date,
                  origin: str | None) -> Owed:
        by_class = {DutyClass.DUTY: value * self.fraction}
        if self.mpf is not None:
            by_class[DutyClass.MPF] = value * self.mpf
        if self.hmf is not None:
            by_class[DutyClass.HMF] = value * self.hmf
        return Owed(by_class, f"fixed {self.fraction * 100}%")


class Descriptions:
    """Descriptions from a dict; every other code is 'Widgets' (not 'Other')."""

    def __init__(self, table: dict[str, str] | None = None) -> None:
        self.table = table or {}

    def own_description(self, code: str, on: date) -> str | None:
        return self.table.get(code, "Widgets")


__all__ = ["D", "Descriptions", "ExportDisposition", "FixedRate", "exp", "imp"]
