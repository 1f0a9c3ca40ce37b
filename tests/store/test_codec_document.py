"""The codec on every kind of record the books store (postings of each movement, lots of
every status including produced and PF-frozen ones, count discrepancies, suspense items,
parts and bills of materials): `loads` rebuilds exactly what `dumps` wrote, and
`codec.document` (what `verify` compares stored rows with) is `codec.plain` of the value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from zk_store_samples import PF, admission, production, shipment

from zonekeeper.app.books import Ledger
from zonekeeper.store import codec
from zonekeeper.zone.events import Count, StatusChange, SuspenseReceipt
from zonekeeper.zone.master import Bom, Part


def test_document_is_plain_for_every_stored_record(ledger: Ledger) -> None:
    posted = ledger.post(
        [
            admission("A1", 3, "W", "10", "100.00"),
            admission("A2", 3, "C", "7", "70.35", PF),
            SuspenseReceipt(dt.date(2026, 8, 3), "SUS-1", "W", Decimal(2), "crate 4", "no 214"),
            StatusChange(dt.date(2026, 8, 4), "A1/1", PF),
            production("P1", 5, "K", "2"),
            shipment("S1", 6, "K", "1"),
            Count(dt.date(2026, 8, 7), "A2/1", Decimal(6)),
        ]
    )
    state = ledger.state()
    records: list[Any] = [
        *ledger.all_postings(),
        *state.lots.values(),
        *state.suspense.values(),
        *posted.discrepancies,
    ]
    kinds = {type(r).__name__ for r in records}
    assert {"Posting", "Lot", "SuspenseItem", "Discrepancy"} <= kinds
    for record in records:
        assert codec.document(record) == codec.plain(record)
        assert codec.parse(codec.dumps(record)) == codec.plain(record)
        assert codec.loads(type(record), codec.dumps(record)) == record
    assert state.master.parts and state.master.boms
    for number, versions in state.master.parts.items():
        assert codec.build(tuple[Part, ...], codec.document(versions)) == versions, number
    for product, versions in state.master.boms.items():
        assert codec.build(tuple[Bom, ...], codec.document(versions)) == versions, product


def test_a_type_the_codec_cannot_rebuild_is_named() -> None:
    with pytest.raises(TypeError, match="cannot rebuild"):
        codec.build(complex, 1)


def test_a_stored_lot_without_a_later_field_takes_its_default_and_a_missing_one_is_named(
    ledger: Ledger,
) -> None:
    """Lots and postings are rebuilt by filling their `__dict__` (no frozen `__init__`):
    a document written before a field with a default existed still reads, with the default;
    one that lacks a field without a default is refused, as `__init__` would refuse it."""
    from zonekeeper.zone.ledger import Lot

    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    lot = ledger.state().lots["A1/1"]
    older = codec.plain(lot)
    del older["produced"], older["mode"]
    rebuilt = codec.build(Lot, older)
    assert rebuilt == lot and rebuilt.produced is False and rebuilt.mode is None
    del older["part"]
    with pytest.raises(TypeError, match="part"):
        codec.build(Lot, older)


def test_a_whole_number_beyond_64_bits_reads_back_exactly(ledger: Ledger) -> None:
    """orjson reads such a number as a float; the codec then reads the text with `json`,
    so an old document (written through `json`) keeps its admission line number."""
    import json

    from zonekeeper.zone.ledger import Lot

    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    document = codec.plain(ledger.state().lots["A1/1"])
    document["admissions"][0]["line"] = 2**70 + 1  # not a float exactly
    assert codec.loads(Lot, json.dumps(document)).admissions[0].line == 2**70 + 1


def test_a_dataclass_with_its_own_init_is_built_through_it() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True, init=False)
    class Scaled:
        amount: Decimal

        def __init__(self, amount: Decimal) -> None:
            object.__setattr__(self, "amount", amount * 2)

    assert codec.loads(Scaled, '{"amount": "1.5"}').amount == Decimal("3.0")


def test_enums_are_built_by_value_and_a_value_no_member_has_is_refused() -> None:
    """The enum builder looks members up by value (`codec._enum_builder`): the same member
    the class gives, and the class's own refusal for anything else."""
    from zonekeeper.store import codec
    from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

    for cls in (ZoneStatus, ShipmentDisposition):
        for member in cls:
            assert codec.build(cls, member.value) is member
    for bad in ("XX", None, ["PF"], 3):
        with pytest.raises(ValueError):
            codec.build(ZoneStatus, bad)
