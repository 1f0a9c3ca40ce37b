"""`zone_totals`, the inventory on hand by zone status every posting keeps (`store.totals`):
after every batch, by `post` and by `post_many`, on both databases, it equals the lots
summed from scratch; `db upgrade` fills it from the lots; `verify` names a kept total that
differs from the lots (`verify.totals`)."""

from __future__ import annotations

import datetime as dt
from decimal import Context, Decimal, Inexact, Rounded, localcontext

from alembic import command
from sqlalchemy import select, update
from zk_store_samples import BOMS, PARTS, admission, production, shipment

from zonekeeper.app.books import Ledger
from zonekeeper.store import totals
from zonekeeper.store.engine import open_engine, write_transaction
from zonekeeper.store.migrate import _config, upgrade
from zonekeeper.store.schema import lots, zone_totals
from zonekeeper.zone.events import Correction, Event, Shipment, StatusChange
from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

PF = ZoneStatus.PRIVILEGED_FOREIGN
ZR = ZoneStatus.ZONE_RESTRICTED
NPF = ZoneStatus.NONPRIVILEGED_FOREIGN
EXPORT = ShipmentDisposition.EXPORT


def _from_lots(books: Ledger) -> dict[str, totals.Total]:
    """The reference: every lot row read and summed from scratch, exactly (a lot's value
    holds up to 28 digits, so a sum of them may need more: no rounding is allowed)."""
    found: dict[str, list[Decimal | int]] = {}
    wide = Context(prec=100, traps=[Inexact, Rounded])
    with books.engine.connect() as connection, localcontext(wide):
        for status, quantity, value in connection.execute(
            select(lots.c.status, lots.c.quantity, lots.c.value).where(lots.c.zone == books.zone)
        ):
            if quantity != 0:
                acc = found.setdefault(status, [0, Decimal(0), Decimal(0)])
                acc[0] += 1
                acc[1] += quantity
                acc[2] += value
    return {s: totals.Total(int(n), Decimal(q), Decimal(v)) for s, (n, q, v) in found.items()}


def _kept(books: Ledger) -> dict[str, totals.Total]:
    with books.engine.connect() as connection:
        return totals.read(connection, books.zone)


def _batches() -> list[list[Event]]:
    """Admissions in thirds of a cent, productions, shipments that empty lots, a status
    change to PF and one to ZR, and a correction."""
    out: list[list[Event]] = []
    for b in range(6):
        day = 1 + b
        out.append(
            [admission(f"A{b}-{i}", day, "W", str(3 + i), f"{10 + i}.01") for i in range(4)]
            + [shipment(f"S{b}", day, "W", "5", "7.5"), production(f"P{b}", day, "K", "2")]
            + [shipment(f"SK{b}", day, "K", "1")]
        )
    return out


def test_totals_follow_every_batch_by_post_and_post_many(database_url: str) -> None:
    with Ledger.init(database_url, "49", None, "FIFO") as books:
        books.load_master(PARTS, BOMS)
        assert _kept(books) == {}
        first, *rest = _batches()
        books.post(first)
        assert _kept(books) == _from_lots(books) != {}
        books.post_many(rest[:3])
        assert _kept(books) == _from_lots(books)
        for batch in rest[3:]:
            books.post(batch)
            assert _kept(books) == _from_lots(books)
        books.post([StatusChange(dt.date(2026, 8, 9), "A5-3/1", PF, reference="214-9"),
                    StatusChange(dt.date(2026, 8, 9), "A5-2/1", ZR)])
        kept = _kept(books)
        assert set(kept) == {"NPF", "PF", "ZR"} and kept == _from_lots(books)
        left = books.state().on_hand("W", NPF)
        emptied = books.post([Shipment(dt.date(2026, 8, 10), "ALL", "W", left, EXPORT,
                                       Decimal("1"), NPF)])  # every NPF lot of W leaves
        assert left > 0 and _kept(books) == _from_lots(books)
        assert _kept(books)["NPF"].lots == len([
            lot for lot in books.state().lots.values() if lot.balance and lot.status is NPF])
        seq = emptied.head_seq
        books.post([Correction(dt.date(2026, 8, 10), seq, "typed the wrong quantity")])
        assert _kept(books) == _from_lots(books)
        assert books.verify().ok


def test_db_upgrade_fills_the_totals_from_the_lots(database_url: str) -> None:
    with Ledger.init(database_url, "49", None, "FIFO") as books:
        books.load_master(PARTS, BOMS)
        books.post_many(_batches())
        expected = _from_lots(books)
    engine = open_engine(database_url)
    try:
        config = _config()
        with write_transaction(engine) as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0005_users")
        upgrade(engine)
    finally:
        engine.dispose()
    with Ledger.open(database_url) as books:
        assert _kept(books) == expected
        assert books.verify().ok


def test_verify_names_a_kept_total_that_differs_from_the_lots(database_url: str) -> None:
    with Ledger.init(database_url, "49", None, "FIFO") as books:
        books.load_master(PARTS, BOMS)
        books.post_many(_batches())
        assert books.verify().ok
        with write_transaction(books.engine) as connection:
            connection.execute(
                update(zone_totals).where(zone_totals.c.status == "NPF")
                .values(value=Decimal("1.00"))
            )
        result = books.verify()
    assert result.mismatch is not None
    assert result.mismatch.code == "verify.totals"
    assert "status NPF" in result.mismatch.reason
