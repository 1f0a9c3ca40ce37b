"""Tariff use cases: check the rate parser (or the shipped product lists) on the loaded
revisions, import a USITC export as a dated revision, list the revisions, show one line.

They read the schedule the user has (shipped plus imported revisions, `sources.revisions`),
not the whole tariff: a check or a look-up needs no Chapter 99 measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zonekeeper.app.context import Context
from zonekeeper.dates import date_option
from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.io.tabular import ENCODING_HELP, check_file, read_head, separator_problem
from zonekeeper.sources.history import (
    TariffStatus,
    codes_and_footnotes,
    rate_text_sources,
    tariff_status,
)
from zonekeeper.sources.revisions import import_revision, load_schedule
from zonekeeper.sources.shipped import data_text
from zonekeeper.tariff.check import CheckReport, Unparsed, check_texts, unparsed_in
from zonekeeper.tariff.list_check import ListDifference, check_lists
from zonekeeper.tariff.measures import coverage_tables
from zonekeeper.tariff.schedule import Revision, TariffLine


def check() -> CheckReport:
    """Parse every distinct rate text of every loaded revision (the shipped history's read
    from its columns, without building the revisions); those that do not parse, each known
    error of the source with its reason."""
    return check_texts(rate_text_sources(load_schedule()))


def status(context: Context) -> TariffStatus:
    """The loaded revisions with their dates and origin, and the horizon: how far the
    context's today lies beyond the newest revision (quotes dated after it warn)."""
    return tariff_status(load_schedule(), context.today())


def check_measures() -> list[ListDifference]:
    """The shipped Section 301/232 product lists against each loaded revision
    (`tariff.list_check`): codes a list names that the revision lacks, and — on the
    revisions from the shipped history, whose JSON exports carry footnotes — lines the
    schedule footnotes to a Section 301 heading that its list omits, and listed lines it
    does not footnote. A revision shipped or imported as CSV has no footnotes: only absent
    codes are checked on it (`not_checkable`)."""
    lists = coverage_tables(data_text)
    return [
        difference
        for name, codes, footnotes in codes_and_footnotes(load_schedule())
        for difference in check_lists(name, codes, lists, footnotes)
    ]


def revisions() -> tuple[Revision, ...]:
    """The loaded revisions, in the order they come into force."""
    return tuple(load_schedule().revisions)


@dataclass(frozen=True)
class Imported:
    """The revision stored, and its rate texts the parser cannot read (quotes on those lines
    say "cannot compute": a warning, not a refusal)."""

    revision: Revision
    unparsed: tuple[Unparsed, ...]


def import_(file: Path, effective: str, name: str | None = None, *,
            replace: bool = False) -> Imported:  # fmt: skip
    """Validate a USITC export and add it to the tariff store as a revision in force from
    `effective`; a date already taken is refused unless `replace`. Nothing is written on
    error."""
    refused = check_file(file)  # the check every input file passes (a FIFO would block)
    if refused is None and file.suffix.lower() == ".csv":
        # A USITC export opened and saved again by Excel where ',' is the decimal mark has
        # ';' between columns: refused in one line, as every reader of a CSV refuses it.
        # A USITC export is UTF-8: one in another encoding (Excel's "Unicode Text", its
        # Windows-1252 "CSV") is refused in one line naming it, as every input file is.
        start, problems, encoding = read_head(file)
        if start is None:
            refused = problems[0]
        else:
            refused = separator_problem(start, str(file), encoding)
        if refused is None and encoding != "UTF-8":
            refused = Problem(
                f"the file is {encoding} text; a USITC export is read as UTF-8: "
                f"{ENCODING_HELP}", file=str(file), code="tariff.export.not-utf8")
    if refused is not None:
        raise InputError(refused)
    revision = import_revision(file, date_option(effective, "effective"), name, replace=replace)
    return Imported(revision, tuple(unparsed_in(revision)))


def show(context: Context, code: str, on: str | None = None) -> tuple[TariffLine, Revision]:
    """The line `code` of the revision in force on `on` (default: the context's today)."""
    day = date_option(on, "date") if on else context.today()
    try:
        return load_schedule().line(code, day)
    except CannotCompute as error:  # no revision in force on the date: nothing to show
        raise InputError(
            Problem(error.reason, field="date", code="tariff.show.no-revision")
        ) from None
