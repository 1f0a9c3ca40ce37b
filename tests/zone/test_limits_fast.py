"""The storability check of every posted event (`zone.events.event_problems`) decides the
usual case by one `attrgetter` call and one search; it must refuse exactly what the field
by field walk it replaced refused, with the same fields and messages (kept here as the
reference), for any text, any length around the limit, any line number, and values of
unexpected types (a `str` subclass, an enum, nested records, tuples)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_events import EVENTS

from zonekeeper.zone import limits
from zonekeeper.zone.events import (
    Admission,
    Correction,
    Count,
    Filing,
    Manipulation,
    Production,
    Shipment,
    StatusChange,
    SuspenseReceipt,
    event_problems,
)
from zonekeeper.zone.limits import (
    ID,
    identifier_problems,
    line_refusal,
    text_problems,
    too_long,
    unstorable,
)
from zonekeeper.zone.master import Bom, BomLine, Part
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

# --- the reference: the walk posting used before (commit e37094a), verbatim -----------------

_SCALARS = (Decimal, dt.date, int, float, Enum, type(None))


def _ref_gather(record: Any, name: str, texts: list[tuple[str, str]]) -> None:
    for field in (f.name for f in dataclasses.fields(record)):
        value = getattr(record, field)
        if type(value) is str:
            texts.append((name or field, value))
        elif isinstance(value, _SCALARS):
            continue
        elif isinstance(value, str):
            texts.append((name or field, str(value)))
        elif isinstance(value, tuple | list):
            for item in value:
                if isinstance(item, str):
                    texts.append((name or field, item))
                elif dataclasses.is_dataclass(item) and not isinstance(item, type):
                    _ref_gather(item, field, texts)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            _ref_gather(value, field, texts)


def reference_text_problems(record: object) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        _ref_gather(record, "", texts)
    elif isinstance(record, str):
        texts.append(("", record))
    found: dict[str, str] = {}
    for name, text in texts:
        if name not in found:
            reason = unstorable(text)
            if reason is not None:
                found[name] = reason
    return list(found.items())


def reference_event_problems(event: Any) -> list[tuple[str, str]]:
    found = reference_text_problems(event)
    if found:
        return found
    if isinstance(event, Admission):
        reason = line_refusal(event.line)
        if reason is not None:
            return [("line", reason)]
        found = identifier_problems(
            {"admission_no": event.admission_no, "part": event.part, "lot": event.lot,
             "suspense_ref": event.suspense_ref}
        )  # fmt: skip
        if not found and event.lot is None:
            named = f"the lot number {event.admission_no}/{event.line} (admission_no/line)"
            reason = too_long(event.lot_id, what=named)
            if reason is not None:
                found.append(("admission_no", reason))
    elif isinstance(event, Production):
        found = identifier_problems({"product": event.product, "lot": event.lot})
        if not found and event.lot is None:
            reason = too_long(event.lot_id, what="the lot number P/<production number>")
            if reason is not None:
                found.append(("lot", reason + ": give a shorter production number or a lot"))
    elif isinstance(event, Manipulation):
        found = identifier_problems({"new_lot": event.new_lot})
    elif isinstance(event, SuspenseReceipt):
        found = identifier_problems({"ref": event.ref, "part": event.part})
    return found


# --- generated events ----------------------------------------------------------------------


class Tag(str):
    """A `str` subclass: looked into like any text."""


class Code(StrEnum):
    """A text enum: a code of the product's own, not looked into (even holding a NUL)."""

    NUL = "a\x00b"
    OK = "ok"


# Short texts of awkward characters, and texts around the identifier limit.
PIECES = st.lists(st.sampled_from(["a", "\x00", "\ud800", "\udfff", "é", "😀", "\\", "u0000"]),
                  max_size=4).map("".join)  # fmt: skip
TEXT = st.one_of(
    PIECES,
    st.builds(lambda n, tail: "x" * n + tail, st.integers(ID - 8, ID + 2), PIECES),
    st.builds(Tag, PIECES),
    st.sampled_from(list(Code)),
)
OPT = st.none() | TEXT
DAY = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))
AMOUNT = st.sampled_from([Decimal(1), Decimal("2.50")])
LINE = st.one_of(st.integers(-2, 3), st.sampled_from([2**31 - 1, 2**31, 2**40]),
                 st.just(True), st.just(1.0))  # fmt: skip
LOTS = st.one_of(
    st.lists(TEXT, max_size=3).map(tuple),
    st.lists(st.one_of(TEXT, st.just(7), st.just(None)), max_size=3).map(tuple),
    st.lists(TEXT, max_size=2),  # a list where the type says tuple
)
NPF = ZoneStatus.NONPRIVILEGED_FOREIGN

