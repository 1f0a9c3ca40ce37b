"""Use case of the part master: check each part's HTS number against the loaded tariff.

A part's classification is what its admissions and withdrawals are dutied on (19 CFR
146.32(b)(1), 146.65): a code the Harmonized Tariff Schedule does not have makes every
duty on the part "cannot compute" (and a weekly entry's duty and total null), so `parts
load` refuses it, naming the nearest valid codes. Each version is checked in the revision
in force on its `valid_from`; a version valid from the beginning of the books (no
`valid_from`) or dated before every loaded revision is checked in the latest revision. An
8-digit code that USITC prints only as its single `.00` statistical line is valid
(`Schedule.line`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from zonekeeper.errors import CannotCompute, InputError, Problem
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.zone.master import Part


def hts_problems(
    parts: Sequence[Part], rows: Sequence[int], file: str, tariff: Any = None
) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings): a problem per part whose HTS the tariff does not have on its
    effective date (file, row, hts, nearest valid codes); a warning if the tariff cannot be
    loaded (the parts load without the check)."""
    if tariff is None:
        try:
            tariff = default_tariff()
        except (OSError, InputError) as error:  # the tariff's files missing or damaged
            return [], [_unchecked(f"HTS numbers not checked (tariff unavailable: {error})")]
    schedule = tariff.schedule
    problems: list[Problem] = []
    for part, row in zip(parts, rows, strict=True):
        on = _checked_on(schedule, part.valid_from)
        if on is None:
            return [], [_unchecked("HTS numbers not checked: no tariff revision is loaded")]
        try:
            schedule.line(part.hts, on)
        except InputError as error:
            for p in error.problems:
                message = f"part {part.number}: {p.message}"
                problems.append(replace(p, message=message, file=file, row=row, field="hts"))
    return problems, []


def _unchecked(reason: str) -> Problem:
    """The parts load without the HTS check: said, not refused."""
    return Problem(reason, code="parts.hts-unchecked", severity="warning")


def _checked_on(schedule: Any, valid_from: dt.date) -> dt.date | None:
    try:
        schedule.revision_on(valid_from)
        return valid_from
    except CannotCompute:
        if not schedule.revisions:
            return None
        effective: dt.date = schedule.revisions[-1].effective
        return effective
