"""`verify`: are the books records that can be relied upon (19 CFR 146.21(a))?

Four checks, each naming the first thing found wrong (`Mismatch`): a checkpoint kept outside
the database is still in the chain (`_check_since`); the hash chain links and hashes every
event (`_check_chain`); the master data the chain records is the stored one
(`_check_master`); and a replay of every event through the core gives the stored postings,
discrepancies, lots, natural keys and suspense items (`_check_projections`). It reads, and
never writes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.heap import collector_paused
from zonekeeper.io.checkpoint import ChainHead
from zonekeeper.money import in_money_context
from zonekeeper.store import codec, event_log, keys, projections, reads, totals
from zonekeeper.store.chain import GENESIS, link_hash
from zonekeeper.store.engine import Connection, Engine, read_snapshot
from zonekeeper.store.zones import ZoneRow, find_zone
from zonekeeper.zone.events import Event, MasterChange, canonical_bytes, from_record
from zonekeeper.zone.keys import KeyBook, describe
from zonekeeper.zone.ledger import Lot, Posting, ZoneState, lot_fields
from zonekeeper.zone.master import MasterData
from zonekeeper.zone.posting import post

# Events replayed through the core at a time: bounded memory for the stored rows compared.
REPLAY_CHUNK = 20_000


@dataclass(frozen=True)
class Mismatch:
    """The first thing `verify` found wrong: the event (ledger position) and why."""

    seq: int | None
    kind: str | None
    reason: str
    # what was found wrong, for a script (docs/problems.md): a projection that differs
    # from the events, or the kept totals that differ from the lots
    code: str = "verify.mismatch"

    def __str__(self) -> str:
        if self.seq is None:
            where = "projections"
        else:
            where = f"event {self.seq}" + (f" ({self.kind})" if self.kind else "")
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Verification:
    """The result of `verify`: how many events the chain check covered and how many lots
    were compared (None for a count the check stopped before making), the first
    mismatch, and the zone's chain head as the check found it."""

    events: int | None
    lots: int | None
    head_hash: str
    mismatch: Mismatch | None = None
    head: ChainHead | None = None

    @property
    def ok(self) -> bool:
        return self.mismatch is None


@in_money_context
def verify_books(engine: Engine, zone: str, since: ChainHead | None = None) -> Verification:
    """Re-check the hash chain and rebuild every projection from the events; name the
    first event that does not match (146.21(a): records that can be relied upon).
    With `since` (a checkpoint kept outside the database), first check that the books
    still extend it (`_check_since`): the chain alone cannot show events cut off its end.
    The collector is paused as for posting: the replay builds the whole books, and each
    stored row read back allocates, so a collection would keep walking that heap.

    Every read is made in one snapshot (`read_snapshot`): clerks may go on posting while
    the books are checked, and a batch committed half-way through must not be half-seen
    (its postings without its events would look like tampering)."""
    if since is not None and since.zone != zone:
        raise InputError(
            Problem(
                f"the checkpoint is of zone {since.zone}, not of zone {zone}: check "
                "each zone against its own checkpoints",
                field="--since-checkpoint",
                code="verify.checkpoint-zone",
            )
        )
    with collector_paused(), read_snapshot(engine) as connection:
        row = find_zone(connection, zone, lock=False)
        if row is None:
            raise InputError(
                Problem(f"zone {zone} is not set up here", field="--zone", code="books.no-zone")
            )
        head = ChainHead(row.zone, row.head_seq, row.head_hash)
        behind = _check_since(connection, row, since) if since is not None else None
        if behind is not None:
            return Verification(None, None, row.head_hash, behind, head)
        chain = _check_chain(connection, row)
        if isinstance(chain, Mismatch):
            return Verification(None, None, row.head_hash, chain, head)
        return replace(_check_projections(connection, row, chain), head=head)


