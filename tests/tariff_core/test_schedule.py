"""The effective-dated schedule over the shipped HTS 2026 Basic Edition and Revision 3."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from zonekeeper.errors import CannotCompute, InputError
from zonekeeper.tariff.codes import HtsCode
from zonekeeper.tariff.rates import Basis
from zonekeeper.tariff.schedule import Schedule, SourceRow, build_revision

BASIC = "HTS 2026 Basic Edition"
REV3 = "HTS 2026 Revision 3"


def test_revisions_in_force_by_date(schedule: Schedule) -> None:
    assert [r.name for r in schedule.revisions] == [BASIC, REV3]
    assert schedule.revision_on(date(2026, 1, 1)).name == BASIC
    assert schedule.revision_on(date(2026, 2, 12)).name == BASIC
    assert schedule.revision_on(date(2026, 2, 13)).name == REV3
    assert schedule.revision_on(date(2027, 6, 1)).name == REV3


def test_before_the_first_revision_there_is_no_tariff(schedule: Schedule) -> None:
    with pytest.raises(CannotCompute, match="no tariff for 2025-12-31"):
        schedule.line("8414.30.80.30", date(2025, 12, 31))


def test_statistical_line_inherits_the_tariff_line_rates(schedule: Schedule) -> None:
    line, revision = schedule.line("7411.10.50.00", date(2026, 3, 1))
    assert revision.name == REV3
    assert line.general.text == "3%"
    assert line.general.amount(Basis(D(120))) == D("3.6")
    compressor, _ = schedule.line("8414308030", date(2026, 3, 1))
    assert compressor.rate_code == HtsCode.parse("8414.30.80")
    assert compressor.general.is_free
    assert compressor.column2.text == "35%"
    assert compressor.units == ("No.",)


def test_ten_digit_line_printed_with_its_own_rates(schedule: Schedule) -> None:
    line, _ = schedule.line("0101.30.00.00", date(2026, 3, 1))
    assert line.rate_code == line.code
    assert line.general.text == "6.8%"
    assert line.special["AU"].is_free


def test_label_rows_appear_in_the_description_path(schedule: Schedule) -> None:
    revision = schedule.revision_on(date(2026, 3, 1))
    chain = revision.ancestors("0101.21.00.10")
    assert [a.description for a in chain] == [
        "Live horses, asses, mules and hinnies:", "Horses:", "Purebred breeding animals"]
    assert [a.is_label for a in chain] == [False, True, False]
    assert revision.description_path("0101.21.00.10")[-1] == "Males"
    line = revision.get("8414.30.80.30")
    assert line is not None and line.description == "For motor vehicles"
    eight = revision.get("8414.30.80")
    assert eight is not None and eight.description == "Other"


def test_heading_is_not_a_rate_line(schedule: Schedule) -> None:
    with pytest.raises(InputError) as error:
        schedule.line("8414.30", date(2026, 3, 1))
    message = str(error.value)
    assert "subheading, not a rate line" in message
    assert "8414.30.40" in message and "8414.30.80" in message


def test_unknown_code_names_the_nearest_valid_codes(schedule: Schedule) -> None:
    with pytest.raises(InputError) as error:
        schedule.line("8414.30.80.99", date(2026, 3, 1))
    message = str(error.value)
    assert "not in HTS 2026 Revision 3" in message
    assert "8414.30.80" in message.split("nearest valid codes:")[1]


def test_nearest_codes_share_the_longest_prefix(schedule: Schedule) -> None:
    revision = schedule.revision_on(date(2026, 3, 1))
    near = revision.nearest("8414.30.80.99", 3)
    assert near and all(c.digits.startswith("84143080") for c in near)


def test_revision_3_changes_are_visible_by_date(schedule: Schedule) -> None:
    basic = schedule.revision_on(date(2026, 1, 5))
    rev3 = schedule.revision_on(date(2026, 3, 1))
    only_in_rev3 = {c.digits for c in rev3.codes()} - {c.digits for c in basic.codes()}
    code = sorted(c for c in only_in_rev3 if len(c) == 10)[0]
    assert schedule.line(code, date(2026, 3, 1))[1].name == REV3
    with pytest.raises(InputError, match="not in HTS 2026 Basic Edition"):
        schedule.line(code, date(2026, 1, 5))


def test_every_rate_line_of_both_revisions_resolves(schedule: Schedule) -> None:
    for revision in schedule.revisions:
        day = revision.effective
        for line in revision:
            if len(line.code.digits) == 10:
                found, used = schedule.line(line.code, day)
                assert used is revision
                assert found.rate_code.digits in (line.code.digits, line.code.hts8) or \
                    line.code.digits.startswith(found.rate_code.digits)


def test_bad_rows_are_all_reported() -> None:
    rows = [SourceRow(2, "0101", 0, "Horses"), SourceRow(3, "01x1.21", 1, "Bad"),
            SourceRow(4, "0101", 0, "Again")]
    with pytest.raises(InputError) as error:
        build_revision("T", date(2026, 1, 1), rows, "t.csv")
    assert [(p.row, p.field) for p in error.value.problems] == [(3, "HTS Number"),
                                                                (4, "HTS Number")]


@pytest.mark.parametrize("code", ["8407.34.48", "9401.20.00", "84073448"])
def test_an_8_digit_subheading_printed_only_as_its_single_statistical_line(
    schedule: Schedule, code: str
) -> None:
    # USITC prints 8407.34.48 only as 8407.34.48.00 (rates on that row); the 8-digit code a
    # broker types names it.
    line, _ = schedule.line(code, date(2026, 3, 1))
    assert line.code.digits == HtsCode.parse(code).digits + "00"
    assert line.has_rates


def test_nearest_keeps_goods_codes_and_chapter_99_apart(schedule: Schedule) -> None:
    revision = schedule.revision_on(date(2026, 3, 1))
    # 9999 is no heading of chapter 99: a mistyped goods code gets goods codes, never 9903
    goods = revision.nearest("9999.99.99")
    assert goods and not [c for c in goods if c.chapter == "99"]
    # a mistyped 9903 code gets 9903 codes
    special = revision.nearest("9903.99.99")
    assert special and all(c.digits.startswith("9903") for c in special)
    # an ordinary goods code: its siblings, as before
    assert [c.dotted for c in revision.nearest("8414.30.99", 2)] == ["8414.30.80.90",
                                                                   "8414.30.80.80"]


def test_unknown_goods_code_error_suggests_no_chapter_99(schedule: Schedule) -> None:
    with pytest.raises(InputError) as raised:
        schedule.line("9999.99.99", date(2026, 3, 1))
    reason = raised.value.problems[0].message
    assert "nearest valid codes" in reason and "9903" not in reason


def test_a_code_of_non_ascii_digits_has_no_nearest_codes(schedule: Schedule) -> None:
    """A superscript '¹' is a digit to `str.isdigit` but no HTS digit (and `int` refuses
    it): the mistyped code is refused as not an HTS code, never a crash."""
    revision = schedule.revision_on(date(2026, 3, 1))
    assert revision.nearest("¹") == []
    assert [c.dotted for c in revision.nearest("8414.30.99¹", 1)] == [
        c.dotted for c in revision.nearest("8414.30.99", 1)]
    with pytest.raises(InputError):
        schedule.line("¹", date(2026, 3, 1))
