"""Refunds of the IEEPA duties (struck down by the Supreme Court on 2026-02-20; collection
ended for entries from 2026-02-24, CSMS #67834313): per entry, the IEEPA duty paid, the
route by liquidation status and date as the law and CBP's guidance stood in 2026, the
deadline and the interest (19 U.S.C. 1505(c), `interest`).

IEEPA duty is the duty of the 9903.01.xx and 9903.02.xx rows (or a file's IEEPA duty
column). Section 301 (9903.88.xx and others) is not refundable through CAPE and never counted.

Routes (`route`):
- `cape`: the Consolidated Administration and Processing of Entries tab of the ACE Portal,
  phase 1 open from 2026-04-20 for unliquidated entries and entries liquidated within the
  last 80 days (an entry whose 80 days end before CAPE opens cannot use it); not for entry
  types 08, 09 and 47 (CBP's CAPE validations);
- `post_summary_correction`: an unliquidated entry CAPE does not take: a PSC within 300 days
  of entry and 15 days before the scheduled liquidation (19 CFR 101.9(b)); refund at
  liquidation;
- `protest`: liquidated more than 80 days ago (or not CAPE-eligible), within 180 days after
  liquidation (19 U.S.C. 1514(c)(3));
- `court`: finally liquidated (the protest window closed): the Court of International Trade
  (28 U.S.C. 1581); the outcome of the appeal filed 2026-06-02 was not known;
- `unknown`: the file says the entry is liquidated but gives no date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from zonekeeper.analytics.findings import Opportunity, supplier_of
from zonekeeper.analytics.interest import QuarterRate, accrue
from zonekeeper.analytics.records import Chapter99Row, EntryLine
from zonekeeper.money import ZERO, fmt, in_money_context

IEEPA_PREFIXES = ("990301", "990302")
CAPE_OPENED = date(2026, 4, 20)
CAPE_LIQUIDATED_DAYS = 80
PROTEST_DAYS = 180  # 19 U.S.C. 1514(c)(3)(A)
PSC_DAYS = 300  # 19 CFR 101.9(b)(1)(i)
NOT_CAPE_TYPES = frozenset({"08", "09", "47"})
LIQUIDATED_WORDS = frozenset({"liquidated", "l", "final", "finally liquidated"})
CAPE_BATCH = 9999
"""Entry numbers per CAPE declaration (the upload is a CSV with one `Entry Number` column)."""


@dataclass(frozen=True)
class Route:
    """How a refund is had, by when, and why."""

    name: str
    deadline: date | None
    action: str
    risk: str


def ieepa_rows(line: EntryLine) -> tuple[Chapter99Row, ...]:
    """The line's IEEPA rows: 9903.01.xx and 9903.02.xx, or a file's IEEPA duty column."""
    return tuple(c for c in line.chapter99
                 if c.heading.startswith(IEEPA_PREFIXES) or c.program == "ieepa")


def ieepa_duty(line: EntryLine) -> Decimal:
    """The IEEPA duty of one line (see the module docstring)."""
    return sum((c.duty for c in ieepa_rows(line)), ZERO)


def _dotted(heading: str) -> str:
    """9903.01.24 as CBP writes a Chapter 99 heading (10 digits: 9903.01.24.00)."""
    parts = [heading[:4], heading[4:6], heading[6:8], heading[8:10]]
    return ".".join(p for p in parts if p)


def _entry_type(code: str) -> str:
    return code.strip().zfill(2) if code.strip() else ""


def route(entry_type: str, entry_date: date, status: str, liquidated: date | None,
          as_of: date) -> Route:
    """The refund route of one entry on `as_of` (see the module docstring)."""
    cape_ok = _entry_type(entry_type) not in NOT_CAPE_TYPES
    later = "" if as_of >= CAPE_OPENED else f" (CAPE opens {CAPE_OPENED})"
    if liquidated is None or liquidated > as_of:
        if status.strip().lower() in LIQUIDATED_WORDS and liquidated is None:
            return Route("unknown", None, "find the liquidation date (ACE ES-003 with the "
                         "Liquidation Date column, or the bulletin notice) to route the refund",
                         "liquidated without a date: CAPE's 80-day window and the 180-day "
                         "protest window cannot be checked")
        if cape_ok:
            return Route("cape", None,
                         f"declare the entry in CAPE (ACE Portal){later}; the refund is paid "
                         "at liquidation with interest; enroll in ACH refunds first",
                         "CAPE refuses an entry tied to drawback, under an open protest or "
                         "flagged for reconciliation (phase 2 from 2026-06-29 takes 01/02/06 "
                         "reconciliation-flagged entries with no type 09 filed)")
        deadline = entry_date + timedelta(days=PSC_DAYS)
        if deadline >= as_of:
            return Route("post_summary_correction", deadline,
                         "file a post-summary correction removing the IEEPA duty (19 CFR "
                         "101.9(b)), at least 15 days before the scheduled liquidation",
                         f"entry type {entry_type} is outside CAPE; if the PSC window "
                         "closes, protest within 180 days after liquidation")
        return Route("protest", None, "wait for liquidation, then protest within 180 days "
                     "(19 U.S.C. 1514)", f"entry type {entry_type} is outside CAPE and the "
                     "PSC window has closed")
    days = (as_of - liquidated).days
    protest_by = liquidated + timedelta(days=PROTEST_DAYS)
    cape_until = liquidated + timedelta(days=CAPE_LIQUIDATED_DAYS)
    if cape_ok and days <= CAPE_LIQUIDATED_DAYS and cape_until >= CAPE_OPENED:
        return Route("cape", cape_until,
                     f"declare the entry in CAPE (ACE Portal){later} before its 80-day window "
                     f"closes; if missed, protest by {protest_by} (19 U.S.C. 1514)",
                     "CAPE refuses an entry tied to drawback, under an open protest or "
                     "flagged for reconciliation")
    if days <= PROTEST_DAYS:
        return Route("protest", protest_by,
                     f"file a protest in ACE by {protest_by} (19 U.S.C. 1514(c)(3), 180 days "
                     "after liquidation) claiming the IEEPA duty back",
                     "a protest after the deadline is denied as untimely")
    return Route("court", None,
                 "finally liquidated: only the Court of International Trade (28 U.S.C. 1581) "
                 "can order a refund; consult counsel",
                 "the outcome of the appeal filed 2026-06-02 on finally liquidated entries "
                 "was not known; the refund may not be available")


@in_money_context
def ieepa_refunds(lines: Sequence[EntryLine], as_of: date,
                  rates: tuple[QuarterRate, ...]) -> list[Opportunity]:
    """One refund opportunity per entry with IEEPA duty (see the module docstring)."""
    # Each line's IEEPA duty is summed once: the lines that paid some, with what they paid.
    by_entry: dict[str, list[tuple[EntryLine, Decimal]]] = defaultdict(list)
    for line in lines:
        paid = ieepa_duty(line)
        if paid > ZERO:
            by_entry[line.entry].append((line, paid))
    found = []
    for entry, paid_lines in sorted(by_entry.items()):
        group = [line for line, _ in paid_lines]
        amount = sum((paid for _, paid in paid_lines), ZERO)
        first = min(group, key=lambda x: x.entry_date)
        liquidated = next((x.liquidation_date for x in group if x.liquidation_date), None)
        status = next((x.liquidation_status for x in group if x.liquidation_status), "")
        chosen = route(first.entry_type, first.entry_date, status, liquidated, as_of)
        accrued = accrue(amount, first.entry_date, as_of, rates)
        evidence = [f"line {x.line}: " + ", ".join(
            f"{_dotted(c.heading) or c.program} {fmt(c.duty)}" for c in ieepa_rows(x))
            for x in group]
        status_text = f"liquidated {liquidated}" if liquidated else (status or "unliquidated")
        evidence.insert(0, f"entry date {first.entry_date}, type {first.entry_type or '?'}, "
                           f"{status_text}")
        note = ("interest under 19 U.S.C. 1505(c) at the corporate overpayment rate (26 U.S.C. "
                f"6621(a)(1)), from the entry date to {accrued.through or '?'} (it runs on to "
                "the refund's liquidation or reliquidation), compounded daily; the deposit "
                "date is taken as the entry date; a non-corporate importer "
                "earns one point more, a corporation's refund over $10,000 may earn less")
        found.append(Opportunity(
            "ieepa_refund", amount, (entry,), tuple(evidence),
            chosen.risk + "; Section 301 duty is not refundable through CAPE and is not "
            "counted", chosen.action, deadline=chosen.deadline, interest=accrued.interest,
            interest_note="; ".join(x for x in (note, accrued.note) if x), route=chosen.name,
            title=f"IEEPA duty on entry {entry}",
            supplier=supplier_of(x.manufacturer for x in group),
            month=first.entry_date.strftime("%Y-%m")))
    return found


def cape_batches(found: Sequence[Opportunity]) -> list[list[str]]:
    """The entry numbers of the `cape` route, in CAPE upload files of at most 9,999."""
    numbers = sorted(e for o in found if o.route == "cape" for e in o.entries)
    return [numbers[i:i + CAPE_BATCH] for i in range(0, len(numbers), CAPE_BATCH)]
