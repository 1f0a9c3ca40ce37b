"""Quote a whole entry: the lines' duties plus the fees charged once per entry.

- MPF (19 USC 58c(a)(9)(A), (b)(8)(A)(i); 19 CFR 24.23(b)(1)(i)): 0.3464% of the value of
  all the entry's (foreign) lines, then the fiscal year's minimum and maximum applied
  **once per entry** — which is why one weekly entry (19 USC 1484(i)) beats many.
  Rounded to the cent half up once, after floor and cap.
- HMF (26 USC 4461; 19 CFR 24.24): 0.125% of the value of the lines that arrived by
  commercial vessel; nothing for air, truck, rail or mail. A line without a mode of
  transport cannot be decided: the HMF is then not computed, with the reason.
A fee that cannot be computed (no fee table for the fiscal year, a line without a mode for
HMF) is None with the reason, and so is the entry total; it is never silently taken as 0
or from another year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from zonekeeper.duty.quote import (
    CONTENT_UNUSED,
    LineItem,
    LineQuote,
    content_keys_used,
    item_problems,
    quote_valid,
)
from zonekeeper.entry_fees import by_vessel, hmf_exact, mpf_due
from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.money import ZERO, cents, in_money_context, usd
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.countries import parse_country
from zonekeeper.tariff.measures import Program
from zonekeeper.tariff.rate_parser import parse_rate, parse_special
from zonekeeper.tariff.units import QUANTITY_KEYS, UNITS

# Below this value an entry may be informal, which pays a flat MPF (19 CFR 24.23(b)(1)(ii);
# 19 CFR 143.21(a)).
FORMAL_ENTRY_THRESHOLD = Decimal(2500)


@dataclass(frozen=True)
class FeeLine:
    """One fee with its derivation; `amount` None when it cannot be computed."""

    fee: str  # MPF | HMF
    rate: str
    basis: Decimal
    exact: Decimal | None
    amount: Decimal | None
    bound: str  # ad valorem | minimum | maximum | not applicable
    source: str
    reason: str | None = None
    caveat: str = ""  # why the fee's terms are not confirmed, if they are not


@dataclass(frozen=True)
class EntryQuote:
    """The priced entry: lines, duty, MPF once per entry, HMF for vessel lines, total."""

    lines: tuple[LineQuote, ...]
    duty: Decimal | None
    mpf: FeeLine
    hmf: FeeLine
    total: Decimal | None
    warnings: tuple[Problem, ...]  # of the entry as a whole, each of severity "warning"
    on: date
    rows: tuple[int, ...] = ()  # the source row of each line (entry CSV), when read from one

    def where(self, number: int) -> str:
        """`line 2` or `line 2 (row 3)`: how a message names line `number` (1-based)."""
        return line_name(number, self.rows, len(self.lines))

    @property
    def revisions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(line.revision for line in self.lines))


def line_name(number: int, rows: Sequence[int], lines: int) -> str:
    """`line 2` or `line 2 (row 3)` (the entry CSV's row, when each of the `lines` has one)."""
    if rows and len(rows) == lines:
        return f"line {number} (row {rows[number - 1]})"
    return f"line {number}"


@in_money_context
def mpf_fee(tariff: Tariff, value: Decimal, on: date) -> FeeLine:
    """MPF on an entry of foreign value `value` filed on `on` (19 CFR 24.23(b)(1)(i)): the
    fiscal year's terms applied by `entry_fees.mpf_due` (no foreign value: no MPF)."""
    try:
        terms = tariff.fees.mpf_terms(on)
    except CannotCompute as error:
        return FeeLine("MPF", "0.3464%", value, None, None, "not computed",
                       "19 CFR 24.23(b)(1)(i)", error.reason)  # fmt: skip
    due = mpf_due(value, terms)
    return FeeLine(
        "MPF",
        f"{terms.rate_pct.normalize()}% (min {usd(terms.minimum)}, max {usd(terms.maximum)})",
        value, due.exact, due.amount, due.bound,
        f"{terms.fiscal_year}: {terms.source}", caveat=terms.caveat,
    )  # fmt: skip


@in_money_context
def hmf_fee(
    tariff: Tariff, vessel_value: Decimal, on: date, no_mode: Sequence[str] = ()
) -> FeeLine:
    """HMF on the value of vessel cargo (26 USC 4461; 19 CFR 24.24).

    `no_mode` names the lines whose mode of transport was not given: HMF is owed on
    commercial vessel cargo only, so for them it cannot be decided, and the fee is None with
    the reason (never 0: nothing says those goods did not come by vessel)."""
    if no_mode:
        return FeeLine("HMF", "0.125%", vessel_value, None, None, "not computed",
                       "19 CFR 24.24: commercial vessel cargo only",
                       f"no mode of transport given for {', '.join(no_mode)}: HMF is owed on "
                       f"vessel cargo only (19 CFR 24.24), so it cannot be decided; give the "
                       f"mode (vessel, air, truck, rail or mail)")  # fmt: skip
    if vessel_value == 0:
        return FeeLine("HMF", "0.125%", ZERO, ZERO, ZERO, "not applicable",
                       "19 CFR 24.24: commercial vessel cargo only")  # fmt: skip
    try:
        terms = tariff.fees.hmf_terms(on)
    except CannotCompute as error:
        return FeeLine("HMF", "0.125%", vessel_value, None, None, "not computed",
                       "19 CFR 24.24", error.reason)  # fmt: skip
    exact = hmf_exact(vessel_value, terms.rate)
    return FeeLine("HMF", f"{(terms.rate * 100).normalize()}%", vessel_value, exact,
                   cents(exact), "ad valorem", terms.source)  # fmt: skip


@in_money_context
def quote_entry(
    tariff: Tariff,
    items: Sequence[LineItem],
    on: date,
    *,
    frozen_on: date | None = None,
    file: str | None = None,
    rows: Sequence[int] | None = None,
    problems: Sequence[Problem] = (),
) -> EntryQuote:
    """Price every line on `on`, then MPF once for the entry and HMF on vessel lines.

    `frozen_on` prices every line as privileged-foreign goods frozen on that date
    (19 CFR 146.65(a)(1)); the fees are always those of the filing date `on`.
    Every bad line is reported at once (InputError with one problem per line and field);
    problems carry `file` and the line's `rows` entry (default: the line number, or no row
    for a one-line entry). `problems` already found by a reader are reported with them.
    """
    if not items:
        raise InputError(Problem("an entry needs at least one line", field="lines",
                                 code="duty.entry.no-lines"))
    quotes: list[LineQuote] = []
    found: list[Problem] = list(problems)
    for index, item in enumerate(items):
        quoted, line_found = check_line(tariff, item, on, frozen_on=frozen_on)
        if quoted is not None:
            quotes.append(_with_unused_content(tariff, quoted, on, frozen_on))
        if line_found:
            if rows is not None:
                row: int | None = rows[index]
            else:
                row = None if len(items) == 1 else index + 1
            found.extend(
                replace(p, file=p.file or file, row=p.row if p.row is not None else row)
                for p in line_found
            )
    if found:
        raise InputError(sorted(found, key=lambda p: p.row or 0))
    value = sum((q.item.value for q in quotes), ZERO)
    vessel = sum((q.item.value for q in quotes if by_vessel(q.item.mode)), ZERO)
    no_mode = [
        line_name(n, rows or (), len(quotes)) if len(quotes) > 1 else "the line"
        for n, q in enumerate(quotes, start=1) if by_vessel(q.item.mode) is None
    ]  # fmt: skip
    mpf = mpf_fee(tariff, value, on)
    hmf = hmf_fee(tariff, vessel, on, no_mode)
    warnings: list[Problem] = []
    if value < FORMAL_ENTRY_THRESHOLD:
        warnings.append(Problem(
            f"entered value {usd(value)} is under $2,500: an informal entry would pay a flat "
            f"MPF instead (19 CFR 24.23(b)(1)(ii)); formal-entry MPF shown",
            code="duty.entry.informal-value", severity="warning"))
    if any(q.item.mode == "mail" for q in quotes):
        warnings.append(Problem("mail shipments may be informal mail entries with a flat fee; "
                                "formal-entry MPF shown", code="duty.entry.mail",
                                severity="warning"))  # fmt: skip
    for fee in (mpf, hmf):
        if fee.reason:
            warnings.append(Problem(f"{fee.fee} not computed: {fee.reason}",
                                    code="duty.entry.fee-not-computed", severity="warning"))
        if fee.caveat:
            warnings.append(Problem(fee.caveat, code="duty.entry.fee-unconfirmed",
                                    severity="warning"))
    duties = [q.duty for q in quotes]
    duty = None if any(d is None for d in duties) else sum((d for d in duties if d), ZERO)
    total = None
    if duty is not None and mpf.amount is not None and hmf.amount is not None:
        total = duty + mpf.amount + hmf.amount
    return EntryQuote(tuple(quotes), duty, mpf, hmf, total, tuple(warnings), on,
                      tuple(rows) if rows is not None else ())  # fmt: skip


@in_money_context
def check_line(
    tariff: Tariff, item: LineItem, on: date, *, frozen_on: date | None = None
) -> tuple[LineQuote | None, list[Problem]]:
    """One validation pass over one line: its quote, or every problem with it.

    The item is checked once (`item_problems`); a good item is quoted without checking it
    again. Only when the tariff refuses it (`quote_valid` stops at the first stage that
    fails: the HTS code, the SPI, the quantities) are the stages asked one by one, so that
    a user sees every problem at once (`line_problems`)."""
    valid, problems = item_problems(item)
    if not problems:
        try:
            quoted = quote_valid(tariff, valid, on, frozen_on=frozen_on)
        except InputError as error:
            return None, _stage_problems(tariff, valid, on, frozen_on, []) or list(
                error.problems
            )
        found = content_problems(tariff, valid.content)
        return (None, found) if found else (quoted, [])
    return None, _stage_problems(tariff, item, on, frozen_on, problems)


@in_money_context
def line_problems(
    tariff: Tariff, item: LineItem, on: date, *, frozen_on: date | None = None
) -> list[Problem]:
    """Every problem with one line, each naming its field (empty: the line can be quoted);
    the item checked once (`item_problems`), then each stage of the tariff."""
    valid, problems = item_problems(item)
    return _stage_problems(tariff, valid, on, frozen_on, problems)


def _stage_problems(
    tariff: Tariff, item: LineItem, on: date, frozen_on: date | None, problems: list[Problem]
) -> list[Problem]:
    """`problems` (the item's own) and those of every stage of the tariff: the HTS code, the
    SPI, the content kinds and, when the HTS, origin and SPI are good (they decide which
    rate applies), the quantities the rate needs."""
    problems = list(problems)
    origin_ok = not any(p.field == "origin" for p in problems)
    line_ok = False
    try:
        tariff.schedule.line(item.hts, frozen_on or on)
        line_ok = True
    except InputError as error:
        problems.extend(error.problems)
    except CannotCompute:
        pass  # no revision for the date: the quote reports it as cannot compute
    spi_ok = True
    if item.spi:
        try:
            tariff.programs.get(item.spi)
        except InputError as error:
            problems.extend(error.problems)
            spi_ok = False
    problems.extend(content_problems(tariff, item.content))
    if line_ok and origin_ok and spi_ok:
        probe = LineItem(
            item.hts, parse_country(item.origin), max(item.value, ZERO),
            {unit: abs(q) for unit, q in item.quantities.items() if unit in QUANTITY_KEYS},
            item.spi, None, {}, item.adcvd,
        )  # fmt: skip
        try:
            quote_valid(tariff, probe, on, frozen_on=frozen_on)
        except InputError as error:
            problems.extend(error.problems)
    return list(dict.fromkeys(problems))


def known_content_keys(tariff: Tariff) -> frozenset[str]:
    """Every content key a rate of a loaded revision or a Chapter 99 measure can levy on
    (kept in the tariff's own caches)."""
    found: frozenset[str] | None = tariff.caches.get("duty.content_keys")
    if found is None:
        found = tariff.caches["duty.content_keys"] = _content_keys(tariff)
    return found


def _content_keys(tariff: Tariff) -> frozenset[str]:
    keys: set[str] = set()
    for column, text in tariff.schedule.distinct_rate_texts():
        rates = list(parse_special(text).rates()) if column == "special" else [parse_rate(text)]
        for rate in rates:
            keys |= rate.needs
            if rate.cap_key is not None:
                keys.add(rate.cap_key)
    for measure in tariff.measures.measures:
        keys |= measure.rate.needs
    return frozenset(key for key in keys if key not in UNITS)


def _known_key(key: str, known: frozenset[str]) -> bool:
    """A known key, or a content quantity in another unit of a known one (`copper_t`)."""
    if key in known:
        return True
    subject, _, unit = key.rpartition("_")
    return bool(subject) and unit in UNITS and any(
        k.startswith(f"{subject}_") and k[len(subject) + 1 :] in UNITS for k in known
    )


def content_problems(tariff: Tariff, content: Mapping[str, Decimal]) -> list[Problem]:
    """A content kind no rate or measure knows is a typo to report, not a value to ignore."""
    if not content:
        return []
    known = known_content_keys(tariff)
    unknown = [key for key in content if not _known_key(key, known)]
    if not unknown:
        return []
    metals = sorted({m.content_key for m in tariff.measures.measures if m.content_key})
    return [
        Problem(
            f"unknown content kind {key!r}: known kinds are the metals of Section 232 "
            f"({', '.join(metals)}) and the content keys of the rates: "
            f"{', '.join(sorted(known - set(metals)))}",
            field="content",
            code="duty.line.unknown-content",
        )
        for key in unknown
    ]


def _with_unused_content(
    tariff: Tariff, quote: LineQuote, on: date, frozen_on: date | None
) -> LineQuote:
    """Warn of each content value given that no rate or measure of the line reads."""
    item = quote.item
    if not item.content or not quote.revision:
        return quote
    used = content_keys_used(tariff, item, on, frozen_on=frozen_on)
    unused = [key for key in item.content if key not in used]
    if not unused:
        return quote
    base = next((c for c in quote.components if c.program is Program.BASE), None)
    rate = f"{quote.column} rate {base.rate!r}" if base is not None else f"{quote.column} rate"
    measures = [c.heading for c in quote.components
                if c.program not in (Program.BASE, Program.ADCVD)]  # fmt: skip
    applying = ", ".join(measures) if measures else "none"
    notes = tuple(
        f"content {key}={item.content[key]} was not used: neither the {rate} of "
        f"{quote.hts} nor the Chapter 99 measures applying on {on.isoformat()} "
        f"({applying}) are levied on {key.replace('_', ' ')} content"
        for key in unused
    )
    return replace(quote, warnings=quote.warnings + notes,
                   warning_codes=quote.warning_codes + (CONTENT_UNUSED,) * len(notes))
