"""Use cases of the zone's books: set them up, open them (never migrating: `upgrade_books`
is the one step that changes the schema), load master data, post a batch, count, read
balances and histories; `verify` is `app.verify`'s.

Each posting is one transaction (architecture rule 6, 19 CFR 146.21: a batch is in the books
whole or not at all, even if the process dies half-way): lock the zone, load the state from
the projections (or reuse the one this process already holds, when the chain head has not
moved), run the pure core (`zone.ledger.post`), then append the events to the hash chain and
write the projections in bulk, and move the chain head. Anything the core refuses (an
over-withdrawal, a forbidden status change) is an `InputError`: nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zonekeeper.app.batch_keys import located, posted_before, repeats
from zonekeeper.app.context import Context
from zonekeeper.app.verify import Verification, verify_books
from zonekeeper.bindings.pf_rule import TariffPfRule
from zonekeeper.bindings.quoter import shortage_duty_rule
from zonekeeper.errors import InputError, Problem
from zonekeeper.heap import collector_paused
from zonekeeper.io.checkpoint import ChainHead
from zonekeeper.money import in_money_context
from zonekeeper.sources.shipped import load_measures, load_programs
from zonekeeper.store import event_log, keys, projections, reads, writes
from zonekeeper.store.engine import (
    Connection,
    Engine,
    is_postgresql,
    masked_url,
    open_engine,
    read_snapshot,
    sqlite_file,
    write_transaction,
)
from zonekeeper.store.migrate import refuse_behind, upgrade
from zonekeeper.store.pipeline import Writer
from zonekeeper.store.queued import CatchUpWhileQueued
from zonekeeper.store.zones import (
    Version,
    ZoneRow,
    all_zones,
    bump_master,
    create_zone,
    find_zone,
    move_head,
)
from zonekeeper.zone.book import catch_up, lots_of
from zonekeeper.zone.counts import count_events as count_events
from zonekeeper.zone.counts import count_rows
from zonekeeper.zone.events import (
    Admission,
    Correction,
    Count,
    Event,
    MasterChange,
    StatusChange,
    canonical_bytes,
)
from zonekeeper.zone.keys import natural_key
from zonekeeper.zone.ledger import (
    DutyRule,
    Lot,
    PfRule,
    Posting,
    PostResult,
    ZoneState,
)
from zonekeeper.zone.limits import zone_problems
from zonekeeper.zone.master import Bom, MasterData, Part
from zonekeeper.zone.master_checks import Where as Where
from zonekeeper.zone.master_checks import master_problems, version_of
from zonekeeper.zone.posting import post
from zonekeeper.zone.records import Discrepancy

METHODS = ("FIFO", "LIFO", "LOT")
POST_STAGES = (
    "locking the zone and loading its books",
    "checking and allocating",
    "writing events and projections",
    "committing",
)
# Quiet posts made under the lock after a batch made outside it had to be made again.
UNLOCKED_BACKOFF = 64


@dataclass(frozen=True)
class Posted:
    """What a posted batch did: how many events, postings, and where the chain head is;
    `skipped`: events left out because the books already held them (`skip_posted`).
    `kinds` and `keys`: the kind and natural key (`zone.keys`, None for a kind without one)
    of each event posted, in ledger order, so a shell can say which document went where:
    the events hold positions `head_seq - events + 1` to `head_seq`."""

    events: int
    postings: int
    head_seq: int
    head_hash: str
    discrepancies: tuple[Discrepancy, ...] = ()
    warnings: tuple[Problem, ...] = ()
    skipped: int = 0
    kinds: tuple[str, ...] = ()
    keys: tuple[str | None, ...] = ()

    @property
    def first_seq(self) -> int:
        """The ledger position of the first event posted (`head_seq + 1` when none was)."""
        return self.head_seq - self.events + 1


@dataclass(frozen=True)
class Trial:
    """What posting a batch now would do, found by a dry run (`Ledger.trial`) that writes
    nothing: every problem the posting would be refused for (none: it would post), and
    otherwise what `Posted` would say (the events kept, by kind and natural key; the
    postings, the skipped events, the discrepancies a count would find), with the chain
    head the books were checked at. A clerk can try a file before the books hold it."""

    problems: tuple[Problem, ...]
    head: ChainHead
    kinds: tuple[str, ...] = ()
    keys: tuple[str | None, ...] = ()
    postings: int = 0
    skipped: int = 0
    discrepancies: tuple[Discrepancy, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def events(self) -> int:
        """How many events the batch would post."""
        return len(self.kinds)


class BatchRefused(InputError):
    """`post_many` stopped at a refused batch: `index` (0-based) and its problems; the
    batches before it are in the books (`posted`), none after it."""

    def __init__(self, problems: Sequence[Problem], index: int, posted: list[Posted]) -> None:
        super().__init__(problems)
        self.index = index
        self.posted = posted


def _source(sources: Sequence[str | None] | None, index: int) -> str | None:
    return sources[index] if sources is not None else None


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
        actor: str | None = None,
    ) -> None:
        self.engine = engine
        self.zone = zone
        # The user who posts through this Ledger (the web application's or the API's; None
        # from the CLI): named in each event it posts, inside the event's hash.
        self.actor = actor
        self._pf_rule: PfRule | None = (
            TariffPfRule(load_measures, load_programs, strict=strict_pf)
            if pf_rule == "tariff" else pf_rule  # type: ignore[assignment]
        )  # fmt: skip
        self.duty_rule = duty_rule
        # The books as last read or posted, and the version they are (`store.zones`).
        self._cache: tuple[Version, ZoneState] | None = None
        # The version this Ledger's last `post` left the zone at: while the zone is still
        # there, nobody else is posting to it, and `post` makes its batch outside the lock.
        self._posted_at: Version | None = None
        self._others_posted = False  # since this Ledger last looked, before its last post
        # After a batch made outside the lock had to be made again, the next
        # `UNLOCKED_BACKOFF` quiet posts are made under the lock: on SQLite, clerks waiting
        # for the lock sleep in the driver, so a clerk that just posted often finds the
        # zone "quiet" while another is about to take the lock (measured: 8 writers on one
        # SQLite zone, 2 posts each, 200 against 149 µs of CPU an event with a back-off of
        # 1, 2, 4 ...).
        self._skip_unlocked = 0
        self._helper: CatchUpWhileQueued | None = None

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, zone: str | None = None, **rules: Any) -> Ledger:
        """The books at `url`, whose schema must be this version's (`zonekeeper db
        upgrade` brings it there: opening never migrates); `zone` may be omitted when the
        database holds one zone."""
        _refuse_missing_sqlite_file(url)
        engine = open_engine(url)
        try:
            refuse_behind(engine)
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
                        code="books.no-zone" if not known else "books.which-zone",
                    )
                )
            zone = known[0]
        elif zone not in known:
            engine.dispose()
            raise InputError(
                Problem(f"zone {zone} is not set up here", field="--zone", code="books.no-zone")
            )
        return cls(engine, zone, **rules)

    @classmethod
    def init(cls, url: str, zone: str, site: str | None, method: str, **rules: Any) -> Ledger:
        """Create (or migrate) the schema and open the books of `zone`."""
        method = method.upper()
        if method not in METHODS:
            raise InputError(
                Problem(
                    f"unknown inventory method {method!r}: FIFO, LIFO or LOT",
                    field="--method",
                    code="init.method",
                )
            )
        if not zone.strip():
            raise InputError(
                Problem("the zone number is empty", field="--zone", code="init.zone")
            )
        refused = zone_problems(zone.strip(), site)
        if refused:
            raise InputError(
                [
                    Problem(reason, field=option, code=f"init.{option.removeprefix('--')}")
                    for option, reason in refused
                ]
            )
        engine = open_engine(url)
        try:
            upgrade(engine)
            with write_transaction(engine) as connection:
                create_zone(connection, zone.strip(), site, method)
                # Its settings are the first event of its chain. Decided by the chain under
                # the zone's lock, not by whether the zone was there before this init began:
                # of inits racing on a new zone, the first records them, the others wait for
                # it and find its event.
                row = find_zone(connection, zone.strip(), lock=True)
                assert row is not None  # created or found just above
                if row.head_seq == 0:
                    _record_master(connection, row, MasterChange(_today(), method, site))
        except Exception:
            engine.dispose()
            raise
        return cls(engine, zone.strip(), **rules)

    @property
    def location(self) -> str:
        """Where the books are, fit to print: the database URL with its password masked."""
        return masked_url(self.engine.url)

    def close(self) -> None:
        if self._helper is not None:
            self._helper.close()
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def warnings(self) -> list[Problem]:
        """What the mandatory-PF check could not do (its tariff data not loaded, a claim it
        cannot verify): said with the posting, which goes on (severity "warning")."""
        rule = self._pf_rule
        if not isinstance(rule, TariffPfRule):
            return []
        return [Problem(w, code="post.pf-check", severity="warning") for w in rule.warnings]

    # -- state -------------------------------------------------------------------------

    def _zone_row(self, connection: Connection, *, lock: bool) -> ZoneRow:
        row = find_zone(connection, self.zone, lock=lock)
        if row is None:
            raise InputError(
                Problem(
                    f"zone {self.zone} is not set up here", field="--zone", code="books.no-zone"
                )
            )
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
                with lots_of(state) as held:  # one dict to look lots up in, not a version
                    since = projections.changes_since(
                        connection, self.zone, version.seq, version.hash,
                        held=held, with_suspense=bool(state.suspense),
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

    @in_money_context
    def state(self) -> ZoneState:
        """The zone's books now, as the projections hold them."""
        with read_snapshot(self.engine) as connection:
            return self._state(connection, self._zone_row(connection, lock=False))

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """The books at one moment, with the chain head they are at: a report read through
        it prints the head its figures come from (146.21: traceable to the records)."""
        with read_snapshot(self.engine) as connection:
            yield Snapshot(self, connection, self._zone_row(connection, lock=False))

    def head(self) -> ChainHead:
        """Where the zone's chain ends now (what `zonekeeper checkpoint` keeps)."""
        with self.snapshot() as books:
            return books.head

    # -- master data -----------------------------------------------------------------

    def master(self) -> MasterData:
        """Every version of the zone's parts and bills of materials (read alone: the
        books' lots are not loaded)."""
        with self.engine.connect() as connection:
            return projections.load_master(connection, self.zone)

    @in_money_context
    def check_master(
        self, parts: Sequence[Part] = (), boms: Sequence[Bom] = (), *, where: Where | None = None
    ) -> list[Problem]:
        """The problems `load_master` would refuse these versions for (nothing written);
        `where` names the file rows they came from."""
        with self.engine.connect() as connection:
            master = projections.load_master(connection, self.zone)
            last = reads.last_event_date(connection, self.zone)
        return master_problems(master, parts, boms, last, where)

    @in_money_context
    def load_master(
        self, parts: Sequence[Part] = (), boms: Sequence[Bom] = (), *, where: Where | None = None
    ) -> int:
        """Add part and BOM versions (effective-dated). Reloading the same version is a
        no-op; a different version dated on or before an already posted event would rewrite
        posted history (146.21 audit trail) and is refused: give it a later date; a BOM
        must name parts of the master. `where` names the file rows in the problems.
        Loading moves the zone's master revision, so books kept in memory read it again."""
        row, new_parts, new_boms, head = self._save_master(parts, boms, where)
        # Committed: this Ledger's books, if current, take the new versions and step over
        # the master event (books cached before a failed load stay as they were, and so
        # does the database).
        cached = self._cache
        changed = len(new_parts) + len(new_boms)
        if changed and cached is not None and cached[0] == row.version:
            version = Version(*head, row.master_rev + 1)
            self._cache = (version, cached[1].with_master(new_parts, new_boms).advanced())
        return changed

    def _save_master(
        self, parts: Sequence[Part], boms: Sequence[Bom], where: Where | None
    ) -> tuple[ZoneRow, list[Part], list[Bom], tuple[int, str]]:
        """`load_master`'s transaction: the zone row as it was, the versions written and
        the chain head after them. The versions go into the chain as a `MasterChange` in
        the same transaction as the tables (146.21(a)): `verify` rebuilds the master from
        the chain and names any stored version the chain does not hold."""
        with write_transaction(self.engine) as connection:
            row = self._zone_row(connection, lock=True)
            master = projections.load_master(connection, self.zone)
            last = reads.last_event_date(connection, self.zone)
            problems = master_problems(master, parts, boms, last, where)
            if problems:
                raise InputError(problems)
            new_parts = [p for p in parts if version_of(master.parts, p.number, p.valid_from) != p]
            new_boms = [b for b in boms if version_of(master.boms, b.product, b.valid_from) != b]
            if new_parts or new_boms:
                projections.save_master(
                    connection,
                    self.zone,
                    master.with_versions(new_parts, new_boms),
                    [p.number for p in new_parts],
                    [b.product for b in new_boms],
                )
                # Books kept in memory anywhere (another process, a post_many run) are now
                # stale: the revision tells them, and so does the chain head.
                bump_master(connection, self.zone)
                change = MasterChange(
                    _today(), row.method, row.site, tuple(new_parts), tuple(new_boms)
                )
                head = _record_master(connection, row, change, self.actor)
                return row, new_parts, new_boms, head
        return row, new_parts, new_boms, (row.head_seq, row.head_hash)

    # -- posting -----------------------------------------------------------------------

    @in_money_context
    def post(
        self,
        batch: Sequence[Event],
        *,
        source: str | None = None,
        rows: Sequence[int] | None = None,
        progress: Callable[[str], None] | None = None,
        skip_posted: bool = False,
    ) -> Posted:
        """Post a batch whole, in one transaction, or nothing (InputError with every
        problem; `source`/`rows` name the file and file row of each event). `progress` is
        told each stage as it starts (POST_STAGES), for a progress bar.

        Nothing is posted twice (146.21(a)): an event whose natural key (`zone.keys`) the
        books already hold, or that the batch gives twice, is a problem naming the event
        that holds it. With `skip_posted`, an event the books hold with identical content
        (the same canonical bytes) is left out instead and counted in `Posted.skipped`, so
        an export can be posted again; one with the same key and other content is still
        refused."""
        if not batch:
            raise InputError(Problem("nothing to post", file=source, code="post.empty"))
        tell = progress or (lambda _stage: None)
        natural = [natural_key(e) for e in batch]
        repeated = repeats(batch, natural, source, rows)
        if repeated:
            raise InputError(repeated)
        tell(POST_STAGES[0])
        with collector_paused():
            # What other clerks committed is read before queueing for the zone's lock, in
            # a snapshot of its own: whatever runs under the lock runs one clerk at a time.
            # When nobody else posted since this Ledger last did, the batch is made there
            # too and only written under the lock (`_post_unlocked`).
            done = self._post_unlocked(batch, natural, skip_posted, tell)
        if done is not None:
            return done
        with collector_paused(), ExitStack() as transaction:
            # While queued for the lock behind other clerks, a helper thread applies what
            # they commit, so that under the lock only the last of it is left (`queued`).
            with self._queued():
                connection = transaction.enter_context(write_transaction(self.engine))
                row = self._zone_row(connection, lock=True)
            held = keys.holders(connection, self.zone, [k for k in natural if k is not None])
            keep, problems = posted_before(batch, natural, held, skip_posted, source, rows)
            if problems:
                raise InputError(problems)
            skipped = len(batch) - len(keep)
            if skipped:
                batch = [batch[i] for i in keep]
                natural = [natural[i] for i in keep]
                rows = [rows[i] for i in keep] if rows is not None else [i + 1 for i in keep]
                if not batch:
                    return Posted(0, 0, row.head_seq, row.head_hash, skipped=skipped)
            before = self._state(connection, row)
            tell(POST_STAGES[1])
            result = self._run(before, batch, self._postings_reader(connection))
            if result.problems:
                raise InputError(located(result.problems, source, rows))
            tell(POST_STAGES[2])
            prepared = self._prepare(row.version, before, batch, result, natural)
            try:
                writes.write(connection, self.zone, prepared)
            except keys.KeyTaken:
                raise InputError(
                    Problem(
                        "another process posted the same events at the same time; nothing "
                        "was posted (post again to see which)",
                        file=source,
                        code="post.raced",
                    )
                ) from None
            tell(POST_STAGES[3])
        self._cache = (Version(*prepared.head, row.master_rev), result.state)
        self._posted_at = self._cache[0]
        return self._posted(batch, result, prepared, natural, skipped)

    def _queued(self) -> AbstractContextManager[None]:
        """Around the wait for the zone's lock: on PostgreSQL, the helper that catches up
        meanwhile (`store.queued`; not on SQLite, whose lock has no queue: see there),
        when other clerks posted to the zone since this Ledger last looked (a Ledger alone
        on its zone, or posting once, starts none)."""
        if not self._others_posted or not is_postgresql(self.engine):
            return nullcontext()
        if self._helper is None:
            self._helper = CatchUpWhileQueued(self.engine, self.zone, self.state)
        return self._helper.armed()

    def _post_unlocked(
        self,
        batch: Sequence[Event],
        natural: Sequence[str | None],
        skip_posted: bool,
        tell: Callable[[str], None],
    ) -> Posted | None:
        """`post` without holding the zone's lock while the batch is made, when nobody
        else posted to the zone (nor changed its master data) since this Ledger's last
        `post` (a clerk alone on its zone; where clerks share a zone, a batch made outside
        the lock would mostly be made again, so they queue as before): the batch is
        checked, allocated and made into rows on the books read in a snapshot
        (`read_snapshot`), and only written under the lock (`store.writes.commit`), if the
        zone is still at the version it was made on. None, with nothing written,
        when the zone was not quiet, the head moved before the write (`HeadMoved`), or the
        batch has a problem or an event to skip: `post` then does it all under the lock,
        which alone decides a refusal (19 CFR 146.21: one chain, no fork; nothing is
        allocated against books another clerk has moved).

        Why: on SQLite the write lock is the whole file's, so clerks posting to different
        zones of one file would otherwise take turns for the whole of each batch, its
        Python work included, instead of only for its writes."""
        with read_snapshot(self.engine) as connection:
            row = self._zone_row(connection, lock=False)
            quiet = self._posted_at == row.version
            self._others_posted = self._cache is not None and self._cache[0] != row.version
            before = self._state(connection, row)
            if not quiet:
                return None
            if self._skip_unlocked:
                self._skip_unlocked -= 1
                return None
            held = keys.holders(connection, self.zone, [k for k in natural if k is not None])
        # The snapshot ends before the batch is made: on SQLite, readers that stay open
        # while others commit keep the WAL from being checkpointed (it grows, and every
        # read slows down). A correction reads the postings of an event the books already
        # hold, which no later commit changes.
        keep, problems = posted_before(batch, natural, held, skip_posted, None, None)
        if problems or len(keep) != len(batch):
            return None
        tell(POST_STAGES[1])
        if any(isinstance(e, Correction) for e in batch):
            with self.engine.connect() as connection:
                result = self._run(before, batch, self._postings_reader(connection))
        else:
            result = self._run(before, batch, _reads_no_postings)
        if result.problems:
            return None
        tell(POST_STAGES[2])
        prepared = self._prepare(row.version, before, batch, result, natural)
        tell(POST_STAGES[3])
        try:
            writes.commit(self.engine, self.zone, prepared)
        except (writes.HeadMoved, keys.KeyTaken):
            self._skip_unlocked = UNLOCKED_BACKOFF
            return None
        self._cache = (Version(*prepared.head, row.master_rev), result.state)
        self._posted_at = self._cache[0]
        return self._posted(batch, result, prepared, natural)

    @in_money_context
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
        # The keys of the batches made but maybe not committed yet, by batch (the committed
        # ones' are in the database, which one query per batch reads).
        pending: dict[int, list[str]] = {}
        in_flight: dict[str, keys.Holder] = {}
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
            with collector_paused(), writer, self.engine.connect() as reader:
                for index in range(start, len(batches)):
                    batch = batches[index]
                    if writer.failed:
                        break
                    if not batch:
                        refused = InputError(
                            Problem(
                                "nothing to post", file=_source(sources, index), code="post.empty"
                            )
                        )
                        break
                    natural = [natural_key(e) for e in batch]
                    for done in [n for n in pending if n < writer.committed]:
                        for key in pending.pop(done):
                            del in_flight[key]
                    source = _source(sources, index)
                    present = [k for k in natural if k is not None]
                    held = keys.holders(reader, self.zone, present)
                    reader.rollback()  # no snapshot held between batches
                    held.update((k, in_flight[k]) for k in present if k in in_flight)
                    keyed = repeats(batch, natural, source, None)
                    keyed += posted_before(batch, natural, held, False, source, None)[1]
                    if keyed:
                        refused = InputError(keyed)
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
                        problems = located(result.problems, _source(sources, index), None)
                        refused = InputError(problems)
                        break
                    prepared = self._prepare(version, state, batch, result, natural)
                    writer.submit(prepared)
                    pending[len(made)] = present
                    for _, key, seq in prepared.keys:
                        day = batch[seq - version.seq - 1].date
                        in_flight[key] = keys.Holder(seq, day, "")
                    made.append(self._posted(batch, result, prepared, natural))
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
        self,
        base: Version,
        before: ZoneState,
        batch: Sequence[Event],
        result: PostResult,
        natural: Sequence[str | None],
    ) -> writes.Prepared:
        # The core made each event's canonical JSON to check its texts: hashed as made.
        payloads = result.payloads
        new_events = (
            event_log.NewEvent(e.kind, e.date, payloads[i].encode("utf-8"))
            if payloads
            else event_log.NewEvent(e.kind, e.date, canonical_bytes(e))
            for i, e in enumerate(batch)
        )
        return writes.prepare(
            self.engine,
            self.zone,
            base,
            new_events,
            before,
            result.state,
            result.postings,
            result.discrepancies,
            natural,
            [e.corrects for e in batch if type(e) is Correction],
            actor=self.actor,
        )

    def _posted(
        self,
        batch: Sequence[Event],
        result: PostResult,
        prepared: writes.Prepared,
        natural: Sequence[str | None],
        skipped: int = 0,
    ) -> Posted:
        return Posted(
            len(batch),
            len(result.postings),
            *prepared.head,
            result.discrepancies,
            tuple(self.warnings),
            skipped,
            tuple(e.kind for e in batch),
            tuple(natural),
        )

    def _postings_reader(self, connection: Connection) -> Callable[[int], list[Posting]]:
        """The core's `postings_of` (corrections): the postings of an event, read in
        `connection`."""
        return lambda seq: reads.postings_of_events(connection, self.zone, (seq,))

    @in_money_context
    def check(
        self,
        batch: Sequence[Event],
        *,
        source: str | None = None,
        rows: Sequence[int] | None = None,
        skip_posted: bool = False,
    ) -> list[Problem]:
        """A dry run of `post`: every problem the posting checks find in `batch` against the
        books now, nothing written (so a file's format problems and its posting problems are
        reported together, architecture rule 6), the events the books already hold
        among them (`post`; with `skip_posted` those held with identical content pass).
        An empty batch has none (a file whose every row is broken has its own problems)."""
        if not batch:
            return []
        return list(self.trial(batch, source=source, rows=rows, skip_posted=skip_posted).problems)

    @in_money_context
    def trial(
        self,
        batch: Sequence[Event],
        *,
        source: str | None = None,
        rows: Sequence[int] | None = None,
        skip_posted: bool = False,
    ) -> Trial:
        """What `post` would do with `batch` on the books now, nothing written: the same
        checks (natural keys, the core's rules), every problem at once instead of the
        first stage's, and when there is none the events it would post (`--dry-run`). An
        empty batch is refused as `post` refuses it."""
        with read_snapshot(self.engine) as connection:
            row = self._zone_row(connection, lock=False)
            head = ChainHead(self.zone, row.head_seq, row.head_hash)
            if not batch:
                return Trial((Problem("nothing to post", file=source, code="post.empty"),), head)
            natural = [natural_key(e) for e in batch]
            found = repeats(batch, natural, source, rows)
            before = self._state(connection, row)
            held = keys.holders(connection, self.zone, [k for k in natural if k is not None])
            keep, posted = posted_before(batch, natural, held, skip_posted, source, rows)
            kept = [batch[i] for i in keep]
            result = self._run(before, kept, self._postings_reader(connection)) if kept else None
        kept_rows = [rows[i] for i in keep] if rows is not None else [i + 1 for i in keep]
        core = located(result.problems, source, kept_rows) if result else []
        problems = tuple(found + posted + core)
        if problems or result is None:
            return Trial(problems, head, skipped=len(batch) - len(keep))
        return Trial(
            (),
            head,
            tuple(e.kind for e in kept),
            tuple(natural[i] for i in keep),
            len(result.postings),
            len(batch) - len(keep),
            result.discrepancies,
            tuple(self.warnings),
        )

    def _run(
        self,
        state: ZoneState,
        batch: Sequence[Event],
        postings_of: Callable[[int], list[Posting]],
    ) -> PostResult:
        needs_pf = any(isinstance(e, Admission | StatusChange) for e in batch)
        with collector_paused():  # the core leaves the process's collector alone
            return post(
                state,
                batch,
                pf_rule=self._pf_rule if needs_pf else None,
                duty_rule=self.duty_rule,
                postings_of=postings_of,
            )

    @in_money_context
    def correct(self, seq: int, reason: str, on: dt.date | None = None) -> Posted:
        """Reverse the event at ledger position `seq` by a new `Correction` event (the
        books stay append-only, 146.21); dated `on`, else the corrected event's date."""
        return self.post([self.correction(seq, reason, on)])

    @in_money_context
    def correction(self, seq: int, reason: str, on: dt.date | None = None) -> Correction:
        """The `Correction` that `correct` would post (InputError when the event cannot be
        corrected: none at `seq`, a master event, no reason), so a dry run can `trial` it."""
        if not reason.strip():
            raise InputError(
                Problem("a correction needs a reason", field="--reason", code="correct.reason")
            )
        with self.engine.connect() as connection:
            target = event_log.read_one(connection, self.zone, seq)
        if target is None:
            raise InputError(
                Problem(
                    f"there is no event {seq} in zone {self.zone}",
                    field="EVENT",
                    code="correct.no-event",
                )
            )
        if target.kind == MasterChange.kind:
            raise InputError(
                Problem(
                    f"event {seq} is a change of master data, which moves no goods: load a "
                    "new version of the part or bill of materials (valid from a later date)",
                    field="EVENT",
                    code="correct.master-event",
                )
            )
        return Correction(on or target.date, seq, reason.strip())

    # -- reading -----------------------------------------------------------------------

    @in_money_context
    def balances(
        self, *, as_of: dt.date | None = None, part: str | None = None
    ) -> list[projections.LotBalance]:
        """Lots with their balance on hand (now, or at the end of `as_of`)."""
        with self.snapshot() as books:
            return books.balances(as_of=as_of, part=part)

    @in_money_context
    def history(self, lot: str) -> tuple[Lot, list[Posting]]:
        """A lot and every posting of it, in ledger order (146.23(a), 146.24)."""
        with self.snapshot() as books:
            return books.history(lot)

    def all_postings(self) -> Iterator[Posting]:
        """Every posting of the zone in ledger order (for the annual reports)."""
        with self.snapshot() as books:
            yield from books.postings()

    # -- verify ------------------------------------------------------------------------

    def verify(self, since: ChainHead | None = None) -> Verification:
        """Re-check the chain and rebuild every projection from the events
        (`app.verify.verify_books`, 146.21(a))."""
        return verify_books(self.engine, self.zone, since)


class Snapshot:
    """One zone's books read at one moment (`Ledger.snapshot`): the chain head and every
    read made through it agree, on SQLite and on PostgreSQL."""

    def __init__(self, ledger: Ledger, connection: Connection, row: ZoneRow) -> None:
        self.ledger = ledger
        self.connection = connection
        self.row = row
        self.head = ChainHead(row.zone, row.head_seq, row.head_hash)

    @in_money_context
    def state(self) -> ZoneState:
        return self.ledger._state(self.connection, self.row)

    @in_money_context
    def balances(
        self, *, as_of: dt.date | None = None, part: str | None = None
    ) -> list[projections.LotBalance]:
        return projections.balances(self.connection, self.row.zone, as_of=as_of, part=part)

    @in_money_context
    def history(self, lot: str) -> tuple[Lot, list[Posting]]:
        found = reads.find_lot(self.connection, self.row.zone, lot)
        if found is None:
            raise InputError(
                Problem(
                    f"there is no lot {lot!r} in zone {self.row.zone}",
                    field="LOT",
                    code="history.no-lot",
                )
            )
        return found, projections.lot_postings(self.connection, self.row.zone, lot)

    def postings(self) -> Iterator[Posting]:
        """Every posting of the zone in ledger order (for the annual reports)."""
        return reads.all_postings(self.connection, self.row.zone)


# ------------------------------------------------------------------------- use cases


def open_books(context: Context, zone: str | None = None, **rules: Any) -> Ledger:
    """The books of `zone` at the context's database (`Ledger.open`): refused, with nothing
    changed, when they do not exist or their schema is behind (`zonekeeper db upgrade`)."""
    return Ledger.open(_url(context), zone, **rules)


def zone_names(context: Context) -> list[str]:
    """The zones whose books are at the context's database, by name (the API's `GET
    /zones`); refused as `open_books` is for books that do not exist or are behind."""
    url = _url(context)
    _refuse_missing_sqlite_file(url)
    engine = open_engine(url)
    try:
        refuse_behind(engine)
        with engine.connect() as connection:
            return all_zones(connection)
    finally:
        engine.dispose()


def init_books(
    context: Context, zone: str, site: str | None, method: str, **rules: Any
) -> Ledger:
    """Set up the books of `zone` (`Ledger.init`: the schema brought to this version's, the
    zone and its settings recorded as the first event of its chain)."""
    return Ledger.init(_url(context), zone, site, method, **rules)


@dataclass(frozen=True)
class Upgraded:
    """What `upgrade_books` did: the schema revision the books were at (None: an empty
    database) and the one they are at now."""

    location: str
    was: str | None
    now: str

    @property
    def changed(self) -> bool:
        return self.was != self.now


def upgrade_books(context: Context) -> Upgraded:
    """`zonekeeper db upgrade`: bring the books' schema to this version's (the Alembic
    migrations, `store.migrate.upgrade`), the one step that changes it. Refused for books
    that do not exist (a SQLite file is not created: `init` does that) or were written by a
    newer Zonekeeper."""
    url = _url(context)
    _refuse_missing_sqlite_file(url)
    engine = open_engine(url)
    try:
        was, now = upgrade(engine)
        return Upgraded(masked_url(engine.url), was, now)
    finally:
        engine.dispose()


def shortage_duty(context: Context) -> tuple[DutyRule | None, list[Problem]]:
    """The duty a count's shortage would owe (146.53(a)(3)), priced by the duty engine on
    the context's tariff; if the tariff cannot be loaded the count still posts, with a
    warning, and a shortage of 1% or more is flagged for a report conservatively."""
    try:
        return shortage_duty_rule(context.tariff), []
    except (OSError, InputError) as error:  # the tariff's files missing or damaged
        reason = (
            f"shortages not priced (tariff unavailable: {type(error).__name__}: {error}); "
            "a shortage of 1% or more is flagged for a report to CBP"
        )
        return None, [Problem(reason, code="count.unpriced", severity="warning")]


def counts_from(
    state: ZoneState, rows: Sequence[Any]
) -> tuple[list[Count], list[int], list[Problem]]:
    """A count file's rows as `Count` events with the file row of each (`zone.counts`), in
    one pass over the file, every row's problem reported: (events, rows, problems)."""
    return count_rows(state, rows)


def _url(context: Context) -> str:
    if context.database_url is None:
        raise ValueError("the books' use cases need a context with a database URL")
    return context.database_url


# ------------------------------------------------------------------------------ helpers


def _refuse_missing_sqlite_file(url: str) -> None:
    """Opening books that do not exist must not create an empty database file."""
    path = sqlite_file(url)
    if path is not None and not Path(path).exists():
        raise InputError(
            Problem(
                f"there are no books at {path}: run `zonekeeper init --zone NUMBER`",
                code="books.missing",
            )
        )


def _today() -> dt.date:
    """The day a master-data change is recorded (UTC): when, not from when it applies."""
    return dt.datetime.now(dt.UTC).date()


def _record_master(
    connection: Connection, row: ZoneRow, change: MasterChange, actor: str | None = None
) -> tuple[int, str]:
    """Append `change` to the zone's chain after `row`'s head (the caller holds the zone's
    lock) and move the head; the new head. `actor`: the user making the change."""
    head = event_log.append(
        connection,
        row.zone,
        row.head_seq,
        row.head_hash,
        [event_log.NewEvent(change.kind, change.date, canonical_bytes(change))],
        actor,
    )
    move_head(connection, row.zone, *head)
    return head


def _reads_no_postings(seq: int) -> list[Posting]:
    """`postings_of` for a batch without corrections: the core never calls it."""
    raise AssertionError(f"a batch without corrections read the postings of event {seq}")


