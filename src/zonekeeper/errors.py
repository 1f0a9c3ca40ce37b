"""One base exception, one subclass per broken rule, each with a message a user can act on.

Errors that belong to the data are collected as `Problem`s so a run reports every problem in a
file at once (the beancount habit); `InputError` carries them all out of a use case, and the
shell turns it into exit code 2 with nothing changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

Severity = Literal["error", "warning"]
T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: what (`code`, stable, for scripts), how bad (`severity`:
    an error refuses the input, a warning is said and the work goes on), where (file, row,
    field) and why (`message`, for people).

    Codes are short dotted names (`file.missing-column`, `ledger.repeat`), listed with their
    meaning in docs/problems.md; a script may branch on them, so they never change meaning."""

    message: str
    file: str | None = None
    row: int | None = None
    field: str | None = None
    # named only, after the fields above (a `Problem` is made by keyword past `field`)
    code: str = dataclasses.field(kw_only=True)
    severity: Severity = dataclasses.field(default="error", kw_only=True)

    @property
    def where(self) -> str:
        """`file:row N:field`, the parts that are known, or "" for a problem of the whole input."""
        return ":".join(
            part
            for part in (
                self.file or "",
                f"row {self.row}" if self.row is not None else "",
                self.field or "",
            )
            if part
        )

    def as_json(self) -> dict[str, Any]:
        """The problem as the `--json` error document and the API list it."""
        return {
            "code": self.code,
            "severity": self.severity,
            "where": {"file": self.file, "row": self.row, "field": self.field},
            "message": self.message,
        }

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.message}" if where else self.message


def ragged_row(
    row: Mapping[Any, Any], file: str | None, number: int, *, code: str
) -> Problem | None:
    """Why a row `csv.DictReader` read does not fit its header, or None. A row with fewer
    cells than the header gets None for the missing ones, and one with more puts the extra
    cells under the key None: neither is a value a cell parser expects, and either means a
    comma too few or too many (the columns after it shifted), so the row is refused naming
    it, never read with a crash or a shifted value."""
    missing = [name for name, value in row.items() if name is not None and value is None]
    if missing:
        return Problem(f"the row has fewer cells than the header: no {', '.join(missing)}",
                       file, number, missing[0], code=code)  # fmt: skip
    extra = row.get(None)
    if extra:
        return Problem(f"the row has {len(extra)} cell(s) more than the header (a comma "
                       "inside a cell must be quoted)", file, number, code=code)  # fmt: skip
    return None


class ZonekeeperError(Exception):
    """Base of every error Zonekeeper raises on purpose."""


class InputError(ZonekeeperError):
    """The input cannot be used as given; nothing was changed. Carries every problem found."""

    def __init__(self, problems: Iterable[Problem] | Problem) -> None:
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class CannotCompute(ZonekeeperError):
    """A figure the software cannot compute from what it was given — reported, never 0."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class Collector:
    """The problems of several values read in one pass: each parser's `InputError` is kept
    and the run goes on, so that `check` reports every problem of the input at once."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self.problems: list[Problem] = list(problems)

    def read(self, parse: Callable[[], T]) -> T | None:
        """What `parse` returns, or None with its problems kept."""
        try:
            return parse()
        except InputError as error:
            self.problems.extend(error.problems)
            return None

    def check(self) -> None:
        """Refuse the input (one `InputError` with every problem kept), if any was found."""
        if self.problems:
            raise InputError(self.problems)
