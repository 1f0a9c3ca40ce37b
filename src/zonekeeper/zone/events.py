"""The zone ledger's events: what happened in the zone, one immutable record each.

The ledger is append-only (19 CFR 146.21-146.24: every receipt traceable to a CBP Form 214,
every transfer out traceable to an admission); a mistake is corrected by a `Correction`
that names the event it reverses, never by changing an event. Each event is a frozen
dataclass with `kind: ClassVar[str]`. `to_record` / `from_record` turn an event into a
JSON-safe dict and back (decimals and dates as strings, exactly as given, so the round
trip is lossless), and `canonical_bytes` is the byte form the store hashes into its chain.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Union

import orjson

from zonekeeper.zone.limits import (
    ID,
    identifier_problems,
    line_refusal,
    text_problems,
    too_long,
)
from zonekeeper.zone.master import Bom, BomLine, Part
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

__all__ = [
    "EVENT_TYPES",
    "Admission",
    "Correction",
    "Count",
    "Event",
    "Filing",
    "Manipulation",
    "MasterChange",
    "Production",
    "Shipment",
    "StatusChange",
    "SuspenseReceipt",
    "canonical_bytes",
    "canonical_bytes_reference",
    "canonical_payloads",
    "from_record",
    "to_record",
]


@dataclass(frozen=True, slots=True)
class Admission:
    """One line of a CBP Form 214 admitting merchandise to the zone (146.22, 146.32).

    `value` is the dutiable value: the price in the transaction that brought the goods into
    the zone (146.65(b)(2)). `hts` and `origin` default from the part master in force on
    `date`. `pf_date` is the date the complete privileged-foreign application was filed
    (146.41(b), 146.65(a)(1)); it defaults to the admission date and applies only to PF.
    `lot` is the zone lot number (146.23(a)); default `"<admission_no>/<line>"`.
    `suspense_ref` names a suspense receipt this admission documents (146.22(c)).
    `mode` is the mode of transport to the port (vessel cargo owes HMF, 146.22(e)).
    """

    kind: ClassVar[str] = "admission"
    admission_no: str
    line: int
    date: dt.date
    part: str
    quantity: Decimal
    value: Decimal
    status: ZoneStatus
    hts: str | None = None
    origin: str | None = None
    mode: str | None = None
    pf_date: dt.date | None = None
    lot: str | None = None
    suspense_ref: str | None = None

    @property
    def lot_id(self) -> str:
        return self.lot if self.lot else f"{self.admission_no}/{self.line}"


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A change of zone status of a whole lot: NPF to PF (146.41(b), before any change of
    classification) or NPF/PF/D to ZR (146.44(a)). Nothing else: PF cannot be abandoned
    (146.41(e)), ZR cannot be abandoned (146.44(a)), D does not change.

    `pf_date` is the date the complete PF application was filed (default: `date`);
    `reference` is the Form 214 (or other application) number.
    """

    kind: ClassVar[str] = "status_change"
    date: dt.date
    lot: str
    status: ZoneStatus
    pf_date: dt.date | None = None
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class Manipulation:
    """Manipulation under a CBP Form 216 permit (146.52), e.g. relabel or repack.

    The part and status do not change. If `new_lot` is given, `quantity` moves from `lot`
    to `new_lot` (a new lot identity that keeps the origin lot's status, composition and
    trace to its admission); otherwise the manipulation is only recorded in the lot's history.
    """

    kind: ClassVar[str] = "manipulation"
    date: dt.date
    lot: str
    quantity: Decimal
    new_lot: str | None = None
    permit: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Production:
    """Manufacture under a CBP Form 216 permit (146.52): consumes component lots per the
    bill of materials in force on `date` and produces `quantity` of `product` in a new lot
    (default id `"P/<ref>"`) that remembers its status composition (146.65).

    `status` restricts the components drawn to one zone status; `lots` names the lots to
    draw from (required when the zone allocates by specific lot).
    """

    kind: ClassVar[str] = "production"
    date: dt.date
    ref: str
    product: str
    quantity: Decimal
    lot: str | None = None
    status: ZoneStatus | None = None
    lots: tuple[str, ...] = ()

    @property
    def lot_id(self) -> str:
        return self.lot if self.lot else f"P/{self.ref}"


@dataclass(frozen=True, slots=True)
class Shipment:
    """A transfer of merchandise out of the zone (146.24): to customs territory on an entry
    (consumption), export, transfer to another zone, or destruction in the zone.

    `value` is the transaction value out (the zone value). `status` restricts the lots drawn
    to one zone status; `lot` names the lot (required when the zone allocates by specific
    lot). `ref` is the entry, export or permit reference; `line` the line of that shipment
    (1 for a shipment of one row), which with `ref` makes its natural key (`zone.keys`).
    """

    kind: ClassVar[str] = "shipment"
    date: dt.date
    ref: str
    part: str
    quantity: Decimal
    disposition: ShipmentDisposition
    value: Decimal
    status: ZoneStatus | None = None
    lot: str | None = None
    line: int = 1


