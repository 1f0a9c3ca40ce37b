"""`Versioned`: an immutable mapping whose next version costs what changed, not its size.

The zone's lot index holds every lot ever created (hundreds of thousands), and each posted
batch changes a few thousand of them. Copying the index per batch made a batch cost in
proportion to the books. Here every version of one index shares a single dict, in the manner
of Baker's "shallow binding" (rerooting) for persistent arrays: the version the dict holds
now answers straight from it, and each other version keeps only the difference to the
version next to it (for each changed key, its value in that version). `evolve(changes)`
updates the dict in place and leaves the old version a difference of `len(changes)`
entries. Reading an older version again (a refused batch's books, a dry run's) first moves
the dict back to it, undoing the differences on the way: correct for every version, fast
for the one in use. Nothing points from a newer version to an older one, so an old version
nobody holds is freed with its difference.

All versions of one index share a lock: reading one version while another thread moves the
dict to another is safe. `hold()` gives the raw dict of a version for a stretch of reads
(the posting core's hot loops), with the lock held; it must not be changed through it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any, Generic, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")
D = TypeVar("D")

_ABSENT: Any = object()


class _Node:
    """One version: `data` is the shared dict while it holds this version, else None and
    `undo` maps each key that differs from version `next` to its value here (`_ABSENT`:
    not in this version)."""

    __slots__ = ("data", "lock", "next", "undo")

    def __init__(self, data: dict[Any, Any] | None, lock: threading.RLock) -> None:
        self.data = data
        self.undo: dict[Any, Any] | None = None
        self.next: _Node | None = None
        self.lock = lock


def _reroot(node: _Node) -> dict[Any, Any]:
    """Move the shared dict to `node`'s version (caller holds the lock)."""
    if node.data is not None:
        return node.data
    path = []
    current = node
    while current.data is None:
        path.append(current)
        assert current.next is not None
        current = current.next
    data = current.data
    for older in reversed(path):  # from the one next to the dict back to `node`
        newer = older.next
        undo = older.undo
        assert newer is not None and undo is not None
        redo: dict[Any, Any] = {}
        for key, value in undo.items():
            redo[key] = data.get(key, _ABSENT)
            if value is _ABSENT:
                del data[key]
            else:
                data[key] = value
        newer.data, newer.undo, newer.next = None, redo, older
        older.data, older.undo, older.next = data, None, None
    return data


class Versioned(Mapping[K, V], Generic[K, V]):
    """An immutable mapping; `evolve` makes the next version in O(changes)."""

    __slots__ = ("_node",)

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._node = _Node(dict(items), threading.RLock())

    @classmethod
    def adopt(cls, data: dict[K, V]) -> Versioned[K, V]:
        """A first version made of `data` itself (the caller hands it over: no copy)."""
        new: Versioned[K, V] = object.__new__(cls)
        new._node = _Node(data, threading.RLock())
        return new

    def evolve(self, changes: Mapping[K, V]) -> Versioned[K, V]:
        """The next version: this one with `changes` set (added or replaced)."""
        node = self._node
        with node.lock:
            data = _reroot(node)
            undo = {key: data.get(key, _ABSENT) for key in changes}
            data.update(changes)
            new_node = _Node(data, node.lock)
            node.data, node.undo, node.next = None, undo, new_node
        new: Versioned[K, V] = object.__new__(type(self))
        new._node = new_node
        return new

    def changed_since(self, older: Versioned[K, V]) -> dict[K, V] | None:
        """What `evolve` set to make this version from `older` (key -> value here), when
        this version is `older`'s next and holds the dict; None otherwise."""
        node, old = self._node, older._node
        with node.lock:
            if old.next is not node or node.data is None or old.undo is None:
                return None
            data = node.data
            return {key: data[key] for key in old.undo}

    def replaced_since(self, older: Versioned[K, V]) -> dict[K, V | None] | None:
        """The value in `older` of each key `evolve` set to make this version from it
        (None: not in `older`), read from `older`'s difference without moving the dict
        back to it, when this version is `older`'s next and holds the dict; None
        otherwise."""
        node, old = self._node, older._node
        with node.lock:
            if old.next is not node or node.data is None or old.undo is None:
                return None
            return {key: None if value is _ABSENT else value for key, value in old.undo.items()}

    @contextmanager
    def hold(self) -> Iterator[dict[K, V]]:
        """This version's dict to read (not change) in a block; other threads wait."""
        node = self._node
        with node.lock:
            yield _reroot(node)

    def copy(self) -> dict[K, V]:
        with self._node.lock:
            return dict(_reroot(self._node))

    # --- Mapping ----------------------------------------------------------------------

    def __getitem__(self, key: K) -> V:
        node = self._node
        with node.lock:
            value: V = _reroot(node)[key]
            return value

    @overload
    def get(self, key: K, /) -> V | None: ...
    @overload
    def get(self, key: K, default: V | D, /) -> V | D: ...
    def get(self, key: K, default: Any = None) -> Any:
        node = self._node
        with node.lock:
            return _reroot(node).get(key, default)

    def __contains__(self, key: object) -> bool:
        node = self._node
        with node.lock:
            return key in _reroot(node)

    def __len__(self) -> int:
        node = self._node
        with node.lock:
            return len(_reroot(node))

    def __iter__(self) -> Iterator[K]:
        return iter(self.copy())  # a snapshot: another version may take the dict meanwhile

    def __repr__(self) -> str:
        return f"Versioned({self.copy()!r})"


class Slice(Sequence[V], Generic[V]):
    """An immutable sequence: `items[lo:hi]` of a list that is only ever appended to past
    the end of every slice of it (or, by whoever made it, changed before any slice of it was
    handed out).

    The zone's pools are kept so (`zone.book`): a batch that adds lots to a pool appends them
    to the list the pool's last version already uses, when nothing was appended after that
    version's end (a branch from the same version copies), and the next version is the same
    list with wider bounds; removals only move `lo`. So a version of a pool costs what the
    batch changed, not the pool's size."""

    __slots__ = ("hi", "items", "lo")

    def __init__(self, items: list[V], lo: int = 0, hi: int | None = None) -> None:
        self.items = items
        self.lo = lo
        self.hi = len(items) if hi is None else hi

    @overload
    def __getitem__(self, index: int) -> V: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[V]: ...
    def __getitem__(self, index: int | slice) -> V | Sequence[V]:
        if isinstance(index, slice):
            return tuple(self)[index]
        n = self.hi - self.lo
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("Slice index out of range")
        return self.items[self.lo + index]

    def __len__(self) -> int:
        return self.hi - self.lo

    def __iter__(self) -> Iterator[V]:
        return islice(self.items, self.lo, self.hi)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Slice | tuple | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Slice({list(self)!r})"
