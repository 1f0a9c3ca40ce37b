"""The collector pause around a posting: restores the process's setting, and leaves objects
someone else froze where they are."""

from __future__ import annotations

import gc

import pytest

from zonekeeper.heap import collector_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_setting_is_restored(enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError("a failed batch")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_survivors_go_to_the_oldest_generation_without_a_collection():
    with collector_paused():
        kept = [[i] for i in range(10_000)]  # young, tracked containers
    assert gc.get_count()[0] < 100  # nothing left young for the next collection to walk
    assert gc.is_tracked(kept[0])


def test_objects_someone_froze_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with collector_paused():
            _ = [[i] for i in range(1000)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
