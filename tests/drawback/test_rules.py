"""The substitution standards on the real HTS 2026 text, and the 5-year windows at their edges."""

from __future__ import annotations

from datetime import date

import pytest
from drawback_helpers import D, Descriptions, FixedRate, exp, imp

from zonekeeper.drawback.calendar import claim_deadline, unused_export_deadline
from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType
from zonekeeper.drawback.rules import Demand, Route, begins_with_other, check_pair, j2_standard

ON = date(2026, 3, 1)


def _demand(export) -> Demand:
    return Demand(0, export, export.export_date, export.hts, export.part, export.quantity,
                  export.unit, None, "test")


def test_real_schedule_text_behind_the_rule(descriptions):
    # 4202.92.08 "Other": children "Of cotton (369)" and "Other (870)" (HTS 2026 Rev. 3).
    assert descriptions.own_description("42029208", ON) == "Other"
    assert descriptions.own_description("4202920805", ON) == "Of cotton (369)"
    assert descriptions.own_description("4202920809", ON) == "Other (870)"
    # 4202.92.10 is printed only as its statistical line 4202.92.10.00, "Other".
    assert descriptions.own_description("42029210", ON) == "Other"
    assert descriptions.own_description("42029231", ON) == "Of man-made fibers"


@pytest.mark.parametrize(
    ("imported", "exported", "schedule_b", "route"),
    [
        # 8-digit not "Other": any 10-digit of the same subheading.
        ("4202923120", "4202923131", None, Route.HTS8),
        # 8-digit "Other", 10-digit "Of cotton": only the same 10-digit.
        ("4202920805", "4202920805", None, Route.HTS10),
        ("4202920805", "4202920807", None, None),
        # 8-digit "Other", 10-digit "Other (870)": no HTS substitution at all ...
        ("4202920809", "4202920809", None, None),
        # ... but the Schedule B route is independent of it.
        ("4202920809", "4202920809", "4202920809", Route.SCHEDULE_B),
        ("4202920805", "4202920807", "4202920800", Route.SCHEDULE_B),
        # 8-digit printed as 4202.92.10.00 "Other", its 10-digit is "Other" too.
        ("4202921000", "4202921000", None, None),
        # Schedule B of another subheading does not help.
        ("4202920809", "4202920809", "4202923100", None),
    ],
)
def test_eight_ten_digit_other_rule_on_real_text(descriptions, imported, exported, schedule_b,
                                                  route):
    i = imp("E1", 1, "2026-01-10", imported, 10, "10.00")
    e = exp("X1", "2026-02-10", exported, 5, schedule_b=schedule_b)
    verdict = check_pair(ClaimType.J2, i, _demand(e), descriptions, ON)
    assert verdict.route is route
    assert verdict.ok is (route is not None)
    # A plan hands over the import's standard, read once per line: the same verdict, reasons
    # and failures word for word.
    given = check_pair(ClaimType.J2, i, _demand(e), descriptions, ON,
                       standard=j2_standard(i, descriptions))
    assert given == verdict


def test_plan_follows_the_rule_end_to_end(descriptions):
    imports = [imp("E1", 1, "2026-01-10", "4202920805", 10, "100.00"),
               imp("E2", 1, "2026-01-10", "4202920809", 10, "100.00")]
    exports = [exp("X1", "2026-02-10", "4202920805", 10, value=10_000),
               exp("X2", "2026-02-10", "4202920809", 10, value=10_000)]
    plan = build_plan(ClaimType.J2, imports, exports, ON, descriptions, FixedRate("20"))
    assert [(d.import_entry, d.export_ref, d.rule) for d in plan.designations] == [
        ("E1", "X1", "1313(j)(2) hts10")]


def test_other_matches_the_term_not_a_prefix():
    assert begins_with_other("Other (870)") and begins_with_other("other:")
    assert not begins_with_other("Otherwise worked") and not begins_with_other("Of cotton")


def test_unknown_code_gives_no_hts_route_and_says_why():
    std = j2_standard(imp("E1", 1, "2026-01-10", "4202923120", 1, "1"),
                      Descriptions({"42029231": None}))  # type: ignore[dict-item]
    assert std.route is None and "not found" in std.reason


# -- windows at their edges --------------------------------------------------------------

def test_deadlines():
    assert unused_export_deadline(date(2021, 3, 10)) == date(2026, 3, 9)
    assert claim_deadline(date(2021, 3, 10)) == date(2026, 3, 10)
    assert claim_deadline(date(2024, 2, 29)) == date(2029, 2, 28)


@pytest.mark.parametrize(
    ("export_day", "claim_day", "designated"),
    [
        ("2026-03-09", "2026-03-10", True),  # last day of the 5-year period, last claim day
        ("2026-03-10", "2026-03-10", False),  # export one day late (190.32(a))
        ("2026-03-09", "2026-03-11", False),  # claim one day late (190.51(e))
        ("2021-03-10", "2021-03-10", True),  # export on the import day itself
        ("2021-03-09", "2021-03-10", False),  # export before the import
    ],
)
def test_five_year_windows_at_the_edges(export_day, claim_day, designated):
    imports = [imp("E1", 1, "2021-03-10", "9401710011", 10, "10.00")]
    exports = [exp("X1", export_day, "9401710011", 10, value=1000)]
    plan = build_plan(ClaimType.J2, imports, exports, date.fromisoformat(claim_day),
                      Descriptions(), FixedRate("10"))
    assert bool(plan.designations) is designated
    if designated:
        assert plan.refund == D("9.90")


def test_manufacturing_window_runs_to_the_anniversary():
    i = imp("E1", 1, "2021-03-10", "7318156500", 10, "10.00", part="BOLT")
    on_day = exp("X1", "2026-03-10", "8479899599", 1, part="BOLT")
    late = exp("X2", "2026-03-11", "8479899599", 1, part="BOLT")
    desc = Descriptions()
    assert check_pair(ClaimType.A, i, _demand(on_day), desc, date(2026, 3, 10)).ok
    assert not check_pair(ClaimType.A, i, _demand(late), desc, date(2026, 3, 11)).ok


def test_units_must_match():
    i = imp("E1", 1, "2026-01-10", "9401710011", 10, "10.00", unit="kg")
    e = exp("X1", "2026-02-10", "9401710011", 10, unit="No.")
    verdict = check_pair(ClaimType.J2, i, _demand(e), Descriptions(), ON)
    assert not verdict.ok and any("unit" in r for r in verdict.reasons)