def _check_since(connection: Connection, zone: ZoneRow, since: ChainHead) -> Mismatch | None:
    """Whether the books still extend a head kept outside them (a checkpoint): the zone's
    head is at or after it and the event at its position has exactly its hash. Then the
    chain check proves the rest, since every later event is linked to that one. Catches
    what the chain cannot: events cut off the end with the head moved back, or the chain
    rewritten and re-hashed from some event on."""
    kept = f"{since.hash[:16]}…"
    if since.seq == 0:
        if since.hash != GENESIS:
            return Mismatch(None, None, f"the checkpoint's event 0 has hash {kept}, not the "
                            "start of a chain: it cannot be checked")
        return None
    if zone.head_seq < since.seq:
        return Mismatch(
            since.seq,
            None,
            f"the books end at event {zone.head_seq} but the checkpoint holds event "
            f"{since.seq} (head {kept}): events after {zone.head_seq} were cut off and the "
            "zone's head moved back",
        )
    stored = event_log.read_one(connection, zone.zone, since.seq)
    if stored is None:
        return Mismatch(since.seq, None, "the checkpoint's event is missing from the books")
    if stored.hash != since.hash:
        return Mismatch(
            since.seq,
            stored.kind,
            f"its hash is {stored.hash[:16]}…, the checkpoint's {kept}: the books were "
            "rewritten (and re-hashed) at or before this event",
        )
    return None


def _check_chain(connection: Connection, zone: ZoneRow) -> Mismatch | int:
    """Walk the chain: sequence, links, hashes and canonical payloads; the count, or the
    first mismatch."""
    prev = GENESIS
    expected = 0
    for stored in event_log.read(connection, zone.zone):
        expected += 1
        if stored.seq != expected:
            return Mismatch(
                expected, None, f"event {expected} is missing (next stored is {stored.seq})"
            )
        if stored.prev_hash != prev:
            return Mismatch(
                stored.seq,
                stored.kind,
                "its prev_hash does not match the hash of the event before it",
            )
        canonical = stored.payload.encode("utf-8")
        if link_hash(prev, zone.zone, stored.seq, canonical, stored.actor) != stored.hash:
            return Mismatch(
                stored.seq, stored.kind, "its content does not match its hash (the row was changed)"
            )
        try:
            event = from_record(stored.kind, json.loads(stored.payload))
        except ValueError as error:
            return Mismatch(stored.seq, stored.kind, f"it cannot be read back: {error}")
        if canonical_bytes(event).decode("utf-8") != stored.payload or event.date != stored.date:
            return Mismatch(
                stored.seq, stored.kind, "its stored columns disagree with its canonical form"
            )
        prev = stored.hash
    if expected < zone.head_seq:
        return Mismatch(
            expected + 1,
            None,
            f"event {expected + 1} is missing: the zone's chain head is at event "
            f"{zone.head_seq} ({zone.head_hash[:12]}…) but the last stored event is "
            f"{expected or 'none'} - events were removed",
        )
    if expected != zone.head_seq or prev != zone.head_hash:
        return Mismatch(
            expected or None,
            None,
            f"the zone's chain head ({zone.head_seq}, {zone.head_hash[:12]}…) does not match the "
            f"last stored event ({expected}, {prev[:12]}…): events were removed or added",
        )
    return expected


# Not compared by `verify`: a posting's position in its batch (batches are not stored), and
# a count discrepancy's note on why no duty was computed (whether the poster supplied a duty
# rule at all; a domestic shortage says so only when it did). The duty itself is replayed as
# stored (`_StoredDuty`): the tariff of the day priced it.
UNCOMPARED = ("row", "duty_note")


class _StoredDuty:
    """The replay's `duty_rule`: each shortage's duty as it was stored when the count was
    posted (or the reason none was computed), so that the 146.53(a)(3) test (1% and $100)
    and with it `report_to_cbp` and `reasons` are recomputed from the count event and that
    duty, and compared. The duty figure itself is not re-priced: the tariff revision of the
    day priced it, and a later one must not make history unverifiable. A shortage with no
    stored row gets none (the comparison then names its event)."""

    def __init__(self, stored: dict[int, list[Any]]) -> None:
        self._left: dict[tuple[str, str, Decimal], list[Any]] = {}
        for found in stored.values():
            for d in found:
                try:
                    key = (str(d["lot"]), str(d["date"]), -Decimal(str(d["difference"])))
                except (KeyError, TypeError, ArithmeticError):
                    continue  # a row that does not read back: the comparison names it
                if d.get("kind") == "shortage":
                    self._left.setdefault(key, []).append(d)

    def __call__(self, lot: Lot, quantity: Decimal, on: dt.date) -> Decimal:
        waiting = self._left.get((lot.id, on.isoformat(), quantity))
        if not waiting:
            raise CannotCompute("no duty is stored for this shortage")
        d = waiting.pop(0)
        if d.get("duty") is not None:
            try:
                return Decimal(str(d["duty"]))
            except ArithmeticError:  # edited past reading: the replay's duty will differ
                raise CannotCompute(f"the stored duty {d['duty']!r} is not a number") from None
        note = str(d.get("duty_note") or "")
        raise CannotCompute(note.removeprefix("duty not computed: "))


