"""Candidate designations (arcs) built by class and date window, never as a dense matrix.

An import and a demand can be paired only when they share a substitution key (the code,
part and unit the standard of `rules` demands) and the dates fit: import on or before the
use, export on or before the import's deadline. Within one key, imports sorted by date have
non-decreasing deadlines, so each demand's candidates are one contiguous run of that sorted
list, found by two binary searches; arcs are expanded with array arithmetic. The keys also
give the connected components (substitution classes) the optimizer solves separately.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from zonekeeper.drawback.ports import DescriptionSource
from zonekeeper.drawback.records import ClaimType, ImportLine
from zonekeeper.drawback.rules import Demand, Route, export_deadline, j2_standard, normalize_unit

Key = tuple[str, ...]
ROUTES: tuple[Route, ...] = tuple(Route)
_SHIFT = 1 << 21  # above any date ordinal (date.max.toordinal() < 2**20 * 4)

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Arcs:
    """Parallel arrays, one entry per candidate pair; `component` numbers the classes."""

    imp: IntArray
    dem: IntArray
    route: IntArray  # index into ROUTES
    component: IntArray  # component of each arc
    n_components: int


def import_keys(
    claim: ClaimType, imp: ImportLine, descriptions: DescriptionSource
) -> list[tuple[Key, Route]]:
    """The keys under which an import can be matched (see `rules._route`)."""
    unit = normalize_unit(imp.unit)
    hts8, hts10 = imp.hts[:8], imp.hts[:10]
    if claim is ClaimType.J2:
        keys: list[tuple[Key, Route]] = [(("S", hts8, unit), Route.SCHEDULE_B)]
        std = j2_standard(imp, descriptions)
        if std.route is Route.HTS8 and std.key:
            keys.insert(0, (("J8", std.key, unit), Route.HTS8))
        elif std.route is Route.HTS10 and std.key:
            keys.insert(0, (("J10", std.key, unit), Route.HTS10))
        return keys
    if claim is ClaimType.B:
        return [(("B", hts8, unit), Route.HTS8)]
    if claim is ClaimType.C:
        return [(("C", hts8, imp.part, unit), Route.PART)] if imp.part else []
    keys = [(("H", hts10, unit), Route.SAME_HTS10)] if len(imp.hts) >= 10 else []
    if imp.part:
        keys.insert(0, (("P", imp.part, unit), Route.PART))
    elif len(imp.hts) >= 10:
        keys.append((("HN", hts10, unit), Route.SAME_HTS10))
    return keys


def demand_keys(claim: ClaimType, demand: Demand) -> list[tuple[Key, Route]]:
    unit = normalize_unit(demand.unit)
    hts8, hts10 = demand.hts[:8], demand.hts[:10]
    if claim is ClaimType.J2:
        keys: list[tuple[Key, Route]] = [
            (("J8", hts8, unit), Route.HTS8),
            (("J10", hts10, unit), Route.HTS10),
        ]
        sched = demand.export.schedule_b
        if sched:
            keys.append((("S", sched[:8], unit), Route.SCHEDULE_B))
        return keys
    if claim is ClaimType.B:
        return [(("B", hts8, unit), Route.HTS8)]
    if claim is ClaimType.C:
        return [(("C", hts8, demand.part, unit), Route.PART)] if demand.part else []
    if demand.part:
        return [(("P", demand.part, unit), Route.PART), (("HN", hts10, unit), Route.SAME_HTS10)]
    return [(("H", hts10, unit), Route.SAME_HTS10)]


class _Components:
    """Union-find over key ids."""

    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def candidate_arcs(
    claim: ClaimType,
    imports: Sequence[ImportLine],
    demands: Sequence[Demand],
    descriptions: DescriptionSource,
    import_key_fn: Callable[[ClaimType, ImportLine, DescriptionSource],
                            list[tuple[Key, Route]]] = import_keys,
) -> Arcs:
    """Every (import, demand) pair that shares a key and fits the date window."""
    key_ids: dict[Key, int] = {}
    uf = _Components()
    ent_key: list[int] = []
    ent_imp: list[int] = []
    ent_route: list[int] = []
    route_index = {r: n for n, r in enumerate(ROUTES)}
    for n, imp in enumerate(imports):
        first = -1
        for key, route in import_key_fn(claim, imp, descriptions):
            kid = key_ids.get(key)
            if kid is None:
                kid = key_ids[key] = uf.add()
            ent_key.append(kid)
            ent_imp.append(n)
            ent_route.append(route_index[route])
            if first < 0:
                first = kid
            else:
                uf.union(first, kid)
    imp_day = np.fromiter((i.import_date.toordinal() for i in imports), np.int64, len(imports))
    imp_last = np.fromiter(
        (export_deadline(claim, i.import_date).toordinal() for i in imports), np.int64,
        len(imports),
    )
    e_key = np.asarray(ent_key, dtype=np.int64)
    e_imp = np.asarray(ent_imp, dtype=np.int64)
    e_route = np.asarray(ent_route, dtype=np.int64)
    order = np.lexsort((imp_day[e_imp] if len(e_imp) else e_imp, e_key))
    e_key, e_imp, e_route = e_key[order], e_imp[order], e_route[order]
    by_date = e_key * _SHIFT + imp_day[e_imp]
    by_last = e_key * _SHIFT + imp_last[e_imp]

    d_key: list[int] = []
    d_idx: list[int] = []
    for n, demand in enumerate(demands):
        first = -1
        for key, _route in demand_keys(claim, demand):
            kid = key_ids.get(key)
            if kid is None:
                continue
            d_key.append(kid)
            d_idx.append(n)
            if first < 0:
                first = kid
            else:
                uf.union(first, kid)
    dk = np.asarray(d_key, dtype=np.int64)
    di = np.asarray(d_idx, dtype=np.int64)
    use_day = np.fromiter((d.use_date.toordinal() for d in demands), np.int64, len(demands))
    exp_day = np.fromiter(
        (d.export.export_date.toordinal() for d in demands), np.int64, len(demands)
    )
    lo = np.searchsorted(by_last, dk * _SHIFT + exp_day[di], side="left")
    hi = np.searchsorted(by_date, dk * _SHIFT + use_day[di], side="right")
    counts = np.maximum(hi - lo, 0)
    total = int(counts.sum())
    starts = np.repeat(lo, counts)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    pos = starts + offsets
    arc_imp = e_imp[pos]
    arc_dem = np.repeat(di, counts)
    arc_route = e_route[pos]
    # One arc per pair: keep the route listed first in ROUTES (the 8/10-digit standard
    # before Schedule B).
    pair = arc_dem * max(len(imports), 1) + arc_imp
    order = np.lexsort((arc_route, pair))
    pair, arc_imp = pair[order], arc_imp[order]
    arc_dem, arc_route = arc_dem[order], arc_route[order]
    keep = np.ones(len(pair), dtype=bool)
    if len(pair):
        keep[1:] = pair[1:] != pair[:-1]
    arc_imp, arc_dem, arc_route = arc_imp[keep], arc_dem[keep], arc_route[keep]
    roots = np.fromiter((uf.find(k) for k in range(len(uf.parent))), np.int64, len(uf.parent))
    _, comp_of_key = np.unique(roots, return_inverse=True)
    first_key = np.full(len(imports), -1, dtype=np.int64)
    if len(e_imp):
        first_key[e_imp[::-1]] = e_key[::-1]
    component = comp_of_key[first_key[arc_imp]] if len(arc_imp) else arc_imp
    n_comp = int(comp_of_key.max()) + 1 if len(comp_of_key) else 0
    return Arcs(arc_imp, arc_dem, arc_route, component.astype(np.int64), n_comp)


