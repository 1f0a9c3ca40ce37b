"""The canonical bytes the hash chain covers: the fast writer (orjson) must give exactly the
bytes of the reference writer (the standard library's sorted compact JSON) that every stored
chain was hashed with, or stored chains would stop verifying."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_events import EVENTS

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
    canonical_bytes,
    canonical_bytes_reference,
)
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

NPF = ZoneStatus.NONPRIVILEGED_FOREIGN
# every character class JSON writers are known to disagree on: controls, DEL, C1 controls,
# the JavaScript line separators, BOM, astral planes, quotes and backslashes, combining marks
AWKWARD = "".join(chr(c) for c in range(0x20)) + '\x7f\x85\u2028\u2029\ufeff"\\/é😀\U0010ffffé'
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)


@settings(max_examples=400, derandomize=True)
@given(EVENTS)
def test_fast_writer_gives_the_reference_bytes(event):
    assert canonical_bytes(event) == canonical_bytes_reference(event)


@settings(max_examples=300, derandomize=True)
@given(
    ANY_TEXT,
    st.integers(1, 2**62),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.decimals(allow_nan=False, allow_infinity=True),
    st.lists(ANY_TEXT, max_size=4).map(tuple),
)
def test_any_text_number_and_date_give_the_reference_bytes(text, number, date, amount, lots):
    events = [
        Admission(text, number, date, text, amount, amount, NPF, text, text, text, date, text),
        Production(date, text, text, amount, text, NPF, lots),
        Shipment(date, text, text, amount, ShipmentDisposition.EXPORT, amount, None, text),
        Count(date, text, amount, True, False, text),
        SuspenseReceipt(date, text, text, amount, text, text),
        Filing(date, text, text, text, text),
        Manipulation(date, text, amount, None, text, text),
        StatusChange(date, text, ZoneStatus.PRIVILEGED_FOREIGN, None, text),
        Correction(date, number, text),
    ]
    for event in events:
        assert canonical_bytes(event) == canonical_bytes_reference(event)


def test_awkward_characters_decimals_and_dates():
    for text in (AWKWARD, "", "ÅÄÖ 株式会社", "\u00a0\u200b"):
        for amount in ("10.50", "1E+3", "-0", "0.000001", "123456789012345678901234567890.5"):
            event = Admission(
                text, 1, dt.date(1, 1, 1), text, Decimal(amount), Decimal(amount), NPF, lot=text
            )
            assert canonical_bytes(event) == canonical_bytes_reference(event)
    fixed = Shipment(
        dt.date(2026, 1, 5), 'E"\\\n', "P", Decimal("2.0"), ShipmentDisposition.EXPORT, Decimal(3)
    )
    assert canonical_bytes(fixed) == (
        b'{"date":"2026-01-05","disposition":"export","kind":"shipment","lot":null,"part":"P",'
        b'"quantity":"2.0","ref":"E\\"\\\\\\n","status":null,"value":"3"}'
    )


def test_values_the_fast_writer_does_not_take_go_the_reference_way():
    # Types the annotations do not allow, but that a caller could still pass: the bytes
    # must be the reference's (or its error), never the fast writer's own opinion.
    huge = Correction(dt.date(2026, 1, 5), 2**70, "r")  # beyond orjson's 64-bit integers
    assert canonical_bytes(huge) == canonical_bytes_reference(huge)
    for number in (1e-7, float("nan")):  # orjson: 1e-7 and null; the reference: 1e-07, NaN
        floaty = Correction(dt.date(2026, 1, 5), number, "r")  # type: ignore[arg-type]
        assert canonical_bytes(floaty) == canonical_bytes_reference(floaty)
    assert canonical_bytes(Correction(dt.date(2026, 1, 5), 1e-7, "r")).startswith(  # type: ignore[arg-type]
        b'{"corrects":1e-07,'
    )
    lone = Correction(dt.date(2026, 1, 5), 1, "\ud800")  # a lone surrogate is not UTF-8
    with pytest.raises(UnicodeEncodeError):
        canonical_bytes(lone)


def test_perf_workload_gives_the_reference_bytes():
    from perf_post import synthetic

    for event in synthetic(3000):
        assert canonical_bytes(event) == canonical_bytes_reference(event)