@dataclass(frozen=True, slots=True)
class Count:
    """A physical count of a lot (146.23(c)); a difference from the books becomes a
    shortage or overage record (146.53). `theft` and `not_properly_admitted` are what the
    counter knows about the cause; both make the record reportable at once (146.53(a)(1),(2)).
    """

    kind: ClassVar[str] = "count"
    date: dt.date
    lot: str
    counted: Decimal
    theft: bool = False
    not_properly_admitted: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class SuspenseReceipt:
    """Merchandise received without complete documentation, held in suspense until an
    `Admission` naming `ref` as its `suspense_ref` documents it (146.22(c))."""

    kind: ClassVar[str] = "suspense_receipt"
    date: dt.date
    ref: str
    part: str
    quantity: Decimal
    description: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Filing:
    """A document filed with CBP (or, for the annual reconciliation, prepared), so the books
    know what was done and the alerts can clear (146.21(a): records of every CBP document).

    `document` is one of `zone.filings.FILING_KINDS` (entry_summary, supplemental_3461,
    form_214_overage, shortage_report, reconciliation, certification, transfer_permit);
    `ref` is the document's number (entry number, Form 214 number, permit number, letter
    reference); `covers` is what it is for: a week (`2026-W33`) for entry summaries and
    supplemental estimates (146.63(c)), a lot for overage 214s and shortage reports
    (146.53), a zone year (`2026`) for the reconciliation and its certification (146.25),
    a shipment number for a transfer permit (146.71). `zone.filings` checks it at posting.
    """

    kind: ClassVar[str] = "filing"
    date: dt.date
    document: str
    ref: str
    covers: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Correction:
    """Reverses the event at ledger position `corrects` (1-based sequence number of this
    zone's events), with a reason. The ledger stays append-only (146.21 audit trail)."""

    kind: ClassVar[str] = "correction"
    date: dt.date
    corrects: int
    reason: str


@dataclass(frozen=True, slots=True)
class MasterChange:
    """A change of the zone's master data, in the chain beside the goods (146.21(a): records
    that can be relied upon; 146.23(b) part numbers and descriptions; 146.52(d)(2) the bills
    of materials that decide what a manufacture consumes, hence the duty on its product).

    `parts` and `boms` are the versions it adds (a version with the same key and date
    replaces the one before it, as `MasterData.with_versions`); `site` and `method` are the
    zone's settings as they stand. `Ledger.init` records the settings of a new zone,
    `Ledger.load_master` each load. An `anchor` records the whole master data of books
    written before master data was chained, once, as it stood then: what was loaded
    before it is trusted as of it. `date` is the day it was recorded (not an effective
    date: each version carries its own `valid_from`). The core does not post it (no goods
    move; `post` refuses it): `verify` rebuilds the master data from these events.
    """

    kind: ClassVar[str] = "master"
    date: dt.date
    method: str
    site: str | None = None
    parts: tuple[Part, ...] = ()
    boms: tuple[Bom, ...] = ()
    anchor: bool = False


Event = (
    Admission
    | StatusChange
    | Manipulation
    | Production
    | Shipment
    | Count
    | SuspenseReceipt
    | Filing
    | Correction
    | MasterChange
)

EVENT_TYPES: Mapping[str, type[Any]] = {
    cls.kind: cls
    for cls in (
        Admission,
        StatusChange,
        Manipulation,
        Production,
        Shipment,
        Count,
        SuspenseReceipt,
        Filing,
        Correction,
        MasterChange,
    )
}


# --- records -------------------------------------------------------------------------------

_Encode = Callable[[Any], Any]
_Decode = Callable[[Any], Any]


def _enc_plain(value: Any) -> Any:
    return value


def _enc_str(value: Any) -> Any:
    return None if value is None else str(value)


def _enc_date(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _enc_tuple(value: Any) -> Any:
    return list(value)


def _optional(decode: _Decode) -> _Decode:
    def run(value: Any) -> Any:
        return None if value is None else decode(value)

    return run


def _dec_decimal(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValueError("decimals are carried as strings, not floats")
    return Decimal(str(value))


def _dec_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"not an integer: {value!r}")
    return int(value)


def _dec_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"not a boolean: {value!r}")
    return value


def _dec_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"not a string: {value!r}")
    return value


def _dec_strs(value: Any) -> tuple[str, ...]:
    return tuple(_dec_str(v) for v in value)


