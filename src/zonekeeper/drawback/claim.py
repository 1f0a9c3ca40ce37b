"""A drawback claim from a plan: the data content of the drawback entry (19 CFR 190.51(a)(2)).

The header carries the claimant, port, provision, the refund claimed per duty, tax and fee
(190.51(a)(2)(vii), two decimals) and the certifications the provision requires; one line
per designation carries the import entry and line, 10-digit HTS, quantity and unit, the
export identifier, date and classification, the refund and the basis of eligibility
(190.51(a)(2)(viii), (xi), (xii)). The import tracing number (ITIN) ties each import line
to the exports it is designated against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from zonekeeper.drawback.amounts import LineBasis, component_refunds, refund_ceiling
from zonekeeper.drawback.plan import Designation, Plan, demand_key
from zonekeeper.drawback.records import ClaimType, ImportLine, PriorDesignation
from zonekeeper.drawback.rules import unit_of
from zonekeeper.errors import InputError, Problem
from zonekeeper.money import CENT, in_money_context

CERT_UNUSED = (
    "The undersigned hereby certifies that the exported or destroyed merchandise herein "
    "described is unused in the United States and further certifies that this merchandise "
    "was not subjected to any process of manufacture or other operation except the "
    "allowable operations as provided for by regulation. (190.51(a)(2)(x))"
)
CERT_EXPORT = (
    "I declare, to the best of my knowledge and belief, that all of the statements in this "
    "document are correct and that the exported article is not to be relanded in the "
    "United States or any of its possessions without paying duty. (190.51(a)(2)(xii))"
)
CERT_J2 = (
    "The undersigned hereby certifies that the substituted merchandise is unused in the "
    "United States and that the substituted merchandise was in our possession prior to "
    "exportation or destruction. (190.51(a)(2)(xiv))"
)
CERT_MANUFACTURING = (
    "The article(s) described above were manufactured or produced and disposed of as "
    "stated herein in accordance with the drawback ruling on file with CBP and in "
    "compliance with applicable laws and regulations. (190.51(a)(2)(ix))"
)
CERT_RECORDS = (
    "The undersigned acknowledges statutory requirements that all records supporting the "
    "information on this document are to be retained by the issuing party for a period of "
    "3 years from the date of liquidation of the drawback claim. (190.51(a)(2)(xvi))"
)


@dataclass(frozen=True)
class ClaimHeader:
    claimant: str
    port: str
    drawback_entry: str
    provision: str
    claim_date: str
    method: str
    refund: Decimal
    refund_by_component: dict[str, Decimal]
    lines: int
    bound: Decimal
    fifo_refund: Decimal
    certifications: tuple[str, ...]


@dataclass(frozen=True)
class ClaimLine:
    line: int
    itin: str
    designation: Designation
    description: str = ""  # of the designated merchandise (190.51(a)(2)(viii))


@dataclass(frozen=True)
class Claim:
    header: ClaimHeader
    lines: tuple[ClaimLine, ...]


def certifications(claim: ClaimType, destroyed_only: bool) -> tuple[str, ...]:
    """The certifications 190.51(a)(2) requires for the provision."""
    out: list[str] = []
    if claim.manufacturing:
        out.append(CERT_MANUFACTURING)
    else:
        out.append(CERT_UNUSED)
    if claim is ClaimType.J2:
        out.append(CERT_J2)
    if not destroyed_only:
        out.append(CERT_EXPORT)
    out.append(CERT_RECORDS)
    return tuple(out)


@in_money_context
def check_plan(plan: Plan) -> list[Problem]:
    """Every inconsistency of a plan with itself; [] when it can be claimed as it stands.

    A plan read back from a file must still be what `build_plan` made: each designation a
    positive quantity (190.51(a)(2)(viii)) of a named import line against a named export,
    in a known unit; its components (190.51(a)(2)(vii)) whole cents, none negative, and its
    refund their sum; that refund at most the quantity times the refund per unit rounded
    down to the cent (190.51(b)(1): never above 99%), and below it by less than a cent a
    component (each component is rounded down on its own, `plan.refund_components`);
    the refunds summing to the plan's; and no import line or demand designated beyond the
    quantity the plan recorded for it (190.51(a)(3): a quantity is designated only once).
    Problems carry the designation's number (first = 1) as the row.
    """
    out: list[Problem] = []
    by_import: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    by_demand: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for n, d in enumerate(plan.designations, start=1):
        def bad(field: str, reason: str, n: int = n) -> None:
            out.append(Problem(reason, row=n, field=field, code="drawback.plan-check.designation"))

        if not d.import_entry.strip():
            bad("import_entry", "blank")
        if d.import_line < 1:
            bad("import_line", f"must be 1 or more: {d.import_line}")
        if not d.export_ref.strip():
            bad("export_ref", "blank")
        if unit_of(d.unit) is None:
            bad("unit", f"unknown unit of measure {d.unit!r}")
        if d.quantity <= 0:
            bad("quantity", f"must be greater than 0: {d.quantity}")
        if d.refund_per_unit < 0:
            bad("refund_per_unit", f"must be at least 0: {d.refund_per_unit}")
        for name, amount in d.components.items():
            if amount < 0 or amount != amount.quantize(CENT, rounding=ROUND_DOWN):
                bad("components", f"{name} {amount} is not a whole number of cents, 0 or more")
        parts = sum(d.components.values(), Decimal(0))
        if parts != d.refund:
            bad("components", f"sum to {parts}, not the refund {d.refund}")
        ceiling = refund_ceiling(d.quantity, d.refund_per_unit)
        if d.refund > ceiling:
            bad("refund", f"{d.refund} exceeds quantity {d.quantity} x refund per unit "
                          f"{d.refund_per_unit} rounded down to the cent ({ceiling})")
        elif ceiling - d.refund >= CENT * max(1, len(d.components)):
            bad("refund", f"{d.refund} is not quantity {d.quantity} x refund per unit "
                          f"{d.refund_per_unit} ({ceiling}) less the rounding of its "
                          f"{len(d.components)} components")
        by_import[(d.import_entry, d.import_line)] += d.quantity
        by_demand[demand_key(d.export_ref, d.production_ref, d.export_hts)] += d.quantity
    total = sum((d.refund for d in plan.designations), Decimal(0))
    if total != plan.refund:
        out.append(Problem(f"{plan.refund} is not the sum of the designations' refunds "
                           f"({total})", field="refund", code="drawback.plan-check.total"))
    for (entry, line), qty in by_import.items():
        limit = plan.available.get((entry, line))
        if limit is None:
            out.append(Problem(f"entry {entry} line {line} is designated but the plan records "
                               "no quantity available for it", field="available",
                               code="drawback.plan-check.import-unrecorded"))
        elif qty > limit:
            out.append(Problem(f"entry {entry} line {line} designated {qty}, more than the "
                               f"{limit} it had left (190.51(a)(3))", field="quantity",
                               code="drawback.plan-check.import-over"))
    for key, qty in by_demand.items():
        need = plan.demand_quantity.get(key)
        what = f"export {key[0]}" + (f" run {key[1]} input {key[2]}" if key[1] else "")
        if need is None:
            out.append(Problem(f"{what} is designated against but the plan records no "
                               "quantity for it", field="demand_quantity",
                               code="drawback.plan-check.demand-unrecorded"))
        elif qty > need:
            out.append(Problem(f"{what} has {qty} designated against it, more than its "
                               f"quantity {need}", field="quantity",
                               code="drawback.plan-check.demand-over"))
    return out


@in_money_context
def check_against_imports(
    plan: Plan,
    imports: Sequence[ImportLine],
    prior: Sequence[PriorDesignation],
    bases: Mapping[tuple[str, int], LineBasis],
) -> list[Problem]:
    """The plan's designations against the import lines and the earlier claims.

    Each designated line must be among `imports`, with the plan's date and HTS; its total
    designated quantity may not exceed its quantity less what `prior` claims designated
    (190.51(a)(3): no import quantity designated twice across claims); no designation
    may refund more per unit than 99% of the line's eligible duties, taxes and fees
    (`bases`, 190.51(b)); and none may claim, for any duty, tax or fee, more than 99% of
    what the line paid for it on the designated quantity (190.51(a)(2)(vii), (b)(1); MPF:
    the per-unit figure of 190.51(b)(2)(iv)). Rows are the designations' numbers.
    """
    out: list[Problem] = []
    lines = {imp.key: imp for imp in imports}
    claimed: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for p in prior:
        claimed[(p.entry_no, p.line)] += p.quantity
    total: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    first: dict[tuple[str, int], int] = {}
    for n, d in enumerate(plan.designations, start=1):
        key = (d.import_entry, d.import_line)
        line = lines.get(key)
        if line is None:
            out.append(Problem(f"entry {key[0]} line {key[1]} is not among the imports given",
                               row=n, field="import_entry", code="drawback.claim.import-missing"))
            continue
        first.setdefault(key, n)
        total[key] += d.quantity
        if line.import_date != d.import_date or line.hts != d.import_hts:
            out.append(Problem(f"entry {key[0]} line {key[1]}: the plan says imported "
                               f"{d.import_date} under {d.import_hts}, the imports file "
                               f"{line.import_date} under {line.hts}", row=n,
                               field="import_hts", code="drawback.claim.import-differs"))
        own = bases[key].refund_per_unit
        if d.refund_per_unit > own:
            out.append(Problem(f"refund per unit {d.refund_per_unit} exceeds {own}, 99% of "
                               f"what entry {key[0]} line {key[1]} paid per unit "
                               "(190.51(b))", row=n, field="refund_per_unit",
                               code="drawback.claim.refund-per-unit-over"))
        # 190.51(b): 99% of each eligible component paid, per unit, times the quantity; not
        # rounded, so a claimed component (whole cents, rounded down) must not exceed it.
        limits = component_refunds(bases[key], d.quantity)
        for name, amount in d.components.items():
            limit = limits.get(name, Decimal(0))
            if amount > limit:
                out.append(Problem(f"{name} refund {amount} exceeds {limit}, 99% of what "
                                   f"entry {key[0]} line {key[1]} paid for it on "
                                   f"{d.quantity} {d.unit} (190.51(b)(1))", row=n,
                                   field="components", code="drawback.claim.component-over"))
    for key, qty in total.items():
        left = lines[key].quantity - claimed[key]
        if qty > left:
            out.append(Problem(
                f"entry {key[0]} line {key[1]}: {qty} designated, but only {left} of its "
                f"{lines[key].quantity} is left after earlier claims ({claimed[key]}); an "
                "import quantity is designated only once (190.51(a)(3))",
                row=first[key], field="quantity", code="drawback.claim.designated-twice"))
    return out


@in_money_context
def build_claim(
    plan: Plan, *, claimant: str = "", port: str = "", drawback_entry: str = "",
    descriptions: Mapping[str, str] | None = None,
) -> Claim:
    """The claim of `plan` (header and lines), totals summed from the designations.

    Refuses (`InputError`) a plan that `check_plan` finds inconsistent.
    """
    problems = check_plan(plan)
    if problems:
        raise InputError(problems)
    by_component: dict[str, Decimal] = defaultdict(Decimal)
    lines: list[ClaimLine] = []
    for n, d in enumerate(plan.designations, start=1):
        for name, amount in d.components.items():
            by_component[name] += amount
        text = (descriptions or {}).get(d.import_hts, "")
        lines.append(ClaimLine(n, f"{d.import_entry}-{d.import_line}", d, text))
    destroyed = bool(lines) and all(ln.designation.disposition == "destruction" for ln in lines)
    header = ClaimHeader(
        claimant=claimant or "(claimant identification number)",
        port=port or "(drawback office port code)",
        drawback_entry=drawback_entry or "(assigned at filing)",
        provision=f"19 U.S.C. {plan.claim.provision}",
        claim_date=plan.claim_date.isoformat(),
        method=plan.method.value,
        refund=sum((d.refund for d in plan.designations), Decimal(0)),
        refund_by_component=dict(sorted(by_component.items())),
        lines=len(lines),
        bound=plan.bound,
        fifo_refund=plan.fifo_refund,
        certifications=certifications(plan.claim, destroyed),
    )
    return Claim(header, tuple(lines))
