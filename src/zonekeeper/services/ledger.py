"""Use cases of the zone's books: open them, load master data, post a batch, read balances
and histories, verify the chain and the projections.

Each posting is one transaction (architecture rule 6, 19 CFR 146.21: a batch is in the books
whole or not at all, even if the process dies half-way): lock the zone, load the state from
the projections (or reuse the one this process already holds, when the chain head has not
moved), run the pure core (`zone.ledger.post`), then append the events to the hash chain and
write the projections in bulk, and move the chain head. Anything the core refuses (an
over-withdrawal, a forbidden status change) is an `InputError`: nothing is written.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from zonekeeper.errors import InputError, Problem
from zonekeeper.services.pipeline import Writer
from zonekeeper.store import codec, event_log, projections, reads, writes
from zonekeeper.store.chain import GENESIS, link_hash
from zonekeeper.store.engine import (
    Connection,
    Engine,
    is_postgresql,
    open_engine,
    read_snapshot,
    sqlite_file,
    write_transaction,
)
from zonekeeper.store.migrate import upgrade
from zonekeeper.store.zones import Version, ZoneRow, all_zones, bump_master, create_zone, find_zone
from zonekeeper.zone.allocation import AllocationMethod
from zonekeeper.zone.events import (
    Admission,
    Correction,
    Count,
    Event,
    StatusChange,
    canonical_bytes,
    from_record,
)
from zonekeeper.zone.heap import collector_paused
from zonekeeper.zone.ledger import (
    DutyRule,
    Lot,
    PfRule,
    Posting,
    PostResult,
    ZoneState,
    catch_up,
    post,
)
from zonekeeper.zone.master import Bom, MasterData, Part, bom_problems
from zonekeeper.zone.records import Discrepancy

METHODS = ("FIFO", "LIFO", "LOT")
POST_STAGES = (
    "locking the zone and loading its books",
    "checking and allocating",
    "writing events and projections",
    "committing",
)
REPLAY_CHUNK = 20_000


@dataclass(frozen=True)
class Posted:
    """What a posted batch did: how many events, postings, and where the chain head is."""

    events: int
    postings: int
    head_seq: int
    head_hash: str
    discrepancies: tuple[Discrepancy, ...] = ()
    warnings: tuple[str, ...] = ()


class BatchRefused(InputError):
    """`post_many` stopped at a refused batch: `index` (0-based) and its problems; the
    batches before it are in the books (`posted`), none after it."""

    def __init__(self, problems: Sequence[Problem], index: int, posted: list[Posted]) -> None:
        super().__init__(problems)
        self.index = index
        self.posted = posted


def _source(sources: Sequence[str | None] | None, index: int) -> str | None:
    return sources[index] if sources is not None else None


@dataclass(frozen=True)
class Mismatch:
    """The first thing `verify` found wrong: the event (ledger position) and why."""

    seq: int | None
    kind: str | None
    reason: str

    def __str__(self) -> str:
        if self.seq is None:
            where = "projections"
        else:
            where = f"event {self.seq}" + (f" ({self.kind})" if self.kind else "")
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Verification:
    """The result of `verify`: how many events the chain check covered and how many lots
    were compared (None for a count the check stopped before making), and the first
    mismatch."""

    events: int | None
    lots: int | None
    head_hash: str
    mismatch: Mismatch | None = None

    @property
    def ok(self) -> bool:
        return self.mismatch is None


# ------------------------------------------------------------------------------ PF rule


# Programs whose coverage the HTS number and origin decide alone: a measure of these that
# requires PF refuses an NPF or domestic admission. Section 232 (metal content, USMCA-qualifying
# auto parts, end use) and AD/CVD (producer, scope ruling) turn on facts an admission row does
# not carry, so for them the requirement is reported as a warning unless the books are strict.
DECISIVE_PROGRAMS = frozenset({"section301", "section122", "ieepa"})


@lru_cache(maxsize=1)
def _spi_programs() -> Any:
    """The shipped SPI table (`tariff.spi`), loaded once: which origins can claim what."""
    return importlib.import_module("zonekeeper.tariff.spi").load_programs().programs


@dataclass
class TariffPfRule:
    """`pf_rule` for the core from the tariff's measures (`MeasureBook.pf_required`): the
    reasons an admission must be privileged foreign (19 CFR 146.41; 15 CFR 400.13(c); the
    FTZ clauses of each trade action). A measure whose coverage HTS and origin decide alone
    refuses the admission; one that depends on facts the row lacks (Section 232, AD/CVD) is
    a warning, or a refusal too when `strict`. A lookup that fails is a warning, never a
    crash: the books go on, and the user is told the check did not run.
    """

    strict: bool = False
    warnings: list[str] = field(default_factory=list)
    _book: Any = None
    _failed: bool = False
    _seen: set[str] = field(default_factory=set)

    def _measures(self) -> Any:
        if self._book is None and not self._failed:
            try:
                try:
                    self._book = importlib.import_module(
                        "zonekeeper.tariff.measures"
                    ).load_measures()
                except (ImportError, AttributeError):
                    self._book = (
                        importlib.import_module("zonekeeper.tariff").Tariff.default().measures
                    )
            except Exception as error:  # noqa: BLE001 - any failure: report, post on
                self._failed = True
                self.warnings.append(
                    "mandatory-PF check skipped: the tariff's measures could not be loaded "
                    f"({type(error).__name__}: {error})"
                )
        return self._book

    def __call__(self, hts: str, origin: str, on: dt.date) -> list[str]:
        refusals, notes = self._lookup(hts, origin, on)
        for note in notes:
            if note not in self._seen:
                self._seen.add(note)
                self.warnings.append(note)
        return list(refusals)

    @lru_cache(maxsize=65_536)  # noqa: B019 - one rule per Ledger, keys are small
    def _lookup(
        self, hts: str, origin: str, on: dt.date
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        book = self._measures()
        if book is None:
            return (), ()
        try:
            found = book.pf_required(hts, origin, on)
        except Exception as error:  # noqa: BLE001 - report, do not crash
            return (), (f"mandatory-PF check skipped for HTS {hts} from {origin} on {on}: {error}",)
        lifted = self._lifted(book, hts, origin, on)
        refusals, notes = [], []
        for m in found:
            program = str(getattr(m.program, "value", m.program))
            reason = (
                f"{m.heading} ({m.title}) requires privileged foreign status for goods "
                f"admitted from {m.pf_required_from} ({m.source})"
            )
            claims = lifted.get(m.id)
            if claims and not self.strict:
                # The FTZ clauses reach goods "subject to the duty" (e.g. Proclamation of
                # 2026-02-20 cl. 6; Proclamation 10908 cl. 8): goods a preference claim
                # exempts are not, and an admission row does not say whether they qualify.
                notes.append(
                    f"HTS {hts} from {origin} admitted not in PF status: {reason}, unless the "
                    f"goods qualify for {'/'.join(sorted(claims))} (a qualifying good is "
                    "exempt from the duty, so its PF clause does not reach it) - check the "
                    "Form 214"
                )
            elif self.strict or program in DECISIVE_PROGRAMS:
                refusals.append(reason)
            else:
                notes.append(
                    f"HTS {hts} from {origin} admitted not in PF status: {reason}, if the goods "
                    "are within its scope (content, end use, USMCA) - check the Form 214"
                )
        return tuple(refusals), tuple(notes)

    @staticmethod
    def _lifted(book: Any, hts: str, origin: str, on: dt.date) -> dict[str, frozenset[str]]:
        """Measures (by id) whose PF requirement a preference claim the origin can be
        granted would lift (`MeasureBook.pf_exemptible`; parties from `tariff.spi`)."""
        try:
            exemptible = book.pf_exemptible(hts, origin, on)
            if not exemptible:
                return {}
            programs = _spi_programs()
        except Exception:  # noqa: BLE001 - an older book or no SPI table: no claim lifts it
            return {}
        out: dict[str, frozenset[str]] = {}
        for measure_id, claims in exemptible.items():
            usable = frozenset(
                c for c in claims
                if c in programs
                and (programs[c].partners is None or origin in programs[c].partners)
            )  # fmt: skip
            if usable:
                out[measure_id] = usable
        return out

    def __hash__(self) -> int:
        return id(self)


# ------------------------------------------------------------------------------ ledger


class Ledger:
    """One zone's books on one database."""

    def __init__(
        self,
        engine: Engine,
        zone: str,
        *,
        pf_rule: PfRule | None | str = "tariff",
        duty_rule: DutyRule | None = None,
        strict_pf: bool = False,
    ) -> None:
        self.engine = engine
        self.zone = zone
        self._pf_rule: PfRule | None = (
            TariffPfRule(strict=strict_pf) if pf_rule == "tariff" else pf_rule  # type: ignore[assignment]
        )
        self._duty_rule = duty_rule
        # The books as last read or posted, and the version they are (`store.zones`).
        self._cache: tuple[Version, ZoneState] | None = None

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, zone: str | None = None, **rules: Any) -> Ledger:
        """The books at `url` (migrated to the shipped schema if behind); `zone` may be
        omitted when the database holds one zone."""
        _refuse_missing_sqlite_file(url)
        engine = open_engine(url)
        try:
            upgrade(engine)
            with engine.connect() as connection:
                known = all_zones(connection)
        except Exception:
            engine.dispose()
            raise
        if zone is None:
            if len(known) != 1:
                engine.dispose()
                raise InputError(
                    Problem(
                        "no zone is set up here: run `zonekeeper init --zone NUMBER` first"
                        if not known
                        else f"this database holds zones {', '.join(known)}: name one with --zone",
                        field="--zone",
                    )
                )
            zone = known[0]
        elif zone not in known:
            engine.dispose()
            raise InputError(Problem(f"zone {zone} is not set up here", field="--zone"))
        return cls(engine, zone, **rules)

    @classmethod
    def init(cls, url: str, zone: str, site: str | None, method: str, **rules: Any) -> Ledger:
        """Create (or migrate) the schema and open the books of `zone`."""
        method = method.upper()
        if method not in METHODS:
            raise InputError(
                Problem(f"unknown inventory method {method!r}: FIFO, LIFO or LOT", field="--method")
            )
        if not zone.strip():
            raise InputError(Problem("the zone number is empty", field="--zone"))
        engine = open_engine(url)
        try:
            upgrade(engine)
            with write_transaction(engine) as connection:
                create_zone(connection, zone.strip(), site, method)
        except Exception:
            engine.dispose()
            raise
        return cls(engine, zone.strip(), **rules)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def warnings(self) -> list[str]:
        rule = self._pf_rule
        return rule.warnings if isinstance(rule, TariffPfRule) else []

    # -- state -------------------------------------------------------------------------

    def _zone_row(self, connection: Connection, *, lock: bool) -> ZoneRow:
        row = find_zone(connection, self.zone, lock=lock)
        if row is None:
            raise InputError(Problem(f"zone {self.zone} is not set up here", field="--zone"))
        return row

    def _state(self, connection: Connection, row: ZoneRow) -> ZoneState:
        """The books at `row`'s version, kept for the next call: the ones this process
        holds when nothing moved; those brought up to date with what other clerks committed
        since (`projections.changes_since`, `zone.ledger.catch_up`: the cost of what they
        changed) when only the chain head moved; read whole when the master data changed
        (a part's or BOM's version may differ for any lot) or nothing is held.

        `connection` must see the books as of `row` for every read: under the zone's lock,
        or in one snapshot (`read_snapshot`)."""
        cached = self._cache
        if cached is not None:
            version, state = cached
            if version == row.version:
                return state
            if version.master == row.master_rev and version.seq < row.head_seq:
                since = projections.changes_since(
                    connection, self.zone, version.seq, version.hash,
                    held=state.lots, with_suspense=bool(state.suspense),
                )  # fmt: skip
                if since is not None:
                    with collector_paused():
                        state = catch_up(
                            state, since.lots, seq=row.head_seq, moved=since.moved,
                            corrected=since.corrected,
                            suspense=None if since.suspense is None
                            else {s.ref: s for s in since.suspense},
                        )  # fmt: skip
                    self._cache = (row.version, state)
                    return state
        state = projections.load_state(connection, self.zone, row.method, row.head_seq)
        self._cache = (row.version, state)
        return state

    def state(self) -> ZoneState:
        """The zone's books now, as the projections hold them."""
        with read_snapshot(self.engine) as connection:
            return self._state(connection, self._zone_row(connection, lock=False))

    # -- master data -----------------------------------------------------------------

    def master(self) -> MasterData:
        """Every version of the zone's parts and bills of materials (read alone: the
        books' lots are not loaded)."""
        with self.engine.connect() as connection:
            return projections.load_master(connection, self.zone)

    def check_master(
        self, parts: Sequence[Part] = (), boms: Sequence[Bom] = (), *, where: Where | None = None
    ) -> list[Problem]:
        """The problems `load_master` would refuse these versions for (nothing written);
        `where` names the file rows they came from."""
        with self.engine.connect() as connection:
            master = projections.load_master(connection, self.zone)
            last = reads.last_event_date(connection, self.zone)
        return _master_problems(master, parts, boms, last, where)

    def load_master(
        self, parts: Sequence[Part] = (), boms: Sequence[Bom] = (), *, where: Where | None = None
    ) -> int:
        """Add part and BOM versions (effective-dated). Reloading the same version is a
        no-op; a different version dated on or before an already posted event would rewrite
        posted history (146.21 audit trail) and is refused: give it a later date; a BOM
        must name parts of the master. `where` names the file rows in the problems.
        Loading moves the zone's master revision, so books kept in memory read it again."""
        row, new_parts, new_boms = self._save_master(parts, boms, where)
        # Committed: this Ledger's books, if current, take the new versions (books cached
        # before a failed load stay as they were, and so does the database).
        cached = self._cache
        changed = len(new_parts) + len(new_boms)
        if changed and cached is not None and cached[0] == row.version:
            version = row.version._replace(master=row.master_rev + 1)
            self._cache = (version, cached[1].with_master(new_parts, new_boms))
        return changed

    def _save_master(
        self, parts: Sequence[Part], boms: Sequence[Bom], where: Where | None
    ) -> tuple[ZoneRow, list[Part], list[Bom]]:
        """`load_master`'s transaction: the zone row as it was, the versions written."""
        with write_transaction(self.engine) as connection:
            row = self._zone_row(connection, lock=True)
            master = projections.load_master(connection, self.zone)
            last = reads.last_event_date(connection, self.zone)
            problems = _master_problems(master, parts, boms, last, where)
            if problems:
                raise InputError(problems)
            new_parts = [p for p in parts if _version(master.parts, p.number, p.valid_from) != p]
            new_boms = [b for b in boms if _version(master.boms, b.product, b.valid_from) != b]
            if new_parts or new_boms:
                projections.save_master(
                    connection,
                    self.zone,
                    master.with_versions(new_parts, new_boms),
                    [p.number for p in new_parts],
                    [b.product for b in new_boms],
                )
                # Books kept in memory anywhere (another process, a post_many run) are now
                # stale: the revision tells them.
                bump_master(connection, self.zone)
        return row, new_parts, new_boms

    # -- posting -----------------------------------------------------------------------

    def post(
        self,
        batch: Sequence[Event],
        *,
        source: str | None = None,
        rows: Sequence[int] | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> Posted:
        """Post a batch whole, in one transaction, or nothing (InputError with every
        problem; `source`/`rows` name the file and file row of each event). `progress` is
        told each stage as it starts (POST_STAGES), for a progress bar."""
        if not batch:
            raise InputError(Problem("nothing to post", file=source))
        tell = progress or (lambda _stage: None)
        tell(POST_STAGES[0])
        with collector_paused():
            # What other clerks committed is read before queueing for the zone's lock, in
            # a snapshot of its own: whatever runs under the lock runs one clerk at a time.
            self.state()
        with collector_paused(), write_transaction(self.engine) as connection:
            row = self._zone_row(connection, lock=True)
            before = self._state(connection, row)
            tell(POST_STAGES[1])
            result = self._run(before, batch, self._postings_reader(connection))
            if result.problems:
                raise InputError(_located(result.problems, source, rows))
            tell(POST_STAGES[2])
            prepared = self._prepare(row.version, before, batch, result)
            writes.write(connection, self.zone, prepared)
            tell(POST_STAGES[3])
        self._cache = (Version(*prepared.head, row.master_rev), result.state)
        return self._posted(batch, result, prepared)

    def post_many(
        self,
        batches: Sequence[Sequence[Event]],
        *,
        sources: Sequence[str | None] | None = None,
        posted: Callable[[int, Posted], None] | None = None,
    ) -> list[Posted]:
        """Post `batches` in order, each in a transaction of its own (whole or not at all),
        as `post` would one after another, about 1.5 times as fast on two cores: the next
        batch is checked and allocated while the previous one is written (`pipeline`).

        `sources` name each batch's file in problems (one per batch); `posted(i, result)` is
        told of each batch once it is committed, in order. A refused batch raises
        `BatchRefused` once every batch before it is committed (its `posted` lists them;
        nothing after it is written). If another clerk posts to the zone meanwhile, or
        loads parts or BOMs, the batches made on the old books are made again on the new
        ones (`store.writes.HeadMoved`), so the result is what posting them one by one would
        have given. Any other error stops the run with the batches before it in the books
        (`verify` holds) and this Ledger's books the ones committed."""
        if sources is not None and len(sources) != len(batches):
            raise ValueError(f"{len(sources)} sources for {len(batches)} batches")
        # An in-memory SQLite database is private to its thread: no writer thread can see it.
        one_by_one = not is_postgresql(self.engine) and sqlite_file(str(self.engine.url)) is None
        results: list[Posted] = []
        while len(results) < len(batches):
            done = len(results)
            if not one_by_one:
                try:
                    results += self._pipeline(batches, done, sources, posted)
                except BatchRefused as refused:  # it knows only the batches of its round
                    posted_all = results + refused.posted
                    raise BatchRefused(refused.problems, refused.index, posted_all) from None
            if len(results) == done:
                # The head moved under the first batch: post it under the lock, then go on.
                try:
                    results.append(self.post(batches[done], source=_source(sources, done)))
                except InputError as error:
                    raise BatchRefused(error.problems, done, results) from error
                if posted is not None:
                    posted(done, results[-1])
        return results

    def _pipeline(
        self,
        batches: Sequence[Sequence[Event]],
        start: int,
        sources: Sequence[str | None] | None,
        posted: Callable[[int, Posted], None] | None,
    ) -> list[Posted]:
        """Post batches from `start` until done or the books move under the run (another
        clerk posts or changes the master data); the batches committed."""
        with read_snapshot(self.engine) as connection:
            row = self._zone_row(connection, lock=False)
            state = self._state(connection, row)
        version = row.version
        made: list[Posted] = []
        # The books after each batch the writer may not have committed yet (only the newest
        # few: holding every batch's books would keep every version of the lot index alive).
        books: dict[int, ZoneState] = {}
        refused: InputError | None = None
        told = 0

        def tell() -> None:  # of the batches committed since, in order
            nonlocal told
            while told < writer.committed:
                if posted is not None:
                    posted(start + told, made[told])
                told += 1

        writer = Writer(self.engine, self.zone)
        try:
            # The collector stays off for the whole run: the writer thread allocates too,
            # and a collection it set off would walk the books' heap holding the lock.
            with collector_paused(), writer:
                for index in range(start, len(batches)):
                    batch = batches[index]
                    if writer.failed:
                        break
                    if not batch:
                        refused = InputError(
                            Problem("nothing to post", file=_source(sources, index))
                        )
                        break
                    if any(isinstance(e, Correction) for e in batch):
                        writer.drain()  # the core reads the corrected events' postings
                        if writer.failed:  # ... which a failed commit left unwritten
                            break
                        with self.engine.connect() as connection:
                            result = self._run(state, batch, self._postings_reader(connection))
                    else:
                        result = self._run(state, batch, _reads_no_postings)
                    if result.problems:
                        problems = _located(result.problems, _source(sources, index), None)
                        refused = InputError(problems)
                        break
                    prepared = self._prepare(version, state, batch, result)
                    writer.submit(prepared)
                    made.append(self._posted(batch, result, prepared))
                    books[len(made)] = result.state
                    for done in [n for n in books if n < writer.committed]:
                        del books[done]
                    state = result.state
                    version = Version(*prepared.head, row.master_rev)
                    tell()
        finally:
            # Whatever stopped the run, this Ledger's books are the ones committed.
            committed = made[: writer.committed]
            if committed:
                last = committed[-1]
                at = Version(last.head_seq, last.head_hash, row.master_rev)
                self._cache = (at, books[len(committed)])
        tell()
        if writer.error is not None and not isinstance(writer.error, writes.HeadMoved):
            raise writer.error
        # A refusal stands if the books it was made on are still the zone's; if they moved
        # (a part or BOM loaded meanwhile), the batch is made again on the books as they are.
        if refused is not None and writer.error is None and self._current(version):
            raise BatchRefused(refused.problems, start + len(committed), committed)
        return committed

    def _current(self, version: Version) -> bool:
        with self.engine.connect() as connection:
            return self._zone_row(connection, lock=False).version == version

    def _prepare(
        self, base: Version, before: ZoneState, batch: Sequence[Event], result: PostResult
    ) -> writes.Prepared:
        new_events = (event_log.NewEvent(e.kind, e.date, canonical_bytes(e)) for e in batch)
        return writes.prepare(
            self.engine,
            self.zone,
            base,
            new_events,
            before,
            result.state,
            result.postings,
            result.discrepancies,
        )

    def _posted(
        self, batch: Sequence[Event], result: PostResult, prepared: writes.Prepared
    ) -> Posted:
        return Posted(
            len(batch),
            len(result.postings),
            *prepared.head,
            result.discrepancies,
            tuple(self.warnings),
        )

    def _postings_reader(self, connection: Connection) -> Callable[[int], list[Posting]]:
        """The core's `postings_of` (corrections): the postings of an event, read in
        `connection`."""
        return lambda seq: reads.postings_of_events(connection, self.zone, (seq,))

    def check(
        self,
        batch: Sequence[Event],
        *,
        source: str | None = None,
        rows: Sequence[int] | None = None,
    ) -> list[Problem]:
        """A dry run of `post`: every problem the posting checks find in `batch` against the
        books now, nothing written (so a file's format problems and its posting problems are
        reported together, architecture rule 6)."""
        if not batch:
            return []
        with read_snapshot(self.engine) as connection:
            before = self._state(connection, self._zone_row(connection, lock=False))
            result = self._run(before, batch, self._postings_reader(connection))
        return _located(result.problems, source, rows)

    def _run(
        self,
        state: ZoneState,
        batch: Sequence[Event],
        postings_of: Callable[[int], list[Posting]],
    ) -> PostResult:
        needs_pf = any(isinstance(e, Admission | StatusChange) for e in batch)
        return post(
            state,
            batch,
            pf_rule=self._pf_rule if needs_pf else None,
            duty_rule=self._duty_rule,
            postings_of=postings_of,
        )

    def correct(self, seq: int, reason: str, on: dt.date | None = None) -> Posted:
        """Reverse the event at ledger position `seq` by a new `Correction` event (the
        books stay append-only, 146.21); dated `on`, else the corrected event's date."""
        if not reason.strip():
            raise InputError(Problem("a correction needs a reason", field="--reason"))
        with self.engine.connect() as connection:
            target = event_log.read_one(connection, self.zone, seq)
        if target is None:
            raise InputError(Problem(f"there is no event {seq} in zone {self.zone}", field="EVENT"))
        return self.post([Correction(on or target.date, seq, reason.strip())])

    # -- reading -----------------------------------------------------------------------

    def balances(
        self, *, as_of: dt.date | None = None, part: str | None = None
    ) -> list[projections.LotBalance]:
        """Lots with their balance on hand (now, or at the end of `as_of`)."""
        with self.engine.connect() as connection:
            return projections.balances(connection, self.zone, as_of=as_of, part=part)

    def history(self, lot: str) -> tuple[Lot, list[Posting]]:
        """A lot and every posting of it, in ledger order (146.23(a), 146.24)."""
        with self.engine.connect() as connection:
            found = reads.find_lot(connection, self.zone, lot)
            if found is None:
                raise InputError(
                    Problem(f"there is no lot {lot!r} in zone {self.zone}", field="LOT")
                )
            return found, projections.lot_postings(connection, self.zone, lot)

    def all_postings(self) -> Iterator[Posting]:
        """Every posting of the zone in ledger order (for the annual reports)."""
        with self.engine.connect() as connection:
            yield from reads.all_postings(connection, self.zone)

    # -- verify ------------------------------------------------------------------------

    def verify(self) -> Verification:
        """Re-check the hash chain and rebuild every projection from the events; name the
        first event that does not match (146.21(a): records that can be relied upon).
        The collector is paused as for posting: the replay builds the whole books, and each
        stored row read back allocates, so a collection would keep walking that heap.

        Every read is made in one snapshot (`read_snapshot`): clerks may go on posting while
        the books are checked, and a batch committed half-way through must not be half-seen
        (its postings without its events would look like tampering)."""
        with collector_paused(), read_snapshot(self.engine) as connection:
            row = self._zone_row(connection, lock=False)
            chain = _check_chain(connection, row)
            if isinstance(chain, Mismatch):
                return Verification(None, None, row.head_hash, chain)
            return _check_projections(connection, row, chain)


# ------------------------------------------------------------------------------ counts


def count_events(state: ZoneState, rows: Sequence[Any]) -> tuple[list[Count], list[int]]:
    """Physical counts as `Count` events per lot (146.23(c)), with the file row of each.

    A row naming a lot counts that lot. A row naming only a part spreads the counted
    quantity over the part's lots on hand the way the zone's inventory method presumes
    stock leaves: under FIFO (and specific lot) the newest lots are filled first and a
    shortage falls on the oldest, under LIFO the reverse; an overage goes to the lot filled
    first. A part with no lot on hand cannot take an overage this way: name the lot.
    """
    found: list[Count] = []
    file_rows: list[int] = []
    problems: list[Problem] = []
    for r in rows:
        if r.get("lot") is not None:
            found.append(Count(r["date"], r["lot"], r["counted_quantity"]))
            file_rows.append(r.row)
            continue
        on_hand = [
            state.lots[entry[2]]
            for (part, _), pool in state.pools.items()
            if part == r["part"]
            for entry in pool
        ]
        if not on_hand:
            problems.append(
                Problem(
                    f"no lot of part {r['part']} is on hand to count against: name the lot",
                    file=r.file,
                    row=r.row,
                    field="lot",
                )
            )
            continue
        newest_first = state.method is not AllocationMethod.LIFO
        on_hand.sort(key=lambda lot: lot.key, reverse=newest_first)
        counted: Decimal = r["counted_quantity"]
        book = sum((lot.balance for lot in on_hand), Decimal(0))
        shares = [lot.balance for lot in on_hand]
        if counted >= book:
            shares[0] += counted - book
        else:
            left = counted
            for i, lot in enumerate(on_hand):
                shares[i] = min(left, lot.balance)
                left -= shares[i]
        for lot, share in zip(on_hand, shares, strict=True):
            found.append(Count(r["date"], lot.id, share))
            file_rows.append(r.row)
    if problems:
        raise InputError(problems)
    return found, file_rows


# ------------------------------------------------------------------------------ helpers


def _refuse_missing_sqlite_file(url: str) -> None:
    """Opening books that do not exist must not create an empty database file."""
    path = sqlite_file(url)
    if path is not None and not Path(path).exists():
        raise InputError(
            Problem(f"there are no books at {path}: run `zonekeeper init --zone NUMBER`")
        )


def _version(versions: Any, key: str, valid_from: dt.date) -> Any:
    for v in versions.get(key, ()):
        if v.valid_from == valid_from:
            return v
    return None


def _reads_no_postings(seq: int) -> list[Posting]:
    """`postings_of` for a batch without corrections: the core never calls it."""
    raise AssertionError(f"a batch without corrections read the postings of event {seq}")


class Where(NamedTuple):
    """Where master versions came from, to locate their problems: the file, the row of each
    part version, the first row of each BOM version and the row of each of its lines."""

    file: str | None = None
    part_rows: Sequence[int] = ()
    bom_rows: Sequence[int] = ()
    line_rows: Sequence[Sequence[int]] = ()


def _row(rows: Sequence[int], i: int) -> int | None:
    return rows[i] if i < len(rows) else None


def _unjoined(
    master: MasterData, parts: Sequence[Part], boms: Sequence[Bom], where: Where
) -> list[Problem]:
    """A BOM's product and components must be parts of the master, with the parts loaded
    alongside (146.52(d)(2): the audit trail of manufacture runs from admitted components
    to a known product). Checked here, under the zone's lock, so it holds for every caller."""
    if not boms:
        return []
    known = master.with_versions(parts)
    problems = []
    for i, b in enumerate(boms):
        lines = where.line_rows[i] if i < len(where.line_rows) else ()
        for j, column, reason in bom_problems(b, known):
            row = _row(lines, j) or _row(where.bom_rows, i)
            problems.append(Problem(reason, file=where.file, row=row, field=column))
    return problems


def _master_problems(
    master: MasterData,
    parts: Sequence[Part],
    boms: Sequence[Bom],
    last: dt.date | None,
    where: Where | None = None,
) -> list[Problem]:
    """Why these versions cannot join the stored master: a changed version dated into
    posted history (`last`: the last posted event's date), or a BOM naming a part the
    master (with these parts) does not hold. In file row order."""
    where = where or Where()
    problems = _unjoined(master, parts, boms, where)
    if last is None:
        return _in_file_order(problems)
    file, part_rows, bom_rows = where.file, where.part_rows, where.bom_rows
    for i, p in enumerate(parts):
        existing = _version(master.parts, p.number, p.valid_from)
        if p.number in master.parts and existing != p and p.valid_from <= last:
            problems.append(
                Problem(
                    f"part {p.number} already has postings up to {last}: a changed version "
                    f"must be valid from a later date (add valid_from)",
                    file=file,
                    row=_row(part_rows, i),
                    field="valid_from",
                )
            )
    for i, b in enumerate(boms):
        existing = _version(master.boms, b.product, b.valid_from)
        if b.product in master.boms and existing != b and b.valid_from <= last:
            problems.append(
                Problem(
                    f"the bill of materials of {b.product} already has postings up to {last}: "
                    "a changed version must take effect later (add effective_from)",
                    file=file,
                    row=_row(bom_rows, i),
                    field="effective_from",
                )
            )
    return _in_file_order(problems)


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.row or 0)


