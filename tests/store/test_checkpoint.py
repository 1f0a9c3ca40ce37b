"""A checkpoint kept outside the database anchors the chain head: cutting the last events
off cleanly (events, postings and lots, the head moved back) leaves a whole, shorter chain
that plain `verify` passes; `verify --since-checkpoint` does not. An edited checkpoint file,
or one of another zone, is refused (exit 2). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update
from typer.testing import CliRunner
from zk_store_samples import SET_UP, admission, shipment

from zonekeeper.app.books import Ledger
from zonekeeper.cli import application
from zonekeeper.errors import InputError
from zonekeeper.store.chain import link_hash
from zonekeeper.store.schema import (
    discrepancies,
    event_keys,
    events,
    lots,
    postings,
    suspense,
    zone_totals,
    zones,
)
from zonekeeper.zone.events import Filing

app = application()
runner = CliRunner()


def _run(ledger: Ledger, *args: str) -> Any:
    return runner.invoke(app, ["--database-url", ledger.url, *args])  # type: ignore[attr-defined]


@pytest.fixture
def ledger(ledger: Ledger, database_url: str) -> Ledger:
    """The store tests' zone 49, with the URL the commands are run on."""
    ledger.url = database_url  # type: ignore[attr-defined]
    return ledger


def _cut_back_to(ledger: Ledger, seq: int, kept: dict[str, list[Any]]) -> None:
    """What a tamperer with database access does: delete every event after `seq` with its
    postings, discrepancies and natural keys, put the lots, suspense items and the kept
    inventory by status back as they were, and move the zone's head back to event `seq`.
    The chain left is whole."""
    with ledger.engine.begin() as connection:
        last = connection.execute(
            select(events.c.hash).where(events.c.zone == "49", events.c.seq == seq)
        ).scalar_one()
        for table in (events, postings, discrepancies, event_keys):
            connection.execute(delete(table).where(table.c.zone == "49", table.c.seq > seq))
        for table in (lots, suspense, zone_totals):
            connection.execute(delete(table).where(table.c.zone == "49"))
            if kept[table.name]:
                connection.execute(insert(table), kept[table.name])
        connection.execute(
            update(zones).where(zones.c.zone == "49").values(head_seq=seq, head_hash=last)
        )


def _projections(ledger: Ledger) -> dict[str, list[Any]]:
    with ledger.engine.connect() as connection:
        return {
            table.name: [dict(r) for r in connection.execute(select(table)).mappings()]
            for table in (lots, suspense, zone_totals)
        }


def _checkpoint(ledger: Ledger, folder: Path, name: str = "cp.json", *more: str) -> Path:
    path = folder / name
    result = _run(ledger, "checkpoint", "--out", str(path), *more)
    assert result.exit_code == 0, (result.output, result.exception)
    return path


def test_a_clean_cut_after_a_checkpoint_passes_verify_but_not_the_checkpoint(
    ledger: Ledger, tmp_path: Path
) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00"), admission("A2", 4, "W", "4", "48")])
    before = _projections(ledger)
    ledger.post([shipment("S1", 5, "W", "7", "20")])
    path = _checkpoint(ledger, tmp_path)
    assert json.loads(path.read_text())["head_seq"] == SET_UP + 3

    _cut_back_to(ledger, SET_UP + 2, before)

    # The chain alone cannot see it: that is why the head needs an anchor outside.
    assert ledger.verify().ok
    assert _run(ledger, "verify").exit_code == 0
    result = _run(ledger, "verify", "--since-checkpoint", str(path))
    assert result.exit_code == 1
    assert f"event {SET_UP + 3}" in result.stderr and "cut off" in result.stderr
    last = f"books: zone 49 at event {SET_UP + 2} (head {ledger.head().hash})"
    assert result.stdout.strip().endswith(last)
    found = json.loads(_run(ledger, "verify", "--since-checkpoint", str(path), "--json").stdout)
    assert found["ok"] is False and found["mismatch"]["seq"] == SET_UP + 3
    assert found["checkpoint"]["head_seq"] == SET_UP + 3 and found["checkpoint"]["extends"] is False
    assert found["books"] == {"zone": "49", "head_seq": SET_UP + 2, "head_hash": ledger.head().hash}