_CODECS: dict[Any, tuple[_Encode, _Decode]] = {
    Decimal: (_enc_str, _dec_decimal),
    dt.date: (_enc_date, dt.date.fromisoformat),
    ZoneStatus: (_enc_str, ZoneStatus),
    ShipmentDisposition: (_enc_str, ShipmentDisposition),
    int: (_enc_plain, _dec_int),
    bool: (_enc_plain, _dec_bool),
    str: (_enc_plain, _dec_str),
    tuple[str, ...]: (_enc_tuple, _dec_strs),
}


def _dataclass_codec(cls: type[Any]) -> tuple[_Encode, _Decode]:
    """A flat dataclass of the master (Part, BomLine, Bom) as a JSON object of its fields."""
    fields = _field_codecs(cls)
    what = cls.__name__

    def encode(value: Any) -> Any:
        return {name: enc(getattr(value, name)) for name, enc, _, _ in fields}

    def decode(value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ValueError(f"not a {what} record: {value!r}")
        return cls(**_decode_fields(what, fields, value))

    return encode, decode


def _tuple_codec(inner: tuple[_Encode, _Decode]) -> tuple[_Encode, _Decode]:
    encode, decode = inner

    def decode_all(value: Any) -> Any:
        if not isinstance(value, list):
            raise ValueError(f"not a list: {value!r}")
        return tuple(decode(v) for v in value)

    return (lambda value: [encode(v) for v in value]), decode_all


def _codec(hint: Any) -> tuple[_Encode, _Decode]:
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is Union:
        inner = [a for a in args if a is not type(None)]
        encode, decode = _CODECS[inner[0]]
        return encode, _optional(decode)
    return _CODECS[hint]


def _field_codecs(cls: type[Any]) -> tuple[tuple[str, _Encode, _Decode, bool], ...]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        encode, decode = _codec(hints[f.name])
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out.append((f.name, encode, decode, required))
    return tuple(out)


# The master's records inside a `MasterChange`, each after the types it holds.
_CODECS[BomLine] = _dataclass_codec(BomLine)
_CODECS[tuple[BomLine, ...]] = _tuple_codec(_CODECS[BomLine])
_CODECS[Part] = _dataclass_codec(Part)
_CODECS[tuple[Part, ...]] = _tuple_codec(_CODECS[Part])
_CODECS[Bom] = _dataclass_codec(Bom)
_CODECS[tuple[Bom, ...]] = _tuple_codec(_CODECS[Bom])

_FIELDS: dict[str, tuple[tuple[str, _Encode, _Decode, bool], ...]] = {
    kind: _field_codecs(cls) for kind, cls in EVENT_TYPES.items()
}


# Fields added to a kind after books were written with it, and their default: a record
# leaves such a field out while it holds its default, so the events stored before it
# existed keep their canonical bytes and hashes (and a new event at the default is written
# as it always was).
_LATER_FIELDS: dict[str, tuple[tuple[str, Any], ...]] = {"shipment": (("line", 1),)}


def to_record(event: Event) -> dict[str, Any]:
    """The event as a JSON-safe dict: every field, decimals and dates as strings (a field
    added later is left out while at its default: `_LATER_FIELDS`)."""
    kind = event.kind
    record = {name: encode(getattr(event, name)) for name, encode, _, _ in _FIELDS[kind]}
    later = _LATER_FIELDS.get(kind)
    if later is not None:
        for name, default in later:
            if record[name] == default:
                del record[name]
    return record


def from_record(kind: str, record: Mapping[str, Any]) -> Event:
    """Rebuild an event from `to_record`'s output; ValueError naming the field on bad data."""
    fields = _FIELDS.get(kind)
    if fields is None:
        raise ValueError(f"unknown event kind {kind!r}: one of {', '.join(EVENT_TYPES)}")
    event: Event = EVENT_TYPES[kind](**_decode_fields(kind, fields, record, {"kind"}))
    return event


def _decode_fields(
    what: str,
    fields: tuple[tuple[str, _Encode, _Decode, bool], ...],
    record: Mapping[str, Any],
    extra: frozenset[str] | set[str] = frozenset(),
) -> dict[str, Any]:
    """The decoded fields of a record of `what`; ValueError naming the field on bad data
    (a required one missing, a bad value, an unknown one; `extra` names may be present)."""
    values: dict[str, Any] = {}
    for name, _, decode, required in fields:
        if name not in record:
            if required:
                raise ValueError(f"{what} record lacks field {name!r}")
            continue
        try:
            values[name] = decode(record[name])
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise ValueError(f"{what} field {name!r}: {exc}") from None
    unknown = set(record) - {name for name, _, _, _ in fields} - set(extra)
    if unknown:
        raise ValueError(f"{what} record has unknown fields: {', '.join(sorted(unknown))}")
    return values


def canonical_bytes(event: Event) -> bytes:
    """The canonical form the store hashes: compact JSON of `to_record` plus `kind`, keys
    sorted, UTF-8. Equal events (field for field, decimals as written) give equal bytes.

    The form is defined by `json.dumps(record, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)` (`canonical_bytes_reference`), which every stored chain was hashed
    with. orjson writes the same bytes for the values a record holds (strings with the same
    escapes, ints, booleans, null, lists; keys are ASCII field names, so its byte order sort
    is Python's) at a fraction of the cost: the chain hashes every event it stores. A record
    holding anything else (a float where the type says int, an int beyond 64 bits) takes the
    reference path, so the bytes never depend on which writer ran.
    """
    record = to_record(event)
    record["kind"] = event.kind
    kinds = set(map(type, record.values()))
    if kinds <= _JSON_SCALARS or (
        kinds <= _JSON_SCALARS_AND_LIST
        and all(type(x) is str for v in record.values() if type(v) is list for x in v)
    ):
        try:
            return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass  # e.g. an int beyond 64 bits, a lone surrogate: the reference decides
    return _reference_dumps(record)


def canonical_payloads(events: Sequence[Any]) -> list[str] | None:
    """Each event's canonical bytes as the text the store keeps (`payload`), made once for
    both the chain and the storability check of its texts (`zone.limits`, which posting
    applies to every event): None unless every event has a canonical form that can be
    stored, i.e. it was written (a lone surrogate has no UTF-8 form, so no canonical bytes)
    and holds no escaped NUL (`\\u0000`: JSON writes a NUL character so; a text holding a
    backslash and `u0000` looks the same here). Every text of an event is in its record
    (`to_record`), so a batch this returns payloads for holds no text the books cannot
    store; for one it returns None for, the texts are checked one by one."""
    payloads = []
    for event in events:
        try:
            payload = canonical_bytes(event).decode("utf-8")
        except Exception:  # noqa: BLE001 - anything not writable: the exact check decides
            return None
        if _ESCAPED_NUL in payload:
            return None
        payloads.append(payload)
    return payloads


_ESCAPED_NUL = "\\u0000"
_JSON_SCALARS = frozenset({str, int, bool, type(None)})
_JSON_SCALARS_AND_LIST = _JSON_SCALARS | {list}


def _reference_dumps(record: dict[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical_bytes_reference(event: Event) -> bytes:
    """`canonical_bytes` by the standard library's JSON writer alone: the definition the
    fast path is tested against."""
    record = to_record(event)
    record["kind"] = event.kind
    return _reference_dumps(record)


def event_problems(event: object, *, texts: bool = True) -> list[tuple[str, str]]:
    """(field, reason) for everything in a zone event the books cannot hold: text that
    cannot be stored, an identifier over `ID` characters (the lot an admission or a
    production makes, named by default from its admission number and line or its
    production number, included), an admission line outside 1..LINE_MAX.

    Posting checks every event, so the usual case (everything fits) is decided without
    building the problems' texts: the message of a refusal is made only for a refusal.
    `texts=False`: the caller has found every text storable already (posting, by the
    event's canonical JSON: `zone.events.canonical_payloads`); the rest is checked."""
    if texts:
        found = text_problems(event)
        if found:
            return found  # the lengths of such text mean nothing
    if isinstance(event, Admission):
        reason = line_refusal(event.line)
        if reason is not None:
            return [("line", reason)]
        lot, ref = event.lot, event.suspense_ref
        if (
            len(event.admission_no) > ID
            or len(event.part) > ID
            or (lot is not None and len(lot) > ID)
            or (ref is not None and len(ref) > ID)
        ):
            return identifier_problems(
                {"admission_no": event.admission_no, "part": event.part, "lot": lot,
                 "suspense_ref": ref}
            )  # fmt: skip
        if lot is None and len(event.lot_id) > ID:
            named = f"the lot number {event.admission_no}/{event.line} (admission_no/line)"
            return [("admission_no", str(too_long(event.lot_id, what=named)))]
        return []
    if isinstance(event, Production):
        lot = event.lot
        if len(event.product) > ID or (lot is not None and len(lot) > ID):
            return identifier_problems({"product": event.product, "lot": lot})
        if lot is None and len(event.lot_id) > ID:
            reason = too_long(event.lot_id, what="the lot number P/<production number>")
            return [("lot", f"{reason}: give a shorter production number or a lot")]
        return []
    if isinstance(event, Manipulation):
        return identifier_problems({"new_lot": event.new_lot})
    if isinstance(event, SuspenseReceipt):
        return identifier_problems({"ref": event.ref, "part": event.part})
    return []
