"""Classification alternatives for expert review: lines whose product description the
classifier places, among its first few candidates, in another 6-digit subheading that
would have paid less duty.

Classification is the importer's reasonable care (19 U.S.C. 1484(a)) and a licensed
broker's decision (19 CFR 111: classification advice is customs business), made under the
General Rules of Interpretation and the section and chapter notes, which a text match does
not apply. So nothing here is applied: each finding is a question for the broker, with the
duty at stake if the alternative were right — the line's duty recomputed by the duty engine
on its entry date under the alternative's HTS number (base and Chapter 99 measures, with the
line's own preference claim) against the same under the declared number. An alternative in
the declared 6-digit subheading is a statistical-suffix question, not a duty one, and is
left out; so is one the engine cannot price.

The classifier is reached through `Suggest` (the application passes the product's own
classifier); it is asked once per distinct description.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from zonekeeper.analytics.findings import Opportunity, supplier_of
from zonekeeper.analytics.ports import Pricer
from zonekeeper.analytics.records import EntryLine
from zonekeeper.money import ZERO, fmt, in_money_context

TOP = 3
SHOWN = 20
RISK = ("high — a licensed broker must decide; never applied automatically: the alternative "
        "comes from a text match on the description, not from the General Rules of "
        "Interpretation and the section and chapter notes; a wrong classification is a "
        "penalty risk (19 U.S.C. 1592)")
ACTION = ("have a licensed customs broker review the classification (the product itself, "
          "GRI 1-6, the notes, CBP rulings on like goods); if the alternative is right, "
          "correct unliquidated entries by post-summary correction, protest liquidated ones "
          "within 180 days (19 U.S.C. 1514), or ask CBP for a binding ruling (19 CFR 177) "
          "before changing future entries")


@dataclass(frozen=True)
class Alternative:
    """One candidate of the classifier: a 10-digit HTS number, its description, its
    General rate as the schedule writes it and the classifier's score."""

    hts: str
    description: str
    general: str
    score: float


Suggest = Callable[[str], Sequence[Alternative]]


@dataclass
class _Best:
    alternative: Alternative
    saving: Decimal = ZERO
    lines: list[tuple[EntryLine, Decimal]] | None = None


def _saving(line: EntryLine, own: Decimal | None, alternative: Alternative,
            pricer: Pricer) -> Decimal | None:
    """The duty the line would not have paid under the alternative, against `own`, its
    duty under the declared number (None: either not priced)."""
    if own is None:
        return None
    # the line under the other number: the fields the tariff's duty depends on (a copy of
    # the whole record, `dataclasses.replace`, costs more than the pricing on a big file)
    probe = EntryLine(line.entry, line.line, line.entry_date, alternative.hts, line.value,
                      ZERO, origin=line.origin, spi=line.spi, quantity=line.quantity,
                      unit=line.unit)
    other = pricer.price(probe, line.spi or None).duty
    return None if other is None else own - other


@in_money_context
def classification_alternatives(lines: Sequence[EntryLine], pricer: Pricer,
                                suggest: Suggest) -> list[Opportunity]:
    """One finding per description and declared HTS number for which a top-`TOP`
    alternative in another 6-digit subheading pays less (see the module docstring): the
    alternative saving the most over the group's lines."""
    groups: dict[tuple[str, str], list[EntryLine]] = defaultdict(list)
    texts: dict[str, str] = {}  # a description's key (case and spacing aside) -> as first seen
    for line in lines:
        text = " ".join(line.description.split())
        if text:
            key = texts.setdefault(text.casefold(), text).casefold()
            groups[(key, line.hts)].append(line)
    asked: dict[str, Sequence[Alternative]] = {}
    found = []
    for (key, hts), group in sorted(groups.items()):
        text = texts[key]
        if key not in asked:
            asked[key] = suggest(text)[:TOP]
        best: _Best | None = None
        own: list[Decimal | None] | None = None
        for alternative in asked[key]:
            if alternative.hts[:6] == hts[:6]:
                continue
            if own is None:
                own = [pricer.price(line, line.spi or None).duty for line in group]
            savings = [(line, _saving(line, duty, alternative, pricer))
                       for line, duty in zip(group, own, strict=True)]
            priced = [(line, s) for line, s in savings if s is not None]
            total = sum((s for _, s in priced), ZERO)
            if total > ZERO and (best is None or total > best.saving):
                best = _Best(alternative, total, priced)
        if best is None or not best.lines:
            continue
        found.append(_finding(text, hts, group, best))
    return found


def _finding(text: str, hts: str, group: Sequence[EntryLine], best: _Best) -> Opportunity:
    alternative, priced = best.alternative, best.lines or []
    value = sum((line.value for line, _ in priced), ZERO)
    evidence = [
        f"description {text!r}, declared HTS {hts} on {len(group)} line(s)",
        f"classifier's alternative HTS {alternative.hts} ({alternative.description}; "
        f"General {alternative.general or 'not given'}; score {alternative.score:.3f}), in "
        f"another 6-digit subheading ({alternative.hts[:6]} against {hts[:6]})",
        f"duty at stake {fmt(best.saving)} on {len(priced)} line(s) of value {fmt(value)}: "
        "each line's duty recomputed on its entry date under both numbers",
    ]
    if len(priced) < len(group):
        evidence.append(f"{len(group) - len(priced)} line(s) could not be priced under both "
                        "numbers and are not counted")
    evidence += [f"entry {line.entry} line {line.line} ({line.entry_date}): value "
                 f"{fmt(line.value)}, duty difference {fmt(saving)}"
                 for line, saving in priced[:SHOWN]]
    if len(priced) > SHOWN:
        evidence.append(f"... and {len(priced) - SHOWN} more lines")
    return Opportunity(
        "classification", best.saving, tuple(sorted({line.entry for line, _ in priced})),
        tuple(evidence), RISK, ACTION,
        title=f"HTS {hts} for {text!r}: review against {alternative.hts}",
        supplier=supplier_of(line.manufacturer for line in group),
        month=min(line.entry_date for line in group).strftime("%Y-%m"))
