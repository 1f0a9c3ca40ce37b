"""Rates of duty: the public face of the expression model and the rate-text parser.

Others import from here: `Basis`, `Rate`, `SpecialRates`, `parse_rate`, `parse_special`,
`parse_additional`, `UNITS`. The model lives in `expressions.py`, the parser in
`rate_parser.py`, the units in `units.py` (one idea per file).
"""

from __future__ import annotations

from zonekeeper.tariff.expressions import (
    AdValorem,
    Basis,
    Rate,
    RateKind,
    RateTerm,
    SpecialGroup,
    SpecialRates,
    Specific,
    SugarDegree,
)
from zonekeeper.tariff.rate_parser import normalize, parse_additional, parse_rate, parse_special
from zonekeeper.tariff.units import (
    QUANTITY_KEYS,
    UNITS,
    QuantityUnit,
    convert,
    quantity_unit_key,
    read_unit,
    unit_key,
)

__all__ = [
    "QUANTITY_KEYS",
    "UNITS",
    "AdValorem",
    "Basis",
    "RateTerm",
    "QuantityUnit",
    "Rate",
    "RateKind",
    "SpecialGroup",
    "SpecialRates",
    "Specific",
    "SugarDegree",
    "convert",
    "normalize",
    "parse_additional",
    "parse_rate",
    "parse_special",
    "quantity_unit_key",
    "read_unit",
    "unit_key",
]
