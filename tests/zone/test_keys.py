"""Natural keys (`zone.keys`): one per event kind, in one place; None for a kind without
one; Shipment.line added without changing any stored event's canonical bytes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from zonekeeper.zone.events import (
    EVENT_TYPES,
    Admission,
    Correction,
    Count,
    Filing,
    Manipulation,
    MasterChange,
    Production,
    Shipment,
    StatusChange,
    SuspenseReceipt,
    canonical_bytes,
    canonical_bytes_reference,
    from_record,
)
from zonekeeper.zone.keys import describe, held_keys, natural_key
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

DAY = dt.date(2026, 8, 5)
ONE = Decimal(1)
NPF = ZoneStatus.NONPRIVILEGED_FOREIGN
PF = ZoneStatus.PRIVILEGED_FOREIGN
EXAMPLES = [
    Admission("A1", 2, DAY, "W", ONE, ONE, NPF),
    Shipment(DAY, "S1", "W", ONE, ShipmentDisposition.EXPORT, ONE, line=3),
    Production(DAY, "R1", "K", ONE),
    Count(DAY, "A1/2", ONE),
    StatusChange(DAY, "A1/2", PF),
    Manipulation(DAY, "A1/2", ONE, permit="P216"),
    SuspenseReceipt(DAY, "SR1", "W", ONE),
    Filing(DAY, "entry_summary", "E1", "2026-W32"),
    Correction(DAY, 4, "typo"),
]


def test_every_kind_has_a_key_made_of_its_document() -> None:
    # a master event records master data, not a document: it has no natural key
    assert {type(e).kind for e in EXAMPLES} == set(EVENT_TYPES) - {MasterChange.kind}
    assert natural_key(MasterChange(DAY, "FIFO", site="Plant")) is None
    assert [describe(natural_key(e) or "") for e in EXAMPLES] == [
        "admission A1 line 2",
        "shipment S1 line 3",
        "production R1",
        "count of 2026-08-05 lot A1/2",
        "status change of lot A1/2 to PF",
        "manipulation of 2026-08-05 lot A1/2 permit P216",
        "suspense receipt SR1",
        "filing entry_summary ref E1",
        "correction of event 4",
    ]


def test_the_key_ignores_what_is_not_the_document() -> None:
    first = Shipment(DAY, "S1", "W", ONE, ShipmentDisposition.EXPORT, ONE)
    other = Shipment(DAY + dt.timedelta(1), "S1", "V", ONE + 1,
                     ShipmentDisposition.CONSUMPTION, ONE)
    assert natural_key(first) == natural_key(other) == '["shipment","S1",1]'
    assert natural_key(Shipment(DAY, "S1", "W", ONE, ShipmentDisposition.EXPORT, ONE, line=2)) != (
        natural_key(first)
    )
    # No value runs into the next: the key is a JSON array.
    assert natural_key(Admission("A|1", 1, DAY, "W", ONE, ONE, NPF)) != natural_key(
        Admission("A", 1, DAY, "W", ONE, ONE, NPF)
    )


def test_a_kind_without_a_natural_key_has_none() -> None:
    class Master:  # e.g. a kind added later that has no document number
        kind = "master"

    assert natural_key(Master()) is None
    assert held_keys([(1, Master()), (2, Master())]) == {}  # type: ignore[list-item]


def test_a_shipment_of_line_1_keeps_the_bytes_it_was_stored_with() -> None:
    stored = (
        '{"date":"2026-08-05","disposition":"export","kind":"shipment","lot":null,'
        '"part":"W","quantity":"1","ref":"S1","status":null,"value":"1"}'
    )
    event = from_record("shipment", json.loads(stored))
    assert isinstance(event, Shipment) and event.line == 1
    assert canonical_bytes(event).decode() == stored == canonical_bytes_reference(event).decode()
    second = Shipment(DAY, "S1", "W", ONE, ShipmentDisposition.EXPORT, ONE, line=2)
    assert b'"line":2' in canonical_bytes(second)
    assert from_record("shipment", json.loads(canonical_bytes(second))) == second


def test_the_first_event_holds_a_key_and_a_correction_frees_it() -> None:
    s1 = Shipment(DAY, "S1", "W", ONE, ShipmentDisposition.EXPORT, ONE)
    events = [(1, s1), (2, s1), (3, Correction(DAY, 1, "typo")), (4, s1)]
    assert held_keys(events[:2]) == {natural_key(s1): 1}  # the repeat stands unkeyed
    assert held_keys(events) == {natural_key(s1): 4, '["correction",1]': 3}
