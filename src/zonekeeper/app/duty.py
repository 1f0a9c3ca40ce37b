"""Duty use cases: quote one line, quote an entry read from a CSV file.

Each takes the `Context` (the tariff) and the user's values as typed, checks all of them in
one pass and returns the priced `EntryQuote` (its documents: `app.outputs.duty`), or raises
`InputError` with every problem found. A problem of a value the user typed has no `file`
and names its field (`hts`, `value`, `date`...): the interface names its own option for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from zonekeeper.app.context import Context
from zonekeeper.dates import date_option
from zonekeeper.duty.entry import EntryQuote, line_problems, quote_entry
from zonekeeper.duty.quote import LineItem
from zonekeeper.errors import CannotCompute, Collector, InputError, Problem
from zonekeeper.io.entry_lines import ENTRY_LINES, parse_pairs
from zonekeeper.io.tabular import csv_text
from zonekeeper.money import ZERO, parse_decimal
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.fees import read_fees_csv
from zonekeeper.tariff.measures import AdcvdCase
from zonekeeper.tariff.units import read_unit


@dataclass(frozen=True)
class LineRequest:
    """One line to quote as the user typed it: texts where the use case parses them (value,
    dates, `KIND=USD` content, `CASE=PCT` AD/CVD), quantities already keyed by unit."""

    hts: str
    origin: str
    value: str
    on: str
    spi: str | None = None
    mode: str | None = None
    quantities: Mapping[str, Decimal] = field(default_factory=dict)
    content: Sequence[str] = ()
    adcvd: Sequence[str] = ()
    frozen_on: str | None = None
    fees: Path | None = None  # extra fee rows (e.g. next fiscal year's MPF)
    claims: tuple[str, ...] = ()  # Section 301 exclusion headings claimed (9903.88.69)


def quantities(pairs: Iterable[tuple[str, str]]) -> tuple[dict[str, Decimal], list[Problem]]:
    """Quantities as typed, `(NUMBER, UNIT)` pairs, keyed by the unit the tariff knows them
    by (`tariff.units.read_unit`: "kg", "No."...), with a problem (field `qty`) for each
    unknown unit or unreadable number. The CLI's `--qty` and the API's `qty` read them so."""
    found: dict[str, Decimal] = {}
    problems: list[Problem] = []
    for number, unit_text in pairs:
        unit = read_unit(unit_text)
        if unit is None:
            problems.append(Problem(f"unknown unit {unit_text!r}", field="qty",
                                    code="duty.option.unknown-unit"))
            continue
        try:
            found[unit.key] = parse_decimal(number)
        except ValueError as error:
            problems.append(Problem(str(error), field="qty", code="duty.option.qty"))
    return found, problems


def quote(context: Context, request: LineRequest, problems: Sequence[Problem] = ()) -> EntryQuote:
    """Quote one line with the entry's fees on `request.on` (19 CFR 146.65(a)(1) when
    `frozen_on` is given: the line as privileged-foreign goods frozen that day).

    `problems` the interface found already (a malformed quantity) are reported with the
    rest; every option and the line against the tariff are checked in one pass."""
    values = Collector(problems)
    found = values.problems
    contents: dict[str, Decimal] = {}
    cases: list[AdcvdCase] = []
    for text in request.content:
        try:
            contents.update(parse_pairs(text, "content"))
        except ValueError as error:
            found.append(Problem(str(error), field="content", code="duty.option.content"))
    for text in request.adcvd:
        try:
            pairs = parse_pairs(text, "AD/CVD case")
            cases += [AdcvdCase(c, p, AdcvdCase.infer_kind(c)) for c, p in pairs.items()]
        except ValueError as error:
            found.append(Problem(str(error), field="adcvd", code="duty.option.adcvd"))
    amount = values.read(lambda: _decimal(request.value, "value"))
    when = values.read(lambda: date_option(request.on, "date"))
    frozen_on = (values.read(lambda: date_option(request.frozen_on, "frozen-on"))
                 if request.frozen_on else None)  # fmt: skip
    tariff = _tariff(context, request.fees)
    if frozen_on is not None:  # the PF freeze date classifies the goods (146.65(a)(1))
        found.extend(_no_revision(tariff, frozen_on, "frozen-on"))
    elif when is not None:
        found.extend(_no_revision(tariff, when, "date"))
    item = LineItem(request.hts, request.origin, amount if amount is not None else ZERO,
                    request.quantities, request.spi,
                    request.mode.lower() if request.mode else None, contents,
                    tuple(cases), request.claims)  # fmt: skip
    if found:
        # Check the line too, so one run lists every problem: against the dates given, or
        # (a date being bad) the latest loaded revision.
        latest = tariff.schedule.revisions[-1].effective if tariff.schedule.revisions else None
        check_on = when or latest
        if check_on is not None:
            of_line = line_problems(tariff, item, check_on, frozen_on=frozen_on)
            if amount is None:  # the value is reported as unparsable already
                of_line = [p for p in of_line if p.field != "value"]
            found.extend(p for p in of_line if p not in found)
        raise InputError(found)
    assert when is not None
    return quote_entry(tariff, [item], when, frozen_on=frozen_on)


# A line whose quote builds what every quote reads lazily (the revision's rows, the measure
# book, the metal-content keys): real in the shipped 2026 tariff.
_WARM_UP = LineRequest("7411.10.50.00", "CN", "120", "2026-03-01", content=("copper=110",))


def warm_up(context: Context) -> bool:
    """Load the tariff and build its lazy indexes before the first request asks (a server
    worker does this as it starts: the first quote would otherwise take seconds). False
    when the warm-up line cannot be quoted on this tariff (nothing is wrong then: each
    index is built when first needed instead)."""
    try:
        quote(context, _WARM_UP)
    except InputError:
        return False
    return True


def quote_file(context: Context, file: Path, on: str, fees: Path | None = None) -> EntryQuote:
    """Quote every line of an entry CSV (`io.entry_lines.ENTRY_LINES`) filed on `on`: the
    MPF floor and cap applied once for the entry (19 CFR 24.23(b)(1)(i)). Every problem of
    the file, the date and the lines against the tariff is reported at once."""
    values = Collector()
    when = values.read(lambda: date_option(on, "date"))
    problems = values.problems
    tariff = _tariff(context, fees)
    if when is not None:
        problems.extend(_no_revision(tariff, when, "date"))
    try:
        numbered, found = ENTRY_LINES.read_items(file)
    except InputError as error:
        raise InputError([*error.problems, *problems]) from None
    problems = found + problems
    if not numbered or when is None or any(p.file is None for p in problems):
        raise InputError(problems)
    return quote_entry(
        tariff,
        [item for _, item in numbered],
        when,
        file=str(file),
        rows=[row for row, _ in numbered],
        problems=problems,
    )


def _tariff(context: Context, fees: Path | None) -> Tariff:
    """The context's tariff, with the user's fee rows (e.g. FY2028 MPF) added when given."""
    tariff = context.tariff
    if fees is None:
        return tariff
    text, _encoding = csv_text(fees)
    return replace(tariff, fees=tariff.fees.with_rows(read_fees_csv(text, str(fees))))


def _decimal(text: str, name: str) -> Decimal:
    try:
        return parse_decimal(text)
    except ValueError as error:
        raise InputError(Problem(str(error), field=name, code="duty.option.not-a-number")) from None


def _no_revision(tariff: Tariff, day: date, name: str) -> list[Problem]:
    """A date no loaded revision covers is bad input: nothing could be classified on it."""
    try:
        tariff.schedule.revision_on(day)
    except CannotCompute as error:
        reason = (f"{error.reason}; import the revision in force then with "
                  f"`zonekeeper tariff import FILE --effective DATE`")  # fmt: skip
        return [Problem(reason, field=name, code="duty.option.no-revision")]
    return []
