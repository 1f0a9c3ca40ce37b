"""The cyclic collector is switched by the shell, never by the core (docs/internals.md,
"Dependency direction"): `zone.posting.post` leaves the process's setting alone, and the
service pauses it around every core call it makes, a dry run included."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
from zk_store_samples import PARTS, admission

from zonekeeper.app import books as ledger_service
from zonekeeper.app.books import Ledger
from zonekeeper.zone.ledger import ZoneState
from zonekeeper.zone.posting import post


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()


def test_the_core_leaves_the_collector_alone(
    collector_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    switched: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: switched.append("disable"))
    monkeypatch.setattr(gc, "freeze", lambda: switched.append("freeze"))
    result = post(ZoneState.new("999", parts=PARTS), [admission("A1", 3, "W", "10", "100")])
    assert result.ok and not switched


@pytest.mark.parametrize("how", ["post", "trial"])
def test_the_service_pauses_it_around_the_core(
    ledger: Ledger, collector_on: None, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    seen: list[bool] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return post(*args, **kwargs)

    monkeypatch.setattr(ledger_service, "post", watched)
    getattr(ledger, how)([admission("A1", 3, "W", "10", "100.00")])
    assert seen == [False]
    assert gc.isenabled()
