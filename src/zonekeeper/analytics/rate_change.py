"""Rate changes: what the tariff in force on the as-of day would charge the importer's last
year of imports, against what the tariff charged on their entry dates (continuous
monitoring: a new revision or measure that moves the duty on goods this importer buys).

Both figures come from the duty engine (`ports.Pricer`), per line, with the line's own
preference claim; lines it cannot price on either date are left out (the data-quality report
counts them), and so are lines that paid IEEPA duty: its end (2026-02-24) is recovered
under `ieepa_refund`, not counted twice. One finding per HTS number and origin whose duty
moved. The amount is the size of the change over the year's lines (a forecast of the next
year's difference if the same goods come in, not money paid back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from zonekeeper.analytics.findings import Opportunity, supplier_of
from zonekeeper.analytics.ieepa import ieepa_duty
from zonekeeper.analytics.ports import Pricer
from zonekeeper.analytics.records import EntryLine
from zonekeeper.money import ZERO, fmt, in_money_context

WINDOW = timedelta(days=365)


@dataclass
class _Moved:
    then: Decimal = ZERO
    now: Decimal = ZERO
    value: Decimal = ZERO
    lines: list[EntryLine] = field(default_factory=list)


@in_money_context
def rate_changes(lines: Sequence[EntryLine], pricer: Pricer, as_of: date) -> list[Opportunity]:
    """One finding per HTS number and origin whose duty differs between the entry dates and
    `as_of`, over the lines entered in the year up to `as_of`."""
    groups: dict[tuple[str, str], _Moved] = {}
    for line in lines:
        if not as_of - WINDOW < line.entry_date <= as_of or not line.origin:
            continue
        if ieepa_duty(line) > ZERO:
            continue
        spi = line.spi or None
        then = pricer.price(line, spi).duty
        if then is None:
            continue
        now = pricer.price(replace(line, entry_date=as_of), spi).duty
        if now is None:
            continue
        moved = groups.setdefault((line.hts, line.origin), _Moved())
        moved.then += then
        moved.now += now
        moved.value += line.value
        moved.lines.append(line)
    found = []
    for (hts, origin), moved in sorted(groups.items()):
        change = moved.now - moved.then
        if change == ZERO:
            continue
        first = min(x.entry_date for x in moved.lines)
        last = max(x.entry_date for x in moved.lines)
        up = change > ZERO
        found.append(Opportunity(
            "rate_change", abs(change), tuple(sorted({x.entry for x in moved.lines})),
            (f"{len(moved.lines)} line(s) entered {first} to {last}, value "
             f"{fmt(moved.value)}: duty {fmt(moved.then)} at the tariff on their entry dates, "
             f"{fmt(moved.now)} at the tariff in force on {as_of}",),
            "a forecast from last year's lines at today's tariff, not money paid back; past "
            "entries keep the rate of their date unless a change was retroactive",
            ("the same goods now pay more: price it into sourcing, and consider a zone "
             "(privileged foreign status fixes the rate at admission, 19 CFR 146.65), "
             "drawback on exports, or another origin") if up else
            ("the same goods now pay less: check that entries use the new rate; a retroactive "
             "change is claimed by post-summary correction or protest"),
            title=f"HTS {hts} from {origin}: duty {'up' if up else 'down'} "
                  f"{fmt(abs(change))} on a year's lines",
            supplier=supplier_of(x.manufacturer for x in moved.lines),
            month=first.strftime("%Y-%m")))
    return found
