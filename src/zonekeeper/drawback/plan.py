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
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from zonekeeper.drawback.amounts import (
    Allowed,
    LineBasis,
    component_refunds,
    line_bases,
    refund_ceiling,
)
from zonekeeper.drawback.arcs import ROUTES, Arcs, candidate_arcs
from zonekeeper.drawback.calendar import claim_deadline
from zonekeeper.drawback.demands import build_demands
from zonekeeper.drawback.fifo import fifo_flow
from zonekeeper.drawback.measures import DefaultPolicy, DutyClass, MeasurePolicy
from zonekeeper.drawback.ports import DescriptionSource, DutyEstimator
from zonekeeper.drawback.records import (
    ClaimType,
    Export,
    ImportLine,
    PriorDesignation,
    ProductionInput,
)
from zonekeeper.drawback.rules import Demand, J2Standard, check_pair, j2_standard
from zonekeeper.drawback.solve import solve_transport
from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.money import CENT, in_money_context

MAX_PLACES = 6
FLOW_LIMIT = 2**62
"""Quantities in the solver are int64 counts: totals stay below this, with room for sums."""
GAP_PLACES = Decimal("0.000001")
_ZERO = Decimal(0)


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
    # What the plan says beside its figures: warnings, each with a stable code a client may
    # act on (docs/problems.md, `drawback.plan.*`), the message for people.
    notes: tuple[Problem, ...]
    unpriced: tuple[str, ...]
    stats: Mapping[str, int] = field(default_factory=dict)
    # Export (or input) quantity left without a designation, each with the reason.
    not_designated: tuple[str, ...] = ()
    # What the designations may not exceed, so the plan file can be re-checked on its own
    # (190.51(a)(3): an import quantity is designated once): the quantity each designated
    # import line had left after earlier claims, and each designated demand's quantity by
    # `demand_key`.
    available: Mapping[tuple[str, int], Decimal] = field(default_factory=dict)
    demand_quantity: Mapping[tuple[str, str, str], Decimal] = field(default_factory=dict)

    @property
    @in_money_context
    def uplift(self) -> Decimal:
        return self.optimal_refund - self.fifo_refund


def demand_key(export_ref: str, production_ref: str | None, hts: str) -> tuple[str, str, str]:
    """A designation's demand: the export, and for manufacturing the run and input code."""
    return (export_ref, production_ref or "", hts)


def _places(q: Decimal) -> int:
    exp = q.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def available_quantities(
    imports: Sequence[ImportLine], prior: Sequence[PriorDesignation]
) -> tuple[dict[tuple[str, int], Decimal], list[Problem]]:
    """Quantity of each line not yet designated on an earlier claim (190.51(a)(3))."""
    left = {imp.key: imp.quantity for imp in imports}
    problems: list[Problem] = []
    notes: list[Problem] = []
    for p in prior:
        key = (p.entry_no, p.line)
        if key not in left:
            notes.append(Problem(f"prior claim {p.claim_no} designates {p.entry_no} line "
                                 f"{p.line}, which is not among the imports given",
                                 code="drawback.plan.prior-unknown-line", severity="warning"))
            continue
        left[key] -= p.quantity
        if left[key] < 0:
            problems.append(Problem(
                f"entry {p.entry_no} line {p.line} designated beyond its quantity across "
                f"claims (over by {-left[key]}; claim {p.claim_no})",
                row=p.row, field="quantity", code="drawback.claimed.over-designated",
            ))
    if problems:
        raise InputError(problems)
    return left, notes


@dataclass(frozen=True)
class DesignationProblem:
    """The designation problem in arrays: what the optimizer and FIFO both work on."""

    claim: ClaimType
    claim_date: date
    usable: list[ImportLine]
    demands: list[Demand]
    bases: Mapping[tuple[str, int], LineBasis]
    scale: int
    supply: npt.NDArray[np.int64]
    need: npt.NDArray[np.int64]
    arcs: Arcs
    value: npt.NDArray[np.float64]
    notes: list[Problem]
    unpriced: list[str]
    refused: list[str] = field(default_factory=list)  # unpriced, but the rules refuse first
    left: Mapping[tuple[str, int], Decimal] = field(default_factory=dict)  # after prior claims
    # Each arc's limits and (arc, scaled quantity)'s components, computed once for the
    # totals of both flows and the designations.
    memo: dict[object, object] = field(default_factory=dict, repr=False, compare=False)


