"""The opportunity kinds that rest on another area's use case (issue 14): drawback (the
optimal planner on the entries as imports and the given exports), zone (the advisor's ROI on
the same history) and classification (the classifier's candidates per description).

Each returns its findings (`analytics.findings.Opportunity`) and, where it could not look or
found none, the reason, which the report shows beside the kind: an estimate is never
invented from data the file does not hold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from zonekeeper.advisor.roi import Assumptions, ExportedGoods, ImportedLine, assess
from zonekeeper.analytics.classification import Alternative, Suggest
from zonekeeper.analytics.findings import Opportunity, supplier_of
from zonekeeper.analytics.records import EntryLine
from zonekeeper.app.classify import suggest
from zonekeeper.app.context import Context
from zonekeeper.app.drawback import plan
from zonekeeper.drawback.calendar import claim_deadline
from zonekeeper.io.advisor_files import read_exported
from zonekeeper.io.es003 import is_spreadsheet
from zonekeeper.money import ZERO, fmt, in_money_context, usd

SHOWN = 20
MIN_DAYS = 90
"""A history shorter than this is not annualized into a zone opportunity: the advisor's ROI
extrapolates it and calls the figures uncertain (`advisor.roi`); `advise roi` still shows
them."""
NEEDS_EXPORTS = ("needs exports: give --exports FILE (the drawback export format) to run the "
                 "optimal drawback planner on these entries; no estimate is made without them")
DRAWBACK_RISK = (
    "a claim must be filed within 5 years of the importation of each designated import "
    "(19 U.S.C. 1313(r)(1); 19 CFR 190.51(e)); keep for the claim and 3 years after its "
    "liquidation (19 CFR 190.15) the import entry summaries, the proof of export (bills of "
    "lading, export filings, 19 CFR 190.72) and the records showing the substitution standard "
    "(same 8-digit subheading or part, 190.2); a substitution claim needs a notice of intent "
    "to export 5 working days before export unless waived (190.35); an import designated here "
    "cannot be designated again (190.51(a)(3)); CAPE refuses an IEEPA refund for an entry "
    "tied to drawback")


@dataclass
class Found:
    """What kinds found; the kinds not looked for (the input lacks what they need) and the
    kinds looked for that found nothing, each with the reason (kind -> reason)."""

    opportunities: list[Opportunity] = field(default_factory=list)
    not_looked_for: dict[str, str] = field(default_factory=dict)
    none_found: dict[str, str] = field(default_factory=dict)

    def add(self, other: Found) -> None:
        self.opportunities += other.opportunities
        self.not_looked_for.update(other.not_looked_for)
        self.none_found.update(other.none_found)


@in_money_context
def drawback_opportunity(context: Context, entries: Path, exports: Path | None,
                         day: date) -> Found:
    """The optimal drawback plan (`app.drawback.plan`, 1313(j)(2) substitution) of the
    entries as imports against `exports`, with `day` as the claim date. A file the planner
    refuses is refused whole (its problems name file, row and field)."""
    if exports is None:
        return Found(not_looked_for={"drawback": NEEDS_EXPORTS})
    if is_spreadsheet(entries):
        return Found(not_looked_for={"drawback": (
            f"the drawback planner reads imports as CSV or JSON, not {entries.suffix}: save "
            "the entry report as CSV and run again with --exports")})
    made = plan(context, entries, exports, as_of=day).plan
    if made.refund <= ZERO:
        why = "; ".join(made.not_designated[:3]) or "no export matched an import"
        return Found(none_found={"drawback": f"the optimal plan finds no refund: {why}"})
    designations = made.designations
    imports = sorted({(d.import_entry, d.import_date) for d in designations})
    deadline = min((claim_deadline(d) for _, d in imports if claim_deadline(d) >= day),
                   default=None)
    rules = Counter(d.rule for d in designations)
    lines = len({(d.import_entry, d.import_line) for d in designations})
    shipped = len({d.export_ref for d in designations})
    evidence = [
        f"{len(designations)} designation(s) of {lines} import line(s) against {shipped} "
        f"export(s), claim date {made.claim_date} ({made.claim.value}); refund "
        f"{fmt(made.refund)} (99% of the duties, taxes and fees eligible, 19 CFR 190.51(b)), "
        f"first-in first-out would give {fmt(made.fifo_refund)}",
        "by standard: " + ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items())),
    ]
    evidence += [f"{d.import_entry} line {d.import_line} ({d.import_date}, HTS {d.import_hts}) "
                 f"-> export {d.export_ref} ({d.export_date}): {d.quantity} {d.unit}, refund "
                 f"{fmt(d.refund)}" for d in designations[:SHOWN]]
    if len(designations) > SHOWN:
        evidence.append(f"... and {len(designations) - SHOWN} more designations")
    if made.not_designated:
        evidence.append(f"{len(made.not_designated)} export quantity(ies) without a "
                        f"designation, e.g. {made.not_designated[0]}")
    closing = (f"; the earliest claim deadline still open is {deadline}" if deadline else "")
    return Found([Opportunity(
        "drawback", made.refund, tuple(sorted({e for e, _ in imports})), tuple(evidence),
        DRAWBACK_RISK + closing,
        f"file the drawback claim: `zonekeeper drawback plan --imports ENTRIES --exports "
        f"EXPORTS --as-of {day} --out plan.json`, then `zonekeeper drawback claim plan.json "
        "--out claim/` (an ACE type 47 drawback entry), with the notices of intent and the "
        "proof of export on file",
        deadline=deadline,
        title=f"drawback on {len(imports)} import entry(ies) against the exports",
        month=imports[0][1].strftime("%Y-%m"))])


def _history(lines: Sequence[EntryLine], exports: bool) -> list[ImportedLine]:
    """The entry lines as the ROI reads them. With exports, a line without a quantity is
    kept apart (its own part key) so its duty is never matched to exported units."""
    return [ImportedLine(
        entry_no=line.entry, import_date=line.entry_date, hts=line.hts, value=line.value,
        duty=line.total_duty, quantity=line.quantity if line.quantity is not None else ZERO,
        origin=line.origin or None,
        part=(f"(no quantity) {line.entry} line {line.line}"
              if exports and line.quantity is None else line.part or None),
    ) for line in lines]  # fmt: skip


@in_money_context
def zone_opportunity(context: Context, lines: Sequence[EntryLine],
                     exports: Path | None) -> Found:
    """The advisor's ROI (`advisor.roi.assess`, as `advise roi` runs it with its default
    assumptions) on the entry lines and, where given, the exports: one opportunity when the
    zone's net annual saving is positive, else the verdict as the reason."""
    if not lines:
        return Found(not_looked_for={"zone": "no entry lines"})
    shipped: list[ExportedGoods] = read_exported(exports) if exports is not None else []
    assumptions = Assumptions()
    roi = assess(_history(lines, exports is not None), shipped, assumptions,
                 context.tariff.fees.mpf_terms)
    if roi.days < MIN_DAYS:
        return Found(not_looked_for={"zone": (
            f"the entries cover {roi.days} day(s) ({roi.start} to {roi.end}), fewer than "
            f"{MIN_DAYS}: too short to annualize a zone's savings; `zonekeeper advise roi` "
            "shows the extrapolation")})
    if roi.net_annual <= ZERO or roi.verdict == "does not pay":
        return Found(none_found={"zone": f"the advisor's ROI finds the zone {roi.verdict}: net "
                                      f"{usd(roi.net_annual)} a year ({roi.reasons[0]})"})
    evidence = [f"history {roi.start} to {roi.end} ({roi.days} days), "
                f"{len({line.entry for line in lines}):,} entries: net annual saving "
                f"{fmt(roi.net_annual)}, payback {roi.payback_months} months, 5-year NPV "
                f"{fmt(roi.npv)}, verdict {roi.verdict}"]
    evidence += [f"{s.kind}: " + (f"{fmt(s.annualized)} a year" if s.annualized is not None
                                  else "not counted") + f" ({s.derivation})"
                 for s in roi.savings]
    evidence += [f"cost {c.kind}: {fmt(c.annual)} a year, {fmt(c.one_time)} once "
                 f"({c.derivation})" for c in roi.costs]
    evidence += list(roi.reasons[1:])
    moves = ", ".join(f"{s.item} {s.change * 100:+}% -> {fmt(s.net_annual)}"
                      for s in roi.sensitivity)
    both = ("; its exports saving and the drawback kind are two ways to the same duty (a zone "
            "never collects it, drawback refunds 99% of it later): count one"
            if exports is not None else "")
    return Found([Opportunity(
        "zone", roi.net_annual, (), tuple(evidence),
        "an estimate from the history at the advisor's default assumptions (cost of capital "
        f"{assumptions.cost_of_capital * 100}%, dwell {assumptions.dwell_days} days, costs "
        "mid-range of the seed's); the net moves with the two largest figures: " + moves
        + "; a zone needs the FTZ Board's approval (15 CFR 400) and CBP's activation "
        "(19 CFR 146.6)" + both,
        "run `zonekeeper advise roi` with the importer's own costs, exports and finished "
        "product (--product-hts) and `advise status` per component; if it still pays, ask a "
        "zone grantee or operator about a zone site or a subzone",
        title=f"a foreign-trade zone: {roi.verdict}, net {usd(roi.net_annual)} a year",
        supplier=supplier_of(line.manufacturer for line in lines),
        month=roi.start.strftime("%Y-%m"))])


def classifier() -> Suggest:
    """The product's classifier (`app.classify.suggest`) as the analytics ask it."""
    def ask(description: str) -> list[Alternative]:
        [product] = suggest(description=description, top=3).products
        return [Alternative(c.hts, c.description, c.general, c.score)
                for c in product.candidates]
    return ask
