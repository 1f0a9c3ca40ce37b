"""First sale candidates: lines bought through a middleman (the manufacturer is not the
seller to the importer), whose customs value might rest on the earlier sale.

Transaction value is "the price actually paid or payable for merchandise when sold for
exportation to the United States" (19 U.S.C. 1401a(b)(1); 19 CFR 152.103(a)(1)). In a
series of sales, the courts have accepted the manufacturer's sale to the middleman as that
sale where it is a bona fide sale, at arm's length, of goods clearly destined for the United
States when sold (Nissho Iwai American Corp. v. United States, 982 F.2d 505 (Fed. Cir.
1992); CBP rulings on multi-tiered transactions, e.g. HQ 548520, HQ H221835).

The middleman's margin is not in the file, so no saving is invented: the amount is the duty
paid on the candidate lines (what a lower value could reduce) and the evidence gives the
duty at stake per percentage point of value, recomputed by the duty engine (a rate that does
not depend on value moves nothing). A file that names no seller cannot show a candidate:
`missing_columns` says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from zonekeeper.analytics.findings import Opportunity
from zonekeeper.analytics.ports import Pricer
from zonekeeper.analytics.records import EntryLine
from zonekeeper.money import ZERO, fmt, in_money_context

SHOWN = 20
ONE_POINT = Decimal("0.99")  # the declared value less one percentage point
NO_SELLER = ("the file names no seller (add a 'Seller ID' or 'Seller' column beside "
             "'Manufacturer ID'): a first sale candidate is a line whose manufacturer is not "
             "the seller to the importer")
RISK = ("the earlier sale must be a bona fide sale at arm's length, the goods clearly "
        "destined for the United States when the manufacturer sold them, and the price "
        "paid to the manufacturer must be shown (19 U.S.C. 1401a(b)(1); 19 CFR 152.103(a)(1); "
        "Nissho Iwai American Corp. v. United States, 982 F.2d 505 (Fed. Cir. 1992)); "
        "CBP may refuse the first sale price and appraise at the last sale")
ACTION = ("get the first sale documents from the middleman and the manufacturer: the "
          "manufacturer's invoice and the purchase order to the middleman, proof of payment, "
          "the contracts showing the terms and the U.S. destination at the time of that sale, "
          "and the shipping documents tying the goods from the manufacturer to the U.S. "
          "entry; have a licensed broker or trade counsel review them before declaring the "
          "first sale price on future entries")


def _party(name: str) -> str:
    return " ".join(name.upper().split())


def missing_columns(lines: Sequence[EntryLine]) -> str | None:
    """Why no candidate can be found (no line names both a manufacturer and a seller), or
    None when the file has what is needed."""
    if not any(line.seller for line in lines):
        return NO_SELLER
    if not any(line.manufacturer for line in lines):
        return "the file names no manufacturer (the 'Manufacturer ID' column)"
    return None


_Key = tuple[str, str, str, date]  # HTS number, origin, claim, entry date


def _key_of(line: EntryLine) -> _Key:
    return (line.hts, line.origin, line.spi, line.entry_date)


@in_money_context
def _point_rates(lines: Sequence[EntryLine], pricer: Pricer) -> dict[_Key, Decimal | str]:
    """Per HTS number, origin, claim and entry date: the duty one percentage point less
    value saves per dollar of value, or the engine's reason it cannot say. The lines of a key
    are priced as one line of their summed value and quantity (the tariff prices them alike
    and the duty a point of value moves is linear in the value): the engine is asked twice
    per key, not per line."""
    groups: dict[_Key, list[EntryLine]] = defaultdict(list)
    for line in lines:
        groups[_key_of(line)].append(line)
    rates: dict[_Key, Decimal | str] = {}
    for key, group in groups.items():
        quantities = [x.quantity for x in group]
        value = sum((x.value for x in group), ZERO)
        if value <= ZERO:
            rates[key] = ZERO
            continue
        merged = replace(group[0], value=value, quantity=None if None in quantities
                         else sum((q for q in quantities if q is not None), ZERO))
        spi = merged.spi or None
        full = pricer.price(merged, spi)
        less = pricer.price(replace(merged, value=value * ONE_POINT), spi)
        if full.duty is None or less.duty is None:
            reasons = "; ".join((*full.reasons, *less.reasons)) or "the duty engine gave no duty"
            rates[key] = f"entry {merged.entry} line {merged.line}: {reasons}"
        else:
            rates[key] = (full.duty - less.duty) / value
    return rates


def _per_point(lines: Sequence[EntryLine], rates: dict[_Key, Decimal | str],
               ) -> tuple[Decimal | None, str]:
    """The duty one percentage point less value would have saved on `lines`, or None with
    the reason for the first line that cannot be priced."""
    total = ZERO
    for line in lines:
        rate = rates[_key_of(line)]
        if isinstance(rate, str):
            return None, rate
        total += line.value * rate
    return total, ""


@in_money_context
def first_sale_candidates(lines: Sequence[EntryLine], pricer: Pricer) -> list[Opportunity]:
    """One candidate per manufacturer and seller pair that differ, over the lines that paid
    duty (on a duty-free line a lower value saves nothing; see the module docstring); none
    when `missing_columns` says the file cannot show one."""
    pairs: dict[tuple[str, str], list[EntryLine]] = defaultdict(list)
    for line in lines:
        if (line.manufacturer and line.seller and line.total_duty > ZERO
                and _party(line.manufacturer) != _party(line.seller)):
            pairs[(line.manufacturer, line.seller)].append(line)
    rates = _point_rates([line for group in pairs.values() for line in group], pricer)
    found = []
    for (maker, seller), group in sorted(pairs.items()):
        paid = sum((x.total_duty for x in group), ZERO)
        value = sum((x.value for x in group), ZERO)
        point, why = _per_point(group, rates)
        stake = (f"each percentage point of value below the declared {fmt(value)} saves "
                 f"{fmt(point)} of duty at the tariff on the entry dates" if point is not None
                 else f"the duty per percentage point of value cannot be computed: {why}")
        evidence = [f"{len(group)} line(s) made by {maker}, bought from {seller}: declared "
                    f"value {fmt(value)}, duty paid {fmt(paid)}", stake]
        evidence += [f"entry {x.entry} line {x.line} ({x.entry_date}): HTS {x.hts}, value "
                     f"{fmt(x.value)}, duty {fmt(x.total_duty)}" for x in group[:SHOWN]]
        if len(group) > SHOWN:
            evidence.append(f"... and {len(group) - SHOWN} more lines")
        first = min(x.entry_date for x in group)
        found.append(Opportunity(
            "first_sale", paid, tuple(sorted({x.entry for x in group})), tuple(evidence),
            RISK, ACTION,
            title=f"first sale: made by {maker}, sold by {seller} ({len(group)} line(s))",
            supplier=maker, month=first.strftime("%Y-%m")))
    return found
