"""Fixtures for the entries tests: the shipped fee table and builders of removals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zonekeeper.sources.shipped import load_fees
from zonekeeper.tariff.fees import FeeSchedule
from zonekeeper.zone.withdrawal_duty import (
    Composition,
    NpfInput,
    PfComponent,
    Removal,
    RemovalDisposition,
)

D = Decimal
ONE = Decimal(1)
NONE = Decimal(0)


@pytest.fixture(scope="session")
def fees() -> FeeSchedule:
    return load_fees()


def _npf_removal(
    shipment: str,
    day: date,
    value: Decimal,
    *,
    hts: str = "8418.69.01.80",
    origin: str = "US",
    quantity: Decimal = ONE,
    domestic: Decimal = NONE,
    disposition: RemovalDisposition = RemovalDisposition.CONSUMPTION,
    part: str = "UNIT",
) -> Removal:
    """A removal whose foreign content is all NPF (one input of `value`)."""
    npf = (NpfInput("IN", hts, origin, value, quantity, "No.", day),) if value else ()
    return Removal(
        shipment_no=shipment,
        date=day,
        part=part,
        hts=hts,
        origin=origin,
        quantity=quantity,
        unit="No.",
        disposition=disposition,
        composition=Composition(npf=npf, domestic_value=domestic),
    )


def _pf(part: str, hts: str, origin: str, value: str, pf_date: date, qty: str = "1") -> PfComponent:
    return PfComponent(part, hts, origin, D(value), D(qty), "No.", pf_date, lot=f"L-{part}")


def _car_removal(
    domestic: str = "0",
    disposition: RemovalDisposition = RemovalDisposition.CONSUMPTION,
    qty: int = 1,
) -> Removal:
    """scenarios.md §4: a car of a PF engine and chassis (admitted 2026-03-02), NPF tires."""
    admitted = date(2026, 3, 2)
    n = D(qty)
    return Removal(
        shipment_no="S-CAR",
        date=date(2026, 5, 4),
        part="CAR",
        hts="8703.23",
        origin="DE",
        quantity=n,
        unit="No.",
        disposition=disposition,
        composition=Composition(
            pf=(
                _pf("ENGINE", "8407.34", "DE", str(3000 * n), admitted, str(n)),
                _pf("CHASSIS", "8706.00", "JP", str(2000 * n), admitted, str(n)),
            ),
            npf=(NpfInput("TIRE", "4011.10", "KR", D(400) * n, 4 * n, "No.", admitted, "L-TIRE"),),
            domestic_value=D(domestic) * n,
        ),
    )


@pytest.fixture
def npf_removal():  # type: ignore[no-untyped-def]
    return _npf_removal


@pytest.fixture
def car_removal():  # type: ignore[no-untyped-def]
    return _car_removal
