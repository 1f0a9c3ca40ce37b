"""The inverted-tariff saving on an import history: what the lines paid against what their
value would have paid as NPF content of a finished product (19 CFR 146.65(a)(2)).

Lines are grouped by HTS number, origin and date (the rule's inputs), so the tariff is asked
once per group. A group a measure forces into privileged foreign status (146.41; the
measures' FTZ clauses, `MeasureBook.pf_required`) saves nothing: it pays its own duty in
the zone too. A group whose finished-product duty cannot be computed makes the saving not
computable, with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from zonekeeper.advisor.roi import ImportedLine, InvertedTariff
from zonekeeper.duty.quote import LineItem, quote_line
from zonekeeper.errors import InputError
from zonekeeper.money import ZERO, cents, in_money_context, usd
from zonekeeper.tariff import Tariff


@in_money_context
def inverted_tariff(
    tariff: Tariff, lines: Sequence[ImportedLine], product_hts: str, finished_origin: str | None
) -> InvertedTariff:
    """The saving of NPF over the duty paid, line group by line group (never below 0: where
    NPF costs more the importer elects PF, 146.65(a)(1))."""
    groups: dict[tuple[str, str, dt.date], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line in lines:
        acc = groups[(line.hts, line.origin or "", line.import_date)]
        acc[0] += line.value
        acc[1] += line.duty
    saving = ZERO
    forced = ZERO
    for (hts, origin, day), (value, paid) in groups.items():
        if not origin:
            return InvertedTariff(None, f"HTS {hts} on {day}: the line has no origin, so "
                                  "neither the PF requirement nor the NPF duty can be found")
        if tariff.measures.pf_required(hts, origin, day):
            forced += paid
            continue
        item = LineItem(hts=product_hts, origin=finished_origin or origin, value=value)
        try:
            quote = quote_line(tariff, item, day)
        except InputError as error:
            return InvertedTariff(None, "finished product: " + error.problems[0].message)
        if quote.duty is None:
            return InvertedTariff(None, "finished product duty not computable: "
                                  + "; ".join(quote.cannot_compute))
        saving += max(ZERO, paid - quote.duty)
    return InvertedTariff(cents(saving), (
        f"duty paid on the lines minus the duty of their value as NPF content of HTS "
        f"{product_hts} on the same date (19 CFR 146.65(a)(2)), where lower, over "
        f"{len(groups):,} HTS/origin/date group(s); {usd(cents(forced))} of duty is on goods "
        "a measure requires to be admitted PF (146.41) and saves nothing"
    ))