def test_books_extended_after_the_checkpoint_pass(ledger: Ledger, tmp_path: Path) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    path = _checkpoint(ledger, tmp_path)
    ledger.post([shipment("S1", 5, "W", "7", "20")])
    result = _run(ledger, "verify", "--since-checkpoint", str(path), "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["ok"] is True and found["checkpoint"]["extends"] is True
    assert (found["checkpoint"]["head_seq"], found["books"]["head_seq"]) == (SET_UP + 1, SET_UP + 2)
    text = _run(ledger, "verify", "--since-checkpoint", str(path))
    assert text.exit_code == 0 and "extend the checkpoint" in text.stdout
    # ... and so does a checkpoint of the books before their first event.
    empty = Ledger.init(ledger.url, "50", None, "FIFO")  # type: ignore[attr-defined]
    empty.close()
    zero = tmp_path / "zero.json"
    assert _run(ledger, "checkpoint", "--zone", "50", "--out", str(zero)).exit_code == 0
    assert _run(ledger, "verify", "--zone", "50", "--since-checkpoint", str(zero)).exit_code == 0


def test_a_rewritten_and_rehashed_chain_is_caught_at_the_checkpoint(
    ledger: Ledger, tmp_path: Path
) -> None:
    """A filing has no postings: its note can be rewritten, and every hash from it on
    recomputed, without any projection noticing. Only the checkpoint's hash does."""
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    ledger.post([Filing(dt.date(2026, 8, 4), "shortage_report", "LTR-1", "A1/1", "first")])
    ledger.post([shipment("S1", 5, "W", "7", "20")])
    path = _checkpoint(ledger, tmp_path)
    with ledger.engine.begin() as connection:
        rows = connection.execute(
            select(events).where(events.c.zone == "49").order_by(events.c.seq)
        ).all()
        prev = rows[0].hash
        for row in rows[1:]:
            payload = row.payload.replace('"first"', '"forged"')
            new = link_hash(prev, "49", row.seq, payload.encode())
            connection.execute(
                update(events)
                .where(events.c.zone == "49", events.c.seq == row.seq)
                .values(payload=payload, prev_hash=prev, hash=new)
            )
            prev = new
        connection.execute(update(zones).where(zones.c.zone == "49").values(head_hash=prev))
    assert ledger.verify().ok
    result = ledger.verify(since=ledger_checkpoint(path))
    assert not result.ok and result.mismatch is not None
    assert result.mismatch.seq == SET_UP + 3 and "rewritten" in result.mismatch.reason
    assert _run(ledger, "verify", "--since-checkpoint", str(path)).exit_code == 1


def ledger_checkpoint(path: Path) -> Any:
    from zonekeeper.io.checkpoint import read_checkpoint

    return read_checkpoint(path).head


def _refused(ledger: Ledger, *args: str) -> str:
    result = _run(ledger, *args)
    assert isinstance(result.exception, InputError), (args, result.output, result.exception)
    return "\n".join(str(p) for p in result.exception.problems)


def test_an_edited_checkpoint_file_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00"), admission("A2", 4, "W", "4", "48")])
    path = _checkpoint(ledger, tmp_path)
    data = json.loads(path.read_text())
    data["head_seq"] = SET_UP + 1  # moved back to agree with books cut short
    path.write_text(json.dumps(data))
    reason = _refused(ledger, "verify", "--since-checkpoint", str(path))
    assert "does not match its stamp" in reason and "edited" in reason
    path.write_text("not json")
    assert "not a checkpoint file" in _refused(ledger, "verify", "--since-checkpoint", str(path))


def test_a_checkpoint_of_another_zone_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    path = _checkpoint(ledger, tmp_path)
    other = Ledger.init(ledger.url, "50", None, "FIFO")  # type: ignore[attr-defined]
    other.close()
    reason = _refused(ledger, "verify", "--zone", "50", "--since-checkpoint", str(path))
    assert "zone 49, not of zone 50" in reason


def test_a_keyed_checkpoint_needs_its_key(ledger: Ledger, tmp_path: Path) -> None:
    import hashlib

    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    key = tmp_path / "key"
    key.write_text("s3cret\n")
    path = _checkpoint(ledger, tmp_path, "cp.json", "--key-file", str(key))
    assert "hmac_sha256" in json.loads(path.read_text())["stamp"]
    ok = _run(ledger, "verify", "--since-checkpoint", str(path), "--key-file", str(key))
    assert ok.exit_code == 0, ok.output
    assert "give the same key" in _refused(ledger, "verify", "--since-checkpoint", str(path))
    # An edit that recomputes the plain SHA-256 is still found by the HMAC.
    data = json.loads(path.read_text())
    data["head_seq"] = 0
    content = {k: v for k, v in data.items() if k != "stamp"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    data["stamp"]["sha256"] = hashlib.sha256(canonical).hexdigest()
    path.write_text(json.dumps(data))
    reason = _refused(ledger, "verify", "--since-checkpoint", str(path), "--key-file", str(key))
    assert "HMAC does not match" in reason
    # A key given for a checkpoint written without one proves nothing: refused too.
    plain = _checkpoint(ledger, tmp_path, "plain.json")
    reason = _refused(ledger, "verify", "--since-checkpoint", str(plain), "--key-file", str(key))
    assert "written without a key" in reason


def test_a_checkpoint_is_not_overwritten_unless_forced(ledger: Ledger, tmp_path: Path) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00")])
    path = _checkpoint(ledger, tmp_path)
    ledger.post([shipment("S1", 5, "W", "7", "20")])
    assert "--force" in _refused(ledger, "checkpoint", "--out", str(path))
    assert json.loads(path.read_text())["head_seq"] == SET_UP + 1
    _checkpoint(ledger, tmp_path, "cp.json", "--force")
    assert json.loads(path.read_text())["head_seq"] == SET_UP + 2


@pytest.mark.parametrize(
    ("args", "field"),
    [(("--seq", "3"), "--hash"), (("--seq", "3", "--hash", "abc"), "--hash"),
     (("--seq", "-1", "--hash", "0" * 64), "--seq")],
)
def test_a_bad_head_given_by_hand_is_refused(
    ledger: Ledger, tmp_path: Path, args: tuple[str, ...], field: str
) -> None:
    result = _run(ledger, "checkpoint", "--out", str(tmp_path / "x.json"), *args)
    assert isinstance(result.exception, InputError)
    assert result.exception.problems[0].field == field
    assert not (tmp_path / "x.json").exists()
def test_a_head_printed_on_a_report_makes_a_checkpoint(ledger: Ledger, tmp_path: Path) -> None:
    ledger.post([admission("A1", 3, "W", "10", "100.00"), admission("A2", 4, "W", "4", "48")])
    before = _projections(ledger)
    ledger.post([shipment("S1", 5, "W", "7", "20")])
    printed = json.loads(_run(ledger, "history", "A1/1", "--json").stdout)["books"]
    path = _checkpoint(ledger, tmp_path, "report.json", "--seq", str(printed["head_seq"]),
                       "--hash", printed["head_hash"])
    assert json.loads(path.read_text())["source"] == "report"
    assert _run(ledger, "verify", "--since-checkpoint", str(path)).exit_code == 0
    _cut_back_to(ledger, SET_UP + 2, before)
    assert _run(ledger, "verify", "--since-checkpoint", str(path)).exit_code == 1


