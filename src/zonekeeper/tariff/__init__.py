"""The US tariff as dated data: schedule, Chapter 99 measures, preference programs and fees.

`Tariff` bundles the four so that a duty quote takes one argument. Everything here is pure:
no clock, no database, no file, no environment; the shell reads the data and builds the
tariff from it (`zonekeeper.sources.tariff.default_tariff()`: the shipped data and any
user-imported HTS revisions, loaded once per process).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zonekeeper.tariff.countries import Column2Country
from zonekeeper.tariff.fees import FeeSchedule, HmfTerms, MpfTerms
from zonekeeper.tariff.measures import AdcvdCase, Measure, MeasureBook, Program
from zonekeeper.tariff.schedule import Schedule
from zonekeeper.tariff.spi import PreferencePrograms, SpiDecision

__all__ = [
    "AdcvdCase",
    "Column2Country",
    "FeeSchedule",
    "HmfTerms",
    "Measure",
    "MeasureBook",
    "MpfTerms",
    "PreferencePrograms",
    "Program",
    "SpiDecision",
    "Tariff",
]


@dataclass(frozen=True, eq=False)
class Tariff:
    """Schedule + measures + preference programs + fees: everything a duty quote reads."""

    schedule: Schedule
    measures: MeasureBook
    programs: PreferencePrograms
    fees: FeeSchedule
    column2: Mapping[str, Column2Country]
    caches: dict[str, Any] = field(default_factory=dict, init=False, repr=False)
    """What the packages above compute from this tariff and keep (duty's plans and indexes,
    by name): owned by this instance, so two tariffs in one process never share a cache and
    a tariff's caches go with it."""

    def column2_applies(self, origin: str, on: date) -> Column2Country | None:
        """The General Note 3(b) entry when goods of `origin` take Column 2 rates on `on`."""
        found = self.column2.get(origin)
        return found if found is not None and found.valid_from <= on else None