def _without_row(value: Any) -> Any:
    plain = codec.document(value)
    for name in UNCOMPARED:
        plain.pop(name, None)
    return plain


def _check_projections(connection: Connection, zone: ZoneRow, count: int) -> Verification:
    """Replay every event through the core, from empty books with the stored master data,
    and compare each event's postings and discrepancies, then the lots and suspense items.

    The replay runs without the mandatory-PF rule, and takes each shortage's duty as it was
    stored (`_StoredDuty`) instead of pricing it again: they are checks and estimates made
    against the tariff when the event was posted, not part of what the events determine (a
    later tariff revision must not make history unverifiable).

    The master data it replays with is the chain's (`_check_master`, which first compares it
    with the stored tables); a master event moves no goods, so the replay steps over it."""
    master = _check_master(connection, zone)
    if isinstance(master, Mismatch):
        return Verification(count, None, zone.head_hash, master)
    state = ZoneState.with_lots(zone.zone, projections.method_of(zone.method), master, ())
    replayed: dict[int, list[Posting]] = {}

    def postings_of(seq: int) -> Sequence[Posting]:
        return replayed.get(seq, [])

    chunk: list[tuple[int, str, Event]] = []

    def flush() -> Mismatch | None:
        nonlocal state
        if not chunk:
            return None
        batch = [e for _, _, e in chunk]
        first, last = chunk[0][0], chunk[-1][0]
        stored_found = _stored_discrepancies(connection, zone.zone, first, last)
        duty_rule = _StoredDuty(stored_found)
        result = post(state, batch, duty_rule=duty_rule, postings_of=postings_of, payloads=False)
        if result.problems:
            p = result.problems[0]
            at = chunk[(p.row or 1) - 1]
            return Mismatch(at[0], at[1], f"replaying the events refuses it: {p.message}")
        mine: dict[int, list[Any]] = {}
        for posting in result.postings:
            replayed.setdefault(posting.seq, []).append(posting)
            mine.setdefault(posting.seq, []).append(_without_row(posting))
        stored = _stored_postings(connection, zone.zone, first, last)
        found: dict[int, list[Any]] = {}
        for d in result.discrepancies:
            found.setdefault(d.seq, []).append(_without_row(d))
        for seq, kind, _ in chunk:
            if stored.get(seq, []) != mine.get(seq, []):
                return Mismatch(
                    seq, kind, "its stored postings differ from the postings its event makes"
                )
            if stored_found.get(seq, []) != found.get(seq, []):
                return Mismatch(seq, kind, "its stored count discrepancies differ from a replay")
        state = result.state
        chunk.clear()
        return None

    book = KeyBook()
    for stored_event in event_log.read(connection, zone.zone):
        if stored_event.kind == MasterChange.kind:
            bad = flush() or _no_rows_of(connection, zone.zone, stored_event.seq)
            if bad:
                return Verification(count, None, zone.head_hash, bad)
            state = state.advanced()
            continue
        event = from_record(stored_event.kind, json.loads(stored_event.payload))
        chunk.append((stored_event.seq, stored_event.kind, event))
        book.add(stored_event.seq, event)
        if len(chunk) >= REPLAY_CHUNK:
            bad = flush()
            if bad:
                return Verification(count, None, zone.head_hash, bad)
    bad = flush()
    if bad:
        return Verification(count, None, zone.head_hash, bad)
    extra = reads.last_posting_seq_after(connection, zone.zone, count)
    if extra is not None:
        return Verification(
            count,
            None,
            zone.head_hash,
            Mismatch(extra, None, "postings exist for an event that is not in the chain"),
        )
    stored_lots = reads.lot_rows(connection, zone.zone)
    last_touch = reads.last_posting_by_lot(connection, zone.zone)
    for lot_id in sorted(set(stored_lots) | set(state.lots)):
        lot = state.lots.get(lot_id)
        r = stored_lots.get(lot_id)
        reason = None
        if lot is None:
            reason = f"lot {lot_id} is stored but no event creates it"
        elif r is None:
            reason = f"lot {lot_id} is missing from the stored lots"
        elif (
            codec.parse(r.data) != codec.document(lot_fields(lot))
            or r.quantity != lot.balance
            or r.value != lot.value_on_hand
            or r.status != lot.status.value
            or r.part != lot.part
        ):
            reason = f"stored lot {lot_id} differs from the lot its events build"
        if reason:
            seq = last_touch.get(lot_id)
            kind = _kind_of(connection, zone.zone, seq) if seq else None
            # The check stopped at this lot: how many lots there are is not what it counted.
            return Verification(count, None, zone.head_hash, Mismatch(seq, kind, reason))
    bad_totals = _check_totals(connection, zone.zone, stored_lots)
    if bad_totals is not None:
        return Verification(count, len(stored_lots), zone.head_hash, bad_totals)
    bad_key = _check_keys(connection, zone.zone, book.held)
    if bad_key is not None:
        return Verification(count, len(stored_lots), zone.head_hash, bad_key)
    stored_suspense = reads.suspense_items(connection, zone.zone)
    if stored_suspense != {k: codec.document(v) for k, v in state.suspense.items()}:
        return Verification(
            count,
            len(stored_lots),
            zone.head_hash,
            Mismatch(None, None, "the suspense account differs from a replay of the events"),
        )
    return Verification(count, len(stored_lots), zone.head_hash)