def prepare(
    claim: ClaimType,
    imports: Sequence[ImportLine],
    exports: Sequence[Export],
    claim_date: date,
    descriptions: DescriptionSource,
    estimator: DutyEstimator | None,
    *,
    policy: MeasurePolicy | None = None,
    prior: Sequence[PriorDesignation] = (),
    production: Sequence[ProductionInput] = (),
) -> DesignationProblem:
    """Price the imports, build the demands and the candidate arcs with their values."""
    policy = policy or DefaultPolicy()
    left, notes = available_quantities(imports, prior)
    bases = line_bases(imports, claim, policy)
    other_basis = _lines_on_other_basis(claim, prior)
    usable: list[ImportLine] = []
    closed = nothing = split = 0
    for imp in imports:
        if claim_date > claim_deadline(imp.import_date):
            closed += 1
        elif imp.key in other_basis:
            split += 1
        elif bases[imp.key].refund_per_unit <= 0 or left[imp.key] <= 0:
            nothing += 1
        else:
            usable.append(imp)
    if closed:
        notes.append(Problem(f"{closed} import line(s) past the 5-year claim window on "
                             f"{claim_date} (190.51(e)): not designated",
                             code="drawback.plan.window-closed", severity="warning"))
    if nothing:
        notes.append(Problem(f"{nothing} import line(s) with no refundable amount or no "
                             "quantity left", code="drawback.plan.nothing-left",
                             severity="warning"))
    if split:
        notes.append(Problem(
            f"{split} import line(s) already designated on a "
            f"{'direct identification' if claim.substitution else 'substitution'} "
            "claim: the rest of such a line stays on that basis (190.51(a)(3))",
            code="drawback.plan.other-basis", severity="warning"))
    built = build_demands(claim, exports, imports, production, estimator)
    notes.extend(built.notes)
    demands: list[Demand] = []
    unpriced: list[str] = []
    refused: list[str] = []
    by_heading: dict[str, list[ImportLine]] | None = None  # sorted when first needed
    late = 0
    for d in built.demands:
        if d.export.export_date > claim_date:
            late += 1
        elif d.refusal is not None:
            what = f"export {d.export.export_ref}" + (
                f" input {d.part or d.hts}" if d.production_ref else "")
            refused.append(f"{what}: {d.quantity} {d.unit} without a designation: {d.refusal}")
        elif not d.priced:
            what = f"export {d.export.export_ref}" + (
                f" input {d.part or d.hts}" if d.production_ref else "")
            # The rules first: an export no import could serve is explained by the rules
            # (e.g. exported before every import), not by a limit that cannot be priced.
            if by_heading is None:
                by_heading = _by_heading(imports)
            rule = _refused_by_rules(claim, d, by_heading, descriptions, claim_date)
            if rule is not None:
                refused.append(f"{what}: {d.quantity} {d.unit} without a designation: {rule} "
                               f"(also: {d.cap_reason})")
            else:
                unpriced.append(f"{what}: {d.cap_reason}; not designated (conservative)")
        elif d.quantity > 0:
            demands.append(d)
    if late:
        notes.append(Problem(f"{late} export(s) after the claim date {claim_date}: a claim "
                             "covers exports made before it is filed (190.32(a))",
                             code="drawback.plan.export-after-claim-date",
                             severity="warning"))

    places = min(MAX_PLACES, max(
        [_places(left[i.key]) for i in usable] + [_places(d.quantity) for d in demands] + [0]
    ))
    # The solver counts in int64 units of 10^-places: fewer decimals for huge quantities
    # (a quadrillion to six places does not fit), and none at all if even that overflows.
    total = max(sum((left[i.key] for i in usable), Decimal(0)),
                sum((d.quantity for d in demands), Decimal(0)))
    while places > 0 and total * 10**places >= FLOW_LIMIT:
        places -= 1
    if total >= FLOW_LIMIT:
        raise CannotCompute(
            f"the quantities add up to {total:,}: more than a plan can count "
            f"({FLOW_LIMIT:,} units); split the claim"
        )
    scale = 10**places
    if any(_places(d.quantity) > places for d in demands):
        notes.append(Problem(f"input quantities rounded down to {places} decimals",
                             code="drawback.plan.quantities-rounded", severity="warning"))
    supply = np.fromiter((_scaled(left[i.key], scale) for i in usable), np.int64, len(usable))
    need = np.fromiter((_scaled(d.quantity, scale) for d in demands), np.int64, len(demands))
    arcs = candidate_arcs(claim, usable, demands, descriptions)
    value = arc_values(usable, demands, bases, arcs, scale)
    return DesignationProblem(claim, claim_date, usable, demands, bases, scale, supply, need, arcs,
                   value, notes, unpriced, refused, left)


