"""The drawback documents: the plan, the claim and the alerts (docs/drawback.md).

One model per JSON document the drawback commands emit; `--json`, the plan file, the claim's
`claim.json` and the API all serialize these. The shapes are the contract scripts read, so a
field's name, order and spelling of its value never change: money as cent strings (`Money`),
exact quantities and per-unit figures as the decimal text the core computed (`Exact`), dates
ISO (`Day`). A plan carries its `digest` (io.drawback_files.plan_digest) so that
`drawback claim` refuses a plan edited after it was planned.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Self

import orjson
from pydantic import PlainSerializer, PrivateAttr

from zonekeeper.app.outputs import Money, Output
from zonekeeper.drawback.alerts import ClaimWindowAlert, NoticeAlert
from zonekeeper.drawback.claim import Claim, ClaimLine
from zonekeeper.drawback.plan import Designation, Plan
from zonekeeper.errors import Problem
from zonekeeper.io.drawback_files import plan_digest
from zonekeeper.money import in_money_context

Exact = Annotated[Decimal, PlainSerializer(str, return_type=str)]
"""A decimal written exactly as computed (a quantity, a bound, an unrounded refund per unit)."""

Day = date
"""A date, written ISO (YYYY-MM-DD, as `date.isoformat`: pydantic's own form)."""

SIX_PLACES = Decimal("0.000001")
# A plan whose bound exceeds its refund by at most half a cent is proven optimal.
OPTIMAL_GAP = Decimal("0.005")


def indented_json(document: Mapping[str, Any]) -> str:
    """`json.dumps(document, indent=2)` and a newline, byte for byte, written by orjson where
    that is the same (the indented `json.dumps` is pure Python: orjson writes a large plan
    several times faster, which pays for the models' validation). orjson writes characters
    above ASCII (and DEL) as they are, where `json.dumps` escapes them, so a document with
    any of them (or a number orjson does not write, an integer beyond 64 bits) is written
    by `json.dumps` itself."""
    try:
        fast = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        fast = b"\x7f"
    if fast.isascii() and b"\x7f" not in fast:
        return fast.decode("ascii") + "\n"
    return json.dumps(document, indent=2) + "\n"


class DesignationOut(Output):
    """One designation: an import line's quantity against an export (190.51(a)(2))."""

    import_entry: str
    import_line: int
    export_ref: str
    quantity: Exact
    unit: str
    refund: Money
    rule: str
    import_date: Day
    export_date: Day
    import_hts: str
    export_hts: str
    refund_per_unit: Exact  # to six places, for people
    refund_per_unit_exact: Exact  # as computed, so that the plan can be re-checked
    lesser_of: str
    components: dict[str, Money]
    production_ref: str | None
    disposition: str
    reasons: list[str]

    @staticmethod
    def fields(d: Designation) -> dict[str, Any]:
        """The fields of a designation's document. A plan validates all of its designations
        in one call (`DrawbackPlan.of`): a model built one by one in Python costs more than
        the rest of the document."""
        return {
            "import_entry": d.import_entry, "import_line": d.import_line,
            "export_ref": d.export_ref, "quantity": d.quantity, "unit": d.unit,
            "refund": d.refund, "rule": d.rule, "import_date": d.import_date,
            "export_date": d.export_date, "import_hts": d.import_hts,
            "export_hts": d.export_hts,
            "refund_per_unit": d.refund_per_unit.quantize(SIX_PLACES),
            "refund_per_unit_exact": d.refund_per_unit, "lesser_of": d.lesser_of,
            "components": d.components, "production_ref": d.production_ref,
            "disposition": d.disposition, "reasons": d.reasons,
        }


class AvailableOut(Output):
    """What an import line had left after earlier claims (190.51(a)(3))."""

    import_entry: str
    import_line: int
    quantity: Exact


class DemandOut(Output):
    """The quantity of a designated demand: an export, or a production run's input."""

    export_ref: str
    production_ref: str | None
    hts: str
    quantity: Exact


class DrawbackPlan(Output):
    """`drawback plan --json` and the plan file `drawback claim` reads back."""

    claim_type: str
    provision: str
    method: str
    claim_date: Day
    refund: Money
    optimal_refund: Money
    fifo_refund: Money
    uplift: Money
    objective: Exact  # to six places
    bound: Exact
    gap: Exact
    optimal: bool
    designations: list[DesignationOut]
    unpriced: list[str]
    not_designated: list[str]
    notes: list[str]
    # The stable code of each note, in the same order (`notes[i]` is said with
    # `note_codes[i]`): a client acts on the code, people read the note (docs/problems.md).
    note_codes: list[str] = []
    stats: dict[str, int]
    available: list[AvailableOut]
    demand_quantity: list[DemandOut]
    digest: str

    # The sealed document as `of` made it: `text` prints it without a second serialization.
    _sealed: dict[str, Any] | None = PrivateAttr(default=None)

    @classmethod
    @in_money_context
    def of(cls, plan: Plan, *, extra_notes: Sequence[Problem] = ()) -> DrawbackPlan:
        """The plan's document, sealed with its digest; `extra_notes` (the use case's
        warnings) come before the plan's own notes, each note's code beside it."""
        notes = [*extra_notes, *plan.notes]
        unsealed = cls.model_validate({
            "claim_type": plan.claim.value, "provision": plan.claim.provision,
            "method": plan.method.value, "claim_date": plan.claim_date,
            "refund": plan.refund, "optimal_refund": plan.optimal_refund,
            "fifo_refund": plan.fifo_refund, "uplift": plan.uplift,
            "objective": plan.objective.quantize(SIX_PLACES), "bound": plan.bound,
            "gap": plan.gap, "optimal": plan.gap <= OPTIMAL_GAP,
            "designations": [DesignationOut.fields(d) for d in plan.designations],
            "unpriced": plan.unpriced, "not_designated": plan.not_designated,
            "notes": [n.message for n in notes], "note_codes": [n.code for n in notes],
            "stats": plan.stats,
            "available": [{"import_entry": e, "import_line": ln, "quantity": q}
                          for (e, ln), q in plan.available.items()],
            "demand_quantity": [
                {"export_ref": x, "production_ref": r or None, "hts": h, "quantity": q}
                for (x, r, h), q in plan.demand_quantity.items()],
            "digest": "",
        })
        content = unsealed.document()
        digest = plan_digest(content)
        sealed = unsealed.model_copy(update={"digest": digest})
        sealed._sealed = {**content, "digest": digest}  # the same keys, in the same order
        return sealed

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> Self:
        """A copy (frozen models change only so); it serializes afresh, never the original's
        sealed document."""
        copy = super().model_copy(update=update, deep=deep)
        copy._sealed = None
        return copy

    def text(self) -> str:
        """The plan as `--json` prints it and the plan file holds it (indented, one newline)."""
        return indented_json(self._sealed if self._sealed is not None else self.document())


class ClaimHeaderOut(Output):
    """The claim's header (19 CFR 190.51(a)(2)): who claims what, and the certifications."""

    claimant: str
    port: str
    drawback_entry: str
    provision: str
    claim_date: str
    method: str
    refund: Money
    refund_by_component: dict[str, Money]
    lines: int
    bound: Exact
    fifo_refund: Money
    certifications: list[str]


class ClaimLineOut(Output):
    """One line of the claim: a designation with its line number, ITIN and description."""

    line: int
    itin: str
    description: str
    import_entry: str
    import_line: int
    import_date: Day
    import_hts: str
    quantity: Exact
    unit: str
    export_ref: str
    export_date: Day
    export_hts: str
    disposition: str
    production_ref: str | None
    rule: str
    refund_per_unit: Exact
    refund: Money
    components: dict[str, Money]
    lesser_of: str

    @classmethod
    def of(cls, ln: ClaimLine) -> ClaimLineOut:
        d = ln.designation
        return cls(
            line=ln.line, itin=ln.itin, description=ln.description,
            import_entry=d.import_entry, import_line=d.import_line, import_date=d.import_date,
            import_hts=d.import_hts, quantity=d.quantity, unit=d.unit, export_ref=d.export_ref,
            export_date=d.export_date, export_hts=d.export_hts, disposition=d.disposition,
            production_ref=d.production_ref, rule=d.rule,
            refund_per_unit=d.refund_per_unit.quantize(SIX_PLACES), refund=d.refund,
            components=dict(d.components), lesser_of=d.lesser_of,
        )


class DrawbackClaim(Output):
    """`claim.json`, which `drawback claim` writes (the CSV files carry the same fields)."""

    header: ClaimHeaderOut
    lines: list[ClaimLineOut]

    @classmethod
    @in_money_context
    def of(cls, claim: Claim) -> DrawbackClaim:
        h = claim.header
        return cls(
            header=ClaimHeaderOut(
                claimant=h.claimant, port=h.port, drawback_entry=h.drawback_entry,
                provision=h.provision, claim_date=h.claim_date, method=h.method,
                refund=h.refund, refund_by_component=dict(h.refund_by_component),
                lines=h.lines, bound=h.bound, fifo_refund=h.fifo_refund,
                certifications=list(h.certifications),
            ),
            lines=[ClaimLineOut.of(ln) for ln in claim.lines],
        )


class ClaimWindowOut(Output):
    """An import line whose claim window (190.51(e)) closes within the horizon."""

    entry_no: str
    line: int
    import_date: Day
    deadline: Day
    days_left: int
    unclaimed_quantity: Exact
    unclaimed_refund: Money

    @classmethod
    def of(cls, a: ClaimWindowAlert) -> ClaimWindowOut:
        return cls(entry_no=a.entry_no, line=a.line, import_date=a.import_date,
                   deadline=a.deadline, days_left=a.days_left,
                   unclaimed_quantity=a.unclaimed_quantity, unclaimed_refund=a.unclaimed_refund)


class NoticeOut(Output):
    """A notice of intent to export or destroy (CBP Form 7553, 190.35(a)) due or late."""

    export_ref: str
    export_date: Day
    disposition: str
    due: Day
    status: str
    reason: str

    @classmethod
    def of(cls, n: NoticeAlert) -> NoticeOut:
        return cls(export_ref=n.export_ref, export_date=n.export_date,
                   disposition=n.disposition, due=n.due, status=n.status, reason=n.reason)


class DrawbackAlerts(Output):
    """`drawback alerts --json`: claim windows closing and notices due, as of a day."""

    as_of: Day
    claim_windows: list[ClaimWindowOut]
    notices: list[NoticeOut]
