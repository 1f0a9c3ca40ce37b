"""Natural keys: what makes an event the same event, so nothing is ever posted twice.

The books are a record of what happened (19 CFR 146.21(a)); a file posted a second time
would record the same removal twice, count it twice in the weekly entry (146.63(c)) and
raise the duty owed. Each event kind therefore has a natural key taken from the document
it records, and the books hold each key at most once (the store's `event_keys`):

| kind | key | why |
|---|---|---|
| admission | admission number, line | one CBP Form 214 line (146.22, 146.32) |
| shipment | shipment number, line (1 for a shipment of one row) | one line out (146.24) |
| production | production number | one manufacturing run under the Form 216 (146.52) |
| count | date, lot | one count of a lot on a day (146.23(c)); by part: each of its lots |
| status change | lot, new status | a lot becomes PF once (146.41(b)) and ZR once (146.44) |
| manipulation | date, lot, permit, new lot | one manipulation under a permit (146.52) |
| suspense receipt | its reference | one receipt awaiting its documents (146.22(c)) |
| filing | kind, reference | one document filed with CBP (146.21(a)) |
| correction | the corrected event | an event is reversed once (146.21 audit trail) |

A kind without a natural key has `None` and is never refused as a repeat. A correction
frees the key of the event it reverses, so the right version can be posted after it
(`held_keys`). The key is text: a JSON array of the kind and the key's values, so that no
value can run into another.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from zonekeeper.zone.events import (
    Admission,
    Correction,
    Count,
    Event,
    Filing,
    Manipulation,
    Production,
    Shipment,
    StatusChange,
    SuspenseReceipt,
)

__all__ = ["KeyBook", "describe", "held_keys", "natural_key"]


def _key(*values: Any) -> str | None:
    """The key's text; None for values the books cannot hold anyway (a whole number beyond
    64 bits, a lone surrogate): the event has no key, and the core refuses it with the
    reason (`zone.events.event_problems`), so a bad event is a problem, never a crash."""
    try:
        return orjson.dumps(values).decode()
    except orjson.JSONEncodeError:
        return None


def natural_key(event: Any) -> str | None:
    """The event's natural key (module docstring), or None for a kind that has none (any
    object that is not one of the kinds above, so a kind added later is unkeyed until it
    is given a key here)."""
    kind = type(event)
    if kind is Shipment:
        return _key("shipment", event.ref, event.line)
    if kind is Admission:
        return _key("admission", event.admission_no, event.line)
    if kind is Production:
        return _key("production", event.ref)
    if kind is Count:
        return _key("count", event.date.isoformat(), event.lot)
    if kind is StatusChange:
        return _key("status_change", event.lot, event.status.value)
    if kind is Manipulation:
        return _key(
            "manipulation", event.date.isoformat(), event.lot, event.permit, event.new_lot
        )
    if kind is SuspenseReceipt:
        return _key("suspense_receipt", event.ref)
    if kind is Filing:
        return _key("filing", event.document, event.ref)
    if kind is Correction:
        return _key("correction", event.corrects)
    return None


_NAMES = {
    "admission": ("admission", "line"),
    "shipment": ("shipment", "line"),
    "production": ("production",),
    "count": ("count of", "lot"),
    "status_change": ("status change of lot", "to"),
    "manipulation": ("manipulation of", "lot", "permit", "new lot"),
    "suspense_receipt": ("suspense receipt",),
    "filing": ("filing", "ref"),
    "correction": ("correction of event",),
}


def describe(key: str) -> str:
    """The key in words for a message: `shipment S2 line 1`."""
    kind, *values = orjson.loads(key)
    names = _NAMES.get(kind, (kind,))
    words = []
    for i, value in enumerate(values):
        if value is None:
            continue
        label = names[i] if i < len(names) else ""
        words.append(f"{label} {value}".strip())
    return " ".join(words)


class KeyBook:
    """The keys the books hold, built event by event in ledger order (`held`: key to the
    position of the event holding it): the first event with a key holds it, a correction
    frees the key of the event it reverses. A later event with a key already held (books
    posted twice before keys were kept) stands unkeyed."""

    def __init__(self) -> None:
        self.held: dict[str, int] = {}
        self._by_seq: dict[int, str] = {}

    def add(self, seq: int, event: Event) -> None:
        if type(event) is Correction:
            freed = self._by_seq.pop(event.corrects, None)
            if freed is not None:
                del self.held[freed]
        key = natural_key(event)
        if key is not None and key not in self.held:
            self.held[key] = seq
            self._by_seq[seq] = key


def held_keys(events: Iterable[tuple[int, Event]]) -> dict[str, int]:
    """The keys the books hold after `events` (ledger position, event; in order): `KeyBook`."""
    book = KeyBook()
    for seq, event in events:
        book.add(seq, event)
    return book.held