def _check_totals(
    connection: Connection, zone: str, stored_lots: dict[str, reads.LotRow]
) -> Mismatch | None:
    """The inventory by zone status the postings keep (`store.totals`) against the lots
    summed again (the lots themselves were just checked against the events): the first
    status whose lots on hand, quantity or value differ."""
    kept = totals.read(connection, zone)
    summed = totals.summed((r.status, r.quantity, r.value) for r in stored_lots.values())
    for status in sorted(set(kept) | set(summed)):
        mine, theirs = summed.get(status), kept.get(status)
        if mine != theirs:
            said = "none" if theirs is None else (
                f"{theirs.lots} lots, quantity {theirs.quantity}, value {theirs.value}")
            real = "none" if mine is None else (
                f"{mine.lots} lots, quantity {mine.quantity}, value {mine.value}")
            return Mismatch(None, None, f"the kept inventory of status {status} on hand is "
                            f"{said}; its lots sum to {real}", code="verify.totals")
    return None


def _no_rows_of(connection: Connection, zone: str, seq: int) -> Mismatch | None:
    """A master event has no postings or discrepancies: any stored for it were added."""
    if next(reads.posting_rows_between(connection, zone, seq, seq), None) is not None:
        return Mismatch(seq, MasterChange.kind, "postings are stored for a master-data event")
    if next(reads.discrepancy_rows_between(connection, zone, seq, seq), None) is not None:
        return Mismatch(
            seq, MasterChange.kind, "count discrepancies are stored for a master-data event"
        )
    return None


def _check_keys(connection: Connection, zone: str, held: dict[str, int]) -> Mismatch | None:
    """The stored natural keys against the keys the events give (`zone.keys.KeyBook`):
    the first key that is missing, extra or held by another event. Consumes `held`."""
    for key, seq in keys.all_keys(connection, zone):
        mine = held.pop(key, None)
        if mine != seq:
            where = mine if mine is not None else seq
            reason = (
                f"the stored key {describe(key)} names event {seq}, but its events give "
                + (f"it to event {mine}" if mine is not None else "no event that key")
            )
            return Mismatch(where, _kind_of(connection, zone, where), reason)
    if held:
        key, seq = min(held.items(), key=lambda item: item[1])
        return Mismatch(
            seq, _kind_of(connection, zone, seq), f"its key {describe(key)} is not stored"
        )
    return None


