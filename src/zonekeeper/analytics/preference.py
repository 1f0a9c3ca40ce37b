"""Preferences not claimed: a line of a partner country's origin, whose HTS line's Special
column lists that partner's program, entered without an SPI (HTSUS General Note 3(c)(i)).

The saving is the duty the line would not have paid with the claim (base and any Chapter 99
measure the claim lifts, e.g. the IEEPA duties on USMCA goods), both recomputed by the duty
engine on the entry date. The claim can still be made after entry for a free trade agreement
(19 U.S.C. 1520(d): within one year of importation, with a certification of origin), which
is the deadline given; the goods must still be proven originating (the program's rules of
origin), which is the risk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from zonekeeper.analytics.findings import Opportunity, supplier_of
from zonekeeper.analytics.ports import Pricer, Program
from zonekeeper.analytics.records import EntryLine
from zonekeeper.money import ZERO, fmt, in_money_context

SHOWN = 20
CLAIM_WINDOW = timedelta(days=365)
"""19 U.S.C. 1520(d): a post-importation claim within one year after the date of importation
(entry date taken for the importation date: the file gives no other)."""
_USMCA = ("S", "S+")


def _risk(program: Program) -> str:
    if program.spi in _USMCA:
        return ("the goods must originate under USMCA (General Note 11; 19 CFR 182): wholly "
                "obtained, or the tariff shift of the product-specific rule and, where the rule "
                "asks, regional value content (net cost or transaction value method); proof: "
                "a bill of materials with each material's HTS and origin, the producer's "
                "certification of origin (19 CFR 182.12) and its cost records")
    return (f"the goods must originate under {program.name} (HTSUS General Note "
            f"{program.general_note}): tariff shift or value content per the product-specific "
            "rule; proof: a bill of materials with each material's HTS and origin and the "
            "producer's or exporter's certification of origin")


@in_money_context
def unclaimed_preferences(lines: Sequence[EntryLine], pricer: Pricer,
                          as_of: date) -> list[Opportunity]:
    """One opportunity per program, origin and HTS number with a positive saving."""
    groups: dict[tuple[str, str, str], list[tuple[EntryLine, Decimal | None, str]]] = (
        defaultdict(list))
    programs: dict[str, Program] = {}
    for line in lines:
        if line.spi or not line.origin:
            continue
        offered = pricer.programs(line)
        if not offered:
            continue
        without = pricer.price(line, None)
        best: tuple[Decimal | None, Program, str] | None = None
        for program in offered:
            claimed = pricer.price(line, program.spi)
            if without.duty is not None and claimed.duty is not None:
                saving = without.duty - claimed.duty
                if saving > ZERO and (best is None or best[0] is None or saving > best[0]):
                    best = (saving, program, "")
            elif best is None:
                reasons = (*without.reasons, *claimed.reasons)
                best = (None, program, "; ".join(reasons) or "the duty engine gave no duty")
        if best is None:
            continue
        best_saving, program, why = best
        programs[program.spi] = program
        groups[(program.spi, line.origin, line.hts)].append((line, best_saving, why))
    found = []
    for (spi, origin, hts), items in sorted(groups.items()):
        program = programs[spi]
        computed = [s for _, s, _ in items if s is not None]
        amount = sum(computed, ZERO) if len(computed) == len(items) else None
        windows = [line.entry_date + CLAIM_WINDOW for line, _, _ in items]
        still_open = [d for d in windows if d >= as_of]
        deadline = min(still_open) if still_open else None
        evidence = [
            f"entry {line.entry} line {line.line} ({line.entry_date}): value "
            f"{fmt(line.value)}, no SPI; with {spi} the duty would be lower by "
            + (fmt(s) if s is not None else f"(cannot compute: {why})")
            for line, s, why in items[:SHOWN]]
        if len(items) > SHOWN:
            evidence.append(f"... and {len(items) - SHOWN} more lines")
        closed = len(windows) - len(still_open)
        late = f" (closed on {as_of} for {closed} line(s))" if closed else ""
        found.append(Opportunity(
            "preference_unclaimed", amount, tuple(sorted({x.entry for x, _, _ in items})),
            tuple(evidence), _risk(program),
            f"claim {spi} ({program.name}) after importation under 19 U.S.C. 1520(d) for "
            f"each entry within one year of its importation{late}, and on future entries; "
            "keep the certification of origin and the proof",
            deadline=deadline,
            amount_reason=None if amount is not None else "some lines cannot be priced",
            title=f"{spi} not claimed on HTS {hts} from {origin} ({len(items)} line(s))",
            supplier=supplier_of(line.manufacturer for line, _, _ in items),
            month=min(line.entry_date for line, _, _ in items).strftime("%Y-%m")))
    return found
