"""Event records: lossless JSON-safe round trip, canonical bytes for the hash chain, and
clear errors on bad records."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from zone_helpers import PF, admit, day

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
    from_record,
    to_record,
)
from zonekeeper.zone.master import Bom, BomLine, Part
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

decimals = st.decimals(
    allow_nan=False, allow_infinity=False, places=4, min_value=0, max_value=10**9
)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
names = st.text(min_size=1, max_size=12)
opt = st.none().__or__

EVENTS = st.one_of(
    st.builds(
        Admission,
        names,
        st.integers(1, 999),
        dates,
        names,
        decimals,
        decimals,
        st.sampled_from(ZoneStatus),
        opt(names),
        opt(names),
        opt(st.sampled_from(["vessel", "air", "truck"])),
        opt(dates),
        opt(names),
        opt(names),
    ),
    st.builds(StatusChange, dates, names, st.sampled_from(ZoneStatus), opt(dates), opt(names)),
    st.builds(Manipulation, dates, names, decimals, opt(names), opt(names), names),
    st.builds(
        Production,
        dates,
        names,
        names,
        decimals,
        opt(names),
        opt(st.sampled_from(ZoneStatus)),
        st.lists(names, max_size=3).map(tuple),
    ),
    st.builds(
        Shipment,
        dates,
        names,
        names,
        decimals,
        st.sampled_from(ShipmentDisposition),
        decimals,
        opt(st.sampled_from(ZoneStatus)),
        opt(names),
    ),
    st.builds(Count, dates, names, decimals, st.booleans(), st.booleans(), names),
    st.builds(SuspenseReceipt, dates, names, names, decimals, names, names),
    st.builds(
        MasterChange,
        dates,
        st.sampled_from(["FIFO", "LIFO", "LOT"]),
        opt(names),
        st.lists(
            st.builds(Part, names, names, opt(names), opt(names), names, dates), max_size=3
        ).map(tuple),
        st.lists(
            st.builds(
                Bom,
                names,
                dates,
                st.lists(
                    st.builds(BomLine, names, decimals, decimals, decimals, opt(names)),
                    max_size=3,
                ).map(tuple),
                decimals,
            ),
            max_size=2,
        ).map(tuple),
        st.booleans(),
    ),
    st.builds(Filing, dates, names, names, names, names),
    st.builds(Correction, dates, st.integers(1, 10**9), names),
)


@settings(max_examples=150, derandomize=True)
@given(EVENTS)
def test_records_round_trip_through_json(event):
    record = json.loads(json.dumps(to_record(event)))
    back = from_record(event.kind, record)
    assert back == event
    assert canonical_bytes(back) == canonical_bytes(event)
    assert json.loads(canonical_bytes(event))["kind"] == event.kind


def test_every_kind_is_registered():
    assert set(EVENT_TYPES) == {
        "admission",
        "status_change",
        "manipulation",
        "production",
        "shipment",
        "count",
        "suspense_receipt",
        "filing",
        "correction",
        "master",
    }


def test_canonical_bytes_are_compact_sorted_json():
    event = admit("A1", 1, "2026-01-05", "COMP", "10.50", 8000, PF)
    assert canonical_bytes(event) == (
        b'{"admission_no":"A1","date":"2026-01-05","hts":null,"kind":"admission","line":1,'
        b'"lot":null,"mode":null,"origin":null,"part":"COMP","pf_date":null,'
        b'"quantity":"10.50","status":"PF","suspense_ref":null,"value":"8000"}'
    )
    # decimals keep the digits as written: 10.50 and 10.5 are the same number, not the same text
    other = admit("A1", 1, "2026-01-05", "COMP", "10.5", 8000, PF)
    assert other == event and canonical_bytes(other) != canonical_bytes(event)


def test_bad_records_name_the_field():
    record = to_record(Correction(day("2026-01-05"), 3, "typo"))
    with pytest.raises(ValueError, match="unknown event kind 'refund'"):
        from_record("refund", record)
    with pytest.raises(ValueError, match="lacks field 'corrects'"):
        from_record("correction", {k: v for k, v in record.items() if k != "corrects"})
    with pytest.raises(ValueError, match="field 'date'"):
        from_record("correction", {**record, "date": "05/01/2026"})
    with pytest.raises(ValueError, match="unknown fields: extra"):
        from_record("correction", {**record, "extra": 1})
    ship = to_record(
        Shipment(day("2026-01-05"), "E", "P", Decimal(1), ShipmentDisposition.EXPORT, Decimal(1))
    )
    with pytest.raises(ValueError, match="field 'quantity'.*floats"):
        from_record("shipment", {**ship, "quantity": 1.5})
    with pytest.raises(ValueError, match="field 'disposition'"):
        from_record("shipment", {**ship, "disposition": "lost"})


def test_status_and_disposition_parse_form_214_letters():
    assert [ZoneStatus.parse(x) for x in ("P", "n", "D", "Z", "privileged foreign")] == [
        ZoneStatus.PRIVILEGED_FOREIGN,
        ZoneStatus.NONPRIVILEGED_FOREIGN,
        ZoneStatus.DOMESTIC,
        ZoneStatus.ZONE_RESTRICTED,
        ZoneStatus.PRIVILEGED_FOREIGN,
    ]
    with pytest.raises(ValueError, match="use PF"):
        ZoneStatus.parse("X")
    assert ShipmentDisposition.parse("Zone transfer") is ShipmentDisposition.ZONE_TRANSFER


def test_a_bad_master_record_names_the_nested_field():
    part = Part("W", "Board", "8537109170", "DE", "No.", day("2026-01-05"))
    record = to_record(MasterChange(day("2026-01-05"), "FIFO", "Dock 3", (part,)))
    bad = {**record, "parts": [{**record["parts"][0], "valid_from": "05/01/2026"}]}
    with pytest.raises(ValueError, match="master field 'parts': Part field 'valid_from'"):
        from_record("master", bad)
    with pytest.raises(ValueError, match="Part record has unknown fields: colour"):
        from_record("master", {**record, "parts": [{**record["parts"][0], "colour": "red"}]})
