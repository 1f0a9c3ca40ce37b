"""The versioned lot index (`zone.versioned.Versioned`): every version reads as it was made,
whichever version the shared dict holds; and the posting core's use of it (a refused batch,
a dry run, a branch from an old state leave the other versions' books untouched)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from zone_helpers import NPF, admit, ship, zone

from zonekeeper.zone.ledger import ZoneState
from zonekeeper.zone.posting import post
from zonekeeper.zone.versioned import Slice, Versioned


def test_a_new_version_leaves_the_old_one_as_it_was():
    v0 = Versioned({"a": 1, "b": 2})
    v1 = v0.evolve({"b": 20, "c": 30})
    assert dict(v1) == {"a": 1, "b": 20, "c": 30}
    assert dict(v0) == {"a": 1, "b": 2}  # the dict moves back to v0
    assert "c" not in v0 and v0.get("c") is None and len(v0) == 2
    assert v1["c"] == 30 and len(v1) == 3  # and forward again
    v2 = v0.evolve({"a": 100})  # a branch from the old version
    assert dict(v2) == {"a": 100, "b": 2}
    assert dict(v1) == {"a": 1, "b": 20, "c": 30}
    assert dict(v0) == {"a": 1, "b": 2}


def test_changed_since_names_what_the_next_version_set():
    v0 = Versioned.adopt({"a": 1})
    v1 = v0.evolve({"b": 2, "a": 1})
    assert v1.changed_since(v0) == {"a": 1, "b": 2}
    assert v0.changed_since(v1) is None  # not its next version
    v2 = v1.evolve({"c": 3})
    assert v2.changed_since(v0) is None  # two steps away
    assert v0 == {"a": 1}  # reading v0 moves the dict: now v1 is no longer the holder
    assert v1.changed_since(v0) is None
    assert v1 == {"a": 1, "b": 2} and v2 == {"a": 1, "b": 2, "c": 3}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 20),  # which existing version to evolve (modulo how many)
            st.dictionaries(st.sampled_from("abcdefg"), st.integers(), max_size=4),
            st.integers(0, 20),  # which version to read afterwards
        ),
        max_size=30,
    )
)
def test_every_version_reads_as_made_in_any_order_of_use(steps):
    versions = [Versioned({"a": 0})]
    expected = [{"a": 0}]
    for source, changes, read in steps:
        i = source % len(versions)
        versions.append(versions[i].evolve(changes))
        expected.append({**expected[i], **changes})
        j = read % len(versions)
        assert dict(versions[j].items()) == expected[j]
    for version, want in reversed(list(zip(versions, expected, strict=True))):
        assert version.copy() == want
        assert all(version[k] == v for k, v in want.items())


def test_hold_keeps_other_threads_from_moving_the_dict():
    v0 = Versioned({"a": 1})
    v1 = v0.evolve({"a": 2})
    seen = []
    with v0.hold() as data:
        reader = threading.Thread(target=lambda: seen.append(v1["a"]))
        reader.start()
        reader.join(0.2)
        assert reader.is_alive()  # waits for the lock
        assert data["a"] == 1
    reader.join()
    assert seen == [2]


# --- the posting core on it ------------------------------------------------------------------


def _snapshot(state: ZoneState) -> dict[str, object]:
    return dict(state.lots.items())


def test_a_refused_batch_leaves_the_lot_index_untouched():
    first = post(zone(), [admit("A1", 1, "2026-01-05", "BOLT", 100, 1000, NPF)])
    before = _snapshot(first.state)
    refused = post(
        first.state,
        [
            admit("A2", 1, "2026-01-06", "BOLT", 50, 500, NPF),
            ship("2026-01-07", "E1", "BOLT", 500, 5000),  # more than on hand: the batch is refused
        ],
    )
    assert refused.problems and refused.state is first.state
    assert _snapshot(first.state) == before
    assert "A2/1" not in first.state.lots
    assert list(first.state.pools[("BOLT", NPF)]) == [first.state.lots["A1/1"].key]
    # the refused batch appended A2/1 to the pool's shared list: this one must not see it
    again = post(
        first.state,
        [
            ship("2026-01-07", "E2", "BOLT", 40, 400),
            admit("A3", 1, "2026-01-07", "BOLT", 9, 9, NPF),
        ],
    )
    assert again.ok and again.state.lots["A1/1"].balance == Decimal(60)
    assert first.state.lots["A1/1"].balance == Decimal(100)
    assert [e[2] for e in again.state.pools[("BOLT", NPF)]] == ["A1/1", "A3/1"]
    assert dict(again.state.pools) == dict(_rebuilt(again.state).pools)
    assert [e[2] for e in first.state.pools[("BOLT", NPF)]] == ["A1/1"]


def _rebuilt(state: ZoneState) -> ZoneState:
    return ZoneState.with_lots(
        state.zone, state.method, state.master, state.lots.values(), seq=state.seq
    )


def test_posting_from_an_old_state_after_a_newer_one_gives_the_same_books():
    base = post(zone(), [admit("A1", 1, "2026-01-05", "BOLT", 100, 1000, NPF)]).state
    newer = post(
        base,
        [
            ship("2026-01-06", "E1", "BOLT", 30, 300),
            admit("A2", 1, "2026-01-06", "BOLT", 5, 50, NPF),
        ],
    )
    # the shared dict holds `newer`'s version now and moves back to `base` for this one
    branch_batch = [
        ship("2026-01-06", "E9", "BOLT", 70, 700),
        admit("A4", 1, "2026-01-06", "BOLT", 8, 80, NPF),  # appends where `newer` appended
    ]
    branch = post(base, branch_batch)
    fresh = post(_rebuilt(base), branch_batch)
    assert _snapshot(branch.state) == _snapshot(fresh.state)
    assert branch.state.lots["A1/1"].balance == Decimal(30)
    assert newer.state.lots["A1/1"].balance == Decimal(70) and "A2/1" in newer.state.lots
    assert "A2/1" not in branch.state.lots and "A2/1" not in base.lots
    assert dict(branch.state.pools) == dict(fresh.state.pools)
    assert [e[2] for e in branch.state.pools[("BOLT", NPF)]] == ["A1/1", "A4/1"]
    assert [e[2] for e in newer.state.pools[("BOLT", NPF)]] == ["A1/1", "A2/1"]
    assert [e[2] for e in base.pools[("BOLT", NPF)]] == ["A1/1"]


def test_a_slice_reads_as_its_bounds_whatever_is_appended_after():
    items = [1, 2, 3]
    s = Slice(items, 1, 3)
    items.append(4)
    assert list(s) == [2, 3] and len(s) == 2 and s[0] == 2 and s[-1] == 3
    assert s == (2, 3) and s == [2, 3] and s == Slice([2, 3]) and s != (2, 3, 4)
    assert s[0:1] == (2,)
    with pytest.raises(IndexError):
        s[2]


def test_a_long_emptied_prefix_is_dropped_from_the_pool_list():
    state = zone()
    admissions = [admit(f"A{i}", 1, "2026-01-05", "BOLT", 1, 1, NPF) for i in range(5000)]
    state = post(state, admissions).state
    state = post(state, [ship("2026-01-06", "E1", "BOLT", 4990, 1)]).state
    pool = state.pools[("BOLT", NPF)]
    assert isinstance(pool, Slice) and len(pool) == 10 and len(pool.items) == 10
    assert dict(state.pools) == dict(_rebuilt(state).pools)
