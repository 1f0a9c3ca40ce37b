"""The tariff data shipped in the package (`zonekeeper/data/tariff`), read and handed to the
core's parsers: Chapter 99 measures with their product lists (`tariff.measures`), the SPI
programs (`tariff.spi`, HTSUS General Notes 3(c) and 4-36), the fee table (`tariff.fees`,
19 CFR 24.23 and 24.24) and the Column 2 countries (`tariff.countries`, General Note 3(b)).
Provenance of every file: `data/tariff/PROVENANCE.md`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources

from zonekeeper.tariff.countries import Column2Country, parse_column2
from zonekeeper.tariff.fees import FeeSchedule, read_fees_csv
from zonekeeper.tariff.measures import MeasureBook, coverage_tables, measure_book
from zonekeeper.tariff.spi import PreferencePrograms, parse_programs


def data_text(name: str) -> str:
    """The text of a shipped file, `name` as under `zonekeeper/data/tariff/`."""
    return resources.files("zonekeeper").joinpath(f"data/tariff/{name}").read_text("utf-8")


@cache
def _coverage() -> Mapping[str, list[tuple[str, date | None]]]:
    """The shipped product lists, parsed once per process (every `load_measures` reuses
    them: each Ledger's mandatory-PF rule loads its own measure book)."""
    return coverage_tables(data_text)


def load_measures() -> MeasureBook:
    """The shipped measures with their product lists (`data/tariff/measures/`, `s232/`,
    `s301/`)."""
    return measure_book(data_text, _coverage())


def load_programs() -> PreferencePrograms:
    """The shipped SPI table (`data/tariff/spi_programs.csv`)."""
    return parse_programs(data_text("spi_programs.csv"))


def load_fees() -> FeeSchedule:
    """The shipped fee table (`data/tariff/fees.csv`)."""
    return read_fees_csv(data_text("fees.csv"), "fees.csv")


def load_column2() -> dict[str, Column2Country]:
    """The shipped General Note 3(b) list (`data/tariff/measures/column2.csv`)."""
    return parse_column2(data_text("measures/column2.csv"))