def arc_values(
    usable: Sequence[ImportLine],
    demands: Sequence[Demand],
    bases: Mapping[tuple[str, int], LineBasis],
    arcs: Arcs,
    scale: int,
) -> npt.NDArray[np.float64]:
    """The LP's value of one scaled unit on each arc: `allowance(...).per_unit` in floats.

    Per duty class the lesser of the import's refund per unit and the demand's limit
    (190.32(b), 190.22(a)(1)(ii), each class on its own: 190.51(b)(2)(v), (b)(4)), summed,
    then at most the demand's USMCA limit (19 U.S.C. 4534; 19 CFR 182.44).
    """
    if not len(arcs.imp):
        return np.zeros(0)
    value = np.zeros(len(arcs.imp))
    for cls in DutyClass:
        v_imp = np.fromiter((float(bases[i.key].refund_by_class.get(cls, 0)) / scale
                             for i in usable), np.float64, len(usable))
        v_cap = np.fromiter((np.inf if d.cap_by_class is None
                             else float(d.cap_by_class.get(cls, 0)) / scale
                             for d in demands), np.float64, len(demands))
        value += np.minimum(v_imp[arcs.imp], v_cap[arcs.dem])
    v_foreign = np.fromiter((np.inf if d.foreign_cap is None else float(d.foreign_cap) / scale
                             for d in demands), np.float64, len(demands))
    return np.minimum(value, v_foreign[arcs.dem])


def allowance(basis: LineBasis, demand: Demand) -> Allowed:
    """What one unit of `basis`'s line designated against `demand` may refund (exact).

    Each duty class: the lesser of the line's refund per unit and the demand's limit for
    that class (190.32(b)(1), 190.22(a)(1)(ii)(A); 190.51(b)(2)(v), (b)(4)); a class the
    exported article would not owe refunds nothing. The whole: at most the demand's USMCA
    limit (19 U.S.C. 4534; 19 CFR 182.44).
    """
    own = basis.refund_by_class
    if demand.cap_by_class is None:
        if demand.foreign_cap is None:
            return basis.own
        by_class = dict(own)
    else:
        cap = demand.cap_by_class
        if demand.foreign_cap is None and all(
                amount <= cap.get(cls, _ZERO) for cls, amount in own.items()):
            return basis.own  # the import is the lesser in every class: its own figures
        by_class = {cls: min(amount, cap.get(cls, _ZERO)) for cls, amount in own.items()}
    return Allowed(by_class, demand.foreign_cap)


def _by_heading(imports: Sequence[ImportLine]) -> dict[str, list[ImportLine]]:
    """Imports by 8-digit subheading, each list in date order."""
    out: dict[str, list[ImportLine]] = defaultdict(list)
    for imp in sorted(imports, key=lambda i: (i.import_date, i.entry_no, i.line)):
        out[imp.hts[:8]].append(imp)
    return out


