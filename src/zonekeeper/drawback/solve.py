"""The largest refund: a transportation LP per substitution class, solved exactly by HiGHS.

maximize  sum_a value[a] * x[a]
s.t.      sum_{a from import i} x[a] <= supply[i]     (no import quantity designated twice)
          sum_{a to demand j}   x[a] <= demand[j]     (no more than was exported/used)
          x >= 0
Quantities are scaled to integers (a common power of ten), so the constraint matrix is the
incidence matrix of a bipartite graph (totally unimodular) and the simplex method ends on
an integral vertex: the designations are whole scaled units, exactly. Classes (connected
components of the arc graph) are independent; they are packed into batches of block-diagonal
LPs (up to BATCH_ARCS arcs) to keep the per-call overhead small; a large class is an LP
of its own, since simplex work grows faster than linearly with the LP's size.

Optimality proof: the dual of the LP gives prices u_i, v_j >= 0 with u_i + v_j >= value[a]
on every arc; any such prices bound every feasible designation from above by
sum supply*u + sum demand*v (weak duality). We take HiGHS's duals, repair any float
shortfall on an arc by raising v_j, and report that bound; gap = bound - objective.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BATCH_ARCS = 1_000  # small classes share an LP; a large one is solved alone


@dataclass(frozen=True)
class Solution:
    flow: IntArray  # scaled units on each arc
    objective: float  # sum value * flow
    bound: float  # proven upper bound (weak duality)
    batches: int


def solve_transport(
    supply: IntArray,
    demand: IntArray,
    arc_imp: IntArray,
    arc_dem: IntArray,
    value: FloatArray,
    component: IntArray,
) -> Solution:
    """Maximize the refund over the arcs; see the module docstring."""
    flow = np.zeros(len(arc_imp), dtype=np.int64)
    if len(arc_imp) == 0:
        return Solution(flow, 0.0, 0.0, 0)
    order = np.argsort(component, kind="stable")
    comp_sorted = component[order]
    # Cut points between components, then pack consecutive components into batches.
    cuts = np.flatnonzero(np.diff(comp_sorted)) + 1
    bounds = np.concatenate(([0], cuts, [len(order)]))
    bound_total = 0.0
    batches = 0
    start = 0
    for k in range(1, len(bounds)):
        end = int(bounds[k])
        if end - start < BATCH_ARCS and k < len(bounds) - 1:
            continue
        sel = order[start:end]
        f, b = _solve_batch(supply, demand, arc_imp[sel], arc_dem[sel], value[sel])
        flow[sel] = f
        bound_total += b
        batches += 1
        start = end
    objective = float(np.dot(value, flow))
    return Solution(flow, objective, max(bound_total, objective), batches)


def _solve_batch(
    supply: IntArray, demand: IntArray, a_imp: IntArray, a_dem: IntArray, value: FloatArray
) -> tuple[IntArray, float]:
    imps, li = np.unique(a_imp, return_inverse=True)
    dems, lj = np.unique(a_dem, return_inverse=True)
    n_i, n_j, n = len(imps), len(dems), len(a_imp)
    s = supply[imps].astype(np.float64)
    d = demand[dems].astype(np.float64)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = n_i + n_j
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = value.astype(np.float64)
    lp.col_lower_ = np.zeros(n)
    # No column upper bounds: they are implied by the rows, and leaving them out keeps the
    # whole dual in the row prices (the bound below reads only those).
    lp.col_upper_ = np.full(n, highspy.kHighsInf)
    lp.row_lower_ = np.full(n_i + n_j, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate((s, d))
    index = np.empty(2 * n, dtype=np.int32)
    index[0::2] = li
    index[1::2] = n_i + lj
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, 2 * n + 1, 2, dtype=np.int32)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = np.ones(2 * n)
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", "simplex")
    # Measured on the 100k x 100k bench: primal simplex without presolve is about twice as
    # fast on these transportation LPs (presolve finds little to remove in them).
    h.setOptionValue("presolve", "off")
    h.setOptionValue("simplex_strategy", 4)
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS did not prove optimality: {h.getModelStatus()}")
    sol = h.getSolution()
    x = np.rint(np.asarray(sol.col_value)).astype(np.int64)
    x = np.maximum(x, 0)
    x = _repair(x, li, lj, supply[imps], demand[dems])
    y = np.maximum(np.asarray(sol.row_dual, dtype=np.float64), 0.0)
    u, v = y[:n_i].copy(), y[n_i:].copy()
    short = value - u[li] - v[lj]
    extra = np.zeros(n_j)
    np.maximum.at(extra, lj, short)
    v += np.maximum(extra, 0.0)
    bound = float(np.dot(s, u) + np.dot(d, v))
    return x, bound


def _repair(x: IntArray, li: IntArray, lj: IntArray, s: IntArray, d: IntArray) -> IntArray:
    """Guard against float round-off after rint: never exceed a supply or a demand."""
    for side, cap in ((li, s), (lj, d)):
        used = np.bincount(side, weights=x, minlength=len(cap)).astype(np.int64)
        over = np.flatnonzero(used > cap)
        for node in over:
            excess = int(used[node] - cap[node])
            for a in np.flatnonzero(side == node):
                cut = min(excess, int(x[a]))
                x[a] -= cut
                excess -= cut
                if excess == 0:
                    break
    return x
