"""Master data inside the tamper evidence: `init` records the zone's settings and every
`load_master` the versions it adds as `master` events in the hash chain, and `verify`
rebuilds the part and BOM versions and the site from them and names the first stored one
that differs (part or product, valid_from, field). Books written before are anchored once
when they are migrated."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from alembic import command
from sqlalchemy import column, delete, insert, select, table, update
from typer.testing import CliRunner
from zk_store_samples import (
    BOMS,
    PARTS,
    SET_UP,
    admission,
    post_as_before_keys,
    production,
    shipment,
    upgraded,
)

from zonekeeper.app.books import Ledger
from zonekeeper.cli import application
from zonekeeper.errors import InputError
from zonekeeper.store import projections, zones
from zonekeeper.store.engine import open_engine, write_transaction
from zonekeeper.store.migrate import _config, current_revision, head_revision
from zonekeeper.store.schema import boms, discrepancies, events, parts, postings
from zonekeeper.store.schema import zones as zones_table
from zonekeeper.zone.events import MasterChange, from_record
from zonekeeper.zone.master import Bom, BomLine, MasterData, Part

D = Decimal
FUTURE = dt.date(2027, 1, 1)


def _books(ledger: Ledger) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    ledger.post([production("P1", 4, "K", "2")])


def _stored(ledger: Ledger, table: Any, key: str, value: str) -> list[dict[str, Any]]:
    with ledger.engine.connect() as connection:
        data = connection.execute(
            select(table.c.data).where(table.c.zone == ledger.zone, table.c[key] == value)
        ).scalar_one()
    return list(json.loads(data))


def _restore(ledger: Ledger, table: Any, key: str, value: str, versions: list[Any]) -> None:
    with ledger.engine.begin() as connection:
        connection.execute(
            update(table)
            .where(table.c.zone == ledger.zone, table.c[key] == value)
            .values(data=json.dumps(versions))
        )


def _master_events(ledger: Ledger) -> list[tuple[int, MasterChange]]:
    with ledger.engine.connect() as connection:
        rows = connection.execute(
            select(events.c.seq, events.c.payload)
            .where(events.c.zone == ledger.zone, events.c.kind == "master")
            .order_by(events.c.seq)
        ).all()
    found = [(seq, from_record("master", json.loads(payload))) for seq, payload in rows]
    return [(seq, change) for seq, change in found if isinstance(change, MasterChange)]


def test_init_and_each_load_are_master_events_in_the_chain(ledger: Ledger) -> None:
    [(first, settings), (second, loaded)] = _master_events(ledger)
    assert (first, second) == (1, 2)
    assert (settings.site, settings.method, settings.parts, settings.boms) == (
        "Dock 3", "FIFO", (), ())
    assert (loaded.parts, loaded.boms) == (tuple(PARTS), tuple(BOMS))
    assert not settings.anchor and not loaded.anchor
    assert ledger.load_master(PARTS, BOMS) == 0  # nothing new: no event
    new = Part("W", "Control board v2", "8537109170", "DE", "No.", FUTURE)
    assert ledger.load_master([new]) == 1
    assert _master_events(ledger)[-1][1].parts == (new,)
    # init of the same zone again records nothing
    with Ledger.init(str(ledger.engine.url.render_as_string(hide_password=False)), "49",
                     "Dock 3", "FIFO"):
        pass
    assert len(_master_events(ledger)) == 3
    result = ledger.verify()
    assert result.ok and result.events == SET_UP + 1


def test_posting_after_a_master_load_numbers_on_from_the_master_event(ledger: Ledger) -> None:
    _books(ledger)
    ledger.load_master([Part("X", "Relay", "8537109170", "DE", "No.", dt.date(2026, 8, 1))])
    posted = ledger.post([admission("A2", 5, "X", "5", "50.00")])  # on the cached books
    assert posted.head_seq == SET_UP + 2 + 1 + 1
    with Ledger.open(str(ledger.engine.url.render_as_string(hide_password=False))) as other:
        assert other.post([shipment("S1", 6, "X", "1")]).head_seq == posted.head_seq + 1
    assert ledger.verify().ok


def test_a_forged_future_part_version_is_caught(ledger: Ledger) -> None:
    """The tampering run's case: a part version inserted by SQL, dated after everything
    posted, so that the next admissions take another HTS."""
    _books(ledger)
    versions = _stored(ledger, parts, "part", "W")
    forged = {**versions[0], "hts": "8537109110", "valid_from": FUTURE.isoformat()}
    _restore(ledger, parts, "part", "W", [*versions, forged])
    result = ledger.verify()
    assert not result.ok and result.mismatch is not None
    assert result.mismatch.reason == (
        "stored part W valid from 2027-01-01 is in no master event of the chain"
    )
    assert result.lots is None


def test_a_forged_part_of_its_own_is_caught(ledger: Ledger) -> None:
    _books(ledger)
    forged = Part("Z", "Anything", "8537109170", "DE", "No.", FUTURE)
    with ledger.engine.begin() as connection:
        projections.save_master(connection, "49", MasterData.build([forged]), ["Z"], [])
    result = ledger.verify()
    assert result.mismatch is not None and "stored part Z valid from 2027-01-01" in str(
        result.mismatch)


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [("hts", "8537109110", "'8537109110'; the chain says '8537109170'"),
     ("unit", "kg", "'kg'; the chain says 'No.'")],
)
def test_a_changed_part_field_is_named_with_its_version(
    ledger: Ledger, field: str, value: str, shown: str
) -> None:
    _books(ledger)
    versions = _stored(ledger, parts, "part", "W")
    _restore(ledger, parts, "part", "W", [{**versions[0], field: value}])
    result = ledger.verify()
    assert result.mismatch is not None
    assert (result.mismatch.seq, result.mismatch.kind) == (2, "master")  # the load that set it
    assert result.mismatch.reason == f"stored part W valid from 1900-01-01: its {field} is {shown}"
    assert str(result.mismatch).startswith("event 2 (master): stored part W")


def test_a_changed_bom_quantity_is_caught(ledger: Ledger) -> None:
    """Three boards a kit instead of two: production would consume more, and pay on it."""
    _books(ledger)
    [version] = _stored(ledger, boms, "product", "K")
    version["lines"][0]["quantity"] = "3"
    _restore(ledger, boms, "product", "K", [version])
    result = ledger.verify()
    assert result.mismatch is not None and result.mismatch.seq == 2
    assert result.mismatch.reason == (
        "stored bill of materials K valid from 1900-01-01: its lines[1].quantity is '3'; "
        "the chain says '2'"
    )


def test_a_deleted_part_version_is_caught(ledger: Ledger) -> None:
    _books(ledger)
    later = Part("C", "Compressor", "8414308030", "KR", "No.", FUTURE)
    ledger.load_master([later])
    before = _stored(ledger, parts, "part", "C")
    _restore(ledger, parts, "part", "C", before[:1])  # the later version gone
    result = ledger.verify()
    assert result.mismatch is not None
    assert (result.mismatch.seq, result.mismatch.kind) == (SET_UP + 3, "master")
    assert result.mismatch.reason == (
        "part C valid from 2027-01-01 is missing from the stored master data"
    )
    with ledger.engine.begin() as connection:  # the whole part gone
        connection.execute(delete(parts).where(parts.c.part == "C"))
    mismatch = ledger.verify().mismatch
    assert mismatch is not None and mismatch.reason.startswith("part C valid from 1900-01-01 is")


def test_a_changed_site_is_caught(ledger: Ledger) -> None:
    _books(ledger)
    with ledger.engine.begin() as connection:
        connection.execute(update(zones_table).values(site="Dock 9"))
    result = ledger.verify()
    assert result.mismatch is not None
    assert result.mismatch.reason == "the zone's site is 'Dock 9'; its chain says 'Dock 3'"


def test_a_changed_inventory_method_is_caught(ledger: Ledger) -> None:
    _books(ledger)
    with ledger.engine.begin() as connection:
        connection.execute(update(zones_table).values(method="LIFO"))
    mismatch = ledger.verify().mismatch
    assert mismatch is not None and "inventory method is 'LIFO'" in mismatch.reason


def test_rows_stored_for_a_master_event_are_caught(ledger: Ledger) -> None:
    _books(ledger)
    with ledger.engine.connect() as connection:
        row = connection.execute(select(postings).where(postings.c.seq == SET_UP + 1)).one()
    with ledger.engine.begin() as connection:
        connection.execute(insert(postings).values({**row._asdict(), "seq": 2}))
    mismatch = ledger.verify().mismatch
    assert mismatch is not None and (mismatch.seq, mismatch.kind) == (2, "master")
    assert mismatch.reason == "postings are stored for a master-data event"
    with ledger.engine.begin() as connection:
        connection.execute(delete(postings).where(postings.c.seq == 2))
        connection.execute(insert(discrepancies).values(
            zone="49", seq=1, n=1, lot="A1/1", data="{}"))
    mismatch = ledger.verify().mismatch
    assert mismatch is not None and mismatch.seq == 1 and "discrepancies" in mismatch.reason


def test_a_master_event_cannot_be_corrected_or_posted(ledger: Ledger) -> None:
    _books(ledger)
    with pytest.raises(InputError, match="event 2 is a change of master data"):
        ledger.correct(2, "wrong BOM")
    with pytest.raises(InputError, match="master data is loaded"):
        ledger.post([MasterChange(dt.date(2026, 8, 5), "FIFO", "Dock 3", (PARTS[0],))])
    assert ledger.verify().ok


def test_verify_exits_1_on_a_forged_bom(database_url: str, ledger: Ledger) -> None:
    _books(ledger)
    forged = Bom("K", FUTURE, (BomLine("W", D(5)),))
    with ledger.engine.begin() as connection:
        master = projections.load_master(connection, "49").with_versions(boms=[forged])
        projections.save_master(connection, "49", master, [], ["K"])
    result = CliRunner().invoke(application(), ["--database-url", database_url, "verify",
                                                "--json"])
    assert result.exit_code == 1
    mismatch = json.loads(result.stdout)["mismatch"]
    assert mismatch["reason"] == (
        "stored bill of materials K valid from 2027-01-01 is in no master event of the chain"
    )


# ------------------------------------------------------------------ books written before


# The events' columns before they named who posted them (schema 0005 added `actor`).
_OLD_ROWS = select(*[c for c in events.c if c.name != "actor"]).order_by(events.c.seq)


def _old_books(database_url: str, revision: str) -> list[tuple[Any, ...]]:
    """Books as a Zonekeeper before master events wrote them: the schema at `revision`,
    the master data in its tables only, postings in the chain. Their events, as stored."""
    engine = open_engine(database_url)
    try:
        config = _config()
        with write_transaction(engine) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        with write_transaction(engine) as connection:
            zones.create_zone(connection, "7", "Dock 1", "FIFO")
            projections.save_master(
                connection, "7", MasterData.build(PARTS, BOMS),
                [p.number for p in PARTS], [b.product for b in BOMS],
            )
        old = Ledger(engine, "7", pf_rule=None)  # posting as before: no migration, no init
        post_as_before_keys(old, [admission("A1", 3, "W", "10", "100.00")])
        post_as_before_keys(old, [production("P1", 4, "K", "2"), shipment("S1", 5, "W", "1")])
        assert current_revision(engine) == revision
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(_OLD_ROWS)]
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", ["0002"])
def test_books_written_before_are_anchored_once_verify_and_keep_posting(
    database_url: str, revision: str
) -> None:
    before = _old_books(database_url, revision)
    assert [r[2] for r in before] == ["admission", "production", "shipment"]
    upgraded(database_url)
    with Ledger.open(database_url, "7") as books:
        assert current_revision(books.engine) == head_revision()
        with books.engine.connect() as connection:
            after = [tuple(r) for r in connection.execute(_OLD_ROWS)]
        assert after[: len(before)] == before  # the stored bytes of every old event unchanged
        [(seq, anchor)] = _master_events(books)
        assert seq == 4 and anchor.anchor
        assert (anchor.site, anchor.method) == ("Dock 1", "FIFO")
        assert MasterData.build(anchor.parts, anchor.boms) == MasterData.build(PARTS, BOMS)
        result = books.verify()
        assert result.ok and result.events == 4
        # from now on every change is seen
        assert books.load_master([Part("W", "Board v2", "8537109170", "DE", "No.", FUTURE)]) == 1
        assert books.post([shipment("S2", 6, "W", "1")]).head_seq == 6
        assert books.verify().ok
        versions = _stored(books, parts, "part", "C")
        _restore(books, parts, "part", "C", [{**versions[0], "origin": "VN"}])
        mismatch = books.verify().mismatch
        assert mismatch is not None and (mismatch.seq, mismatch.kind) == (4, "master")
    with Ledger.open(database_url, "7") as books:  # opened again: no second anchor
        assert len(_master_events(books)) == 2


def test_books_of_the_first_schema_with_master_data_are_anchored(database_url: str) -> None:
    """A 0001 database (no master revision column) holding master data and postings."""
    engine = open_engine(database_url)
    try:
        config = _config()
        with write_transaction(engine) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
        with write_transaction(engine) as connection:
            connection.execute(insert(_zones_0001()).values(
                zone="7", site=None, method="LIFO", head_seq=0, head_hash="0" * 64))
            projections.save_master(
                connection, "7", MasterData.build(PARTS, BOMS),
                [p.number for p in PARTS], [b.product for b in BOMS],
            )
    finally:
        engine.dispose()
    upgraded(database_url)
    with Ledger.open(database_url, "7") as books:
        [(seq, anchor)] = _master_events(books)
        assert seq == 1
        assert anchor.anchor and (anchor.site, anchor.method) == (None, "LIFO")
        books.post([admission("A1", 3, "W", "10", "100.00")])
        assert books.verify().ok


def _zones_0001() -> Any:
    """The zones table as revision 0001 made it (no master_rev column)."""
    return table("zones", column("zone"), column("site"), column("method"),
                 column("head_seq"), column("head_hash"))