ODD_EVENTS = st.one_of(
    st.builds(Admission, TEXT, LINE, DAY, TEXT, AMOUNT, AMOUNT, st.just(NPF), OPT, OPT, OPT,
              st.none() | DAY, OPT, OPT),  # fmt: skip
    st.builds(Production, DAY, TEXT, TEXT, AMOUNT, OPT, st.none() | st.just(NPF), LOTS),
    st.builds(Shipment, DAY, TEXT, TEXT, AMOUNT, st.just(ShipmentDisposition.EXPORT), AMOUNT,
              st.none(), OPT, LINE),  # fmt: skip
    st.builds(Count, DAY, TEXT, AMOUNT, st.booleans(), st.booleans(), TEXT),
    st.builds(SuspenseReceipt, DAY, TEXT, TEXT, AMOUNT, TEXT, TEXT),
    st.builds(Filing, DAY, TEXT, TEXT, TEXT, TEXT),
    st.builds(Manipulation, DAY, TEXT, AMOUNT, OPT, OPT, TEXT),
    st.builds(StatusChange, DAY, TEXT, st.just(NPF), st.none(), OPT),
    st.builds(Correction, DAY, st.integers(1, 9), TEXT),
)


@settings(max_examples=1500, derandomize=True)
@given(ODD_EVENTS)
def test_the_fast_check_refuses_what_the_walk_refused(event: Any) -> None:
    assert event_problems(event) == reference_event_problems(event)
    assert event_problems(event) == reference_event_problems(event)  # types learnt: again


@settings(max_examples=300, derandomize=True)
@given(EVENTS)
def test_the_fast_check_passes_what_the_walk_passed(event: Any) -> None:
    assert event_problems(event) == reference_event_problems(event)


def test_a_lone_surrogate_or_nul_is_found_in_any_text_field_of_a_known_type() -> None:
    """The fast path (the type's getter known) still finds a bad text in each field."""
    day = dt.date(2026, 8, 3)
    good = Shipment(day, "S1", "W", Decimal(1), ShipmentDisposition.EXPORT, Decimal(1))
    assert event_problems(good) == []
    for bad in ("\x00", "\ud800"):
        for field in ("ref", "part", "lot"):
            event = dataclasses.replace(good, **{field: f"x{bad}y"})
            assert [f for f, _ in event_problems(event)] == [field]
    production = Production(day, "R1", "F", Decimal(1), lots=("L1", "L\x002"))
    assert [f for f, _ in event_problems(production)] == ["lots"]
    assert event_problems(dataclasses.replace(production, lots=("L1",))) == []


def test_nested_records_are_walked() -> None:
    """Master records nest lines in a tuple: the walk still reaches them."""
    day = dt.date(2026, 8, 3)
    bom = Bom("F", day, (BomLine("C\x00", Decimal(1)), BomLine("D", Decimal(2))))
    assert text_problems(bom) == reference_text_problems(bom) == [("lines", limits.unstorable(
        "\x00") or "")]  # fmt: skip
    part = Part("W", "\ud800", "8537109170", "DE", "No.", day)
    assert text_problems(part) == reference_text_problems(part)
    assert [f for f, _ in text_problems(part)] == ["description"]


def test_every_identifier_at_and_around_the_limit() -> None:
    """Each identifier field one below, at and just over `ID`, alone and with a default lot
    number that grows past it: the same problems as the walk."""
    day = dt.date(2026, 8, 3)
    base: list[Any] = [
        Admission("A", 1, day, "W", Decimal(1), Decimal(1), NPF),
        Admission("A", 1, day, "W", Decimal(1), Decimal(1), NPF, lot="L", suspense_ref="R"),
        Admission("A", 2**31 - 1, day, "W", Decimal(1), Decimal(1), NPF),
        Production(day, "R", "F", Decimal(1)),
        Production(day, "R", "F", Decimal(1), lot="L"),
        Manipulation(day, "L", Decimal(1), new_lot="N"),
        SuspenseReceipt(day, "S", "W", Decimal(1)),
    ]
    fields = ("admission_no", "part", "lot", "suspense_ref", "ref", "product", "new_lot")
    compared = 0
    for event in base:
        for field in fields:
            if field not in {f.name for f in dataclasses.fields(event)}:
                continue
            for size in range(ID - 12, ID + 3):
                changed = dataclasses.replace(event, **{field: "x" * size})
                assert event_problems(changed) == reference_event_problems(changed), (
                    field, size, type(event).__name__)  # fmt: skip
                compared += 1
    assert compared > 100


@settings(max_examples=1500, derandomize=True)
@given(st.one_of(ODD_EVENTS, EVENTS))
def test_the_canonical_payload_passes_no_text_the_walk_refuses(event: Any) -> None:
    """Posting checks a batch's texts on the canonical JSON it makes for the chain
    (`canonical_payloads`): when that passes an event, the field-by-field walk finds
    nothing either, and the payload is exactly the bytes the chain hashes."""
    from zonekeeper.zone.events import canonical_bytes, canonical_payloads

    made = canonical_payloads([event])
    if made is not None:
        assert reference_text_problems(event) == []
        assert made == [canonical_bytes(event).decode("utf-8")]


def test_a_bad_text_anywhere_in_the_batch_sends_it_to_the_walk() -> None:
    from zonekeeper.zone.events import canonical_payloads

    day = dt.date(2026, 8, 3)
    good = Shipment(day, "S1", "W", Decimal(1), ShipmentDisposition.EXPORT, Decimal(1))
    assert canonical_payloads([good, good]) is not None
    for bad in ("\x00", "\ud800", "\\u0000"):  # the last: no NUL, but looks like one here
        assert canonical_payloads([good, dataclasses.replace(good, lot=bad)]) is None
    assert canonical_payloads([good, object()]) is None
