"""The bindings catch the errors that can happen, by type, and report them; anything else
(a bug) is not swallowed. The mandatory-PF rule with the tariff's data missing warns and
lets the books go on (19 CFR 146.41 is then checked by no one, and the user is told)."""

from __future__ import annotations

from datetime import date

import pytest

from zonekeeper.bindings.pf_rule import TariffPfRule
from zonekeeper.errors import InputError, Problem
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.measures import MeasureBook
from zonekeeper.tariff.spi import PreferencePrograms

ON = date(2026, 3, 1)


def _missing() -> MeasureBook:
    raise FileNotFoundError(2, "No such file or directory", "measures.csv")


def _damaged() -> PreferencePrograms:
    raise InputError(Problem("unknown column 'kind'", "spi_programs.csv", code="t.column"))


def test_measures_that_cannot_be_loaded_are_a_warning_not_a_crash(tariff: Tariff) -> None:
    rule = TariffPfRule(_missing, lambda: tariff.programs)
    assert rule("6109100012", "VN", ON) == []
    assert rule("6109100012", "VN", ON) == []
    (warning,) = rule.warnings
    assert warning.startswith("mandatory-PF check skipped") and "measures.csv" in warning


def test_an_spi_table_that_cannot_be_loaded_lifts_no_requirement(tariff: Tariff) -> None:
    """No claim can lift a PF clause then: the USMCA good is refused, as strict books do."""
    rule = TariffPfRule(lambda: tariff.measures, _damaged)
    assert any("9903.03.01" in r for r in rule("6109100012", "MX", ON))
    assert any("SPI table could not be loaded" in w for w in rule.warnings)


def test_a_bug_is_not_swallowed() -> None:
    def broken() -> MeasureBook:
        raise ZeroDivisionError("a bug")

    with pytest.raises(ZeroDivisionError):
        TariffPfRule(broken, broken)("6109100012", "VN", ON)
