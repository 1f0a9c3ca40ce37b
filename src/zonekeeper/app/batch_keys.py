"""The books' checks of a batch as a whole, before the core sees it: no document posted
twice (19 CFR 146.21(a): each natural key, `zone.keys`, names one event), and the core's
batch positions turned into the file rows a clerk can find.

Shell, not core: it compares the batch with the keys the store holds (`store.keys.Holder`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from zonekeeper.errors import Problem
from zonekeeper.store import keys
from zonekeeper.zone.events import Correction, Event, canonical_bytes
from zonekeeper.zone.keys import describe

# The file column that carries each kind's natural key, to point at in a problem.
KEY_FIELDS = {
    "admission": "line",
    "shipment": "shipment_no",
    "production": "production_no",
    "count": "date",
    "status_change": "lot",
    "manipulation": "lot",
    "suspense_receipt": "ref",
    "filing": "ref",
    "correction": "EVENT",
}


def file_row(rows: Sequence[int] | None, i: int) -> int:
    return rows[i] if rows is not None and i < len(rows) else i + 1


def repeats(
    batch: Sequence[Event],
    natural: Sequence[str | None],
    source: str | None,
    rows: Sequence[int] | None,
) -> list[Problem]:
    """A natural key given twice in one batch: a problem on each row that gives it, naming
    the others (the same document twice in one file; 146.21(a))."""
    present = [k for k in natural if k is not None]
    if len(set(present)) == len(present):  # the usual case, at C speed
        return []
    where: dict[str, list[int]] = {}
    for i, key in enumerate(natural):
        if key is not None:
            where.setdefault(key, []).append(i)
    problems = []
    for key, found in where.items():
        if len(found) < 2:
            continue
        at = [file_row(rows, i) for i in found]
        for i, row in zip(found, at, strict=True):
            others = ", ".join(str(r) for r in at if r != row) or str(row)
            problems.append(
                Problem(
                    f"{describe(key)} is given twice: also on row {others} (each document "
                    "is posted once; number the lines of a shipment in `line`)"
                    if batch[i].kind == "shipment"
                    else f"{describe(key)} is given twice: also on row {others} (each "
                    "document is posted once)",
                    file=source,
                    row=row,
                    field=KEY_FIELDS.get(batch[i].kind),
                    code="post.repeated",
                )
            )
    return sorted(problems, key=lambda p: p.row or 0)


def posted_before(
    batch: Sequence[Event],
    natural: Sequence[str | None],
    held: Mapping[str, keys.Holder],
    skip_posted: bool,
    source: str | None,
    rows: Sequence[int] | None,
) -> tuple[list[int], list[Problem]]:
    """The positions of the batch to post, and a problem for each event whose key the books
    already hold (the event holding it named by ledger position and date); with
    `skip_posted` an event held with identical canonical bytes is left out silently. A key
    held by an event that a correction earlier in the batch reverses is free."""
    if not held:  # the usual case: nothing of the batch is in the books
        return list(range(len(batch))), []
    keep: list[int] = []
    problems: list[Problem] = []
    freed: dict[int, int] = {}
    for i, event in enumerate(batch):
        if type(event) is Correction:
            freed.setdefault(event.corrects, i)
        key = natural[i]
        holder = held.get(key) if key is not None else None
        if key is None or holder is None or freed.get(holder.seq, i) < i:
            keep.append(i)
            continue
        same = canonical_bytes(event).decode("utf-8") == holder.payload
        if skip_posted and same:
            continue
        what = f"{describe(key)} is already in the books: event {holder.seq} of {holder.date}"
        if type(event) is Correction:  # an event is reversed once (146.21 audit trail)
            code = "post.already-corrected"
            reason = (
                f"event {event.corrects} has already been corrected "
                f"(by event {holder.seq} of {holder.date})"
            )
        elif same:
            code = "post.already-posted"
            reason = f"{what} (the same content: --skip-posted leaves such rows out)"
        else:
            code = "post.key-taken"
            reason = f"{what} with other content (correct that event to post this one)"
        problems.append(
            Problem(
                reason,
                file=source,
                row=file_row(rows, i),
                field=KEY_FIELDS.get(event.kind),
                code=code,
            )
        )
    return keep, problems


def located(
    problems: Sequence[Problem], source: str | None, rows: Sequence[int] | None
) -> list[Problem]:
    """The core numbers problems by position in the batch; name the file row instead."""
    located = []
    for p in problems:
        row = p.row
        if rows is not None and row is not None and 1 <= row <= len(rows):
            row = rows[row - 1]
        located.append(replace(p, file=p.file or source, row=row))
    return located
