"""`tariff/census.py` is the shipped `census_codes.csv` as Python data, row for row (the core
reads no files; the CSV stays the record of where the codes came from)."""

from __future__ import annotations

import csv
import io
from importlib import resources

from zonekeeper.tariff.census import CENSUS_CODES


def test_the_module_is_the_csv() -> None:
    text = resources.files("zonekeeper").joinpath("data/tariff/countries/census_codes.csv")
    reader = csv.DictReader(io.StringIO(text.read_text("utf-8")))
    rows = [(row["Code"], row["Name"]) for row in reader]
    assert rows and list(CENSUS_CODES) == rows