def _refused_by_rules(
    claim: ClaimType,
    demand: Demand,
    by_heading: Mapping[str, Sequence[ImportLine]],
    descriptions: DescriptionSource,
    claim_date: date,
    limit: int = 50,
) -> str | None:
    """Why no import could be designated against `demand` by the rules, price aside.

    None when some import of its subheading (or of its Schedule B's first 8 digits) passes
    `check_pair`; else the reason, the date order first (190.22(a)(1)(i), 190.32(a): the
    use or export comes after importation). At most `limit` imports are tried.
    """
    codes = {demand.hts[:8]}
    if claim is ClaimType.J2 and demand.export.schedule_b:
        codes.add(demand.export.schedule_b[:8])
    near = [imp for code in sorted(codes) for imp in by_heading.get(code, ())]
    if not near:
        return f"no import line in subheading {demand.hts[:8]}"
    before = [imp for imp in near if imp.import_date <= demand.use_date]
    if not before:
        first = min(imp.import_date for imp in near)
        verb = "used" if claim.manufacturing else "exported"
        return (f"{verb} {demand.use_date} before every import of subheading "
                f"{'/'.join(sorted(codes))} (earliest {first}): no import to designate")
    tried = sorted(before, key=lambda i: i.import_date, reverse=True)[:limit]
    verdicts = [check_pair(claim, imp, demand, descriptions, claim_date) for imp in tried]
    if any(v.ok for v in verdicts) or len(before) > limit:
        return None
    imp = tried[0]
    return f"import {imp.entry_no} line {imp.line}: " + "; ".join(verdicts[0].failures)


def _lines_on_other_basis(
    claim: ClaimType, prior: Sequence[PriorDesignation]
) -> set[tuple[str, int]]:
    """Lines a prior claim designated on the other basis (direct ID vs substitution).

    190.51(a)(3): the first accepted claim designating a line fixes its basis for the rest.
    """
    return {(p.entry_no, p.line) for p in prior
            if p.claim_type is not None and p.claim_type.substitution != claim.substitution}


