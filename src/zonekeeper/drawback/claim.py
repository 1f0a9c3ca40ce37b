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
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from zonekeeper.drawback.plan import Designation, Plan
from zonekeeper.drawback.records import ClaimType

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


def build_claim(
    plan: Plan, *, claimant: str = "", port: str = "", drawback_entry: str = "",
    descriptions: Mapping[str, str] | None = None,
) -> Claim:
    """The claim of `plan` (header and lines), totals summed from the designations."""
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
