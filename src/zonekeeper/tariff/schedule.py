"""The effective-dated tariff schedule: HTSUS revisions, each in force from its date.

USITC publishes the HTSUS as a Basic Edition and numbered revisions; a revision governs the
goods entered (or, for privileged foreign status, admitted: 19 CFR 146.65(a)(1)) on or after
its effective date until the next one. A lookup therefore takes a date, picks the revision in
force on it and names that revision in the result, so every duty can cite its source.

Rates of duty sit on the 8-digit tariff line; 10-digit statistical lines inherit them (HTSUS
General Note 1; the USITC export leaves their rate columns empty). Where the export prints the
rates on a 10-digit line with no 8-digit parent, that line is its own rate line.

This module is pure: it builds revisions from `SourceRow`s (parsed from the USITC exports by
`zonekeeper.tariff.usitc`); the files and the cache are `zonekeeper.sources.revisions`'
(the shell, which imports this module, never the other way round).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.tariff.codes import HtsCode
from zonekeeper.tariff.expressions import Rate, SpecialRates
from zonekeeper.tariff.rate_parser import parse_rate, parse_special
from zonekeeper.tariff.units import quantity_unit_key

_DOTTED = re.compile(r"\d{4}(?:\.\d{2}){0,3}")
# An 8- or 10-digit code as users and the schedule write it, ASCII digits only.
_PLAIN = re.compile(r"\d{4}\.\d{2}\.\d{2}(?:\.\d{2})?|\d{8}|\d{10}", re.ASCII)
_EMPTY_RATE = parse_rate("")
_EMPTY_SPECIAL = parse_special("")
_NOTES_LIMIT = 65_536  # (revision, day) notes kept (`Schedule.notes`); emptied when full


@dataclass(frozen=True)
class SourceRow:
    """One record of a USITC export, as read (a label row has an empty `hts`)."""

    row: int
    hts: str
    indent: int
    description: str
    units: tuple[str, ...] = ()
    general: str = ""
    special: str = ""
    column2: str = ""
    additional: str = ""


@dataclass(frozen=True)
class TariffLine:
    """One line of the schedule, with the rates that apply to it (own or inherited).

    `rate_code` is the line the rates are printed on (the 8-digit line for a statistical
    line). A label row ("Horses:") appears only in `Revision.ancestors`, with `is_label` set
    and the code of the line it sits under.
    """

    code: HtsCode
    indent: int
    description: str
    units: tuple[str, ...]
    general: Rate
    special: SpecialRates
    column2: Rate
    rate_code: HtsCode
    additional: str = ""
    is_label: bool = False

    @property
    def has_rates(self) -> bool:
        return bool(self.general.text.strip() or self.special.text.strip()
                    or self.column2.text.strip())

    @property
    def unit_keys(self) -> tuple[str, ...]:
        """The units of quantity as canonical keys (see `zonekeeper.tariff.units.UNITS`)."""
        return tuple(quantity_unit_key(u) for u in self.units)


# A row as the revision keeps it: digits ('' for a label), indent, description, units,
# general, special, column 2, additional duties. Plain tuples of strings and ints are what the
# cache stores (as JSON, `sources/revisions.py`) and are made back cheaply, which is what makes a
# warm start cheap; lines are built on first use.
Row = tuple[str, int, str, tuple[str, ...], str, str, str, str]


# What a deferred revision makes on first use (`Revision.deferred`).
_DEFERRED = frozenset({"_rows", "_parents", "_rate_rows", "_index", "_codes"})
Parts = tuple[Sequence[Row], Sequence[int], Sequence[int]]


class Revision:
    """One edition or revision of the HTSUS, in force from `effective`.

    Holds the rows compactly and builds each `TariffLine` (parsing its rates) on first use.
    """

    # The date the revision itself came into force, where later than `effective` (a year's
    # last revision standing in for the earlier ones of its year, `tariff.history`).
    in_force: date | None = None
    _size: int | None = None
    _texts: Callable[[], frozenset[tuple[str, str]]] | None = None

    def __init__(self, name: str, effective: date, rows: Sequence[Row],
                 parents: Sequence[int], rate_rows: Sequence[int], source: str = "") -> None:
        self.name = name
        self.effective = effective
        self.source = source
        self._built: dict[int, TariffLine] = {}
        self._fill(rows, parents, rate_rows)

    @classmethod
    def deferred(cls, name: str, effective: date, source: str,
                 parts: Callable[[], Parts], *, in_force: date | None = None,
                 size: int | None = None,
                 texts: Callable[[], frozenset[tuple[str, str]]] | None = None) -> Revision:
        """A revision whose rows `parts()` makes the first time any is needed: a quote on
        one date reads only the revision in force then, so the cache's reader makes only
        that one (`sources/revisions.py`). Name, date and source are known at once.

        Threads that meet at the first use may each call `parts()`, so it must return the
        same parts every time and be safe to call from several threads at once (the shell's
        makes them once, under its own lock); the core holds no lock.

        `in_force` is the date the revision itself came into force when the store serves it
        from an earlier `effective` (see `caveat`); `size`, its number of codes, known
        without making it (`len`); `texts`, a superset of its distinct rate texts, read
        without making it (`distinct_rate_texts`)."""
        revision = cls.__new__(cls)
        revision.name = name
        revision.effective = effective
        revision.source = source
        if in_force is not None and in_force > effective:
            revision.in_force = in_force
        revision._size = size
        revision._texts = texts
        revision._built = {}
        revision.__dict__["_deferred"] = parts
        return revision

    def _fill(self, rows: Sequence[Row], parents: Sequence[int],
              rate_rows: Sequence[int]) -> None:
        self._rows = tuple(rows)
        self._parents = tuple(parents)
        self._rate_rows = tuple(rate_rows)
        self._index = {row[0]: i for i, row in enumerate(self._rows) if row[0]}
        self._codes = sorted(self._index)

    def __getattr__(self, attribute: str) -> Any:
        """Only reached when `attribute` is not set: a deferred revision's rows are made
        here, once; afterwards they are plain attributes, read at no extra cost."""
        if attribute not in _DEFERRED:
            raise AttributeError(attribute)
        parts = self.__dict__.get("_deferred")
        if parts is not None:
            # Filled before the deferral is dropped: a thread that finds no `_deferred`
            # finds every attribute; two threads that both fill set equal values.
            self._fill(*parts())
            self.__dict__.pop("_deferred", None)
        try:
            return self.__dict__[attribute]
        except KeyError:
            raise AttributeError(attribute) from None

    def __getstate__(self) -> dict[str, object]:
        self.parts()  # a deferred revision is made before it is copied
        state = dict(self.__dict__)
        state["_built"] = {}
        return state

    def parts(self) -> tuple[tuple[Row, ...], tuple[int, ...], tuple[int, ...]]:
        """What the revision is made of besides its name, date and source: the rows, each
        row's parent (-1 for none) and rate row (-1 for none). `Revision(name, effective,
        *parts, source)` makes it again (the cache stores these as plain data)."""
        return self._rows, self._parents, self._rate_rows

    def __repr__(self) -> str:
        return f"Revision({self.name!r}, {self.effective.isoformat()}, {len(self._index)} codes)"

    def __len__(self) -> int:
        if self._size is not None and "_deferred" in self.__dict__:
            return self._size
        return len(self._index)

    def caveat(self, on: date) -> str | None:
        """What a quote dated `on` must say when this revision stands in for earlier ones
        it does not replace: only the last revision of some years is shipped (2022-2024),
        and it serves the whole year, so a rate changed inside that year by a revision
        that is not shipped may differ (19 CFR 141.69: the rate is the one in force on the
        day of entry)."""
        if self.in_force is None or on >= self.in_force:
            return None
        return (f"priced from {self.name}, in force from {self.in_force.isoformat()}: the "
                f"earlier revisions of {self.in_force.year} are not shipped, so a rate that "
                f"changed inside {self.in_force.year} may differ on {on.isoformat()}")

    def __iter__(self) -> Iterator[TariffLine]:
        """Every coded line, in the order of the schedule."""
        return (self._line(i) for i, row in enumerate(self._rows) if row[0])

    def codes(self) -> list[HtsCode]:
        """Every code in the revision, sorted."""
        return [HtsCode(c) for c in self._codes]

    def has_prefix(self, digits: str) -> bool:
        """Whether some code of the revision is `digits` or starts with it (binary search)."""
        at = bisect.bisect_left(self._codes, digits)
        return at < len(self._codes) and self._codes[at].startswith(digits)

    def lacking(self, prefixes: Iterable[str]) -> frozenset[str]:
        """The `prefixes` that no code of the revision is or starts with (`has_prefix`
        false), one binary search each."""
        codes, index = self._codes, self._index
        size = len(codes)
        out = []
        for digits in prefixes:
            if digits in index:  # a code itself (most listed prefixes): no search
                continue
            at = bisect.bisect_left(codes, digits)
            if not (at < size and codes[at].startswith(digits)):
                out.append(digits)
        return frozenset(out)

    @property
    def made(self) -> bool:
        """Whether its rows are made (a deferred revision is not, until first used)."""
        return "_deferred" not in self.__dict__

    def distinct_rate_texts(self) -> frozenset[tuple[str, str]]:
        """Every distinct (column, text) of its rates (or a superset, read from its store
        without making a deferred revision: the store's texts of all its revisions)."""
        if self._texts is not None and "_deferred" in self.__dict__:
            return self._texts()
        return frozenset((column, text) for column, text, _digits in self.rate_texts())

    def rate_texts(self) -> Iterator[tuple[str, str, str]]:
        """(column, text, digits) for every rate text printed in the revision."""
        for digits, _i, _d, _u, general, special, column2, _a in self._rows:
            if general:
                yield "general", general, digits
            if special:
                yield "special", special, digits
            if column2:
                yield "column2", column2, digits

    def _line(self, position: int) -> TariffLine:
        built = self._built.get(position)
        if built is not None:
            return built
        digits, indent, description, units, _g, _s, _c, additional = self._rows[position]
        if digits:
            code = HtsCode(digits)
            is_label = False
        else:
            code = self._holder(position)
            is_label = True
        source = self._rate_rows[position]
        if source < 0:
            general, special, column2, rate_code = _EMPTY_RATE, _EMPTY_SPECIAL, _EMPTY_RATE, code
        else:
            rate_row = self._rows[source]
            general = parse_rate(rate_row[4]) if rate_row[4] else _EMPTY_RATE
            special = parse_special(rate_row[5]) if rate_row[5] else _EMPTY_SPECIAL
            column2 = parse_rate(rate_row[6]) if rate_row[6] else _EMPTY_RATE
            rate_code = HtsCode(rate_row[0]) if rate_row[0] else code
        line = TariffLine(code, indent, description, units, general, special, column2,
                          rate_code, additional, is_label)
        self._built[position] = line
        return line

    def _holder(self, position: int) -> HtsCode:
        parent = self._parents[position]
        while parent >= 0:
            if self._rows[parent][0]:
                return HtsCode(self._rows[parent][0])
            parent = self._parents[parent]
        return HtsCode("00")

    def get(self, code: str | HtsCode) -> TariffLine | None:
        digits = HtsCode.parse(code).digits
        position = self._index.get(digits)
        return None if position is None else self._line(position)

    def get_digits(self, digits: str) -> TariffLine | None:
        """`get` for a code already reduced to its digits (`HtsCode.digits`)."""
        position = self._index.get(digits)
        return None if position is None else self._line(position)

    def ancestors(self, code: str | HtsCode) -> list[TariffLine]:
        """The chain of parent lines by indent, outermost first (labels included).

        Read with the line's own description, it gives the full description path.
        """
        position = self._index.get(HtsCode.parse(code).digits)
        if position is None:
            return []
        chain: list[TariffLine] = []
        parent = self._parents[position]
        while parent >= 0:
            chain.append(self._line(parent))
            parent = self._parents[parent]
        chain.reverse()
        return chain

    def description_path(self, code: str | HtsCode) -> list[str]:
        """Descriptions from the heading down to the line itself."""
        line = self.get(code)
        own = [line.description] if line is not None else []
        return [a.description for a in self.ancestors(code)] + own

    def under(self, prefix: str | HtsCode) -> list[HtsCode]:
        """Every code under `prefix` (itself excluded), in order."""
        digits = HtsCode.parse(prefix).digits
        start = bisect.bisect_left(self._codes, digits)
        out: list[HtsCode] = []
        for candidate in self._codes[start:]:
            if not candidate.startswith(digits):
                break
            if candidate != digits:
                out.append(HtsCode(candidate))
        return out

    def rate_lines_under(self, prefix: str | HtsCode) -> list[HtsCode]:
        """The codes under `prefix` that carry rates of duty (8-digit, or 10-digit with own)."""
        out = []
        for code in self.under(prefix):
            position = self._index[code.digits]
            if self._rate_rows[position] == position:
                out.append(code)
        return out

    def nearest(self, code: str | HtsCode, n: int = 5) -> list[HtsCode]:
        """Up to `n` valid rate-level codes nearest to `code`: same-prefix siblings first.

        Goods codes and Chapter 99 codes (temporary legislation and the additional-duty
        headings, which no goods are classified in) are never offered for each other. A code
        is taken as a Chapter 99 code when its heading is one the revision has (9903...);
        any other code, `9999.99.99` included, as a goods code, which gets the nearest goods
        codes (chapter 97 for `9999.99.99`), never 9903 headings.
        """
        digits = code.digits if isinstance(code, HtsCode) else _digits_of(code)
        if not digits:
            return []
        heading = digits[:4]
        at = bisect.bisect_left(self._codes, heading)
        special = (heading.startswith("99") and at < len(self._codes)
                   and self._codes[at].startswith(heading))
        target = int(digits.ljust(10, "0")[:10])

        def distance(c: str) -> tuple[int, str]:
            return abs(int(c.ljust(10, "0")) - target), c

        for length in range(min(len(digits), 10) - 1, 1, -1):
            prefix = digits[:length]
            start = bisect.bisect_left(self._codes, prefix)
            found = [c for c in self._codes[start : start + 2000]
                     if c.startswith(prefix) and len(c) >= 8
                     and c.startswith("99") == special]
            if found:
                return [HtsCode(c) for c in sorted(found, key=distance)[:n]]
        # nothing shares even the chapter: the numerically nearest codes of the same kind
        pool = [c for c in self._codes if len(c) >= 8 and c.startswith("99") == special]
        return [HtsCode(c) for c in sorted(pool, key=distance)[:n]]

    def lines(self) -> list[TariffLine]:
        """Every row in schedule order, labels included."""
        return [self._line(i) for i in range(len(self._rows))]


def _digits_of(text: str) -> str:
    """The ASCII digits of `text` (a superscript or another script's digit is a digit to
    `str.isdigit` but no digit of an HTS number, and `int` refuses some of them)."""
    return "".join(ch for ch in text if "0" <= ch <= "9")


def build_revision(name: str, effective: date, rows: Iterable[SourceRow],
                   source: str = "", shared: dict[Row, Row] | None = None) -> Revision:
    """Build a revision from the rows of a USITC export; InputError lists every bad row.

    Rates are inherited down the indent chain: a line without rates of its own takes those
    of the nearest coded ancestor at 8 digits or more that has them (General Note 1).
    A rate on a label row (no HTS number) is refused: the HTSUS prints rates on numbered
    provisions only (General Note 3), so such a rate would govern nothing and be lost
    silently — the file is damaged, a column likely shifted.
    `shared` interns rows equal across revisions, so a cache stores each only once.
    """
    intern: dict[Row, Row] = {} if shared is None else shared
    kept: list[Row] = []
    parents: list[int] = []
    rate_rows: list[int] = []
    stack: list[tuple[int, int]] = []  # (indent, position) of the open ancestors
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for row in rows:
        digits = ""
        if row.hts:
            try:
                digits = (row.hts.replace(".", "") if _DOTTED.fullmatch(row.hts)
                          else HtsCode.parse(row.hts).digits)
            except InputError:
                problems.append(Problem(f"not an HTS number: {row.hts!r}", source or None,
                                        row.row, "HTS Number",
                                        code="tariff.export.not-an-hts-number"))
                continue
            if digits in seen:
                problems.append(Problem(
                    f"HTS number {HtsCode(digits).dotted} repeats row {seen[digits]}",
                    source or None, row.row, "HTS Number", code="tariff.export.repeated-hts"))
                continue
            seen[digits] = row.row
        while stack and stack[-1][0] >= row.indent:
            stack.pop()
        parent = stack[-1][1] if stack else -1
        position = len(kept)
        own = bool(row.general or row.special or row.column2)
        if own and not digits:
            column = next(label for label, text in (
                ("General Rate of Duty", row.general), ("Special Rate of Duty", row.special),
                ("Column 2 Rate of Duty", row.column2)) if text)
            problems.append(Problem(
                "a rate on a row without an HTS number (a label row): rates are printed on "
                "numbered lines only; is a column shifted?", source or None, row.row, column,
                code="tariff.export.rate-on-label-row"))
            continue
        if not digits:
            rate_row = -1
        elif own or len(digits) < 8:
            rate_row = position if own else -1
        else:
            rate_row = _rate_source(kept, parents, rate_rows, parent)
        record: Row = (digits, row.indent, row.description, row.units, row.general,
                       row.special, row.column2, row.additional)
        kept.append(intern.setdefault(record, record))
        parents.append(parent)
        rate_rows.append(rate_row)
        stack.append((row.indent, position))
    if problems:
        raise InputError(problems)
    return Revision(name, effective, kept, parents, rate_rows, source)


def _rate_source(rows: list[Row], parents: list[int], rate_rows: list[int],
                 position: int) -> int:
    """The row of the nearest coded ancestor at 8 digits or more that carries rates; -1."""
    while position >= 0:
        digits = rows[position][0]
        if digits:
            if len(digits) < 8:
                return -1
            if rate_rows[position] == position:
                return position
        position = parents[position]
    return -1


class Schedule:
    """Every loaded revision, each in force from its effective date until the next."""

    def __init__(self, revisions: Iterable[Revision]) -> None:
        by_name: dict[str, Revision] = {}
        for revision in revisions:
            by_name[revision.name] = revision  # a later one of the same name replaces it
        # stable sort: of two revisions on the same date, the later-loaded one governs
        self.revisions: tuple[Revision, ...] = tuple(
            sorted(by_name.values(), key=lambda r: r.effective))
        self._starts = tuple(r.effective for r in self.revisions)  # for `revision_on`
        self._notes: dict[tuple[str, date], tuple[str, ...]] = {}  # `notes`, once a day

    def __repr__(self) -> str:
        return f"Schedule({', '.join(r.name for r in self.revisions)})"

    def revision_on(self, on: date) -> Revision:
        """The revision in force on `on` (the last in force by then: of two on one date, the
        later loaded); CannotCompute before the first one. A binary search: the history
        loads some fifty revisions and every plan asks."""
        at = bisect.bisect_right(self._starts, on)
        chosen = self.revisions[at - 1] if at else None
        if chosen is None:
            if not self.revisions:
                raise CannotCompute("no tariff revision is loaded")
            first = self.revisions[0]
            raise CannotCompute(
                f"no tariff for {on.isoformat()}: the earliest loaded revision "
                f"({first.name}) is in force from {first.effective.isoformat()}"
            )
        return chosen

    def distinct_rate_texts(self) -> frozenset[tuple[str, str]]:
        """Every distinct (column, text) of the rates of every loaded revision (a superset
        where a store answers for revisions not yet made)."""
        found: set[tuple[str, str]] = set()
        for revision in self.revisions:
            found |= revision.distinct_rate_texts()
        return frozenset(found)

    def horizon(self) -> Revision | None:
        """The newest loaded revision (None when none is loaded)."""
        return self.revisions[-1] if self.revisions else None

    def notes(self, revision: Revision, on: date) -> tuple[str, ...]:
        """What a quote dated `on` priced from `revision` must say about the data itself:
        the revision stands in for missing ones (`Revision.caveat`), or the date lies after
        the newest loaded revision, which a later one may have changed (stale data is never
        silent). Said once per revision and day: every plan of the day asks."""
        found = self._notes.get((revision.name, on))
        if found is None:
            if len(self._notes) >= _NOTES_LIMIT:  # a server quoting across years of days
                self._notes.clear()
            found = self._notes[revision.name, on] = tuple(self._said(revision, on))
        return found

    def _said(self, revision: Revision, on: date) -> list[str]:
        out = []
        if revision.in_force is not None and on < revision.in_force:
            caveat = revision.caveat(on)
            if caveat is not None:
                out.append(caveat)
        newest = self.revisions[-1]  # `revision` is one of them: there is a newest
        if revision is newest and on > newest.effective:
            days = (on - newest.effective).days
            out.append(
                f"{on.isoformat()} is {days} day{'s' if days != 1 else ''} after the newest "
                f"loaded tariff revision ({newest.name}, in force from "
                f"{newest.effective.isoformat()}): a revision published since is not loaded "
                f"(import it with `zonekeeper tariff import`)")
        return out

    def revision_named(self, name: str) -> Revision:
        for revision in self.revisions:
            if revision.name == name:
                return revision
        raise InputError(Problem(f"no tariff revision named {name!r}", field="revision",
                                 code="tariff.revision.unknown"))

    def line(self, code: str | HtsCode, on: date) -> tuple[TariffLine, Revision]:
        """The rate line for `code` in force on `on`, and the revision it comes from.

        Unknown code -> InputError naming the nearest valid codes; a heading or subheading
        (or an 8-digit line whose rates are on its statistical lines) -> InputError listing
        the rate lines under it.
        """
        revision = self.revision_on(on)
        if isinstance(code, str) and _PLAIN.fullmatch(code):
            # the usual spelling (8414.30.80.60, 8414308060): what HtsCode.parse would keep
            line = revision.get_digits(code.replace(".", ""))
            if line is not None and line.has_rates:
                return line, revision
        try:
            parsed = HtsCode.parse(code)
        except InputError:
            near = revision.nearest(str(code))
            hint = f"; nearest valid codes: {_list(near)}" if near else ""
            raise InputError(Problem(f"not an HTS code: {str(code)!r}{hint}",
                                     field="hts", code="tariff.hts.not-a-code")) from None
        line = revision.get(parsed)
        if line is None and len(parsed.digits) == 8:
            # USITC prints a subheading with a single statistical line only as that line
            # (8407.34.48 appears as 8407.34.48.00): the 8-digit code names it.
            line = revision.get(HtsCode(parsed.digits + "00"))
        if line is None:
            near = revision.nearest(parsed)
            hint = f"; nearest valid codes: {_list(near)}" if near else ""
            raise InputError(Problem(
                f"HTS {parsed.dotted} is not in {revision.name}{hint}", field="hts",
                code="tariff.hts.not-in-revision"))
        if len(parsed.digits) < 8 or not line.has_rates:
            children = revision.rate_lines_under(parsed)
            if len(parsed.digits) < 8 or children:
                raise InputError(Problem(
                    f"HTS {parsed.dotted} is a {parsed.level}, not a rate line; "
                    f"its rate lines: {_list(children)}", field="hts",
                    code="tariff.hts.not-a-rate-line"))
        return line, revision


def _list(codes: Sequence[HtsCode], limit: int = 12) -> str:
    shown = ", ".join(c.dotted for c in codes[:limit])
    more = len(codes) - limit
    if not codes:
        return "(none)"
    return shown + (f" and {more} more" if more > 0 else "")