def fifo_ranks(problem: DesignationProblem) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Date orders for FIFO: imports by (date, entry, line); exports by (date, ref)."""
    imp_rank = _ranks([(i.import_date, i.entry_no, i.line) for i in problem.usable])
    dem_rank = _ranks([(d.export.export_date, d.export.export_ref, d.id)
                       for d in problem.demands])
    return imp_rank, dem_rank


@in_money_context
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
    problem = prepare(claim, imports, exports, claim_date, descriptions, estimator,
                      policy=policy, prior=prior, production=production)
    arcs = problem.arcs
    solution = solve_transport(problem.supply, problem.need, arcs.imp, arcs.dem, problem.value,
                               arcs.component)
    fifo = fifo_flow(problem.supply, problem.need, arcs.imp, arcs.dem, *fifo_ranks(problem))
    # Only the chosen flow's arcs are kept for its designations (memory: the other flow's
    # would be computed for nothing).
    opt_refund, opt_exact = _totals(problem, solution.flow, keep=method is Method.OPTIMAL)
    fifo_refund, fifo_exact = _totals(problem, fifo, keep=method is Method.FIFO)
    chosen_flow = solution.flow if method is Method.OPTIMAL else fifo
    chosen = _designations(problem, chosen_flow, descriptions)
    problem.memo.clear()
    # The dual bound is a float sum; six places keep it honest without float noise.
    bound = max(opt_exact, Decimal(repr(solution.bound))).quantize(GAP_PLACES, ROUND_HALF_UP)
    gap = max(Decimal(0), bound - opt_exact).quantize(GAP_PLACES)
    notes = problem.notes + [Problem(
        f"per-unit averaging and 99% of eligible duties, taxes and fees (190.51(b)); each "
        f"designation's refund per duty, tax and fee rounded down to the cent so none "
        f"exceeds 99% (190.51(b)(1)), its refund their sum; claim date {claim_date}",
        code="drawback.plan.basis", severity="warning")]
    notes += usmca_notes(problem.demands, chosen)
    missing = problem.refused + not_designated(problem, chosen_flow, imports, descriptions)
    return Plan(
        claim=claim, method=method, claim_date=claim_date,
        refund=sum((d.refund for d in chosen), Decimal(0)),
        objective=opt_exact if method is Method.OPTIMAL else fifo_exact,
        optimal_refund=opt_refund, bound=bound, gap=gap,
        fifo_refund=fifo_refund, designations=tuple(chosen), notes=tuple(notes),
        unpriced=tuple(problem.unpriced),
        stats={"imports": len(imports), "usable_imports": len(problem.usable),
               "exports": len(exports), "demands": len(problem.demands),
               "arcs": len(arcs.imp), "classes": arcs.n_components,
               "lp_batches": solution.batches, "quantity_scale": problem.scale},
        not_designated=tuple(missing),
        available={key: problem.left[key]
                   for key in sorted({(d.import_entry, d.import_line) for d in chosen})},
        demand_quantity=_demand_quantities(problem.demands, chosen),
    )


def usmca_notes(demands: Sequence[Demand], chosen: Sequence[Designation]) -> list[Problem]:
    """A note when designations cover exports to Canada or Mexico: those are USMCA drawback
    claims (19 CFR part 182 subpart E), filed apart from the part 190 claim (190.0a) and
    with the foreign entry's number, date, classification, duty and exchange rate
    (190.51(a)(2)(xv)), which the claim files written here do not carry."""
    usmca = {d.export.export_ref for d in demands if d.export.usmca}
    refs = sorted(usmca & {d.export_ref for d in chosen})
    if not refs:
        return []
    return [Problem(f"export(s) {', '.join(refs)} went to Canada or Mexico: claim them apart "
                    "from the others, as USMCA drawback (19 CFR part 182 subpart E; 190.0a), "
                    "with the foreign entry number and date, its classification, the duty "
                    "paid and the exchange rate (190.51(a)(2)(xv))",
                    code="drawback.plan.usmca", severity="warning")]


def _demand_quantities(
    demands: Sequence[Demand], chosen: Sequence[Designation]
) -> dict[tuple[str, str, str], Decimal]:
    """The quantity of each designated demand (summed when two demands share a key)."""
    used = {demand_key(d.export_ref, d.production_ref, d.export_hts) for d in chosen}
    out: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for dem in demands:
        key = demand_key(dem.export.export_ref, dem.production_ref, dem.hts)
        if key in used:
            out[key] += dem.quantity
    return dict(sorted(out.items()))


def not_designated(
    problem: DesignationProblem,
    flow: npt.NDArray[np.int64],
    imports: Sequence[ImportLine],
    descriptions: DescriptionSource,
) -> list[str]:
    """Why each demand keeps quantity no import covers, so the user can act on it.

    A demand with candidate imports lost out to other demands or ran the imports dry; one
    without any is explained by the rules (`check_pair`) against an import of the same
    8-digit subheading, or by the absence of any such import.
    """
    arcs, demands = problem.arcs, problem.demands
    served = np.zeros(len(demands), dtype=np.int64)
    np.add.at(served, arcs.dem, flow)
    has_candidates = np.zeros(len(demands), dtype=bool)
    has_candidates[arcs.dem] = True
    by_heading: dict[str, list[ImportLine]] = defaultdict(list)
    for imp in imports:
        by_heading[imp.hts[:8]].append(imp)
    usable = {imp.key for imp in problem.usable}
    out: list[str] = []
    for n, demand in enumerate(demands):
        short = int(problem.need[n] - served[n])
        if short <= 0:
            continue
        what = f"export {demand.export.export_ref}" + (
            f" input {demand.part or demand.hts}" if demand.production_ref else "")
        left = f"{Decimal(short) / problem.scale} {demand.unit}"
        if has_candidates[n]:
            why = "every import that qualifies is designated against other exports or used up"
        else:
            why = _why_no_import(problem, demand, by_heading.get(demand.hts[:8], []), usable,
                                 descriptions)
        out.append(f"{what}: {left} without a designation: {why}")
    return out


def _why_no_import(
    problem: DesignationProblem,
    demand: Demand,
    near: Sequence[ImportLine],
    usable: set[tuple[str, int]],
    descriptions: DescriptionSource,
) -> str:
    if not near:
        return f"no import line in subheading {demand.hts[:8]}"
    imp = min(near, key=lambda i: abs((i.import_date - demand.use_date).days))
    verdict = check_pair(problem.claim, imp, demand, descriptions, problem.claim_date)
    named = f"import {imp.entry_no} line {imp.line}"
    if verdict.failures:
        return f"{named}: " + "; ".join(verdict.failures)
    if imp.key not in usable:
        return f"{named} has no refundable amount or quantity left (see notes)"
    return f"{named} qualifies but has no candidate arc (report this as a bug)"


def _flow_arcs(flow: npt.NDArray[np.int64]) -> list[tuple[int, int]]:
    """(arc, scaled units) of every arc `flow` uses, in arc order, as Python ints (a plan
    reads them three times for each of its hundred thousand designations)."""
    used = np.flatnonzero(flow)
    return list(zip(used.tolist(), flow[used].tolist(), strict=True))


def _per_unit(
    problem: DesignationProblem, a: int, keep: bool = True
) -> tuple[ImportLine, Demand, Allowed]:
    imp = problem.usable[int(problem.arcs.imp[a])]
    dem = problem.demands[int(problem.arcs.dem[a])]
    allowed = problem.memo.get(a)
    if not isinstance(allowed, Allowed):
        allowed = allowance(problem.bases[imp.key], dem)
        if keep:
            problem.memo[a] = allowed
    return imp, dem, allowed


def _components(
    problem: DesignationProblem, a: int, scaled: int, basis: LineBasis, allowed: Allowed,
    keep: bool = True,
) -> dict[str, Decimal]:
    """`refund_components` of `scaled` units on arc `a`, computed once per plan (kept only
    for the flow whose designations are written: `keep`)."""
    key = (a, scaled)
    got = problem.memo.get(key)
    if not isinstance(got, dict):
        got = refund_components(basis, Decimal(scaled) / problem.scale, allowed)
        if keep:
            problem.memo[key] = got
    return got


def _totals(
    problem: DesignationProblem, flow: npt.NDArray[np.int64], keep: bool = True
) -> tuple[Decimal, Decimal]:
    """(sum of the designations' refunds in cents, unrounded sum) of a flow.

    The first is what the designations claim (each the sum of its components rounded down,
    `refund_components`); the second is the LP's objective, quantity x refund per unit
    unrounded. The first never exceeds the second (by less than a cent per component).
    """
    rounded = exact = Decimal(0)
    for a, scaled in _flow_arcs(flow):
        imp, _, allowed = _per_unit(problem, a, keep)
        qty = Decimal(scaled) / problem.scale
        exact += qty * allowed.per_unit
        parts = _components(problem, a, scaled, problem.bases[imp.key], allowed, keep)
        rounded += sum(parts.values(), Decimal(0))
    return rounded, exact


def _designations(
    problem: DesignationProblem, flow: npt.NDArray[np.int64], descriptions: DescriptionSource
) -> list[Designation]:
    out: list[Designation] = []
    # 1313(j)(2)'s standard of each import line (190.2), read once per line rather than
    # once per designation: it depends on the line and the schedule only.
    standards: dict[int, J2Standard] = {}
    j2 = problem.claim is ClaimType.J2
    for a, scaled in _flow_arcs(flow):
        imp, dem, allowed = _per_unit(problem, a)
        qty = Decimal(scaled) / problem.scale
        basis = problem.bases[imp.key]
        parts = _components(problem, a, scaled, basis, allowed)
        standard = None
        if j2:
            i = int(problem.arcs.imp[a])
            standard = standards.get(i)
            if standard is None:
                standard = standards[i] = j2_standard(imp, descriptions)
        out.append(_designation(
            problem.claim, imp, dem, qty, allowed, parts, basis,
            ROUTES[int(problem.arcs.route[a])].value, descriptions, problem.claim_date,
            standard,
        ))
    out.sort(key=lambda d: (d.export_date, d.export_ref, d.import_date, d.import_entry,
                            d.import_line))
    return out


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
    allowed: Allowed,
    components: dict[str, Decimal],
    basis: LineBasis,
    route: str,
    descriptions: DescriptionSource,
    claim_date: date,
    standard: J2Standard | None = None,
) -> Designation:
    verdict = check_pair(claim, imp, dem, descriptions, claim_date, standard=standard)
    if not verdict.ok:
        raise AssertionError(f"designation fails the rules: {verdict.reasons}")
    per_unit = allowed.per_unit
    return Designation(
        import_entry=imp.entry_no, import_line=imp.line, export_ref=dem.export.export_ref,
        quantity=qty, unit=imp.unit, refund=sum(components.values(), Decimal(0)),
        rule=f"{claim.provision} {route}",
        import_date=imp.import_date, export_date=dem.export.export_date,
        import_hts=imp.hts, export_hts=dem.hts, refund_per_unit=per_unit,
        lesser_of=lesser_of_text(basis, dem, allowed),
        components=components,
        reasons=verdict.reasons, production_ref=dem.production_ref,
        disposition=dem.export.disposition.value,
    )


def lesser_of_text(basis: LineBasis, dem: Demand, allowed: Allowed) -> str:
    """The designation's limits in words: per duty class which side was the lesser, and
    the USMCA limit when there is one."""
    if dem.cap_by_class is None:
        text = "direct identification: 99% of duties, taxes and fees paid (190.51(b)(1)(i))"
        extra = dem.cap_reason.partition("; ")[2]
        if extra:
            text += f"; {extra}"
    else:
        limited = [cls.value for cls, amount in basis.refund_by_class.items()
                   if allowed.by_class.get(cls, Decimal(0)) < amount]
        if limited:
            text = (f"limited by {dem.cap_reason}; the exported side is the lesser for "
                    f"{', '.join(limited)}")
        else:
            text = f"duty paid on the import is the lesser; limit was {dem.cap_reason}"
    if dem.foreign_cap is not None:
        if allowed.capped:
            text += (f"; the USMCA limit binds: {dem.foreign_cap} a unit, against "
                     f"{allowed.classes_total} otherwise")
        else:
            text += f"; below the USMCA limit of {dem.foreign_cap} a unit"
    return text


def designation_refund(basis: LineBasis, qty: Decimal, allowed: Allowed | None = None) -> Decimal:
    """What a designation of `qty` units within `allowed` claims: its components, each
    rounded down to the cent, summed (`refund_components`)."""
    return sum(refund_components(basis, qty, allowed).values(), Decimal(0))


def refund_components(
    basis: LineBasis, qty: Decimal, allowed: Allowed | None = None
) -> dict[str, Decimal]:
    """Refund per duty, tax and fee of `qty` units within `allowed` (190.51(a)(2)(vii)).

    Each eligible component's share of `qty` (99% of what the line paid for it per unit,
    190.51(b)(1); MPF at its per-unit figure of 190.51(b)(2)(iv)), scaled by its duty
    class's limit / the line's own refund per unit in that class (the lesser-of compares
    each class with itself, 190.51(b)(2)(v), (b)(4)) and by a USMCA limit when it binds, is
    rounded **down** to the cent, so no component exceeds 99% of what was paid for it; the
    designation's refund is the sum of the components. That sum is at most quantity x the
    allowed per unit rounded down to the cent (if Decimal's last digit ever made it more,
    the excess cents come off the largest component, which only lowers it) and falls short
    of it by less than a cent a component.

    E.g. 250 of 400 units, 301 duty 28,000.00, HMF 140.00, MPF share 457.25: 301
    0.99 x 28,000 x 250/400 = 17,325.00; HMF 0.99 x 140 x 250/400 = 86.625 -> 86.62; MPF
    1.13 x 250 = 282.50 (452.6775/400 = 1.1317 -> 1.13); refund 17,694.12.
    """
    per_unit = basis.refund_per_unit if allowed is None else allowed.per_unit
    raw = component_refunds(basis, qty, allowed)
    out = {k: v.quantize(CENT, rounding=ROUND_DOWN) for k, v in raw.items()}
    excess = sum(out.values(), Decimal(0)) - refund_ceiling(qty, per_unit)
    while excess > 0:
        biggest = max(out, key=lambda k: out[k])
        take = min(excess, out[biggest])
        out[biggest] -= take
        excess -= take
    return out
