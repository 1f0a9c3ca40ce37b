"""Countries of origin as ISO 3166-1 alpha-2 codes, the form CBP uses on entries.

The country of origin decides which rate column applies (HTSUS General Note 3), which
preference program can be claimed and which trade measures attach, so a code that is not a
real country must stop the computation (an `InputError`), never be guessed. Codes come from
`pycountry` (ISO 3166-1); the shipped Census codes are statistical, not origin codes.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

import pycountry

from zonekeeper.errors import InputError, Problem
from zonekeeper.tariff.census import CENSUS_CODES


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
    meant = suggest_country(text)
    hint = (
        f"did you mean {' or '.join(f'{c} ({country_name(c)})' for c in meant)}?"
        if meant else "e.g. CN, DE, MX"
    )  # fmt: skip
    raise InputError(
        Problem(
            f"not an ISO 3166-1 alpha-2 country code: {text!r} ({hint})",
            file=file,
            row=row,
            field=field, code="tariff.country.unknown",
        )
    )


# Codes and names people write for a country that ISO 3166-1 does not give it: the EU's and
# the UN's codes (`UK`, `EL`), former and everyday names. `Korea` is both Koreas: goods of
# North Korea take Column 2 rates (HTSUS General Note 3(b)), so the user must choose.
_COMMON: dict[str, tuple[str, ...]] = {
    "UK": ("GB",), "EL": ("GR",), "GREAT BRITAIN": ("GB",), "BRITAIN": ("GB",),
    "ENGLAND": ("GB",), "SCOTLAND": ("GB",), "WALES": ("GB",), "NORTHERN IRELAND": ("GB",),
    "RUSSIA": ("RU",), "TURKEY": ("TR",), "IVORY COAST": ("CI",), "BURMA": ("MM",),
    "SWAZILAND": ("SZ",), "HOLLAND": ("NL",), "MACAU": ("MO",), "MACAO": ("MO",),
    "SOUTH KOREA": ("KR",), "NORTH KOREA": ("KP",), "KOREA": ("KR", "KP"),
    "AMERICA": ("US",), "UNITED STATES": ("US",), "CZECHIA": ("CZ",), "BRASIL": ("BR",),
    "DEUTSCHLAND": ("DE",), "VATICAN": ("VA",), "PRC": ("CN",), "MAINLAND CHINA": ("CN",),
    "UAE": ("AE",), "EMIRATES": ("AE",), "VIETNAM": ("VN",), "LAOS": ("LA",),
    "SYRIA": ("SY",), "IRAN": ("IR",), "MOLDOVA": ("MD",), "TANZANIA": ("TZ",),
    "BOLIVIA": ("BO",), "VENEZUELA": ("VE",), "CAPE VERDE": ("CV",), "EAST TIMOR": ("TL",),
}


def suggest_country(text: str) -> tuple[str, ...]:
    """The ISO alpha-2 code(s) a user probably meant by `text`: a common code or name
    (`UK`, `South Korea`), an ISO alpha-3 or numeric code (`CHN`, `156`), a Census country
    code or name of the shipped list (`5700`, `Burma (Myanmar)`), or a name misspelt by a
    letter or two (`Mexiko`). Empty when nothing is close: never used to guess, only to say
    "did you mean" in a refusal."""
    key = " ".join(text.strip().upper().replace(".", "").split())
    if not key:
        return ()
    if key in _COMMON:
        return _COMMON[key]
    names = _names()
    if key in names:
        return (names[key],)
    close = difflib.get_close_matches(key, [n for n in names if len(n) > 3], n=3, cutoff=0.8)
    return tuple(dict.fromkeys(names[n] for n in close))


@cache
def _names() -> dict[str, str]:
    """Upper-case name or code -> alpha-2: ISO names, official and common names, alpha-3 and
    numeric codes (pycountry), the Census codes and names of `data/tariff/countries`, and
    the everyday names above."""
    out: dict[str, str] = {}
    for country in pycountry.countries:
        code = str(country.alpha_2)
        for attribute in ("name", "official_name", "common_name", "alpha_3", "numeric"):
            value = getattr(country, attribute, None)
            if value:
                out.setdefault(" ".join(str(value).upper().split()), code)
    for census_code, census_name in CENSUS_CODES:
        name = census_name.strip()
        variants = [name, *re.findall(r"\(([^)]*)\)", name), re.sub(r"\s*\(.*\)", "", name)]
        found = next((out[v.upper()] for v in variants if v.upper() in out), None)
        if found is not None:
            for variant in (census_code.strip(), *variants):
                out.setdefault(variant.upper(), found)
    for name, codes in _COMMON.items():
        if len(codes) == 1:
            out.setdefault(name, codes[0])
    return out


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

