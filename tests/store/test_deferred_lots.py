"""A lot a catch-up reads is a `DeferredLot`: its id, part, status, date, seq and balance
read at once, the rest built from its stored text the first time it is read; equal to the
`Lot` it was stored from, and written back whole."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from zonekeeper.store import codec, projections
from zonekeeper.zone.book import LotRecord
from zonekeeper.zone.composition import AdmissionRef, Composition, PfComponent
from zonekeeper.zone.ledger import DeferredLot, Lot, lot_fields, with_balance
from zonekeeper.zone.status import ZoneStatus

LOT = Lot(
    id="A1/1",
    part="W",
    description="Control board",
    status=ZoneStatus.PRIVILEGED_FOREIGN,
    date=dt.date(2026, 8, 3),
    seq=7,
    quantity=Decimal("10"),
    value=Decimal("1234.50"),
    balance=Decimal("4"),
    value_on_hand=Decimal("493.80"),
    composition=Composition(
        pf=(
            PfComponent(
                "W", "8537109170", "DE", dt.date(2026, 8, 3), "A1/1", AdmissionRef("A1", 1),
                Decimal("1"), Decimal("123.45"),
            ),
        ),
    ),
    admissions=(AdmissionRef("A1", 1),),
    reference="CBP Form 214 A1 line 1",
    hts="8537109170",
    origin="DE",
    pf_date=dt.date(2026, 8, 3),
)


def _deferred() -> Lot:
    lot = projections.lot_from_text(codec.dumps(LOT))
    assert type(lot) is DeferredLot
    return lot


def test_a_deferred_lot_is_equal_to_the_lot_it_was_stored_from_both_ways() -> None:
    lot = _deferred()
    assert lot == LOT
    assert LOT == lot
    assert hash(lot) == hash(LOT)
    assert lot != dataclasses.replace(LOT, balance=Decimal("3"))
    assert dataclasses.replace(LOT, value_on_hand=Decimal("1")) != _deferred()


def test_the_fields_placing_it_are_read_at_once_the_rest_when_first_read() -> None:
    lot = _deferred()
    assert (lot.id, lot.part, lot.status, lot.date, lot.seq, lot.balance) == (
        "A1/1", "W", ZoneStatus.PRIVILEGED_FOREIGN, dt.date(2026, 8, 3), 7, Decimal("4")
    )
    assert "composition" not in lot.__dict__  # not built yet
    assert lot.composition == LOT.composition
    assert {k: getattr(lot, k) for k in LOT.__dict__} == LOT.__dict__


def test_copies_of_every_field_make_it_whole_first() -> None:
    # The posting core's mutable record and the lots' projection row copy every field.
    assert LotRecord(_deferred()).freeze() == LOT
    assert list(LotRecord(_deferred()).__dict__) == list(LOT.__dict__)
    assert lot_fields(_deferred()) == LOT.__dict__
    row = projections._lot_values("Z", _deferred(), as_text=True)
    assert row == projections._lot_values("Z", LOT, as_text=True)
    assert codec.parse(row[-1]) == codec.document(LOT)


def test_a_new_balance_keeps_it_deferred_and_wins_over_the_stored_one() -> None:
    moved = with_balance(_deferred(), Decimal("1"), Decimal("123.45"))
    assert type(moved) is DeferredLot and "composition" not in moved.__dict__
    assert moved == dataclasses.replace(LOT, balance=Decimal("1"), value_on_hand=Decimal("123.45"))
    assert with_balance(LOT, Decimal("1"), Decimal("2")) == dataclasses.replace(
        LOT, balance=Decimal("1"), value_on_hand=Decimal("2")
    )


def test_a_text_whose_placing_fields_cannot_be_read_is_built_whole() -> None:
    # A whole number beyond 64 bits (written by an older version through `json`): orjson
    # reads it as a float, so the lot is built by `codec.loads`, which reads it with `json`.
    text = codec.dumps(LOT).replace('"seq":7', '"seq":123456789012345678901234567890')
    lot = projections.lot_from_text(text)
    assert type(lot) is Lot
    assert lot.seq == 123456789012345678901234567890
