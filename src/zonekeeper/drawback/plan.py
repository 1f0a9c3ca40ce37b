"""A drawback plan: which import quantities to designate against which exports, and why.

`build_plan` is the use case's pure core: it prices every import line (amounts), turns
exports into demands (demands), finds candidate pairs (arcs), designates by the optimal LP
(solve) and by FIFO (fifo) for comparison, and checks every designation it returns against
the rules once more (rules.check_pair), keeping the reasons so the claim can be defended.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

import numpy as np

from zonekeeper.drawback.amounts import RATE, LineBasis, line_bases
from zonekeeper.drawback.arcs import ROUTES, candidate_arcs
from zonekeeper.drawback.calendar import claim_deadline
from zonekeeper.drawback.demands import build_demands
from zonekeeper.drawback.fifo import fifo_flow
from zonekeeper.drawback.measures import Component, DefaultPolicy, MeasurePolicy
from zonekeeper.drawback.ports import DescriptionSource, DutyEstimator
from zonekeeper.drawback.records import (
    ClaimType,
    Export,
    ImportLine,
    PriorDesignation,
    ProductionInput,
)
from zonekeeper.drawback.rules import Demand, check_pair
from zonekeeper.drawback.solve import solve_transport
from zonekeeper.errors import InputError, Problem
from zonekeeper.money import CENT, cents

MAX_PLACES = 6
GAP_PLACES = Decimal("0.000001")


class Method(StrEnum):
    OPTIMAL = "optimal"
    FIFO = "fifo"


@dataclass(frozen=True)
class Designation:
    """Import quantity designated against one export (or input use), with its defence."""

    import_entry: str
    import_line: int
    export_ref: str
    quantity: Decimal
    unit: str
    refund: Decimal  # cents
    rule: str  # provision and standard, e.g. '1313(j)(2) hts8'
    import_date: date
    export_date: date
    import_hts: str
    export_hts: str
    refund_per_unit: Decimal
    lesser_of: str
    components: Mapping[str, Decimal]
    reasons: tuple[str, ...]
    production_ref: str | None = None
    disposition: str = "export"


@dataclass(frozen=True)
class Plan:
    claim: ClaimType
    method: Method
    claim_date: date
    refund: Decimal  # sum of the designations' cents
    objective: Decimal  # unrounded optimum (method=optimal) or FIFO total
    optimal_refund: Decimal
    bound: Decimal  # proven upper bound on any plan's refund (LP dual), 6 places
    gap: Decimal  # bound - unrounded optimum
    fifo_refund: Decimal
    designations: tuple[Designation, ...]
    notes: tuple[str, ...]
    unpriced: tuple[str, ...]
    stats: Mapping[str, int] = field(default_factory=dict)

    @property
    def uplift(self) -> Decimal:
        return self.optimal_refund - self.fifo_refund


def _places(q: Decimal) -> int:
    exp = q.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def available_quantities(
    imports: Sequence[ImportLine], prior: Sequence[PriorDesignation]
) -> tuple[dict[tuple[str, int], Decimal], list[str]]:
    """Quantity of each line not yet designated on an earlier claim (190.51(a)(3))."""
    left = {imp.key: imp.quantity for imp in imports}
    problems: list[Problem] = []
    notes: list[str] = []
    for p in prior:
        key = (p.entry_no, p.line)
        if key not in left:
            notes.append(f"prior claim {p.claim_no} designates {p.entry_no} line {p.line}, "
                         "which is not among the imports given")
            continue
        left[key] -= p.quantity
        if left[key] < 0:
            problems.append(Problem(
                f"entry {p.entry_no} line {p.line} designated beyond its quantity across "
                f"claims (over by {-left[key]}; claim {p.claim_no})",
                row=p.row, field="quantity",
            ))
    if problems:
        raise InputError(problems)
    return left, notes


def build_plan(
    claim: ClaimType,
    imports: Sequence[ImportLine],
    exports: Sequence[Export],
    claim_date: date,
    descriptions: DescriptionSource,
    estimator: DutyEstimator | None,
    *,
    method: Method = Method.OPTIMAL,
    policy: MeasurePolicy | None = None,
    prior: Sequence[PriorDesignation] = (),
    production: Sequence[ProductionInput] = (),
) -> Plan:
    """The plan for `claim` filed on `claim_date` (see the module docstring)."""
    policy = policy or DefaultPolicy()
    left, notes = available_quantities(imports, prior)
    bases = line_bases(imports, claim, policy)
    usable: list[ImportLine] = []
    closed = nothing = 0
    for imp in imports:
        if claim_date > claim_deadline(imp.import_date):
            closed += 1
        elif bases[imp.key].refund_per_unit <= 0 or left[imp.key] <= 0:
            nothing += 1
        else:
            usable.append(imp)
    if closed:
        notes.append(f"{closed} import line(s) past the 5-year claim window on {claim_date} "
                     "(190.51(e)): not designated")
    if nothing:
        notes.append(f"{nothing} import line(s) with no refundable amount or no quantity left")
    built = build_demands(claim, exports, imports, production, estimator)
    notes.extend(built.notes)
    demands: list[Demand] = []
    unpriced: list[str] = []
    late = 0
    for d in built.demands:
        if d.export.export_date > claim_date:
            late += 1
        elif not d.priced:
            unpriced.append(f"export {d.export.export_ref}"
                            + (f" input {d.part or d.hts}" if d.production_ref else "")
                            + f": {d.cap_reason}; not designated (conservative)")
        elif d.quantity > 0:
            demands.append(d)
    if late:
        notes.append(f"{late} export(s) after the claim date {claim_date}: a claim covers "
                     "exports made before it is filed (190.32(a))")

    places = min(MAX_PLACES, max(
        [_places(left[i.key]) for i in usable] + [_places(d.quantity) for d in demands] + [0]
    ))
    scale = 10**places
    if any(_places(d.quantity) > MAX_PLACES for d in demands):
        notes.append(f"input quantities rounded down to {MAX_PLACES} decimals")
    supply = np.fromiter((_scaled(left[i.key], scale) for i in usable), np.int64, len(usable))
    need = np.fromiter((_scaled(d.quantity, scale) for d in demands), np.int64, len(demands))
    arcs = candidate_arcs(claim, usable, demands, descriptions)
    imp_pu = [bases[i.key].refund_per_unit for i in usable]
    caps = [d.cap_per_unit for d in demands]
    v_imp = np.asarray([float(x) / scale for x in imp_pu], dtype=np.float64)
    v_cap = np.asarray([np.inf if c is None else float(c) / scale for c in caps], np.float64)
    value = np.minimum(v_imp[arcs.imp], v_cap[arcs.dem]) if len(arcs.imp) else np.zeros(0)
    solution = solve_transport(supply, need, arcs.imp, arcs.dem, value, arcs.component)
    imp_rank = _ranks([(i.import_date, i.entry_no, i.line) for i in usable])
    dem_rank = _ranks([(d.export.export_date, d.export.export_ref, d.id) for d in demands])
    fifo = fifo_flow(supply, need, arcs.imp, arcs.dem, imp_rank, dem_rank)

    def designate(flow: np.ndarray) -> tuple[list[Designation], Decimal]:
        out: list[Designation] = []
        exact = Decimal(0)
        for a in np.flatnonzero(flow):
            imp = usable[int(arcs.imp[a])]
            dem = demands[int(arcs.dem[a])]
            qty = Decimal(int(flow[a])) / scale
            d, unrounded = _designation(
                claim, imp, dem, qty, bases[imp.key], ROUTES[int(arcs.route[a])].value,
                descriptions, claim_date,
            )
            out.append(d)
            exact += unrounded
        out.sort(key=lambda d: (d.export_date, d.export_ref, d.import_date, d.import_entry,
                                d.import_line))
        return out, exact

    opt, opt_exact = designate(solution.flow)
    fifo_d, fifo_exact = designate(fifo)
    opt_refund = sum((d.refund for d in opt), Decimal(0))
    fifo_refund = sum((d.refund for d in fifo_d), Decimal(0))
    # The dual bound is a float sum; six places keep it honest without float noise.
    bound = max(opt_exact, Decimal(repr(solution.bound))).quantize(GAP_PLACES, ROUND_HALF_UP)
    gap = max(Decimal(0), bound - opt_exact).quantize(GAP_PLACES)
    chosen, exact = (opt, opt_exact) if method is Method.OPTIMAL else (fifo_d, fifo_exact)
    notes.append(f"per-unit averaging and 99% of eligible duties, taxes and fees "
                 f"(190.51(b)); claim date {claim_date}")
    return Plan(
        claim=claim, method=method, claim_date=claim_date,
        refund=sum((d.refund for d in chosen), Decimal(0)), objective=exact,
        optimal_refund=opt_refund, bound=bound, gap=gap,
        fifo_refund=fifo_refund, designations=tuple(chosen), notes=tuple(notes),
        unpriced=tuple(unpriced),
        stats={"imports": len(imports), "usable_imports": len(usable),
               "exports": len(exports), "demands": len(demands), "arcs": len(arcs.imp),
               "classes": arcs.n_components, "lp_batches": solution.batches,
               "quantity_scale": scale},
    )


def _scaled(q: Decimal, scale: int) -> int:
    return int((q * scale).to_integral_value(rounding=ROUND_FLOOR))


def _ranks(keys: Sequence[tuple[object, ...]]) -> np.ndarray:
    order = sorted(range(len(keys)), key=lambda n: keys[n])
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys), dtype=np.int64)
    return rank


def _designation(
    claim: ClaimType,
    imp: ImportLine,
    dem: Demand,
    qty: Decimal,
    basis: LineBasis,
    route: str,
    descriptions: DescriptionSource,
    claim_date: date,
) -> tuple[Designation, Decimal]:
    verdict = check_pair(claim, imp, dem, descriptions, claim_date)
    if not verdict.ok:
        raise AssertionError(f"designation fails the rules: {verdict.reasons}")
    own = basis.refund_per_unit
    per_unit = own
    lesser = "direct identification: 99% of duties, taxes and fees paid (190.51(b)(1)(i))"
    if dem.cap_per_unit is not None:
        if dem.cap_per_unit < own:
            per_unit = dem.cap_per_unit
            lesser = f"limited by {dem.cap_reason}"
        else:
            lesser = (f"duty paid on the import is the lesser; limit was {dem.cap_reason}")
    unrounded = qty * per_unit
    refund = cents(unrounded)
    return Designation(
        import_entry=imp.entry_no, import_line=imp.line, export_ref=dem.export.export_ref,
        quantity=qty, unit=imp.unit, refund=refund, rule=f"{claim.provision} {route}",
        import_date=imp.import_date, export_date=dem.export.export_date,
        import_hts=imp.hts, export_hts=dem.hts, refund_per_unit=per_unit, lesser_of=lesser,
        components=_components(basis, qty, per_unit / own if own else Decimal(0), refund),
        reasons=verdict.reasons, production_ref=dem.production_ref,
        disposition=dem.export.disposition.value,
    ), unrounded


def _components(
    basis: LineBasis, qty: Decimal, factor: Decimal, refund: Decimal
) -> dict[str, Decimal]:
    """Refund per duty/tax/fee (190.51(a)(2)(vii)); cents that sum to the refund."""
    raw: dict[str, Decimal] = defaultdict(Decimal)
    q_line = basis.line.quantity
    for paid in basis.paid:
        if not paid.eligible:
            continue
        if paid.component is Component.MPF:
            per_unit = (paid.amount * RATE / q_line).quantize(CENT, rounding=ROUND_HALF_UP)
        else:
            per_unit = RATE * paid.amount / q_line
        raw[paid.component.value] += per_unit * qty * factor
    out = {k: cents(v) for k, v in raw.items()}
    residual = refund - sum(out.values(), Decimal(0))
    if out and residual:
        biggest = max(out, key=lambda k: out[k])
        out[biggest] += residual
    return out
