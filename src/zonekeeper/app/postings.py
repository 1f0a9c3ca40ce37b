"""Posting a file of zone events: admissions (CBP Form 214 lines, 19 CFR 146.22, 146.32),
production (146.52), shipments (146.24) and physical counts (146.23(c), 146.53).

One use case for the CLI's `admit`/`produce`/`ship`/`count` and the API's `POST
/zones/{zone}/admissions` (and the rest): the whole file is read, every problem of its format
and every problem of posting it is found at once, and the file posts whole or not at all
(`InputError` with every problem in file-row order, nothing written). A dry run checks the
same and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zonekeeper.app.books import Ledger, Posted, Trial, counts_from, shortage_duty
from zonekeeper.app.context import Context
from zonekeeper.app.outputs.books import PostingDocument
from zonekeeper.errors import InputError, Problem
from zonekeeper.io import zone_files
from zonekeeper.io.checkpoint import ChainHead
from zonekeeper.zone.events import Event

Reader = Callable[[Path, zone_files.Problems], list[zone_files.Row]]
Converter = Callable[[Sequence[zone_files.Row]], Sequence[Event]]


@dataclass(frozen=True)
class Kind:
    """A kind of file: what its events are called, how its rows are read and made events."""

    what: str
    read: Reader
    convert: Converter | None  # None: counts, made against the books' state


KINDS: dict[str, Kind] = {
    "admission": Kind("admission", zone_files.read_admissions, zone_files.admissions_from),
    "production": Kind("production", zone_files.read_production, zone_files.production_from),
    "shipment": Kind("shipment", zone_files.read_shipments, zone_files.shipments_from),
    "count": Kind("count", zone_files.read_counts, None),
    "status change": Kind(
        "status change", zone_files.read_status_changes, zone_files.status_changes_from
    ),
    "suspense receipt": Kind(
        "suspense receipt", zone_files.read_suspense, zone_files.suspense_from
    ),
}


@dataclass(frozen=True)
class Outcome:
    """What a posting did (`Posted`) or a dry run would do (`Trial`), with the warnings of
    the file and the posting, and the chain head after it."""

    what: str
    result: Posted | Trial
    head: ChainHead
    warnings: list[Problem] = field(default_factory=list)

    def document(self) -> PostingDocument:
        return PostingDocument.of(self.what, self.result, self.head, self.warnings)


def refuse(problems: Sequence[Problem]) -> None:
    """InputError with every problem in file-row order (format and posting problems
    together), when there is any."""
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row is not None, p.row or 0)))


def post_file(
    context: Context,
    ledger: Ledger,
    kind: str,
    path: Path,
    *,
    source: str | None = None,
    dry_run: bool = False,
    skip_posted: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Outcome:
    """Read the file at `path` (named `source` in problems; default its path) and post it
    whole, or nothing. A file with format problems still has its good rows run through the
    posting checks, so every problem is reported at once. `skip_posted`: leave out rows
    already in the books with identical content. `dry_run`: check only."""
    spec = KINDS[kind]
    name = source or str(path)
    problems: list[Problem] = []
    try:
        read = spec.read(path, problems)
    except InputError as error:  # the file cannot be read at all (encoding, separators...)
        raise InputError(_said_of(list(error.problems), str(path), name)) from None
    rows = _renamed(read, problems, str(path), name)
    warnings: list[Problem] = []
    batch: list[Event]
    if spec.convert is None:
        rule, warnings = shortage_duty(context)
        ledger.duty_rule = rule
        counts, lines, found = counts_from(ledger.state(), rows)
        batch = list(counts)
        problems.extend(found)
    else:
        batch, lines = list(spec.convert(rows)), [r.row for r in rows]
    if dry_run or problems:
        trial = ledger.trial(batch, source=name, rows=lines, skip_posted=skip_posted)
        # a file whose every row is broken is refused for its rows, not "nothing to post"
        refuse(problems + list(trial.problems) if batch or not problems else problems)
        return Outcome(spec.what, trial, trial.head, warnings + list(trial.warnings))
    posted = ledger.post(batch, source=name, rows=lines, progress=progress,
                         skip_posted=skip_posted)
    head = ChainHead(ledger.zone, posted.head_seq, posted.head_hash)
    return Outcome(spec.what, posted, head, warnings + list(posted.warnings))


def _renamed(
    rows: list[zone_files.Row], problems: list[Problem], path: str, name: str
) -> list[zone_files.Row]:
    """The problems of reading `path` said of `name` (an upload's own file name, not the
    temporary file it was saved to)."""
    problems[:] = _said_of(problems, path, name)
    return rows


def _said_of(problems: list[Problem], path: str, name: str) -> list[Problem]:
    """`problems`, those of the file `path` said of `name`."""
    if name == path:
        return problems
    return [Problem(p.message, name if p.file == path else p.file, p.row, p.field,
                    code=p.code, severity=p.severity) for p in problems]