def _check_master(connection: Connection, zone: ZoneRow) -> MasterData | Mismatch:
    """The master data the chain's `MasterChange` events build, compared with the stored
    part and BOM versions and the zone's settings (site, method); the first difference by
    part or product, valid_from and field (146.21(a); 146.23(b): part numbers and
    descriptions; 146.52(d)(2): a changed BOM changes what a manufacture consumes).

    Books written before master data was chained start with an anchor event holding the
    master as it stood then: the chain vouches for it from there on, not before."""
    chain = MasterData.build()
    recorded: dict[tuple[str, str, dt.date], int] = {}  # (what, key, valid_from) -> seq
    settings: tuple[int, str | None, str] | None = None
    for seq, _, payload in reads.event_payloads(connection, zone.zone, MasterChange.kind):
        change = from_record(MasterChange.kind, json.loads(payload))
        assert isinstance(change, MasterChange)
        chain = chain.with_versions(change.parts, change.boms)
        for p in change.parts:
            recorded["part", p.number, p.valid_from] = seq
        for b in change.boms:
            recorded["bill of materials", b.product, b.valid_from] = seq
        settings = (seq, change.site, change.method)
    try:
        stored = projections.load_master(connection, zone.zone)
    except (ValueError, TypeError, KeyError, ArithmeticError) as error:
        return Mismatch(None, None, f"the stored part master cannot be read back: {error}")
    if settings is None:
        if stored.parts or stored.boms or zone.site is not None:
            return Mismatch(
                None, None, "the zone's master data and site are in no master event of its chain"
            )
        return chain
    at, site, method = settings
    for name, theirs, ours in (
        ("site", zone.site, site),
        ("inventory method", zone.method, method),
    ):
        if theirs != ours:
            return Mismatch(
                at, MasterChange.kind, f"the zone's {name} is {theirs!r}; its chain says {ours!r}"
            )
    for what, mine, kept in (
        ("part", chain.parts, stored.parts),
        ("bill of materials", chain.boms, stored.boms),
    ):
        for key in sorted(set(mine) | set(kept)):
            ours_by_day = {v.valid_from: v for v in mine.get(key, ())}
            theirs_by_day = {v.valid_from: v for v in kept.get(key, ())}
            for day in sorted(set(ours_by_day) | set(theirs_by_day)):
                at_seq = recorded.get((what, key, day))
                where = f"{what} {key} valid from {day}"
                if day not in theirs_by_day:
                    reason = f"{where} is missing from the stored master data"
                    return Mismatch(at_seq, MasterChange.kind, reason)
                if day not in ours_by_day:
                    reason = f"stored {where} is in no master event of the chain"
                    return Mismatch(None, None, reason)
                found = _first_difference(
                    codec.plain(ours_by_day[day]), codec.plain(theirs_by_day[day])
                )
                if found is not None:
                    field_name, chained, kept_value = found
                    return Mismatch(
                        at_seq,
                        MasterChange.kind,
                        f"stored {where}: its {field_name} is {kept_value!r}; the chain says "
                        f"{chained!r}",
                    )
    return chain


def _first_difference(ours: Any, theirs: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """The first field (dotted, `lines[1].quantity`) in which two plain records differ, with
    both values."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for name in [*ours, *(k for k in theirs if k not in ours)]:
            found = _first_difference(ours.get(name), theirs.get(name), f"{path}.{name}")
            if found is not None:
                return found
        return None
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            found = _first_difference(a, b, f"{path}[{i + 1}]")
            if found is not None:
                return found
        return None
    return None if ours == theirs else (path.lstrip(".") or "record", ours, theirs)


def _stored_json(data: str) -> Any:
    try:
        plain = codec.parse(data)
    except ValueError:
        plain = None
    if not isinstance(plain, dict):  # not what the store writes: it differs from a replay
        return {"__unreadable__": data}
    for name in UNCOMPARED:
        plain.pop(name, None)
    return plain


def _stored_postings(
    connection: Connection, zone: str, first: int, last: int
) -> dict[int, list[Any]]:
    """Stored postings of events first..last, by event, as plain values; a posting whose
    indexed columns disagree with its data is marked so it differs."""
    grouped: dict[int, list[Any]] = {}
    for r in reads.posting_rows_between(connection, zone, first, last):
        plain = _stored_json(r.data)
        try:
            differs = (
                Decimal(plain["quantity"]) != r.quantity
                or Decimal(plain["value"]) != r.value
                or plain["lot"] != r.lot
                or plain["date"] != r.date.isoformat()
            )
        except (KeyError, TypeError, ArithmeticError):
            differs = True  # a row edited past reading: a mismatch to report, not a crash
        if differs:
            plain["__columns_disagree__"] = True
        grouped.setdefault(r.seq, []).append(plain)
    return grouped


def _stored_discrepancies(
    connection: Connection, zone: str, first: int, last: int
) -> dict[int, list[Any]]:
    """Stored count discrepancies of events first..last, by event, as plain values."""
    grouped: dict[int, list[Any]] = {}
    for seq, data in reads.discrepancy_rows_between(connection, zone, first, last):
        grouped.setdefault(seq, []).append(_stored_json(data))
    return grouped


def _kind_of(connection: Connection, zone: str, seq: int) -> str | None:
    stored = event_log.read_one(connection, zone, seq)
    return stored.kind if stored else None
