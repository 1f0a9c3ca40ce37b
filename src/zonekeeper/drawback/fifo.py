"""The common practice the optimizer is compared with: FIFO designation.

Exports (demands) in export-date order; each takes the earliest eligible import first
(import date, then entry and line), as much as is left, until it is covered. The same
candidate arcs as the optimizer, so the FIFO plan is feasible for the same rules and its
refund can never exceed the optimum.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def fifo_flow(
    supply: IntArray,
    demand: IntArray,
    arc_imp: IntArray,
    arc_dem: IntArray,
    import_rank: IntArray,
    demand_rank: IntArray,
) -> IntArray:
    """Scaled units on each arc under FIFO; ranks give the date orders."""
    flow = np.zeros(len(arc_imp), dtype=np.int64)
    if len(arc_imp) == 0:
        return flow
    order = np.lexsort((import_rank[arc_imp], demand_rank[arc_dem]))
    left_i = supply.tolist()
    left_d = demand.tolist()
    imps = arc_imp[order].tolist()
    dems = arc_dem[order].tolist()
    out = [0] * len(order)
    for n, (i, j) in enumerate(zip(imps, dems, strict=True)):
        need = left_d[j]
        if need == 0:
            continue
        have = left_i[i]
        if have == 0:
            continue
        take = need if need < have else have
        out[n] = take
        left_i[i] = have - take
        left_d[j] = need - take
    flow[order] = np.asarray(out, dtype=np.int64)
    return flow