def _located(
    problems: Sequence[Problem], source: str | None, rows: Sequence[int] | None
) -> list[Problem]:
    """The core numbers problems by position in the batch; name the file row instead."""
    located = []
    for p in problems:
        row = p.row
        if rows is not None and row is not None and 1 <= row <= len(rows):
            row = rows[row - 1]
        located.append(Problem(p.reason, p.file or source, row, p.field))
    return located


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
        if link_hash(prev, zone.zone, stored.seq, stored.payload.encode("utf-8")) != stored.hash:
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
# the parts of a count discrepancy that come from the duty engine at posting time (an
# estimate that a later tariff may price differently, 146.53(a)(3)).
UNCOMPARED = ("row", "duty", "duty_note", "report_to_cbp", "reasons")


def _without_row(value: Any) -> Any:
    plain = codec.document(value)
    for name in UNCOMPARED:
        plain.pop(name, None)
    return plain


def _check_projections(connection: Connection, zone: ZoneRow, count: int) -> Verification:
    """Replay every event through the core, from empty books with the stored master data,
    and compare each event's postings and discrepancies, then the lots and suspense items.

    The replay runs without the mandatory-PF rule and the shortage duty rule: they are
    checks and estimates made against the tariff when the event was posted, not part of what
    the events determine (a later tariff revision must not make history unverifiable)."""
    master = projections.load_master(connection, zone.zone)
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
        result = post(state, batch, postings_of=postings_of)
        if result.problems:
            p = result.problems[0]
            at = chunk[(p.row or 1) - 1]
            return Mismatch(at[0], at[1], f"replaying the events refuses it: {p.reason}")
        first, last = chunk[0][0], chunk[-1][0]
        mine: dict[int, list[Any]] = {}
        for posting in result.postings:
            replayed.setdefault(posting.seq, []).append(posting)
            mine.setdefault(posting.seq, []).append(_without_row(posting))
        stored = _stored_postings(connection, zone.zone, first, last)
        found: dict[int, list[Any]] = {}
        for d in result.discrepancies:
            found.setdefault(d.seq, []).append(_without_row(d))
        stored_found = _stored_discrepancies(connection, zone.zone, first, last)
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

    for stored_event in event_log.read(connection, zone.zone):
        event = from_record(stored_event.kind, json.loads(stored_event.payload))
        chunk.append((stored_event.seq, stored_event.kind, event))
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
            codec.parse(r.data) != codec.document(lot)
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
    stored_suspense = reads.suspense_items(connection, zone.zone)
    if stored_suspense != {k: codec.document(v) for k, v in state.suspense.items()}:
        return Verification(
            count,
            len(stored_lots),
            zone.head_hash,
            Mismatch(None, None, "the suspense account differs from a replay of the events"),
        )
    return Verification(count, len(stored_lots), zone.head_hash)


def _stored_json(data: str) -> Any:
    plain = codec.parse(data)
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
        if (
            Decimal(plain["quantity"]) != r.quantity
            or Decimal(plain["value"]) != r.value
            or plain["lot"] != r.lot
            or plain["date"] != r.date.isoformat()
        ):
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
