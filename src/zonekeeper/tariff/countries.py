"""Countries of origin as ISO 3166-1 alpha-2 codes, the form CBP uses on entries.

The country of origin decides which rate column applies (HTSUS General Note 3), which
preference program can be claimed and which trade measures attach, so a code that is not a
real country must stop the computation (an `InputError`), never be guessed. Codes come from
`pycountry` (ISO 3166-1); the shipped Census codes are statistical, not origin codes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import pycountry

from zonekeeper.errors import InputError, Problem


@cache
def iso_alpha2() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code known to pycountry."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


def country_name(code: str) -> str:
    """The ISO short name of an alpha-2 code (the code itself when unknown)."""
    found = pycountry.countries.get(alpha_2=code)
    return str(found.name) if found is not None else code


def parse_country(
    text: str, *, file: str | None = None, row: int | None = None, field: str = "origin"
) -> str:
    """Validate and normalise a country of origin (`cn` -> `CN`); InputError otherwise."""
    code = text.strip().upper()
    if len(code) == 2 and code in iso_alpha2():
        return code
    raise InputError(
        Problem(
            f"not an ISO 3166-1 alpha-2 country code: {text!r} (e.g. CN, DE, MX)",
            file=file,
            row=row,
            field=field,
        )
    )


@dataclass(frozen=True)
class Column2Country:
    """A country whose goods take the Column 2 rates (HTSUS General Note 3(b))."""

    code: str
    valid_from: date
    source: str


def parse_column2(text: str) -> dict[str, Column2Country]:
    out: dict[str, Column2Country] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["iso2"].strip().upper()
        out[code] = Column2Country(code, date.fromisoformat(row["valid_from"]), row["source"])
    return out


def load_column2() -> dict[str, Column2Country]:
    """The shipped General Note 3(b) list (`data/tariff/measures/column2.csv`)."""
    path = resources.files("zonekeeper").joinpath("data/tariff/measures/column2.csv")
    return parse_column2(path.read_text("utf-8"))
